package io.pontoon.core.queue;

/** The queue model's writes within one log entry's txn (see {@link io.pontoon.core.partition.StoreTxn}). */
public interface QueueStoreTxn extends QueueStoreView {

    void putQueue(QueueRecord queue);

    /** Removes the queue row (by name). Its messages are dropped separately with {@link #dropMessages}. */
    void deleteQueue(String name);

    /** Writes a message's state; its content is written once, with {@link #putPayload}, when the message is stored. */
    void putMessage(MessageRecord message);

    void putPayload(long queueId, long seq, MessagePayload payload);

    /** Removes a message: its state and its content. */
    void deleteMessage(long queueId, long seq);

    void putVisibility(long queueId, VisibilityEntry entry);

    void deleteVisibility(long queueId, VisibilityEntry entry);

    /**
     * Drops every message (state and content) and visibility entry of queue incarnation {@code queueId} in O(1) (a range delete
     * applied at commit). Callers never read that incarnation again: PurgeQueue and DeleteQueue give the
     * queue a new incarnation id first.
     */
    void dropMessages(long queueId);
}
