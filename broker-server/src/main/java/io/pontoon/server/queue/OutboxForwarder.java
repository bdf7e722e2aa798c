package io.pontoon.server.queue;

import io.pontoon.server.partition.PartitionAccess;
import io.pontoon.core.queue.QueueQueryResult;
import io.pontoon.core.partition.PartitionCodec;
import io.pontoon.core.partition.Tick;
import io.pontoon.core.Limits;
import io.pontoon.core.queue.QueueCodec;
import io.pontoon.core.queue.QueueCommand.SettleOutbox;
import io.pontoon.core.queue.QueueQuery;
import io.pontoon.core.partition.QueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * the same source that is still pending for it: {@link QueueIngestor} sends each destination its entries in outbox
 * order, and a round gives up entirely if any destination cannot be resolved (a queue that does not exist is not
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

    private final QueueIngestor ingestor;
    private final PartitionAccess partitions;
    private final long maxRoundBytes;
    private final Observer observer;
    private final LongSupplier clockMs;
    private final Map<Integer, Failures> failures = new ConcurrentHashMap<>();

    /** @param maxRoundBytes entry bytes one round reads at most: below the log entry limit, with room for the framing */
    public OutboxForwarder(Placement placement, PartitionAccess partitions, long maxRoundBytes, Observer observer, LongSupplier clockMs) {
        this.ingestor = new QueueIngestor(placement, partitions);
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
        // Entries whose queue does not exist are returned to the queue they left.
        return ingestor.ingest(source, outbox.entries()).thenCompose(o -> partitions.submit(source, new SettleOutbox(o.delivered(), o.missing()))
                .thenApply(r -> o.delivered().size() + o.missing().size()));
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

    /**
     * A round's byte bound for a given largest command: less IngestMessages' own few bytes, and the two bytes per entry
     * by which an outbox entry written before moved messages carried a version grows when it is sent again.
     */
    public static long roundBytesFor(int maxCommandBytes) {
        return maxCommandBytes - PartitionCodec.FRAME_BYTES - 2L * Limits.MAX_OUTBOX_BATCH - 64;
    }
}
