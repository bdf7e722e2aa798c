package io.pontoon.core.partition;

import io.pontoon.core.Limits;

/**
 * What every model's apply may use while one log entry is applied: the txn, the entry's index, its effective time,
 * and the id allocators. Ids derive from the log only, so every replica computes the same ones.
 */
public final class EntryContext {
    private final StoreTxn txn;
    private final int partitionId;
    private final long partitionEpoch;
    private final long index;
    private final long nowMs;
    private long nextSeq;
    private int commandPosition;
    private long entryIds;

    public EntryContext(StoreTxn txn, int partitionId, long partitionEpoch, long index, long nowMs, long nextSeq) {
        this.txn = txn;
        this.partitionId = partitionId;
        this.partitionEpoch = partitionEpoch;
        this.index = index;
        this.nowMs = nowMs;
        this.nextSeq = nextSeq;
    }

    public StoreTxn txn() { return txn; }

    public int partitionId() { return partitionId; }

    /** The effective time of the partition's first applied entry; seeds ids that must differ across partitions. */
    public long partitionEpoch() { return partitionEpoch; }

    public long index() { return index; }

    /** Leader time, never running backwards: {@code max(leader time, last effective time)}. */
    public long nowMs() { return nowMs; }

    public long nextSeq() { return nextSeq; }

    /** Makes the next sequence at least {@code seq} (never lower: sequences keep growing). */
    public void advanceSeqTo(long seq) {
        nextSeq = Math.max(nextSeq, seq);
    }

    /** The partition's next sequence number: strictly increasing over the partition's whole life. */
    public long allocateSeq() {
        return nextSeq++;
    }

    /** Called by the state machine before each command of the entry. */
    void atCommand(int position) {
        this.commandPosition = position;
    }

    /**
     * An id unique to the current command within the partition, larger than any id of an earlier entry: derived from
     * the log index and the command's position (one group-committed entry may hold up to 1,000 commands).
     */
    public long commandId() {
        return index * Limits.IDS_PER_LOG_ENTRY + commandPosition;
    }

    /** An id unique within the partition, one per call (at most {@code IDS_PER_LOG_ENTRY - 1} per entry). */
    public long newEntryId() {
        if (entryIds >= Limits.IDS_PER_LOG_ENTRY - 1) {
            throw new IllegalStateException("more ids in one log entry than available");
        }
        return index * Limits.IDS_PER_LOG_ENTRY + (++entryIds);
    }
}
