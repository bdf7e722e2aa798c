package io.pontoon.core.apply;

import io.pontoon.core.Limits;
import io.pontoon.core.codec.BinaryReader;
import io.pontoon.core.codec.BinaryWriter;
import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.storage.AuxEntry;
import io.pontoon.core.storage.AuxKeys;
import io.pontoon.core.storage.AuxTable;
import io.pontoon.core.storage.StoreTxn;
import io.pontoon.core.storage.StoreView;
import io.pontoon.core.storage.VisibilityEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * FIFO message groups. A FIFO queue's visibility index holds one entry per non-empty group, not per message:
 * (the time the group becomes receivable, its head seq). For a head never received, that time is its send time:
 * the queue's DelaySeconds applies on top when a receive or a query looks (FIFO delays are retroactive). A group is receivable when its head is due and none
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

    static void addMember(ApplyContext ctx, MessageRecord m) {
        ctx.txn().putAux(AuxTable.GROUP_MEMBER, AuxKeys.member(m.queueId(), m.groupId(), m.seq()), EMPTY);
        if (ctx.txn().aux(AuxTable.FIFO_GROUP, AuxKeys.group(m.queueId(), m.groupId())).isEmpty()) {
            ctx.touchGroup(m.queueId(), m.groupId()); // a new head; appending to a non-empty group changes nothing indexed
        }
    }

    static void removeMember(ApplyContext ctx, MessageRecord m) {
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
        indexed(txn, key).ifPresent(old -> txn.deleteVisibility(queueId, old));
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
        // the queue's DelaySeconds still applies to (see Messages.dueAtMs)
        VisibilityEntry entry = new VisibilityEntry(availableAt, head.seq(), locked || head.receiveCount() > 0);
        txn.putVisibility(queueId, entry);
        txn.putAux(AuxTable.FIFO_GROUP, key, new BinaryWriter(Limits.MAX_ENCODED_ENTRY_BYTES).i64(entry.visibleAtMs()).i64(entry.seq()).bool(entry.received()).toByteArray());
    }

    private static Optional<VisibilityEntry> indexed(StoreView view, byte[] groupKey) {
        return view.aux(AuxTable.FIFO_GROUP, groupKey).map(v -> {
            BinaryReader r = new BinaryReader(v);
            return new VisibilityEntry(r.i64(), r.i64(), r.bool());
        });
    }
}
