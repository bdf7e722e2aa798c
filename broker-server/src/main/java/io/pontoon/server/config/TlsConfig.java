package io.pontoon.server.config;

import java.nio.file.Path;

/**
 * TLS settings of a node (docs/configuration.md, {@code tls.*}): one certificate and key serve the client gRPC port,
 * the AWS gateway and both ends of mutual TLS between nodes; {@code caFile} holds the cluster CA that node
 * certificates must chain to (and that clients are told to trust).
 *
 * @param reloadIntervalMs how often the files are checked for a change; a changed set is loaded for new connections
 */
public record TlsConfig(Path certFile, Path keyFile, Path caFile, long reloadIntervalMs) {
    public static final long MIN_RELOAD_INTERVAL_MS = 100;

    public TlsConfig {
        if (certFile == null || keyFile == null || caFile == null) {
            throw new ConfigException("tls.cert.file, tls.key.file and tls.ca.file: all three must be set when tls.enabled=true");
        }
        if (reloadIntervalMs < MIN_RELOAD_INTERVAL_MS || reloadIntervalMs > 86_400_000L) {
            throw new ConfigException("tls.reload.interval.ms: must be " + MIN_RELOAD_INTERVAL_MS + "..86400000");
        }
    }
}
