package io.pontoon.server.topic;

import io.pontoon.core.topic.MessageAttribute;

import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;

/**
 * The topic model's port to queues: what the fan-out needs of the queue model, implemented outside both models (by
 * the bridge the node wires in), so that neither model's code knows the other.
 */
public interface QueueTargets {

    /**
     * One delivery, rendered as the queue will hold it.
     *
     * @param seq       the delivery's sequence on the topic's partition: deliveries of one partition reach each
     *                  destination in this order, and the destination skips any it already holds
     * @param messageId the id the queue message gets (the same on every resend)
     * @param groupId   the message group (FIFO topics, and fair queues), or null
     * @param deduplicationId a FIFO message's deduplication id, or null
     */
    record Message(long seq, String queue, String messageId, String body, SortedMap<String, MessageAttribute> attributes, long sentMs,
                   String groupId, String deduplicationId) {
    }

    /** @param delivered sequences now in their queue; @param missing those whose queue does not exist */
    record Outcome(List<Long> delivered, List<Long> missing) {
    }

    /** Puts {@code messages} of topic partition {@code sourcePartition} into their queues, exactly once. */
    CompletableFuture<Outcome> deliver(int sourcePartition, List<Message> messages);
}
