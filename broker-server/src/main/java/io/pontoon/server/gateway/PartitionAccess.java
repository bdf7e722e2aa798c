package io.pontoon.server.gateway;

import io.pontoon.core.command.CommandCodec;
import io.pontoon.core.command.PartitionCommand;
import io.pontoon.core.command.PartitionQuery;
import io.pontoon.core.command.PartitionResult;
import io.pontoon.core.command.QueryResult;
import io.pontoon.raft.RaftNode;
import io.pontoon.raft.ReplicaGroupId;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Writes and reads of partition groups: writes through one {@link GroupCommitter} per partition. */
public final class PartitionAccess {
    private final RaftNode node;
    private final List<GroupCommitter<PartitionCommand, PartitionResult>> committers;

    public PartitionAccess(RaftNode node, int partitions, int maxCommands, int maxBytes, int maxInFlight) {
        this.node = node;
        this.committers = java.util.stream.IntStream.range(0, partitions)
                .mapToObj(p -> new GroupCommitter<PartitionCommand, PartitionResult>(
                        batch -> node.submit(ReplicaGroupId.partition(p), batch),
                        CommandCodec::encode, CommandCodec::decodeResults, CommandSizes::estimate,
                        maxCommands, maxBytes, maxInFlight, 50_000))
                .toList();
    }

    public CompletableFuture<PartitionResult> submit(int partition, PartitionCommand command) {
        return committers.get(partition).submit(command);
    }

    public CompletableFuture<QueryResult> read(int partition, PartitionQuery query) {
        return node.read(ReplicaGroupId.partition(partition), CommandCodec.encodeQuery(query)).thenApply(CommandCodec::decodeQueryResult);
    }

    public QueryResult localRead(int partition, PartitionQuery query) {
        return CommandCodec.decodeQueryResult(node.localRead(ReplicaGroupId.partition(partition), CommandCodec.encodeQuery(query)));
    }

    public int partitions() {
        return committers.size();
    }
}
