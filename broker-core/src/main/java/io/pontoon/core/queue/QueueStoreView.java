package io.pontoon.core.queue;

import java.util.List;
import java.util.Optional;

/**
 * The queue model's reads of a partition's state (its storage port; storage-rocksdb lays these tables out in
 * KEY_LAYOUT.md, column families queues, messages, payloads and visibility).
 */
public interface QueueStoreView {

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
}
