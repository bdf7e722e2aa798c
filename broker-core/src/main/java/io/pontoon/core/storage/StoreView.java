package io.pontoon.core.storage;

import io.pontoon.core.queue.MessagePayload;
import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.queue.QueueRecord;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A consistent read of one partition's state. Views are cheap and must be closed. */
public interface StoreView extends AutoCloseable {

    Optional<QueueRecord> queue(String name);

    /** Queues whose name starts with {@code namePrefix} and sorts after {@code startAfterName} (exclusive; "" = from the start), ascending by name. */
    List<QueueRecord> queues(String namePrefix, String startAfterName, int limit);

    /** A message's state (without its content). */
    Optional<MessageRecord> message(long queueId, long seq);

    /** A message's content; present exactly when {@link #message} is. */
    Optional<MessagePayload> payload(long queueId, long seq);

    /** Index entries with {@code visibleAtMs <= maxVisibleAtMs}, ascending by (visibleAtMs, seq), at most {@code limit}. */
    List<VisibilityEntry> dueUpTo(long queueId, long maxVisibleAtMs, int limit);

    /** Counts index entries with {@code visibleAtMs > nowMs}, stopping once {@code cap} entries were counted. */
    NotVisibleCounts countNotVisible(long queueId, long nowMs, long cap);

    /** Messages ascending by seq (= by send time): the first ones to expire by retention. */
    default List<MessageRecord> oldestMessages(long queueId, int limit) {
        return messagesFrom(queueId, 0, limit);
    }

    /** Messages with {@code seq >= fromSeq}, ascending by seq, at most {@code limit}. */
    List<MessageRecord> messagesFrom(long queueId, long fromSeq, int limit);

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
