package io.pontoon.raft;

/**
 * A committed and applied command: its log index and the application's reply. The index lets the proposer read
 * the applied state that includes the command on any replica ({@link RaftNode#awaitApplied}).
 */
public record Committed(long index, byte[] reply) {
}
