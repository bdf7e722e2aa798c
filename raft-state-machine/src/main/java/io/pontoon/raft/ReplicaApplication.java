package io.pontoon.raft;

import java.nio.file.Path;

/**
 * The replicated application behind one Raft group: what the Ratis adapter drives. broker-server implements
 * it for partitions and for the controller by combining the pure core with a storage adapter, so this
 * module never sees queues and the core never sees Ratis.
 *
 * <p>Threading: {@link #apply}, {@link #flush}, {@link #checkpoint}, {@link #restore} and {@link #close}
 * are called from the group's single apply thread; {@link #query} may run concurrently with them.
 */
public interface ReplicaApplication {

    /** Opens the live state (creating it if absent) and returns its durable applied position. */
    AppliedPosition open();

    /**
     * Applies one committed log entry and persists its effects together with the new applied position, in
     * one atomic write. Must be deterministic. Entries at or below the applied position are ignored, so a
     * restart may safely re-read log entries the state already holds.
     *
     * @param replyWanted true on the leader that a client of this entry waits on; elsewhere nobody reads the reply,
     *                    so the application should not build it (Ratis keeps replies in its retry cache)
     * @return the reply for the client that proposed the entry, or an empty array when no reply is wanted
     */
    byte[] apply(byte[] command, long index, long term, long leaderTimeMs, boolean replyWanted);

    /** Answers a read-only request from the applied state. {@code nowMs} is the serving node's clock. */
    byte[] query(byte[] request, long nowMs);

    /**
     * Hashes the applied state and returns the index it covers, both from one consistent view (may run
     * concurrently with apply). Replicas at the same index must agree.
     */
    StateDigest digest();

    /** Makes every applied entry durable and returns the position that is now durable. */
    AppliedPosition flush();

    /** Writes a durable, consistent copy of the state at {@link #flush()}'s position into the new directory {@code target}. */
    void checkpoint(Path target);

    /** Replaces the live state with the checkpoint in {@code checkpointDir} and reopens it; returns its position. */
    AppliedPosition restore(Path checkpointDir);

    /** Releases the live state. {@link #open()} or {@link #restore} may follow. */
    void close();
}
