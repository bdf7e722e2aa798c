package io.pontoon.server.partition;

/**
 * Where a command's time goes on its way into the log, as a {@link GroupCommitter} sees it; the metrics implement
 * it per group. Called on the committer's callers' and Ratis's threads: implementations must not block.
 */
public interface CommitObserver {
    CommitObserver NONE = new CommitObserver() {
        @Override
        public void waited(long nanos) {
        }

        @Override
        public void replicated(int commands, long bytes, long nanos) {
        }
    };

    /** A command waited {@code nanos} in the queue before the entry that carries it was sent. */
    void waited(long nanos);

    /**
     * An entry of {@code commands} commands and {@code bytes} bytes took {@code nanos} from being handed to Raft to
     * its reply: the leader's log append and fsync, a follower's acknowledgement, and the apply on the leader.
     */
    void replicated(int commands, long bytes, long nanos);
}
