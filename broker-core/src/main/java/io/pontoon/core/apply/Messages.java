package io.pontoon.core.apply;

import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.queue.QueueRecord;
import io.pontoon.core.storage.StoreTxn;
import io.pontoon.core.storage.VisibilityEntry;

/** Small record transformations and the message + index writes that must always go together. */
final class Messages {
    private Messages() {
    }

    static VisibilityEntry indexEntry(MessageRecord m) {
        return new VisibilityEntry(m.visibleAtMs(), m.seq(), m.receiveCount() > 0);
    }

    static boolean retentionExpired(MessageRecord m, QueueRecord q, long nowMs) {
        return m.sentMs() + q.attributes().messageRetentionPeriodSeconds() * 1000L <= nowMs;
    }

    static MessageRecord withVisibleAt(MessageRecord m, long visibleAtMs) {
        return new MessageRecord(m.queueId(), m.seq(), m.messageId(), m.body(), m.attributes(),
                m.sentMs(), visibleAtMs, m.receiveCount(), m.firstReceiveMs(), m.receiptSeq(),
                m.lastReceiveMs());
    }

    static MessageRecord received(MessageRecord m, long nowMs, long visibleAtMs, long receiptSeq) {
        long firstReceive = m.receiveCount() == 0 ? nowMs : m.firstReceiveMs();
        return new MessageRecord(m.queueId(), m.seq(), m.messageId(), m.body(), m.attributes(),
                m.sentMs(), visibleAtMs, m.receiveCount() + 1, firstReceive, receiptSeq, nowMs);
    }

    /** Rewrites a message and moves its index entry accordingly. */
    static void replace(StoreTxn txn, MessageRecord before, MessageRecord after) {
        txn.deleteVisibility(before.queueId(), indexEntry(before));
        txn.putMessage(after);
        txn.putVisibility(after.queueId(), indexEntry(after));
    }

    /** Deletes a message and its index entry; the caller adjusts the queue's messageCount. */
    static void remove(StoreTxn txn, MessageRecord m) {
        txn.deleteVisibility(m.queueId(), indexEntry(m));
        txn.deleteMessage(m.queueId(), m.seq());
    }

    static QueueRecord withMessageCount(QueueRecord q, long messageCount) {
        return new QueueRecord(q.queueId(), q.name(), q.attributes(), q.createdMs(), q.lastModifiedMs(), Math.max(0, messageCount), q.lastPurgeMs());
    }
}
