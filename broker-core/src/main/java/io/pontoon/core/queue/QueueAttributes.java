package io.pontoon.core.queue;

import java.util.Map;

/**
 * The settable attributes of a queue, in the units SQS uses on the wire (seconds, bytes).
 * Ranges are validated by the core's validator before a command is replicated.
 *
 * @param fifo               null for a standard queue; a FIFO queue's dedup and throughput settings otherwise
 * @param redrivePolicy      null when the queue has no dead-letter queue
 * @param redriveAllowPolicy which queues may use this one as their dead-letter queue (never null)
 */
public record QueueAttributes(
        int visibilityTimeoutSeconds,
        int messageRetentionPeriodSeconds,
        int delaySeconds,
        int receiveMessageWaitTimeSeconds,
        int maximumMessageSizeBytes,
        Map<String, String> tags,
        FifoSettings fifo,
        RedrivePolicy redrivePolicy,
        RedriveAllowPolicy redriveAllowPolicy) {

    public static final QueueAttributes DEFAULTS = new QueueAttributes(30, 345_600, 0, 0, 1_048_576, Map.of());
    public static final QueueAttributes FIFO_DEFAULTS = DEFAULTS.withFifo(FifoSettings.DEFAULTS);

    public QueueAttributes {
        tags = Map.copyOf(tags);
        if (redriveAllowPolicy == null) {
            redriveAllowPolicy = RedriveAllowPolicy.ALLOW_ALL;
        }
    }

    /** A standard queue without dead-letter settings. */
    public QueueAttributes(int visibilityTimeoutSeconds, int messageRetentionPeriodSeconds, int delaySeconds,
                           int receiveMessageWaitTimeSeconds, int maximumMessageSizeBytes, Map<String, String> tags) {
        this(visibilityTimeoutSeconds, messageRetentionPeriodSeconds, delaySeconds, receiveMessageWaitTimeSeconds,
                maximumMessageSizeBytes, tags, null, null, RedriveAllowPolicy.ALLOW_ALL);
    }

    /** The defaults for a queue of this name: FIFO exactly when the name ends in ".fifo". */
    public static QueueAttributes defaultsFor(String queueName) {
        return isFifoName(queueName) ? FIFO_DEFAULTS : DEFAULTS;
    }

    public static boolean isFifoName(String queueName) {
        return queueName != null && queueName.endsWith(".fifo");
    }

    public boolean isFifo() {
        return fifo != null;
    }

    public QueueAttributes withTags(Map<String, String> newTags) {
        return new QueueAttributes(visibilityTimeoutSeconds, messageRetentionPeriodSeconds, delaySeconds,
                receiveMessageWaitTimeSeconds, maximumMessageSizeBytes, newTags, fifo, redrivePolicy, redriveAllowPolicy);
    }

    public QueueAttributes withFifo(FifoSettings newFifo) {
        return new QueueAttributes(visibilityTimeoutSeconds, messageRetentionPeriodSeconds, delaySeconds,
                receiveMessageWaitTimeSeconds, maximumMessageSizeBytes, tags, newFifo, redrivePolicy, redriveAllowPolicy);
    }
}
