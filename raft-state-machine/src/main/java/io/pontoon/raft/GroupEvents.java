package io.pontoon.raft;

/** What a node wants to hear from its groups. Called from Ratis threads: implementations must not block. */
public interface GroupEvents {

    /** This node became ready to lead {@code group} (its leader entry is committed), or stopped leading it. */
    void leadershipChanged(ReplicaGroupId group, boolean leader);

    /**
     * Apply of {@code group} failed with an exception: the state may no longer match the log, so the node
     * must stop serving (DESIGN: an exception in apply halts the node rather than diverging).
     */
    void fatal(ReplicaGroupId group, Throwable cause);

    GroupEvents NONE = new GroupEvents() {
        @Override
        public void leadershipChanged(ReplicaGroupId group, boolean leader) {
        }

        @Override
        public void fatal(ReplicaGroupId group, Throwable cause) {
        }
    };
}
