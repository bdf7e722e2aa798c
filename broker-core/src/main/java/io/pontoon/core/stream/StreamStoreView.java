package io.pontoon.core.stream;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The stream model's reads of a partition's state (its storage port). A shard is a log keyed by (shard uid, sequence):
 * reads by sequence and by arrival time are seeks (storage-rocksdb: column families stream_records and stream_index,
 * KEY_LAYOUT.md).
 */
public interface StreamStoreView {

    Optional<ShardRecord> shard(long uid);

    /** Shards of this partition with uid greater than {@code afterUid}, ascending, at most {@code limit}. */
    List<ShardRecord> shards(long afterUid, int limit);

    /**
     * Records of the shard with sequence at least {@code fromSeq}, ascending, at most {@code limit}, and after the first
     * no more than {@code maxBytes} of {@link StoredRecord#weight()} in all.
     */
    List<StoredRecord> records(long uid, long fromSeq, int limit, long maxBytes);

    /** The first sequence of the first record that arrived at or after {@code timestampMs}, if any (a seek in the time index). */
    OptionalLong seqAtOrAfter(long uid, long timestampMs);

    Optional<Lease> lease(long uid, String application);
}
