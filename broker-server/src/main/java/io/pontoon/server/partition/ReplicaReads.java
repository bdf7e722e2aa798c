package io.pontoon.server.partition;

import io.pontoon.core.partition.PartitionQuery;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.core.partition.StoreView;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** The reads a node makes of a partition: through its own replica, or linearizable at the leader. */
public interface ReplicaReads {
    /** Completes once this node's replica of {@code partition} has applied {@code index}; fails after {@code timeoutMs}. */
    CompletableFuture<Void> awaitApplied(int partition, long index, long timeoutMs);

    /** Runs {@code reader} on this node's replica of {@code partition}, in place (possibly stale). */
    <T> T readLocal(int partition, Function<StoreView, T> reader);

    /** A linearizable read at the leader. */
    CompletableFuture<QueryResult> read(int partition, PartitionQuery query);
}
