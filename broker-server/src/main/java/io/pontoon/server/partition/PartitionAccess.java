package io.pontoon.server.partition;

import io.pontoon.core.partition.PartitionQuery;
import io.pontoon.core.partition.PartitionCodec;
import io.pontoon.core.queue.QueueCodec;
import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.core.queue.QueueQuery;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.core.partition.StoreView;
import io.pontoon.raft.RaftNode;
import io.pontoon.raft.ReplicaGroupId;
import io.pontoon.server.partition.GroupCommitter.Applied;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Writes and reads of partition groups: writes through one {@link GroupCommitter} per partition, reads through
 * Raft (linearizable), through this node's replica without Raft (possibly stale), or typed, straight from the
 * replica's store (for message content, which the log's results do not carry).
 */
public final class PartitionAccess implements ReplicaReads {

    /** This node's replicas' applied state, read in place. */
    public interface LocalState {
        /** Runs {@code reader} on a consistent view of this node's replica of {@code partition}. */
        <T> T read(int partition, Function<StoreView, T> reader);
    }

    private final RaftNode node;
    private final LocalState local;
    private final List<GroupCommitter<PartitionResult>> committers;

    public PartitionAccess(RaftNode node, LocalState local, int partitions, GroupCommitter.Limits limits, ByteBudget requests,
                           java.util.function.IntFunction<CommitObserver> observers) {
        this.node = node;
        this.local = local;
        this.committers = java.util.stream.IntStream.range(0, partitions)
                .mapToObj(p -> new GroupCommitter<PartitionResult>(batch -> node.submit(ReplicaGroupId.partition(p), batch),
                        PartitionCodec::frame, PartitionCodec::decodeResults, limits, requests, observers.apply(p)))
                .toList();
    }

    public CompletableFuture<PartitionResult> submit(int partition, PartitionCommand command) {
        return submitApplied(partition, command).thenApply(Applied::result);
    }

    /** As {@link #submit}, with the index of the entry that carried the command. */
    public CompletableFuture<Applied<PartitionResult>> submitApplied(int partition, PartitionCommand command) {
        byte[] encoded;
        try {
            encoded = PartitionCodec.encodeOne(command);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return committers.get(partition).submit(encoded);
    }

    @Override
    public CompletableFuture<QueryResult> read(int partition, PartitionQuery query) {
        return node.read(ReplicaGroupId.partition(partition), PartitionCodec.encodeQuery(query)).thenApply(PartitionCodec::decodeQueryResult);
    }

    public QueryResult localRead(int partition, PartitionQuery query) {
        return PartitionCodec.decodeQueryResult(node.localRead(ReplicaGroupId.partition(partition), PartitionCodec.encodeQuery(query)));
    }

    @Override
    public CompletableFuture<Void> awaitApplied(int partition, long index, long timeoutMs) {
        return node.awaitApplied(ReplicaGroupId.partition(partition), index, timeoutMs);
    }

    /** Reads this node's replica of {@code partition} in place (see {@link LocalState}). */
    @Override
    public <T> T readLocal(int partition, Function<StoreView, T> reader) {
        return local.read(partition, reader);
    }

    public int partitions() {
        return committers.size();
    }

    /** Commands waiting for the next log entry of {@code partition} on this node. */
    public int queued(int partition) {
        return committers.get(partition).queued();
    }
}
