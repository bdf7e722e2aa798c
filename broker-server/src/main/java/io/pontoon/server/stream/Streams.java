package io.pontoon.server.stream;

import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.core.stream.StreamCommand;
import io.pontoon.server.grpc.RequestMetrics;
import io.pontoon.server.partition.ByteBudget;
import io.pontoon.server.partition.ControllerClient;
import io.pontoon.server.partition.PartitionAccess;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;

/**
 * The stream model's part of a node, assembled: its gRPC service, what it needs to hear of applied entries (records
 * appended: wake subscriptions), and its timers (finishing stream changes on the controller's leader, retention on
 * each partition's leader).
 */
public final class Streams {
    private final StreamTopologies topologies;
    private final StreamOrchestrator orchestrator;
    private final StreamTrimmer trimmer;
    private final ShardSubscriptions subscriptions;
    private final KinesisService service;
    private final LanePuts lanePuts;

    /** @param readWaitMs how long a read may wait for room in the node's response budget */
    public Streams(ControllerClient controller, PartitionAccess partitions, ByteBudget responses, ScheduledExecutorService timers, Executor pushes,
                   LongSupplier clockMs, long readWaitMs, IntPredicate leadsPartition, RequestMetrics metrics) {
        this.topologies = new StreamTopologies(controller);
        ShardReader reader = new ShardReader(partitions);
        ShardLimits limits = new ShardLimits();
        this.orchestrator = new StreamOrchestrator(topologies, partitions);
        this.lanePuts = new LanePuts(topologies, partitions);
        this.trimmer = new StreamTrimmer(partitions, topologies, leadsPartition);
        this.subscriptions = new ShardSubscriptions(topologies, reader, timers, pushes, clockMs);
        this.service = new KinesisService(new StreamAdmin(topologies, orchestrator, reader, clockMs),
                new StreamPuts(topologies, partitions, limits, clockMs),
                new StreamReads(topologies, reader, limits, responses, timers, readWaitMs, clockMs, pushes),
                new StreamLeases(topologies, partitions, clockMs), subscriptions, metrics);
    }

    /** A stream's shards and their partitions, for client-side routing (Cluster.LookupStream). */
    /** The stream's shards and their partitions: the topology cache, else the controller. */
    public java.util.concurrent.CompletableFuture<io.pontoon.core.controller.StreamTopology> topology(String name) {
        return topologies.get(name);
    }

    public java.util.concurrent.CompletableFuture<io.pontoon.api.v1.LookupStreamResponse> routes(String name) {
        io.pontoon.core.stream.StreamValidator.streamName(name);
        return topologies.get(name).thenApply(t -> {
            io.pontoon.api.v1.LookupStreamResponse.Builder b = io.pontoon.api.v1.LookupStreamResponse.newBuilder().setStep(t.step());
            for (io.pontoon.core.controller.StreamTopology.ShardInfo s : t.shards()) {
                io.pontoon.api.v1.StreamShardRoute.Builder r = io.pontoon.api.v1.StreamShardRoute.newBuilder().setShardId(s.shardId())
                        .setPartitionId(String.valueOf(s.partition())).setStartingHashKey(s.startingHashKey().toString())
                        .setEndingHashKey(s.endingHashKey().toString())
                        .setOpen(s.state() == io.pontoon.core.controller.StreamTopology.ShardState.OPEN
                                || s.state() == io.pontoon.core.controller.StreamTopology.ShardState.CLOSING);
                if (s.parentShardId() != null) {
                    r.setParentShardId(s.parentShardId());
                }
                if (s.adjacentParentShardId() != null) {
                    r.setAdjacentParentShardId(s.adjacentParentShardId());
                }
                b.addShards(r);
            }
            return b.build();
        });
    }

    /**
     * Puts records from another model's fan-out lane (a topic's partition), exactly once per (lane, sequence): completes
     * with true once all are in the stream, false if the stream does not exist; fails if some could not be put (retry).
     */
    public java.util.concurrent.CompletableFuture<Boolean> putFromLane(String stream, int lane, List<LaneRecord> records) {
        return lanePuts.put(stream, lane, records).handle((v, e) -> {
            if (e == null) {
                return true;
            }
            if (LanePuts.noSuchStream(e)) {
                return false;
            }
            throw e instanceof java.util.concurrent.CompletionException c ? c : new java.util.concurrent.CompletionException(e);
        });
    }

    public KinesisService service() {
        return service;
    }

    /** An entry was applied on this node: subscriptions of the shards it appended to are woken. Never blocks. */
    public void applied(List<PartitionCommand> commands) {
        for (PartitionCommand c : commands) {
            if (c instanceof StreamCommand.PutRecords p) {
                subscriptions.signal(p.uid());
            } else if (c instanceof StreamCommand.PutLaneRecords l) {
                subscriptions.signal(l.put().uid());
            }
        }
    }

    public void poll(long nowMs, boolean leadsController) {
        try {
            orchestrator.poll(nowMs, leadsController);
        } finally {
            trimmer.poll(nowMs);
        }
    }

    public int subscriptions() {
        return subscriptions.count();
    }
}
