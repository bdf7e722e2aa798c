package io.pontoon.core.partition;

import io.pontoon.core.queue.QueueStoreTxn;
import io.pontoon.core.stream.StreamStoreTxn;

/**
 * The writes of one applied log entry: each model's writes plus the shared tables'. Reads through this object see
 * its own uncommitted writes. Nothing is visible to other views, nor durable, until {@link #commit(PartitionMeta)},
 * which writes all of it together with the new applied position as one atomic batch. A txn that is closed without
 * commit discards its writes.
 */
public interface StoreTxn extends StoreView, QueueStoreTxn, StreamStoreTxn {

    void putAux(AuxTable table, byte[] key, byte[] value);

    void deleteAux(AuxTable table, byte[] key);

    /**
     * Drops every entry of {@code table} whose key starts with {@code prefix}, as a range delete applied at
     * commit; callers never read that prefix again in this txn.
     */
    void dropAux(AuxTable table, byte[] prefix);

    void putRegistryRecord(String key, byte[] value);

    void deleteRegistryRecord(String key);

    void commit(PartitionMeta meta);
}
