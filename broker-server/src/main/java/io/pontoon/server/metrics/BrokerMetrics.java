package io.pontoon.server.metrics;

import io.pontoon.core.queue.QueueCommand;
import io.pontoon.core.queue.QueueResult;
import io.pontoon.core.queue.QueueQueryResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.raft.RaftNode;
import io.pontoon.raft.ReplicaGroupId;
import io.pontoon.server.grpc.RequestMetrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The node's meters, scraped in Prometheus format. Per-queue meters are capped at
 * {@code maxTrackedQueues} queues per node (cardinality is a limit too); the rest only count in totals.
 */
public final class BrokerMetrics implements RequestMetrics, io.pontoon.server.queue.OutboxForwarder.Observer {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final TopicMetrics topics = new TopicMetrics(registry);
    private final StageMetrics stages = new StageMetrics(registry);
    private final int maxTrackedQueues;
    private final Map<String, QueueGauges> queues = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    /** The latest polled statistics of one queue, read by its gauges. */
    private static final class QueueGauges {
        volatile QueueQueryResult.Stats stats = new QueueQueryResult.Stats(0, 0, 0, 0, false);
        List<Meter> meters;
        Counter sent;
        Counter received;
        Counter deleted;
        final Map<String, Timer> latency = new ConcurrentHashMap<>();
        final List<Meter> extraMeters = new java.util.concurrent.CopyOnWriteArrayList<>();
    }

    public BrokerMetrics(int maxTrackedQueues) {
        this.maxTrackedQueues = maxTrackedQueues;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    /** Role, commit index and applied index of every group hosted by {@code node}. */
    public void bindGroups(RaftNode node, List<ReplicaGroupId> groups) {
        for (ReplicaGroupId g : groups) {
            String tag = g.toString();
            Gauge.builder("pontoon.group.role", () -> node.status(g).role().code()).tag("group", tag)
                    .description("0=STARTING 1=FOLLOWER 2=CANDIDATE 3=LEADER 4=CLOSED").register(registry);
            Gauge.builder("pontoon.group.commit.index", () -> node.status(g).commitIndex()).tag("group", tag).register(registry);
            Gauge.builder("pontoon.group.applied.index", () -> node.status(g).appliedIndex()).tag("group", tag).register(registry);
            Gauge.builder("pontoon.group.term", () -> node.status(g).term()).tag("group", tag).register(registry);
            Gauge.builder("pontoon.group.retry.cache.entries", () -> node.retryCacheEntries(g)).tag("group", tag)
                    .description("replies Ratis keeps for retried requests").register(registry);
        }
    }

    /** The commit stages of {@code partition}'s writes sent from this node (see {@link StageMetrics}). */
    public io.pontoon.server.partition.CommitObserver commitObserver(int partition) {
        return stages.observer(partition);
    }

    /** One entry of {@code partition} took {@code nanos} to apply on this replica. */
    public void applyTime(int partition, long nanos) {
        stages.applied(partition, nanos);
    }

    /** How full the node's request and response budgets are (bytes held, waiting responses). */
    public void bindBudgets(io.pontoon.server.partition.ByteBudget requests, io.pontoon.server.partition.ByteBudget responses) {
        Gauge.builder("pontoon.buffer.used.bytes", requests::usedBytes).tag("buffer", "request").register(registry);
        Gauge.builder("pontoon.buffer.capacity.bytes", requests::capacityBytes).tag("buffer", "request").register(registry);
        Gauge.builder("pontoon.buffer.used.bytes", responses::usedBytes).tag("buffer", "response").register(registry);
        Gauge.builder("pontoon.buffer.capacity.bytes", responses::capacityBytes).tag("buffer", "response").register(registry);
        Gauge.builder("pontoon.buffer.waiting", responses::waiting).tag("buffer", "response")
                .description("receives waiting for room to read their messages").register(registry);
    }

    @Override
    public void forwarded(int partition, int entries) {
        outboxCounter("pontoon.outbox.forwarded", partition).increment(entries);
    }

    @Override
    public void forwardFailed(int partition) {
        outboxCounter("pontoon.outbox.forward.failures", partition).increment();
    }

    private Counter outboxCounter(String name, int partition) {
        return Counter.builder(name).tag("group", "partition-" + partition).register(registry);
    }

    /** Entries and bytes waiting in a partition's outbox, as its leader last saw them. */
    public void outboxSize(int partition, QueueQueryResult.OutboxSize size) {
        outboxGauges.computeIfAbsent(partition, p -> {
            java.util.concurrent.atomic.AtomicReference<QueueQueryResult.OutboxSize> ref = new java.util.concurrent.atomic.AtomicReference<>(size);
            Gauge.builder("pontoon.outbox.entries", ref, r -> r.get().entries()).tag("group", "partition-" + p).register(registry);
            Gauge.builder("pontoon.outbox.bytes", ref, r -> r.get().bytes()).tag("group", "partition-" + p).register(registry);
            return ref;
        }).set(size);
    }

    private final Map<Integer, java.util.concurrent.atomic.AtomicReference<QueueQueryResult.OutboxSize>> outboxGauges = new ConcurrentHashMap<>();

    /** Long polls parked on this node. */
    public void bindLongPolls(java.util.function.IntSupplier parked) {
        Gauge.builder("pontoon.long.polls.parked", parked::getAsInt).register(registry);
    }

    @Override
    public void record(String action, String queue, long latencyNs, boolean ok) {
        timers.computeIfAbsent(action + (ok ? "|ok" : "|error"), k -> Timer.builder("pontoon.requests")
                        .tag("action", action).tag("outcome", ok ? "ok" : "error")
                        .publishPercentiles(0.5, 0.99).register(registry))
                .record(latencyNs, TimeUnit.NANOSECONDS);
        // Only successful calls create per-queue meters: calls to unknown queues must not use up the cap.
        QueueGauges g = queue == null || !ok ? null : gauges(queue);
        if (g != null) {
            g.latency.computeIfAbsent(action, a -> {
                Timer t = Timer.builder("pontoon.queue.request").tag("queue", queue).tag("action", a)
                        .publishPercentiles(0.5, 0.99).register(registry);
                g.extraMeters.add(t);
                return t;
            }).record(latencyNs, TimeUnit.NANOSECONDS);
        }
    }

    /** Counts applied sends, receives and deletes per queue (on this replica). Called on apply threads. */
    public void applied(List<PartitionCommand> commands, List<PartitionResult> results) {
        for (int i = 0; i < commands.size() && i < results.size(); i++) {
            PartitionCommand c = commands.get(i);
            PartitionResult r = results.get(i);
            if (c instanceof QueueCommand.SendMessages s && r instanceof QueueResult.Sent sent) {
                count(s.queueName(), g -> g.sent, sent.successful().size());
            } else if (c instanceof QueueCommand.ReceiveMessages rm && r instanceof QueueResult.Received rec) {
                count(rm.queueName(), g -> g.received, rec.messages().size());
            } else if (c instanceof QueueCommand.DeleteMessages d && r instanceof QueueResult.BatchOutcome o) {
                count(d.queueName(), g -> g.deleted, o.successfulIds().size());
            }
        }
    }

    /** Latest depth statistics of a queue, from the stats poller. */
    public void queueStats(String queue, QueueQueryResult.Stats stats) {
        QueueGauges g = gauges(queue);
        if (g != null) {
            g.stats = stats;
        }
    }

    /** Stops reporting a queue that no longer exists. */
    public void forgetQueue(String queue) {
        QueueGauges g = queues.remove(queue);
        if (g != null) {
            g.meters.forEach(registry::remove);
            g.extraMeters.forEach(registry::remove);
        }
    }

    public java.util.Set<String> trackedQueues() {
        return queues.keySet();
    }

    private void count(String queue, java.util.function.Function<QueueGauges, Counter> which, int n) {
        QueueGauges g = gauges(queue);
        if (g != null && n > 0) {
            which.apply(g).increment(n);
        }
    }

    private QueueGauges gauges(String queue) {
        QueueGauges existing = queues.get(queue);
        if (existing != null || queues.size() >= maxTrackedQueues) {
            return existing;
        }
        return queues.computeIfAbsent(queue, q -> {
            QueueGauges g = new QueueGauges();
            g.sent = Counter.builder("pontoon.queue.messages.sent").tag("queue", q).register(registry);
            g.received = Counter.builder("pontoon.queue.messages.received").tag("queue", q).register(registry);
            g.deleted = Counter.builder("pontoon.queue.messages.deleted").tag("queue", q).register(registry);
            g.meters = List.of(g.sent, g.received, g.deleted,
                    Gauge.builder("pontoon.queue.messages.visible", g, x -> x.stats.visible()).tag("queue", q).register(registry),
                    Gauge.builder("pontoon.queue.messages.in.flight", g, x -> x.stats.inFlight()).tag("queue", q).register(registry),
                    Gauge.builder("pontoon.queue.messages.delayed", g, x -> x.stats.delayed()).tag("queue", q).register(registry),
                    Gauge.builder("pontoon.queue.oldest.message.age.seconds", g, x -> x.stats.oldestMessageAgeMs() / 1000.0)
                            .tag("queue", q).register(registry));
            return g;
        });
    }

    /** Per-subscription delivery counters and latency of the topic fan-out. */
    public io.pontoon.server.topic.DeliveryObserver deliveries() {
        return topics;
    }

    public String scrape() {
        return registry.scrape();
    }

}
