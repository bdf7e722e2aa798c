package io.pontoon.core.queue;

import java.util.Map;

/**
 * The settable attributes of a queue, in the units SQS uses on the wire (seconds, bytes).
 * Ranges are validated by the core's validator before a command is replicated.
 */
public record QueueAttributes(
        int visibilityTimeoutSeconds,
        int messageRetentionPeriodSeconds,
        int delaySeconds,
        int receiveMessageWaitTimeSeconds,
        int maximumMessageSizeBytes,
        Map<String, String> tags) {

    public static final QueueAttributes DEFAULTS = new QueueAttributes(30, 345_600, 0, 0, 1_048_576, Map.of());

    public QueueAttributes {
        tags = Map.copyOf(tags);
    }
}
