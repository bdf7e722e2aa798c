package io.pontoon.server.queue;

import io.pontoon.core.queue.QueueQueryResult;
import io.pontoon.core.queue.QueueUrls;
import io.pontoon.core.queue.QueueQuery;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.raft.GroupRole;
import io.pontoon.raft.RaftNode;
import io.pontoon.raft.ReplicaGroupId;
import io.pontoon.server.partition.PartitionAccess;
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
        Map<String, QueueQueryResult.Stats> seen = new HashMap<>();
        for (int p = 0; p < partitions.partitions(); p++) {
            if (raft.status(ReplicaGroupId.partition(p)).role() == GroupRole.LEADER) {
                pollPartition(p, seen);
                if (partitions.localRead(p, new QueueQuery.OutboxStats()) instanceof QueueQueryResult.OutboxSize size) {
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
    private void pollPartition(int partition, Map<String, QueueQueryResult.Stats> seen) {
        QueryResult r = partitions.localRead(partition, new QueueQuery.ListQueues("", null, PAGE));
        if (!(r instanceof QueueQueryResult.QueueList list)) {
            return;
        }
        for (String url : list.queueUrls()) {
            String name = QueueUrls.parse(url);
            if (partitions.localRead(partition, new QueueQuery.QueueStats(name)) instanceof QueueQueryResult.Stats stats) {
                seen.merge(name, stats, (a, b) -> new QueueQueryResult.Stats(a.visible() + b.visible(), a.inFlight() + b.inFlight(),
                        a.delayed() + b.delayed(), Math.max(a.oldestMessageAgeMs(), b.oldestMessageAgeMs()),
                        a.receivableNow() || b.receivableNow()));
            }
        }
    }
}
