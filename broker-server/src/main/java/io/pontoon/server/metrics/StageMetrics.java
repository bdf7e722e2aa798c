package io.pontoon.server.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pontoon.server.partition.CommitObserver;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Where a write's time goes, per partition, so that an operator (and a benchmark) can see which stage a slow
 * request waited in: queued for the next log entry ({@code pontoon_commit_queue_wait_seconds}), replicated and
 * applied ({@code pontoon_commit_replicate_seconds}, of which {@code pontoon_apply_seconds} is the state
 * machine's own time), and how full the entries are ({@code pontoon_commit_entry_commands},
 * {@code pontoon_commit_entry_bytes}). The response's share is the request latency
 * ({@code pontoon_requests_seconds}) minus these.
 */
final class StageMetrics {
    private final MeterRegistry registry;
    private final Map<Integer, Partition> partitions = new ConcurrentHashMap<>();

    StageMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    CommitObserver observer(int partition) {
        return partition(partition);
    }

    void applied(int partition, long nanos) {
        partition(partition).apply.record(nanos, TimeUnit.NANOSECONDS);
    }

    private Partition partition(int p) {
        return partitions.computeIfAbsent(p, k -> new Partition(registry, "partition-" + k));
    }

    /** The meters of one partition group. */
    private static final class Partition implements CommitObserver {
        final Timer queueWait;
        final Timer replicate;
        final Timer apply;
        final DistributionSummary commands;
        final DistributionSummary bytes;

        Partition(MeterRegistry registry, String group) {
            queueWait = timer(registry, "pontoon.commit.queue.wait", group, "time a command waited for its log entry to be sent");
            replicate = timer(registry, "pontoon.commit.replicate", group, "time from handing an entry to Raft to its applied reply on the leader");
            apply = timer(registry, "pontoon.apply", group, "time the state machine took to apply one entry on this replica");
            commands = DistributionSummary.builder("pontoon.commit.entry.commands").tag("group", group)
                    .description("commands per log entry").publishPercentiles(0.5, 0.99).register(registry);
            bytes = DistributionSummary.builder("pontoon.commit.entry.bytes").tag("group", group).baseUnit("bytes")
                    .description("command bytes per log entry").publishPercentiles(0.5, 0.99).register(registry);
        }

        private static Timer timer(MeterRegistry registry, String name, String group, String description) {
            return Timer.builder(name).tag("group", group).description(description).publishPercentiles(0.5, 0.99).register(registry);
        }

        @Override
        public void waited(long nanos) {
            queueWait.record(nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void replicated(int commandCount, long entryBytes, long nanos) {
            replicate.record(nanos, TimeUnit.NANOSECONDS);
            commands.record(commandCount);
            bytes.record(entryBytes);
        }
    }
}
