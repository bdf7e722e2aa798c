package io.pontoon.server.queue;

import io.pontoon.core.queue.QueueQueryResult;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Which partitions host a queue: the controller's queue placement table (its "queue" namespace), cached. */
public interface Placement {

    /** Places {@code queueName} on {@code shards} partitions (idempotent) and returns them, primary first. */
    CompletableFuture<List<Integer>> place(String queueName, int shards);

    /** Forgets the placement; the name is blocked for {@code recreateDelayMs} (AWS QueueDeletedRecently). */
    CompletableFuture<Void> unplace(String queueName, long recreateDelayMs);

    /** The partition of {@code queueName} (its primary shard); fails with NonExistentQueue if it has none. */
    default CompletableFuture<Integer> lookup(String queueName) {
        return shards(queueName).thenApply(s -> s.get(0));
    }

    /** Every partition of {@code queueName}: one, or several for a high-throughput FIFO queue. */
    CompletableFuture<List<Integer>> shards(String queueName);

    /** As {@link #shards}, but never from a cache or this node's replica: the controller leader's current answer. */
    CompletableFuture<List<Integer>> freshShards(String queueName);

    /** Drops a cached answer that proved stale. */
    void invalidate(String queueName);

    /** Queue urls by name prefix, paginated, from the placement table. */
    CompletableFuture<QueueQueryResult.QueueList> list(String prefix, String nextToken, Integer maxResults);

    int partitionCount();
}
