package io.pontoon.server.gateway;

import io.pontoon.core.command.QueryResult;

import java.util.concurrent.CompletableFuture;

/** Which partition hosts a queue: the controller's placement table, cached. */
public interface Placement {

    /** Places {@code queueName} (idempotent) and returns its partition. */
    CompletableFuture<Integer> place(String queueName);

    /** Forgets the placement; the name is reserved for the recreate delay. */
    CompletableFuture<Void> unplace(String queueName);

    /** The partition of {@code queueName}; fails with NonExistentQueue if it has none. */
    CompletableFuture<Integer> lookup(String queueName);

    /** Drops a cached answer that proved stale. */
    void invalidate(String queueName);

    /** Queue urls by name prefix, paginated, from the placement table. */
    CompletableFuture<QueryResult.QueueList> list(String prefix, String nextToken, Integer maxResults);

    int partitionCount();
}
