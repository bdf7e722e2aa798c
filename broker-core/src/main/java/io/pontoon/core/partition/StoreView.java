package io.pontoon.core.partition;

import io.pontoon.core.queue.QueueStoreView;
import io.pontoon.core.stream.StreamStoreView;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A consistent read of one partition's state: each model's reads (its storage port) plus the tables the partition
 * shares (aux tables, registry). Views are cheap and must be closed.
 */
public interface StoreView extends QueueStoreView, StreamStoreView, AutoCloseable {

    /** The value under {@code key} in {@code table}. */
    Optional<byte[]> aux(AuxTable table, byte[] key);

    /**
     * Entries of {@code table} whose key starts with {@code prefix} and sorts strictly after {@code startAfter}
     * (null: from the first key with the prefix), ascending by unsigned byte order, at most {@code limit}.
     */
    List<AuxEntry> auxRange(AuxTable table, byte[] prefix, byte[] startAfter, int limit);

    /** A record of the small key/value registry table (controller metadata, partition bookkeeping). */
    Optional<byte[]> registryRecord(String key);

    /** Registry records whose key starts with {@code prefix} and sorts after {@code startAfterKey} (exclusive), ascending. */
    List<Map.Entry<String, byte[]>> registryRecords(String prefix, String startAfterKey, int limit);

    @Override
    void close();
}
