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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.IntPredicate;

/**
 * Delivers a topic partition's queue deliveries on the node that leads it: read the oldest from applied state,
 * put them into their queues through {@link QueueTargets} (exactly once: the destination skips what it already
 * holds from this partition's lane), then settle them. A crash or failover in between only causes a resend. One
 * round per partition runs at a time; a publish applied meanwhile asks for another. Rounds chain while deliveries
 * are waiting, up to {@link #MAX_ROUNDS} per start, and read at most {@code maxRoundBytes} each. Envelopes are signed
 * with this node's key, by their topic's SignatureVersion: read once per topic per round, from the local replica.
 */
final class QueueFanout {
    private static final Logger LOG = LoggerFactory.getLogger(QueueFanout.class);
    static final int MAX_ROUNDS = 16;
    private final PartitionAccess partitions;
    private final QueueTargets queues;
    private final StreamTargets streams;
    private final DeliveryObserver observer;
    private final long maxRoundBytes;
    private final Executor executor;
    private final IntPredicate leads;
    private final EnvelopeSigner signer;
    private final Set<Integer> running = ConcurrentHashMap.newKeySet();
    private final Set<Integer> again = ConcurrentHashMap.newKeySet();
    private final Set<Integer> scheduled = ConcurrentHashMap.newKeySet();

    QueueFanout(PartitionAccess partitions, QueueTargets queues, StreamTargets streams, long maxRoundBytes, Executor executor, IntPredicate leads,
                EnvelopeSigner signer, DeliveryObserver observer) {
        this.observer = observer;
        this.partitions = partitions;
        this.signer = signer;
        this.queues = queues;
        this.streams = streams;
        this.maxRoundBytes = maxRoundBytes;
        this.executor = executor;
        this.leads = leads;
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

    void poll() {
        for (int p = 0; p < partitions.partitions(); p++) {
            start(p);
        }
    }

    private void start(int p) {
        if (!leads.test(p)) {
            return;
        }
        if (!running.add(p)) {
            again.add(p);
            return;
        }
        again.remove(p);
        rounds(p, 0).whenComplete((n, e) -> {
            running.remove(p);
            if (e != null) {
                LOG.warn("partition-{}: topic fan-out to queues failed; the deliveries wait and are retried: {}", p, TopicRequests.cause(e).toString());
            } else if (again.remove(p)) {
                signal(p);
            }
        });
    }

    private CompletableFuture<Integer> rounds(int p, int done) {
        return round(p).thenCompose(n -> n > 0 && done + 1 < MAX_ROUNDS ? rounds(p, done + 1) : CompletableFuture.completedFuture(n));
    }

    CompletableFuture<Integer> round(int p) {
        QueryResult read = partitions.localRead(p, new TopicQuery.ReadOrderedDeliveries(Limits.MAX_FANOUT_BATCH, maxRoundBytes));
        List<Deliveries.Ordered> deliveries = TopicRequests.expect(read, TopicQueryResult.OrderedDeliveries.class).deliveries();
        if (deliveries.isEmpty()) {
            return CompletableFuture.completedFuture(0);
        }
        List<QueueTargets.Message> messages = new ArrayList<>();
        List<StreamTargets.Record> records = new ArrayList<>();
        Map<String, String> signatureVersions = new HashMap<>(); // per topic, for this round only: at most one read per topic
        for (Deliveries.Ordered d : deliveries) {
            String protocol = d.target() == Deliveries.Target.QUEUE ? "sqs" : "stream";
            String body = d.raw() ? Envelopes.text(d.message(), protocol) : Envelopes.notification(d.message(), protocol, d.subscriptionArn(), signer,
                    signatureVersions.computeIfAbsent(d.message().topic(), t -> Envelopes.signatureVersion(partitions, p, t)));
            if (d.target() == Deliveries.Target.STREAM) {
                records.add(new StreamTargets.Record(d.seq(), d.name(), d.message().groupId() != null ? d.message().groupId() : d.message().messageId(),
                        body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                continue;
            }
            messages.add(new QueueTargets.Message(d.seq(), d.name(), Envelopes.queueMessageId(d.message().messageId(), d.subscriptionArn(), d.deadLetter()),
                    body, d.raw() ? d.message().attributes() : new java.util.TreeMap<>(), d.message().publishedMs(), d.message().groupId(),
                    d.message().deduplicationId()));
        }
        CompletableFuture<QueueTargets.Outcome> toQueues = messages.isEmpty() ? none() : queues.deliver(p, messages);
        CompletableFuture<QueueTargets.Outcome> toStreams = records.isEmpty() ? none() : streams.deliver(p, records);
        // Each kind of target settles what it delivered, even if the other failed; the failed one is resent next round.
        return toQueues.handle((q, qe) -> toStreams.handle((st, se) -> {
            List<Long> settled = new ArrayList<>();
            for (QueueTargets.Outcome o : new QueueTargets.Outcome[]{q, st}) {
                if (o != null) {
                    if (!o.missing().isEmpty()) {
                        LOG.warn("partition-{}: {} topic deliveries dropped: their queue or stream does not exist", p, o.missing().size());
                    }
                    settled.addAll(o.delivered());
                    settled.addAll(o.missing());
                }
            }
            Throwable failure = qe != null ? qe : se;
            CompletableFuture<Integer> settle = settled.isEmpty() ? CompletableFuture.completedFuture(0)
                    : partitions.submit(p, new TopicCommand.SettleDeliveries(settled, List.of())).thenApply(r -> {
                        observe(deliveries, q, st);
                        return settled.size();
                    });
            return failure == null ? settle : settle.thenCompose(n -> CompletableFuture.<Integer>failedFuture(failure));
        })).thenCompose(f -> f).thenCompose(f -> f);
    }

    /** Counts the settled round's deliveries per subscription: delivered, or failed (no such destination). */
    private void observe(List<Deliveries.Ordered> deliveries, QueueTargets.Outcome q, QueueTargets.Outcome st) {
        java.util.Set<Long> delivered = new java.util.HashSet<>(), missing = new java.util.HashSet<>();
        for (QueueTargets.Outcome o : new QueueTargets.Outcome[]{q, st}) {
            if (o != null) {
                delivered.addAll(o.delivered());
                missing.addAll(o.missing());
            }
        }
        long now = System.currentTimeMillis();
        for (Deliveries.Ordered d : deliveries) {
            String protocol = d.target() == Deliveries.Target.QUEUE ? "sqs" : "stream";
            if (delivered.contains(d.seq())) {
                observer.delivered(d.subscriptionArn(), protocol, now - d.message().publishedMs());
            } else if (missing.contains(d.seq())) {
                observer.failed(d.subscriptionArn(), protocol);
            }
        }
    }

    private static CompletableFuture<QueueTargets.Outcome> none() {
        return CompletableFuture.completedFuture(new QueueTargets.Outcome(List.of(), List.of()));
    }
}
