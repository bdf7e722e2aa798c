package io.pontoon.core.partition;

import java.nio.file.Path;

/**
 * The storage port of one partition (one Raft group's state). The core defines it; storage-rocksdb
 * implements it; an in-memory implementation backs the pure unit tests.
 */
public interface PartitionStore extends AutoCloseable {

    /** The applied position of the last committed txn (durable once {@link #flush()} returned). */
    PartitionMeta meta();

    /** Starts the txn for the next log entry. At most one txn is open at a time (apply is serial). */
    StoreTxn begin();

    /** A consistent point-in-time view for queries, concurrent with apply. */
    StoreView view();

    /** Makes every committed txn durable; after it returns, {@link #meta()} survives a crash. */
    void flush();

    /** Writes a consistent, durable copy of the committed state into the new directory {@code target}. */
    void checkpoint(Path target);

    @Override
    void close();
}
