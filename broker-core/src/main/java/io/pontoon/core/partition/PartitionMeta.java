package io.pontoon.core.partition;

/**
 * The applied position of a partition's state, written in the same atomic batch as the data it describes,
 * so that a restart replays exactly the unapplied suffix of the Raft log.
 *
 * @param appliedIndex     last applied Raft log index (0 = nothing applied)
 * @param appliedTerm      term of that entry
 * @param effectiveNowMs   max of every applied leader timestamp: time in the state machine never runs back
 * @param nextSeq          next message sequence number to hand out in this partition
 */
public record PartitionMeta(long appliedIndex, long appliedTerm, long effectiveNowMs, long nextSeq) {
    public static final PartitionMeta EMPTY = new PartitionMeta(0, 0, 0, 1);
}
