package io.pontoon.server.topic;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The topic model's port to streams (the counterpart of SNS's Firehose subscriptions), implemented by the bridge on the
 * stream model's lane puts.
 */
public interface StreamTargets {

    /**
     * One delivery, rendered as the stream will hold it.
     *
     * @param seq          the delivery's sequence on the topic's partition: the destination shard skips any it already holds
     * @param partitionKey decides the shard: the message group if it has one, else the message id
     */
    record Record(long seq, String stream, String partitionKey, byte[] data) {
    }

    /**
     * Puts {@code records} of topic partition {@code sourcePartition} into their streams, exactly once; answers the
     * sequences delivered and those whose stream does not exist, or fails (nothing is settled; the round is retried).
     */
    CompletableFuture<QueueTargets.Outcome> deliver(int sourcePartition, List<Record> records);
}
