package io.pontoon.raft;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Gives each group back to its preferred leader (the peer of highest priority), as Kafka's automatic preferred
 * leader election does, so that leaders stay spread over the nodes after a failover or a slow start. Ratis yields
 * to a higher-priority follower by itself only when its leader sees no event for a whole election timeout, which
 * a partition with a tick every second never does; so a leader that is not the preferred one and has led for
 * {@code stableMs} asks Ratis to hand over, at most once per {@code retryMs} per group, and only to a preferred
 * peer that answers and is caught up ({@link RaftNode#caughtUp}): Ratis holds client requests while a transfer is
 * pending, so a transfer to a peer that is down or far behind would stall the group until it timed out.
 */
public final class PreferredLeaders {
    private static final Logger LOG = LoggerFactory.getLogger(PreferredLeaders.class);
    /** How far behind the leader's commit index a preferred peer may be and still be handed a group. */
    static final long MAX_LAG_ENTRIES = 100;

    private final RaftNode node;
    private final long stableMs;
    private final long retryMs;
    private final long handOverTimeoutMs;
    private final long freshMs;
    private final Executor executor;
    private final Map<ReplicaGroupId, Long> leadingSinceMs = new ConcurrentHashMap<>();
    private final Map<ReplicaGroupId, Long> nextTryMs = new ConcurrentHashMap<>();
    private final Map<ReplicaGroupId, Boolean> inFlight = new ConcurrentHashMap<>();

    /**
     * @param stableMs          how long this node must have led a group before it hands it over
     * @param retryMs           the least time between two hand-overs of one group
     * @param handOverTimeoutMs how long one hand-over may take
     * @param freshMs           the preferred peer must have answered the leader this recently
     * @param executor          runs the hand-overs (blocking Raft admin calls)
     */
    public PreferredLeaders(RaftNode node, long stableMs, long retryMs, long handOverTimeoutMs, long freshMs, Executor executor) {
        this.node = node;
        this.stableMs = stableMs;
        this.retryMs = retryMs;
        this.handOverTimeoutMs = handOverTimeoutMs;
        this.freshMs = freshMs;
        this.executor = executor;
    }

    /** Starts the hand-overs that are due at {@code nowMs}; returns how many. */
    public int poll(long nowMs) {
        int started = 0;
        for (ReplicaGroupId g : node.groups()) {
            String preferred = node.preferredLeader(g).orElse(null);
            if (node.status(g).role() != GroupRole.LEADER || preferred == null || preferred.equals(node.nodeId())) {
                leadingSinceMs.remove(g);
                continue;
            }
            long since = leadingSinceMs.computeIfAbsent(g, k -> nowMs);
            if (nowMs - since < stableMs || nowMs < nextTryMs.getOrDefault(g, Long.MIN_VALUE)
                    || !node.caughtUp(g, preferred, freshMs, MAX_LAG_ENTRIES) || inFlight.putIfAbsent(g, true) != null) {
                continue;
            }
            nextTryMs.put(g, nowMs + retryMs);
            try {
                executor.execute(() -> handOver(g, preferred));
                started++;
            } catch (java.util.concurrent.RejectedExecutionException e) {
                inFlight.remove(g); // the executor is busy or closing: try again after retryMs
            }
        }
        return started;
    }

    private void handOver(ReplicaGroupId g, String preferred) {
        try {
            node.handOverLeadership(g, preferred, handOverTimeoutMs);
            LOG.info("{}: handed leadership back to its preferred leader {}", g, preferred);
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: leadership stays here for now ({})", g, e.getMessage());
        } finally {
            inFlight.remove(g);
        }
    }
}
