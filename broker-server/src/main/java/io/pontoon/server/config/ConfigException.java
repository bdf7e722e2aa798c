package io.pontoon.server.config;

/** A configuration error, reported at start with the offending key. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
