package io.pontoon.core.queue;

import io.pontoon.core.queue.MessagePayload;
import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.queue.QueueRecord;
import io.pontoon.core.queue.VisibilityEntry;

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

    /**
     * When {@code m} can next be received. On a FIFO queue a message never received yet waits for the queue's
     * current DelaySeconds after its send, so changing the queue's delay changes the delay of the messages
     * already in it (AWS: FIFO queue delays are retroactive, standard ones are not, their delay is fixed at send).
     */
    static long dueAtMs(MessageRecord m, QueueRecord q) {
        return q.attributes().isFifo() && m.receiveCount() == 0
                ? m.sentMs() + q.attributes().delaySeconds() * 1000L
                : m.visibleAtMs();
    }

    static MessageRecord withVisibleAt(MessageRecord m, long visibleAtMs) {
        return new MessageRecord(m.queueId(), m.seq(), m.messageId(), m.payloadBytes(),
                m.sentMs(), visibleAtMs, m.receiveCount(), m.firstReceiveMs(), m.receiptSeq(),
                m.lastReceiveMs(), m.groupId(), m.deduplicationId(), m.deadLetterSource());
    }

    static MessageRecord received(MessageRecord m, long nowMs, long visibleAtMs, long receiptSeq) {
        long firstReceive = m.receiveCount() == 0 ? nowMs : m.firstReceiveMs();
        return new MessageRecord(m.queueId(), m.seq(), m.messageId(), m.payloadBytes(),
                m.sentMs(), visibleAtMs, m.receiveCount() + 1, firstReceive, receiptSeq, nowMs,
                m.groupId(), m.deduplicationId(), m.deadLetterSource());
    }

    /** Stores a new message with its content and indexes it; the caller adjusts the queue's messageCount. */
    static void insert(QueueContext ctx, QueueRecord q, MessageRecord m, MessagePayload payload) {
        ctx.txn().putMessage(m);
        ctx.txn().putPayload(m.queueId(), m.seq(), payload);
        if (q.attributes().isFifo()) {
            FifoGroups.addMember(ctx, m);
        } else {
            ctx.txn().putVisibility(q.queueId(), indexEntry(m));
        }
    }

    /** Rewrites a message and moves its index entry accordingly. */
    static void replace(QueueContext ctx, QueueRecord q, MessageRecord before, MessageRecord after) {
        ctx.txn().putMessage(after);
        if (q.attributes().isFifo()) {
            ctx.touchGroup(q.queueId(), after.groupId());
        } else {
            ctx.txn().deleteVisibility(before.queueId(), indexEntry(before));
            ctx.txn().putVisibility(after.queueId(), indexEntry(after));
        }
    }

    /** Deletes a message and its index entry; the caller adjusts the queue's messageCount. */
    static void remove(QueueContext ctx, QueueRecord q, MessageRecord m) {
        ctx.txn().deleteMessage(m.queueId(), m.seq());
        if (q.attributes().isFifo()) {
            FifoGroups.removeMember(ctx, m);
        } else {
            ctx.txn().deleteVisibility(m.queueId(), indexEntry(m));
        }
    }

    /** A message's content, which exists exactly when the message does. */
    static MessagePayload payload(QueueContext ctx, MessageRecord m) {
        return ctx.txn().payload(m.queueId(), m.seq()).orElseThrow(
                () -> new IllegalStateException("message " + m.queueId() + "/" + m.seq() + " has no stored content"));
    }

    static QueueRecord withMessageCount(QueueRecord q, long messageCount) {
        return new QueueRecord(q.queueId(), q.name(), q.attributes(), q.createdMs(), q.lastModifiedMs(), Math.max(0, messageCount), q.lastPurgeMs());
    }
}
