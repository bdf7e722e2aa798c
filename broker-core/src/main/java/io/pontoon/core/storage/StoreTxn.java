package io.pontoon.core.storage;

import io.pontoon.core.queue.MessagePayload;
import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.queue.QueueRecord;

/**
 * The writes of one applied log entry. Reads through this object see its own uncommitted writes.
 * Nothing is visible to other views, nor durable, until {@link #commit(PartitionMeta)}, which writes all
 * of it together with the new applied position as one atomic batch. A txn that is closed without commit
 * discards its writes.
 */
public interface StoreTxn extends StoreView {

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

    void putAux(AuxTable table, byte[] key, byte[] value);

    void deleteAux(AuxTable table, byte[] key);

    /**
     * Drops every entry of {@code table} whose key starts with {@code prefix}, as a range delete applied at
     * commit; like {@link #dropMessages}, callers never read that prefix again in this txn.
     */
    void dropAux(AuxTable table, byte[] prefix);

    void putRegistryRecord(String key, byte[] value);

    void deleteRegistryRecord(String key);

    void commit(PartitionMeta meta);
}
