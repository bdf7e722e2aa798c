package io.pontoon.core.apply;

import io.pontoon.core.CoreConfig;
import io.pontoon.core.Limits;
import io.pontoon.core.storage.StoreTxn;

/**
 * Everything one log entry's apply may use: the txn, the entry's index, effective time, and the id
 * allocators. Ids derive from the log only, so every replica computes the same ones.
 */
public final class ApplyContext {
    private final StoreTxn txn;
    private final int partitionId;
    private final long partitionEpoch;
    private final CoreConfig config;
    private final long index;
    private final long nowMs;
    private long nextSeq;
    private int commandPosition;
    private long receivesInEntry;
    private long movedBytesLeft = Limits.MAX_MOVED_BYTES_PER_ENTRY;
    /** FIFO groups changed by the current command; reindexed once when it ends (see FifoGroups). */
    private final java.util.Set<GroupRef> touchedGroups = new java.util.LinkedHashSet<>();

    private record GroupRef(long queueId, String groupId) {
    }

    public ApplyContext(StoreTxn txn, int partitionId, long partitionEpoch, CoreConfig config, long index, long nowMs, long nextSeq) {
        this.txn = txn;
        this.partitionId = partitionId;
        this.partitionEpoch = partitionEpoch;
        this.config = config;
        this.index = index;
        this.nowMs = nowMs;
        this.nextSeq = nextSeq;
    }

    public StoreTxn txn() { return txn; }

    public int partitionId() { return partitionId; }

    /** The effective time of the partition's first applied entry; seeds message ids (see MessageIds). */
    public long partitionEpoch() { return partitionEpoch; }

    public CoreConfig config() { return config; }

    public long nowMs() { return nowMs; }

    public long nextSeq() { return nextSeq; }

    /** Called by the state machine before each command of the entry. */
    public void atCommand(int position) {
        this.commandPosition = position;
    }

    void touchGroup(long queueId, String groupId) {
        touchedGroups.add(new GroupRef(queueId, groupId));
    }

    /** Called by the state machine after each command: brings the index entries of touched groups up to date. */
    public void reindexTouchedGroups() {
        for (GroupRef g : touchedGroups) {
            FifoGroups.reindex(txn, g.queueId(), g.groupId(), nowMs);
        }
        touchedGroups.clear();
    }

    public long allocateSeq() {
        return nextSeq++;
    }

    /**
     * A new queue incarnation id. Derived from the log index (plus the command's position, because one
     * group-committed entry may create or purge several queues), so it is unique within the partition
     * and larger than any earlier incarnation.
     */
    public long newIncarnationId() {
        return index * Limits.IDS_PER_LOG_ENTRY + commandPosition;
    }

    /**
     * Whether this entry may still move a message of {@code payloadBytes} through the outbox (a dead-letter move
     * or a move-task step); if so, the bytes are charged. The first move of an entry always fits, so a message
     * larger than the budget still moves, alone. Deterministic: sizes come from the state.
     */
    boolean chargeMove(long payloadBytes) {
        if (movedBytesLeft < Limits.MAX_MOVED_BYTES_PER_ENTRY && payloadBytes > movedBytesLeft) {
            return false;
        }
        movedBytesLeft -= payloadBytes;
        return true;
    }

    /** A receipt sequence unique per receive of a message: (index, position of the receive within the entry). */
    public long newReceiptSeq() {
        if (receivesInEntry >= Limits.IDS_PER_LOG_ENTRY - 1) {
            throw new IllegalStateException("more receives in one log entry than ids available");
        }
        return index * Limits.IDS_PER_LOG_ENTRY + (++receivesInEntry);
    }
}
