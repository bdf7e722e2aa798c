package io.pontoon.core.partition;

/**
 * The ordered byte-keyed tables whose keys the core lays out itself (encoders: queue.AuxKeys and topic.TopicKeys,
 * layouts in AUX_KEYS.md and TOPIC_KEYS.md beside them). Storage adapters keep them as opaque sorted key/value pairs, prefixed by
 * {@link #id()} so that one physical keyspace holds them all. Ids are persisted: never reuse or renumber.
 */
public enum AuxTable {
    /** FIFO: (queueId, groupId) -> the group's current visibility-index entry. */
    FIFO_GROUP(1),
    /** FIFO: (queueId, groupId, seq) -> empty; a group's messages in send order. */
    GROUP_MEMBER(2),
    /** FIFO: (queueId, scope, dedupId) -> the first send's message id, sequence number and expiry. */
    DEDUP(3),
    /** (expiresAtMs, table, key) -> empty: dedup and receive-attempt records to sweep, oldest first. */
    EXPIRY(4),
    /** FIFO: (queueId, attemptId) -> the messages a ReceiveRequestAttemptId returned, and its expiry. */
    RECEIVE_ATTEMPT(5),
    /** (outboxSeq) -> a message leaving this partition for a queue elsewhere (DLQ move, redrive). */
    OUTBOX(6),
    /** (sourcePartition) -> the highest outbox seq of that partition already ingested here. */
    INBOX(7),
    /** (queueName, taskId) -> a message move task whose source is this queue. */
    MOVE_TASK(8),
    /**
     * (queueName, queueId, seq) -> i64 expiresAtMs: a message moved in with a SentTimestamp older than its seq
     * suggests, which the retention sweep (walking seqs, oldest first) would not reach in time.
     */
    MOVED_MESSAGE(9),
    // The topic model's tables (keys: topic.TopicKeys, layout: topic/TOPIC_KEYS.md).
    /** (topicName) -> the topic: attributes, tags, subscription counts. */
    TOPIC(10),
    /** (topicName, subscriptionId) -> a subscription. */
    SUBSCRIPTION(11),
    /** (messageSeq) -> a published message that still has deliveries to make. */
    TOPIC_MESSAGE(12),
    /** (messageSeq) -> how many deliveries of that message are still pending. */
    TOPIC_MESSAGE_PENDING(13),
    /** (deliverySeq) -> a delivery of a message to a queue, in publish order (exactly once, like the outbox). */
    ORDERED_DELIVERY(14),
    /** (subscriptionId, deliverySeq) -> a delivery of a message to an HTTP(S) endpoint, retried independently. */
    HTTP_DELIVERY(15),
    /** FIFO topics: (topicName, createdAtSeq, deduplicationId) -> the first publish's seq and message id, and its expiry. */
    TOPIC_DEDUP(16),
    /** FIFO topics: (expiresAtMs, dedup key) -> empty: deduplication records to sweep, oldest first. */
    TOPIC_DEDUP_EXPIRY(17),
    /** Streams: (shard uid, lane) -> the highest lane sequence the shard took from that source (stream.StreamLanes). */
    STREAM_LANE(18);

    private final int id;

    AuxTable(int id) {
        this.id = id;
    }

    public int id() { return id; }
}
