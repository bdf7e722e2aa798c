package io.pontoon.server.topic;

import io.pontoon.core.Limits;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.core.topic.Deliveries;
import io.pontoon.core.topic.TopicCommand;
import io.pontoon.core.topic.TopicQuery;
import io.pontoon.core.topic.TopicQueryResult;
import io.pontoon.server.partition.PartitionAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;

/**
 * Delivers a topic partition's ordered deliveries (into queues and streams) on the node that leads it: read the oldest
 * from applied state, put them into their destinations through {@link QueueTargets} and {@link StreamTargets}
 * (exactly once: a destination skips what it already holds from this partition's lane), then settle them. A crash or
 * failover in between only causes a resend.
 *
 * <p>One round per partition runs at a time; a publish applied meanwhile asks for another. Rounds chain while
 * deliveries are waiting, up to {@link #MAX_ROUNDS} per start, and read at most {@code maxRoundBytes} each. A round
 * reads on from a cursor (the deliveries up to it are handled), so it never walks over deliveries settled before, and
 * settles are batched ({@link #SETTLE_BATCH} deliveries, or every {@link #SETTLE_EVERY_MS}): settling is only
 * bookkeeping, since a resend is a no-op. A failed settle, or a new leadership, sends the cursor back to the start.
 * Envelopes are signed with this node's key, by their topic's SignatureVersion: read once per topic per round.
 */
final class OrderedFanout {
    private static final Logger LOG = LoggerFactory.getLogger(OrderedFanout.class);
    static final int MAX_ROUNDS = 16;
    static final int SETTLE_BATCH = Limits.MAX_FANOUT_BATCH;
    static final long SETTLE_EVERY_MS = 100;
    private final PartitionAccess partitions;
    private final QueueTargets queues;
    private final StreamTargets streams;
    private final DeliveryObserver observer;
    private final long maxRoundBytes;
    private final Executor executor;
    private final IntPredicate leads;
    private final EnvelopeSigner signer;
    private final EnvelopeLinks links;
    private final LongSupplier clockMs;
    private final Set<Integer> running = ConcurrentHashMap.newKeySet();
    private final Set<Integer> again = ConcurrentHashMap.newKeySet();
    private final Set<Integer> scheduled = ConcurrentHashMap.newKeySet();
    /** Per partition led: touched only by that partition's one running round. */
    private final Map<Integer, Lane> lanes = new ConcurrentHashMap<>();

    /** Where a partition's fan-out got to on this node: deliveries up to the cursor are handled, some not yet settled. */
    private static final class Lane {
        long cursor = -1;
        final List<Long> unsettled = new ArrayList<>();
        /** Handled deliveries whose destination does not exist: reported as DeadLetterDeliveries. */
        final List<Long> undeliverable = new ArrayList<>();
        long settledAtMs;

        int handled() {
            return unsettled.size() + undeliverable.size();
        }
    }

    OrderedFanout(PartitionAccess partitions, QueueTargets queues, StreamTargets streams, long maxRoundBytes, Executor executor, IntPredicate leads,
                  EnvelopeSigner signer, EnvelopeLinks links, DeliveryObserver observer, LongSupplier clockMs) {
        this.links = links;
        this.partitions = partitions;
        this.queues = queues;
        this.streams = streams;
        this.maxRoundBytes = maxRoundBytes;
        this.executor = executor;
        this.leads = leads;
        this.signer = signer;
        this.observer = observer;
        this.clockMs = clockMs;
    }

    /**
     * Something was published on {@code partition}: deliver it soon. Never blocks and never throws (it runs on the apply
     * thread); at most one start per partition waits in the executor, however many publishes are applied.
     */
    void signal(int partition) {
        if (!scheduled.add(partition)) {
            return;
        }
        try {
            executor.execute(() -> {
                scheduled.remove(partition);
                start(partition);
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            scheduled.remove(partition);
        }
    }

    /** The timer's share: rounds a lost signal left waiting, settles that are due. */
    void poll() {
        for (int p = 0; p < partitions.partitions(); p++) {
            start(p);
        }
    }

    private void start(int p) {
        if (!running.add(p)) {
            again.add(p);
            return;
        }
        if (!leads.test(p)) {
            lanes.remove(p); // a later leadership starts from the beginning: another leader may have settled meanwhile
            running.remove(p);
            return;
        }
        again.remove(p);
        Lane lane = lanes.computeIfAbsent(p, k -> new Lane());
        rounds(p, lane, 0).whenComplete((n, e) -> {
            running.remove(p);
            if (e != null) {
                LOG.warn("partition-{}: topic fan-out to queues and streams failed; the deliveries wait and are retried: {}", p,
                        TopicRequests.cause(e).toString());
            } else if (again.remove(p)) {
                signal(p);
            }
        });
    }

    private CompletableFuture<Integer> rounds(int p, Lane lane, int done) {
        return round(p, lane).thenCompose(n -> n > 0 && done + 1 < MAX_ROUNDS ? rounds(p, lane, done + 1)
                : settle(p, lane, false).thenApply(s -> n));
    }

    /** One round; completes with the number of deliveries it read. */
    CompletableFuture<Integer> round(int p, Lane lane) {
        QueryResult read = partitions.localRead(p, new TopicQuery.ReadOrderedDeliveries(lane.cursor, Limits.MAX_FANOUT_BATCH, maxRoundBytes));
        List<Deliveries.Ordered> deliveries = TopicRequests.expect(read, TopicQueryResult.OrderedDeliveries.class).deliveries();
        if (deliveries.isEmpty()) {
            return CompletableFuture.completedFuture(0);
        }
        List<QueueTargets.Message> messages = new ArrayList<>();
        List<StreamTargets.Record> records = new ArrayList<>();
        Map<String, String> signatureVersions = new HashMap<>(); // per topic, for this round only: at most one read per topic
        for (Deliveries.Ordered d : deliveries) {
            String protocol = protocol(d);
            String body = d.raw() ? Envelopes.text(d.message(), protocol) : Envelopes.notification(d.message(), protocol, d.subscriptionArn(), signer,
                    signatureVersions.computeIfAbsent(d.message().topic(), t -> Envelopes.signatureVersion(partitions, p, t)), links);
            if (d.target() == Deliveries.Target.STREAM) {
                records.add(new StreamTargets.Record(d.seq(), d.name(), d.message().groupId() != null ? d.message().groupId() : d.message().messageId(),
                        body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            } else {
                messages.add(new QueueTargets.Message(d.seq(), d.name(), Envelopes.queueMessageId(d.message().messageId(), d.subscriptionArn(),
                        d.deadLetter()), body, d.raw() ? d.message().attributes() : new java.util.TreeMap<>(), d.message().publishedMs(),
                        d.message().groupId(), d.message().deduplicationId()));
            }
        }
        CompletableFuture<QueueTargets.Outcome> toQueues = messages.isEmpty() ? none() : queues.deliver(p, messages);
        CompletableFuture<QueueTargets.Outcome> toStreams = records.isEmpty() ? none() : streams.deliver(p, records);
        // Each kind of target counts what it delivered, even if the other failed; the failed one is resent next round.
        return toQueues.handle((q, qe) -> toStreams.handle((st, se) -> {
            handled(lane, deliveries, q, st);
            Throwable failure = qe != null ? qe : se;
            if (failure != null) {
                return settle(p, lane, true).thenCompose(x -> CompletableFuture.<Integer>failedFuture(failure));
            }
            return lane.handled() >= SETTLE_BATCH ? settle(p, lane, true).thenApply(x -> deliveries.size())
                    : CompletableFuture.completedFuture(deliveries.size());
        })).thenCompose(f -> f).thenCompose(f -> f);
    }

    /** Moves the cursor past what the round handled (up to its first unhandled delivery) and counts the outcomes. */
    private void handled(Lane lane, List<Deliveries.Ordered> deliveries, QueueTargets.Outcome q, QueueTargets.Outcome st) {
        Set<Long> delivered = new HashSet<>(), missing = new HashSet<>();
        for (QueueTargets.Outcome o : new QueueTargets.Outcome[]{q, st}) {
            if (o != null) {
                delivered.addAll(o.delivered());
                missing.addAll(o.missing());
            }
        }
        if (!missing.isEmpty()) {
            LOG.warn("topic fan-out: {} deliveries failed: their queue or stream does not exist (they go to their subscription's "
                    + "dead-letter queue, if it has one)", missing.size());
        }
        long now = clockMs.getAsLong();
        boolean allHandled = true;
        for (Deliveries.Ordered d : deliveries) {
            boolean done = delivered.contains(d.seq()) || missing.contains(d.seq());
            if (done) {
                (delivered.contains(d.seq()) ? lane.unsettled : lane.undeliverable).add(d.seq());
                if (delivered.contains(d.seq())) {
                    observer.delivered(d.subscriptionArn(), protocol(d), now - d.message().publishedMs());
                } else {
                    observer.failed(d.subscriptionArn(), protocol(d));
                }
            }
            allHandled &= done;
            if (allHandled) {
                lane.cursor = d.seq();
            }
        }
    }

    /**
     * Settles what is handled, when due (or {@code force}d and there is anything): delivered ones settle, those whose
     * destination is gone are dead-lettered; a failure re-reads from the start.
     */
    private CompletableFuture<Void> settle(int p, Lane lane, boolean force) {
        long now = clockMs.getAsLong();
        if (lane.handled() == 0 || !(force || lane.handled() >= SETTLE_BATCH || now - lane.settledAtMs >= SETTLE_EVERY_MS)) {
            return CompletableFuture.completedFuture(null);
        }
        List<Long> delivered = List.copyOf(lane.unsettled), undeliverable = List.copyOf(lane.undeliverable);
        lane.unsettled.clear();
        lane.undeliverable.clear();
        lane.settledAtMs = now;
        CompletableFuture<Void> settled = delivered.isEmpty() ? CompletableFuture.completedFuture(null)
                : report(p, lane, new TopicCommand.SettleDeliveries(delivered, List.of()));
        return undeliverable.isEmpty() ? settled : settled.thenCompose(x -> report(p, lane, new TopicCommand.DeadLetterDeliveries(undeliverable)));
    }

    private CompletableFuture<Void> report(int p, Lane lane, TopicCommand report) {
        return partitions.submit(p, report).handle((r, e) -> {
            if (e != null || r instanceof io.pontoon.core.partition.PartitionResult.Error) {
                lane.cursor = -1; // they stay in the table; reading from the start finds and resends them (a no-op) and settles again
            }
            return null;
        });
    }

    private static String protocol(Deliveries.Ordered d) {
        return d.target() == Deliveries.Target.QUEUE ? "sqs" : "stream";
    }

    private static CompletableFuture<QueueTargets.Outcome> none() {
        return CompletableFuture.completedFuture(new QueueTargets.Outcome(List.of(), List.of()));
    }
}
