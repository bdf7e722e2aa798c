package io.pontoon.server.stream;

import io.pontoon.core.controller.ControllerCommand;
import io.pontoon.core.controller.StreamTopology;
import io.pontoon.core.controller.StreamTopology.ShardInfo;
import io.pontoon.core.controller.StreamTopology.ShardState;
import io.pontoon.core.controller.StreamTopology.Status;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.stream.StreamCommand;
import io.pontoon.core.stream.StreamResult;
import io.pontoon.server.partition.PartitionAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Carries a stream from CREATING, UPDATING or DELETING to where it goes, one step at a time, in an order that keeps
 * every record's place certain: a step's new shards are created on their partitions first, then its parents are
 * closed there (from then on no record enters them; a producer that raced the close is told so and lands in a child),
 * and only then is the step finished in the controller. Every part is idempotent, so a node that dies midway leaves
 * nothing a later attempt cannot finish: the request handler drives its own change, and the controller leader's
 * {@link #poll} finishes any that were left behind.
 */
public final class StreamOrchestrator {
    private static final Logger LOG = LoggerFactory.getLogger(StreamOrchestrator.class);
    /** Streams one poll looks at; the rest wait for the next. */
    private static final int STREAMS_PER_POLL = 100;
    private static final long POLL_EVERY_MS = 2_000;

    private final StreamTopologies topologies;
    private final PartitionAccess partitions;
    private final Map<String, CompletableFuture<StreamTopology>> running = new ConcurrentHashMap<>();
    private final io.pontoon.server.timers.Cadence cadence = new io.pontoon.server.timers.Cadence(POLL_EVERY_MS);
    private volatile String pollFrom = "";

    public StreamOrchestrator(StreamTopologies topologies, PartitionAccess partitions) {
        this.topologies = topologies;
        this.partitions = partitions;
    }

    /** Drives {@code t} until it is ACTIVE (or forgotten, when DELETING); at most one drive per stream at a time on this node. */
    public CompletableFuture<StreamTopology> complete(StreamTopology t) {
        if (t.status() == Status.ACTIVE) {
            return CompletableFuture.completedFuture(t);
        }
        CompletableFuture<StreamTopology> mine = new CompletableFuture<>();
        CompletableFuture<StreamTopology> other = running.putIfAbsent(t.name(), mine);
        if (other != null) {
            return other;
        }
        drive(t).whenComplete((done, e) -> {
            running.remove(t.name(), mine);
            if (e != null) {
                mine.completeExceptionally(e);
            } else {
                mine.complete(done);
            }
        });
        return mine;
    }

    private CompletableFuture<StreamTopology> drive(StreamTopology t) {
        return switch (t.status()) {
            case ACTIVE -> CompletableFuture.completedFuture(t);
            case CREATING, UPDATING -> step(t).thenCompose(this::drive);
            // Another driver (the controller leader's poll, or the request's own) may have forgotten the stream first:
            // then the delete is done, not missing.
            case DELETING -> all(t.shards(), s -> new StreamCommand.DeleteShard(s.uid()), PartitionResult.Ok.class, (s, r) -> { })
                    .thenCompose(v -> topologies.propose(new ControllerCommand.ForgetStream(t.name())))
                    .exceptionally(e -> {
                        if (StreamTopologies.notFound(e)) {
                            return null;
                        }
                        throw e instanceof java.util.concurrent.CompletionException c ? c : new java.util.concurrent.CompletionException(e);
                    });
        };
    }

    /** One step: children on their partitions, then parents closed on theirs, then the step finished. */
    private CompletableFuture<StreamTopology> step(StreamTopology t) {
        List<ShardInfo> creating = t.shards().stream().filter(s -> s.state() == ShardState.CREATING).toList();
        List<ShardInfo> closing = t.shards().stream().filter(s -> s.state() == ShardState.CLOSING).toList();
        Map<String, Long> endingSeqs = new ConcurrentHashMap<>();
        return all(creating, s -> new StreamCommand.CreateShard(s.uid(), t.name(), s.shardId(), s.startingHashKey(), s.endingHashKey()),
                StreamResult.ShardCreated.class, (s, r) -> { })
                .thenCompose(v -> all(closing, s -> new StreamCommand.CloseShard(s.uid()), StreamResult.ShardClosed.class,
                        (s, r) -> endingSeqs.put(s.shardId(), ((StreamResult.ShardClosed) r).endingSeq())))
                .thenCompose(v -> topologies.propose(new ControllerCommand.FinishStreamStep(t.name(), t.step(), endingSeqs)));
    }

    private interface ToCommand {
        PartitionCommand of(ShardInfo s);
    }

    private CompletableFuture<Void> all(List<ShardInfo> shards, ToCommand command, Class<? extends PartitionResult> expected,
                                        java.util.function.BiConsumer<ShardInfo, PartitionResult> onResult) {
        List<CompletableFuture<PartitionResult>> calls = new ArrayList<>();
        for (ShardInfo s : shards) {
            calls.add(partitions.submit(s.partition(), command.of(s)).thenApply(r -> {
                if (!expected.isInstance(r)) {
                    throw r instanceof PartitionResult.Error e ? new BrokerException(e.code(), e.message())
                            : new BrokerException(ErrorCode.INTERNAL_ERROR, "unexpected answer " + r + " for shard " + s.shardId());
                }
                onResult.accept(s, r);
                return r;
            }));
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
    }

    /**
     * On the controller's leader, every 2 s: finishes streams left CREATING, UPDATING or DELETING by a node that died
     * (or a request that timed out) midway. Bounded: at most {@value #STREAMS_PER_POLL} streams per call.
     */
    public void poll(long nowMs, boolean leadsController) {
        if (!leadsController || !cadence.due(nowMs)) {
            return;
        }
        topologies.list(pollFrom, STREAMS_PER_POLL).thenAccept(names -> {
            pollFrom = names.hasMore() && !names.names().isEmpty() ? names.names().get(names.names().size() - 1) : "";
            for (String name : names.names()) {
                if (running.containsKey(name) || activeHere(name)) {
                    continue;
                }
                topologies.fresh(name).thenCompose(this::complete).exceptionally(e -> {
                    if (!StreamTopologies.notFound(e)) {
                        LOG.warn("could not finish changing stream {}: {}", name, e.toString());
                    }
                    return null;
                });
            }
        }).exceptionally(e -> {
            LOG.warn("stream poll failed: {}", e.toString());
            return null;
        });
    }

    /** Whether this node's replica of the controller shows the stream ACTIVE (nothing to finish): no round trip. */
    private boolean activeHere(String name) {
        try {
            return topologies.local(name).status() == Status.ACTIVE;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
