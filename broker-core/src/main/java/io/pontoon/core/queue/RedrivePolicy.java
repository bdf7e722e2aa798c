package io.pontoon.core.queue;

/**
 * A source queue's dead-letter settings: a message received more than {@code maxReceiveCount} times moves
 * to {@code deadLetterQueueName} instead of being delivered again.
 */
public record RedrivePolicy(String deadLetterQueueName, int maxReceiveCount) {
}
