package io.pontoon.raft;

/**
 * A snapshot of this node's view of one group, for routing and metrics.
 *
 * @param logStartIndex first index still in this node's log: above 0 once the log was purged after a
 *                      checkpoint, or when the node was seeded by a snapshot install
 */
public record GroupStatus(ReplicaGroupId group, GroupRole role, String leaderNodeId, long term, long commitIndex,
                          long appliedIndex, long logStartIndex) {
}
