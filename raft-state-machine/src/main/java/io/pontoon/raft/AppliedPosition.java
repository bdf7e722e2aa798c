package io.pontoon.raft;

/** A position in a group's Raft log: the last entry whose effects the state holds. */
public record AppliedPosition(long term, long index) {
    public static final AppliedPosition NONE = new AppliedPosition(0, 0);
}
