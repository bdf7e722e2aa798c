package io.pontoon.server.stream;

import io.pontoon.api.v1.Lease;
import io.pontoon.api.v1.UpdateLeaseResponse;
import io.pontoon.core.controller.StreamTopology;
import io.pontoon.core.controller.StreamTopology.ShardInfo;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.stream.StreamCommand;
import io.pontoon.core.stream.StreamQuery;
import io.pontoon.core.stream.StreamQueryResult;
import io.pontoon.core.stream.StreamResult;
import io.pontoon.server.partition.PartitionAccess;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * The consumer library's lease table, kept with each shard in its partition (replicated like the shard's records):
 * reads of an application's leases, and conditional writes that take, renew, steal, checkpoint or release one.
 * Expiry is the partition's leader time; answers give the time left by this node's clock.
 */
final class StreamLeases {
    private final StreamTopologies topologies;
    private final PartitionAccess partitions;
    private final LongSupplier clockMs;

    StreamLeases(StreamTopologies topologies, PartitionAccess partitions, LongSupplier clockMs) {
        this.topologies = topologies;
        this.partitions = partitions;
        this.clockMs = clockMs;
    }

    CompletableFuture<List<Lease>> get(String stream, String application, List<String> shardIds) {
        return topologies.get(stream, t -> shardIds.stream().allMatch(id -> t.shard(id).isPresent())).thenCompose(t -> {
            List<ShardInfo> shards = shardIds.isEmpty() ? t.shards().stream().filter(s -> s.state() != StreamTopology.ShardState.CREATING).toList()
                    : StreamAdmin.shardsOf(t, shardIds);
            Map<Integer, List<ShardInfo>> byPartition = new LinkedHashMap<>();
            shards.forEach(s -> byPartition.computeIfAbsent(s.partition(), p -> new ArrayList<>()).add(s));
            List<CompletableFuture<List<Lease>>> reads = new ArrayList<>();
            byPartition.forEach((p, group) -> reads.add(partitions.read(p, new StreamQuery.Leases(application, group.stream().map(ShardInfo::uid).toList()))
                    .thenApply(r -> {
                        if (!(r instanceof StreamQueryResult.LeaseList list)) {
                            throw new BrokerException(ErrorCode.INTERNAL_ERROR, "unexpected answer " + r);
                        }
                        List<Lease> out = new ArrayList<>();
                        for (int i = 0; i < group.size(); i++) {
                            out.add(lease(group.get(i).shardId(), list.leases().get(i)));
                        }
                        return out;
                    })));
            return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<Lease> all = new ArrayList<>();
                reads.forEach(r -> all.addAll(r.join()));
                all.sort((a, b) -> a.getShardId().compareTo(b.getShardId()));
                return all;
            });
        });
    }

    CompletableFuture<UpdateLeaseResponse> update(String stream, String application, String shardId, String expectedOwner, long expectedCounter,
                                                  String newOwner, long durationMs, String checkpoint) {
        StreamCommand.UpdateLease probe = new StreamCommand.UpdateLease(0, application, emptyToNull(expectedOwner), expectedCounter,
                emptyToNull(newOwner), durationMs, emptyToNull(checkpoint));
        io.pontoon.core.stream.StreamValidator.validate(probe);
        return topologies.get(stream, t -> t.shard(shardId).isPresent()).thenCompose(t -> {
            ShardInfo shard = StreamReads.readable(t, shardId);
            return partitions.submit(shard.partition(), new StreamCommand.UpdateLease(shard.uid(), application, probe.expectedOwner(),
                    expectedCounter, probe.newOwner(), durationMs, probe.checkpoint())).thenApply(r -> {
                if (r instanceof StreamResult.LeaseUpdated u) {
                    return UpdateLeaseResponse.newBuilder().setApplied(u.applied()).setLease(lease(shardId, u.lease())).build();
                }
                if (r instanceof PartitionResult.Error e) {
                    throw new BrokerException(e.code(), e.message());
                }
                throw new BrokerException(ErrorCode.INTERNAL_ERROR, "unexpected answer " + r);
            });
        });
    }

    private Lease lease(String shardId, io.pontoon.core.stream.Lease l) {
        Lease.Builder b = Lease.newBuilder().setShardId(shardId).setCounter(l.counter());
        if (l.owner() != null) {
            b.setOwner(l.owner()).setExpiresInMs(Math.max(0, l.expiresAtMs() - clockMs.getAsLong()));
        }
        if (l.checkpoint() != null) {
            b.setCheckpoint(l.checkpoint());
        }
        return b.build();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
