package io.pontoon.core.queue;

import io.pontoon.core.CoreConfig;
import io.pontoon.core.Limits;
import io.pontoon.core.partition.EntryContext;
import io.pontoon.core.partition.StoreTxn;

/**
 * The queue model's view of one log entry being applied: the partition's {@link EntryContext} (txn, index, time, id
 * allocators) plus what the queue model keeps per entry: FIFO groups to reindex after each command, and the bytes
 * the entry may still move through the outbox.
 */
public final class QueueContext {
    private final EntryContext entry;
    private final CoreConfig config;
    private long movedBytesLeft = Limits.MAX_MOVED_BYTES_PER_ENTRY;
    /** FIFO groups changed by the current command; reindexed once when it ends (see FifoGroups). */
    private final java.util.Set<GroupRef> touchedGroups = new java.util.LinkedHashSet<>();

    private record GroupRef(long queueId, String groupId) {
    }

    public QueueContext(EntryContext entry, CoreConfig config) {
        this.entry = entry;
        this.config = config;
    }

    public StoreTxn txn() { return entry.txn(); }

    public int partitionId() { return entry.partitionId(); }

    /** The effective time of the partition's first applied entry; seeds message ids (see MessageIds). */
    public long partitionEpoch() { return entry.partitionEpoch(); }

    public CoreConfig config() { return config; }

    public long nowMs() { return entry.nowMs(); }

    /** The partition's next sequence number (not allocated). */
    public long nextSeq() { return entry.nextSeq(); }

    public long allocateSeq() {
        return entry.allocateSeq();
    }

    void touchGroup(long queueId, String groupId) {
        touchedGroups.add(new GroupRef(queueId, groupId));
    }

    /** Called after each command: brings the index entries of touched groups up to date. */
    void reindexTouchedGroups() {
        for (GroupRef g : touchedGroups) {
            FifoGroups.reindex(entry.txn(), g.queueId(), g.groupId(), entry.nowMs());
        }
        touchedGroups.clear();
    }

    /**
     * A new queue incarnation id, unique within the partition and larger than any earlier incarnation (derived from the
     * log index and the command's position: one group-committed entry may create or purge several queues).
     */
    public long newIncarnationId() {
        return entry.commandId();
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

    /** A receipt sequence unique per receive of a message within the partition. */
    public long newReceiptSeq() {
        return entry.newEntryId();
    }
}
