package io.pontoon.server.queue;

import io.pontoon.server.partition.PartitionAccess;
import io.pontoon.core.queue.QueueQueryResult;
import io.pontoon.core.partition.PartitionCodec;
import io.pontoon.core.partition.Tick;
import io.pontoon.core.queue.FifoShards;
import io.pontoon.core.Limits;
import io.pontoon.core.queue.QueueCodec;
import io.pontoon.core.queue.QueueCommand.IngestMessages;
import io.pontoon.core.queue.QueueCommand.MovedMessage;
import io.pontoon.core.queue.QueueCommand.SettleOutbox;
import io.pontoon.core.queue.QueueQuery;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Delivers a partition's outbox (DLQ moves, redrives) on the node that leads it: read the oldest entries from
 * applied state, ingest them at each destination partition, then settle them at the source. A crash or
 * leader change anywhere in between only causes a resend, which ingest skips (its high-water mark per source
 * partition); nothing is settled before its destination applied it, so nothing is lost.
 *
 * <p>Ingest's high-water mark requires that a destination never receives an entry before an earlier one of
 * the same source that is still pending for it. So a round sends each destination its entries in outbox
 * order, and gives up entirely if any destination cannot be resolved (a queue that does not exist is not
 * "unresolved": its entries are returned to the queue they left).
 *
 * <p>Bounded by bytes: a round reads at most {@code maxRoundBytes} of entries (always at least one), so the
 * IngestMessages it sends fits one log entry whatever the message sizes; rounds follow each other while the
 * outbox has entries, up to {@link #MAX_ROUNDS} per call. A round that fails is logged (at most every
 * {@link #LOG_EVERY_MS} per partition, with the count) and reported to the {@link Observer}, so a stuck
 * forwarder is visible in the logs and the metrics.
 */
public final class OutboxForwarder {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxForwarder.class);
    /** Rounds one call may chain: the rest waits for the next Tick, so one partition never monopolises the forwarder. */
    static final int MAX_ROUNDS = 16;
    private static final long LOG_EVERY_MS = 30_000;

    /** What the node's metrics learn of the forwarder. */
    public interface Observer {
        void forwarded(int partition, int entries);

        void forwardFailed(int partition);

        Observer NONE = new Observer() {
            public void forwarded(int partition, int entries) {
            }

            public void forwardFailed(int partition) {
            }
        };
    }

    private record Failures(long count, long loggedAtMs) {
    }

    private final Placement placement;
    private final PartitionAccess partitions;
    private final long maxRoundBytes;
    private final Observer observer;
    private final LongSupplier clockMs;
    private final Map<Integer, Failures> failures = new ConcurrentHashMap<>();

    /** @param maxRoundBytes entry bytes one round reads at most: below the log entry limit, with room for the framing */
    public OutboxForwarder(Placement placement, PartitionAccess partitions, long maxRoundBytes, Observer observer, LongSupplier clockMs) {
        this.placement = placement;
        this.partitions = partitions;
        this.maxRoundBytes = maxRoundBytes;
        this.observer = observer;
        this.clockMs = clockMs;
    }

    /** Rounds for {@code source} until its outbox is empty or {@link #MAX_ROUNDS} ran; completes with the entries settled. */
    public CompletableFuture<Integer> forward(int source) {
        return rounds(source, 0, 0);
    }

    private CompletableFuture<Integer> rounds(int source, int done, int settled) {
        return round(source).handle((n, e) -> {
            if (e != null) {
                failed(source, e);
                return CompletableFuture.completedFuture(settled);
            }
            recovered(source);
            if (n > 0) {
                observer.forwarded(source, n);
            }
            return n > 0 && done + 1 < MAX_ROUNDS ? rounds(source, done + 1, settled + n) : CompletableFuture.completedFuture(settled + n);
        }).thenCompose(f -> f);
    }

    /** One round; completes with the number of entries settled. */
    CompletableFuture<Integer> round(int source) {
        QueryResult read = partitions.localRead(source, new QueueQuery.ReadOutbox(Limits.MAX_OUTBOX_BATCH, maxRoundBytes));
        if (!(read instanceof QueueQueryResult.Outbox outbox) || outbox.entries().isEmpty()) {
            return CompletableFuture.completedFuture(0);
        }
        return resolve(outbox.entries()).thenCompose(destinations -> {
            Map<Integer, List<MovedMessage>> byPartition = new LinkedHashMap<>();
            List<Long> returned = new ArrayList<>();
            for (MovedMessage m : outbox.entries()) {
                List<Integer> shards = destinations.get(m.queueName());
                if (shards == null) {
                    returned.add(m.outboxSeq());
                } else {
                    byPartition.computeIfAbsent(shardOf(m, shards), k -> new ArrayList<>()).add(m);
                }
            }
            List<CompletableFuture<List<Long>>> ingests = new ArrayList<>();
            byPartition.forEach((p, entries) -> ingests.add(partitions.submit(p, new IngestMessages(source, entries))
                    .thenApply(r -> QueueService.expect(r, io.pontoon.core.queue.QueueResult.Ingested.class))
                    .thenApply(r -> entries.stream().map(MovedMessage::outboxSeq).toList())));
            return CompletableFuture.allOf(ingests.toArray(CompletableFuture[]::new)).thenCompose(v -> {
                List<Long> delivered = new ArrayList<>();
                ingests.forEach(f -> delivered.addAll(f.join()));
                return partitions.submit(source, new SettleOutbox(delivered, returned))
                        .thenApply(r -> delivered.size() + returned.size());
            });
        });
    }

    private void failed(int source, Throwable e) {
        observer.forwardFailed(source);
        long now = clockMs.getAsLong();
        Failures f = failures.merge(source, new Failures(1, 0), (a, b) -> new Failures(a.count() + 1, a.loggedAtMs()));
        if (now - f.loggedAtMs() >= LOG_EVERY_MS) {
            failures.put(source, new Failures(f.count(), now));
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            LOG.warn("partition-{}: outbox forwarding failed {} time(s) in a row; moved messages wait in the outbox until it succeeds: {}",
                    source, f.count(), cause.toString());
        }
    }

    private void recovered(int source) {
        Failures f = failures.remove(source);
        if (f != null && f.count() > 0) {
            LOG.info("partition-{}: outbox forwarding works again after {} failed round(s)", source, f.count());
        }
    }

    /** A destination spanning several partitions (high-throughput FIFO) takes each group on its own shard. */
    private static int shardOf(MovedMessage m, List<Integer> shards) {
        return shards.size() == 1 ? shards.get(0) : shards.get(FifoShards.shardOf(m.groupId() == null ? "" : m.groupId(), shards.size()));
    }

    /** Destination queue -> its partitions; null for a queue that does not exist. Fails if any lookup fails otherwise. */
    private CompletableFuture<Map<String, List<Integer>>> resolve(List<MovedMessage> entries) {
        Map<String, CompletableFuture<List<Integer>>> lookups = new HashMap<>();
        for (MovedMessage m : entries) {
            lookups.computeIfAbsent(m.queueName(), q -> placement.shards(q).handle((p, e) -> {
                if (e == null) {
                    return p;
                }
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (cause instanceof BrokerException b && b.code() == ErrorCode.NON_EXISTENT_QUEUE) {
                    return null;
                }
                throw new CompletionException(cause);
            }));
        }
        return CompletableFuture.allOf(lookups.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
            Map<String, List<Integer>> out = new HashMap<>();
            lookups.forEach((q, f) -> out.put(q, f.join()));
            return out;
        });
    }

    /**
     * A round's byte bound for a given largest command: less IngestMessages' own few bytes, and the two bytes per entry
     * by which an outbox entry written before moved messages carried a version grows when it is sent again.
     */
    public static long roundBytesFor(int maxCommandBytes) {
        return maxCommandBytes - PartitionCodec.FRAME_BYTES - 2L * Limits.MAX_OUTBOX_BATCH - 64;
    }
}
