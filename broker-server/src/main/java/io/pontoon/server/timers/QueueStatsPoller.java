package io.pontoon.server.timers;

import io.pontoon.core.QueueUrls;
import io.pontoon.core.command.PartitionQuery;
import io.pontoon.core.command.QueryResult;
import io.pontoon.raft.GroupRole;
import io.pontoon.raft.RaftNode;
import io.pontoon.raft.ReplicaGroupId;
import io.pontoon.server.gateway.PartitionAccess;
import io.pontoon.server.metrics.BrokerMetrics;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Refreshes per-queue depth gauges, and each partition's outbox size, from the partitions this node leads, every
 * {@code intervalMs}, with local reads only (no log writes). Queues that disappeared stop being reported.
 */
public final class QueueStatsPoller {
    private static final int PAGE = 1_000;

    private final PartitionAccess partitions;
    private final BrokerMetrics metrics;
    private final RaftNode raft;
    private final long intervalMs;
    private long nextPollAtMs;

    public QueueStatsPoller(PartitionAccess partitions, BrokerMetrics metrics, RaftNode raft, long intervalMs) {
        this.partitions = partitions;
        this.metrics = metrics;
        this.raft = raft;
        this.intervalMs = intervalMs;
    }

    public void poll(long nowMs) {
        if (nowMs < nextPollAtMs) {
            return;
        }
        nextPollAtMs = nowMs + intervalMs;
        Map<String, QueryResult.Stats> seen = new HashMap<>();
        for (int p = 0; p < partitions.partitions(); p++) {
            if (raft.status(ReplicaGroupId.partition(p)).role() == GroupRole.LEADER) {
                pollPartition(p, seen);
                if (partitions.localRead(p, new PartitionQuery.OutboxStats()) instanceof QueryResult.OutboxSize size) {
                    metrics.outboxSize(p, size);
                }
            }
        }
        seen.forEach(metrics::queueStats);
        for (String q : Set.copyOf(metrics.trackedQueues())) {
            if (!seen.containsKey(q)) {
                metrics.forgetQueue(q);
            }
        }
    }

    /** A queue spanning several partitions (high-throughput FIFO) is the sum of the shards this node leads. */
    private void pollPartition(int partition, Map<String, QueryResult.Stats> seen) {
        QueryResult r = partitions.localRead(partition, new PartitionQuery.ListQueues("", null, PAGE));
        if (!(r instanceof QueryResult.QueueList list)) {
            return;
        }
        for (String url : list.queueUrls()) {
            String name = QueueUrls.parse(url);
            if (partitions.localRead(partition, new PartitionQuery.QueueStats(name)) instanceof QueryResult.Stats stats) {
                seen.merge(name, stats, (a, b) -> new QueryResult.Stats(a.visible() + b.visible(), a.inFlight() + b.inFlight(),
                        a.delayed() + b.delayed(), Math.max(a.oldestMessageAgeMs(), b.oldestMessageAgeMs()),
                        a.receivableNow() || b.receivableNow()));
            }
        }
    }
}
