package io.pontoon.raft;

/** A snapshot of this node's view of one group, for routing and metrics. */
public record GroupStatus(ReplicaGroupId group, GroupRole role, String leaderNodeId, long term, long commitIndex, long appliedIndex) {
}
