package io.pontoon.core.queue;

import io.pontoon.core.Limits;
import io.pontoon.core.codec.BinaryReader;
import io.pontoon.core.codec.BinaryWriter;
import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.partition.AuxEntry;
import io.pontoon.core.queue.AuxKeys;
import io.pontoon.core.partition.AuxTable;
import io.pontoon.core.partition.StoreTxn;
import io.pontoon.core.partition.StoreView;
import io.pontoon.core.queue.VisibilityEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * FIFO message groups. A FIFO queue's visibility index holds one entry per non-empty group, not per message:
 * (the time the group becomes receivable, its head seq), in one of two spaces of the index:
 * <ul>
 *   <li>the queue's own space ({@code queueId}): groups whose head was received before or is in flight, at the time
 *       its lease ends;</li>
 *   <li>the waiting space ({@link #waitingSpace}): groups whose head was never received, at its send time. The queue's
 *       DelaySeconds applies on top when a receive or a query looks, so changing it delays the messages already
 *       in the queue too (AWS: FIFO delays are retroactive), and a receive reads this space up to now minus the
 *       delay: delayed groups are never read, so they never hide due ones.</li>
 * </ul> A group is receivable when its head is due and none
 * of its messages is in flight, so a receive that walks the index in time order meets only unlocked groups
 * and takes each group's messages in send order from GROUP_MEMBER; a deep locked group never hides others.
 *
 * <p>Messages a group ever delivered form a prefix of it (receives always start at the head), and one
 * receive takes at most 10, so in-flight messages are among the first 11 members: reindexing reads no more.
 */
final class FifoGroups {
    private static final int IN_FLIGHT_SCAN = Limits.MAX_RECEIVE_MESSAGES + 1;
    private static final byte[] EMPTY = new byte[0];

    private FifoGroups() {
    }

    /** The index space of a queue's groups whose head was never received (ids are positive: this one never collides). */
    static long waitingSpace(long queueId) {
        return -queueId;
    }

    /**
     * The groups a receive may look at now, due first: both spaces read up to their bound (now; now minus the delay),
     * merged by the time each became due. At most {@code limit} from each space.
     */
    static List<VisibilityEntry> due(StoreView view, long queueId, long nowMs, long delayMs, int limit) {
        List<VisibilityEntry> leased = view.dueUpTo(queueId, nowMs, limit);
        List<VisibilityEntry> waiting = view.dueUpTo(waitingSpace(queueId), nowMs - delayMs, limit);
        if (waiting.isEmpty()) {
            return leased;
        }
        List<VisibilityEntry> merged = new ArrayList<>(leased.size() + waiting.size());
        int i = 0, j = 0;
        while (i < leased.size() || j < waiting.size()) {
            boolean takeLeased = j >= waiting.size()
                    || (i < leased.size() && leased.get(i).visibleAtMs() <= waiting.get(j).visibleAtMs() + delayMs);
            merged.add(takeLeased ? leased.get(i++) : waiting.get(j++));
        }
        return merged;
    }

    static void addMember(QueueContext ctx, MessageRecord m) {
        ctx.txn().putAux(AuxTable.GROUP_MEMBER, AuxKeys.member(m.queueId(), m.groupId(), m.seq()), EMPTY);
        if (ctx.txn().aux(AuxTable.FIFO_GROUP, AuxKeys.group(m.queueId(), m.groupId())).isEmpty()) {
            ctx.touchGroup(m.queueId(), m.groupId()); // a new head; appending to a non-empty group changes nothing indexed
        }
    }

    static void removeMember(QueueContext ctx, MessageRecord m) {
        ctx.txn().deleteAux(AuxTable.GROUP_MEMBER, AuxKeys.member(m.queueId(), m.groupId(), m.seq()));
        ctx.touchGroup(m.queueId(), m.groupId());
    }

    /** The group's messages in send order, at most {@code limit}. */
    static List<MessageRecord> members(StoreView view, long queueId, String groupId, int limit) {
        List<MessageRecord> out = new ArrayList<>();
        for (AuxEntry e : view.auxRange(AuxTable.GROUP_MEMBER, AuxKeys.group(queueId, groupId), null, limit)) {
            long seq = AuxKeys.memberSeq(e.key());
            out.add(view.message(queueId, seq).orElseThrow(
                    () -> new IllegalStateException("group index names missing message " + queueId + "/" + seq)));
        }
        return out;
    }

    /** Replaces the group's index entry with one computed from its current members (removes it if empty). */
    static void reindex(StoreTxn txn, long queueId, String groupId, long nowMs) {
        byte[] key = AuxKeys.group(queueId, groupId);
        indexed(txn, key).ifPresent(old -> {
            // from both spaces: an entry written before the waiting space existed sits in the queue's own space
            txn.deleteVisibility(queueId, old);
            txn.deleteVisibility(waitingSpace(queueId), old);
        });
        List<MessageRecord> first = members(txn, queueId, groupId, IN_FLIGHT_SCAN);
        if (first.isEmpty()) {
            txn.deleteAux(AuxTable.FIFO_GROUP, key);
            return;
        }
        MessageRecord head = first.get(0);
        long availableAt = head.visibleAtMs();
        boolean locked = Messages.inFlight(head, nowMs);
        for (MessageRecord m : first) {
            if (Messages.inFlight(m, nowMs) && m.visibleAtMs() > availableAt) {
                availableAt = m.visibleAtMs();
                locked = true;
            }
        }
        // "received": the group's time is a visibility (a lease, or a head received before), not a send time that
        // the queue's DelaySeconds still applies to (see Messages.dueAtMs); such groups live in the queue's own space
        boolean received = locked || head.receiveCount() > 0;
        VisibilityEntry entry = new VisibilityEntry(availableAt, head.seq(), received);
        txn.putVisibility(received ? queueId : waitingSpace(queueId), entry);
        txn.putAux(AuxTable.FIFO_GROUP, key, new BinaryWriter(Limits.MAX_ENCODED_ENTRY_BYTES).i64(entry.visibleAtMs()).i64(entry.seq()).bool(entry.received()).toByteArray());
    }

    private static Optional<VisibilityEntry> indexed(StoreView view, byte[] groupKey) {
        return view.aux(AuxTable.FIFO_GROUP, groupKey).map(v -> {
            BinaryReader r = new BinaryReader(v);
            return new VisibilityEntry(r.i64(), r.i64(), r.bool());
        });
    }
}
