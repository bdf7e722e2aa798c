package io.pontoon.client;

import io.pontoon.api.v1.Message;

/** Processes one received message; returning normally acknowledges (deletes) it, throwing does not. */
@FunctionalInterface
public interface MessageHandler {
    void handle(Message message) throws Exception;
}
