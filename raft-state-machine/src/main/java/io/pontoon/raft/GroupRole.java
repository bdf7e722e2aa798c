package io.pontoon.raft;

/**
 * This node's role in one Raft group, as exported to metrics.
 *
 * <pre>
 *   STARTING --(state opened)--> FOLLOWER <--> CANDIDATE --> LEADER
 *   LEADER --(higher term seen / step down)--> FOLLOWER
 *   any --(close or fatal apply error)--> CLOSED
 * </pre>
 */
public enum GroupRole {
    STARTING, FOLLOWER, CANDIDATE, LEADER, CLOSED;

    /** A stable numeric code for gauges. */
    public int code() {
        return ordinal();
    }
}
