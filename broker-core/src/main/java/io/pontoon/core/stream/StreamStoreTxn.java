package io.pontoon.core.stream;

/** The stream model's writes within one log entry's txn (see {@link io.pontoon.core.partition.StoreTxn}). */
public interface StreamStoreTxn extends StreamStoreView {

    void putShard(ShardRecord shard);

    /** Deletes the shard's record, its log, its time index and its leases (range deletes applied at commit). */
    void deleteShard(long uid);

    void putRecord(long uid, StoredRecord record);

    /** Notes that records from {@code seq} on arrived at {@code arrivalMs} or later (arrival times never decrease in a shard). */
    void putTimeMark(long uid, long arrivalMs, long seq);

    /** Deletes the records below {@code belowSeq} and the time marks before {@code beforeMs}, as range deletes applied at commit. */
    void trimRecords(long uid, long belowSeq, long beforeMs);

    void putLease(Lease lease);
}
