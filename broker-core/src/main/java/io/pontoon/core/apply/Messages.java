package io.pontoon.core.apply;

import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.queue.QueueRecord;
import io.pontoon.core.storage.VisibilityEntry;

/**
 * Small record transformations, and the message + index writes that must always go together. Standard
 * queues index every message; FIFO queues index one entry per message group (see {@link FifoGroups}), so a
 * change to a FIFO message marks its group, which is reindexed once at the end of the command.
 */
final class Messages {
    private Messages() {
    }

    static VisibilityEntry indexEntry(MessageRecord m) {
        return new VisibilityEntry(m.visibleAtMs(), m.seq(), m.receiveCount() > 0);
    }

    static boolean retentionExpired(MessageRecord m, QueueRecord q, long nowMs) {
        return m.sentMs() + q.attributes().messageRetentionPeriodSeconds() * 1000L <= nowMs;
    }

    static boolean inFlight(MessageRecord m, long nowMs) {
        return m.receiveCount() > 0 && m.visibleAtMs() > nowMs;
    }

    static MessageRecord withVisibleAt(MessageRecord m, long visibleAtMs) {
        return new MessageRecord(m.queueId(), m.seq(), m.messageId(), m.body(), m.attributes(),
                m.sentMs(), visibleAtMs, m.receiveCount(), m.firstReceiveMs(), m.receiptSeq(),
                m.lastReceiveMs(), m.groupId(), m.deduplicationId(), m.deadLetterSource());
    }

    static MessageRecord received(MessageRecord m, long nowMs, long visibleAtMs, long receiptSeq) {
        long firstReceive = m.receiveCount() == 0 ? nowMs : m.firstReceiveMs();
        return new MessageRecord(m.queueId(), m.seq(), m.messageId(), m.body(), m.attributes(),
                m.sentMs(), visibleAtMs, m.receiveCount() + 1, firstReceive, receiptSeq, nowMs,
                m.groupId(), m.deduplicationId(), m.deadLetterSource());
    }

    /** Stores a new message and indexes it; the caller adjusts the queue's messageCount. */
    static void insert(ApplyContext ctx, QueueRecord q, MessageRecord m) {
        ctx.txn().putMessage(m);
        if (q.attributes().isFifo()) {
            FifoGroups.addMember(ctx, m);
        } else {
            ctx.txn().putVisibility(q.queueId(), indexEntry(m));
        }
    }

    /** Rewrites a message and moves its index entry accordingly. */
    static void replace(ApplyContext ctx, QueueRecord q, MessageRecord before, MessageRecord after) {
        ctx.txn().putMessage(after);
        if (q.attributes().isFifo()) {
            ctx.touchGroup(q.queueId(), after.groupId());
        } else {
            ctx.txn().deleteVisibility(before.queueId(), indexEntry(before));
            ctx.txn().putVisibility(after.queueId(), indexEntry(after));
        }
    }

    /** Deletes a message and its index entry; the caller adjusts the queue's messageCount. */
    static void remove(ApplyContext ctx, QueueRecord q, MessageRecord m) {
        ctx.txn().deleteMessage(m.queueId(), m.seq());
        if (q.attributes().isFifo()) {
            FifoGroups.removeMember(ctx, m);
        } else {
            ctx.txn().deleteVisibility(m.queueId(), indexEntry(m));
        }
    }

    static QueueRecord withMessageCount(QueueRecord q, long messageCount) {
        return new QueueRecord(q.queueId(), q.name(), q.attributes(), q.createdMs(), q.lastModifiedMs(), Math.max(0, messageCount), q.lastPurgeMs());
    }
}
