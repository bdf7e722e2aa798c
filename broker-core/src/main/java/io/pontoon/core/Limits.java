package io.pontoon.core;

/**
 * Every hard limit of the core in one place, by model. AWS limits are copied from the SQS and Kinesis API models and
 * documentation; Pontoon's own limits bound the work and memory of one apply.
 * Deployment-tunable limits live in {@link CoreConfig} instead.
 */
public final class Limits {
    private Limits() {
    }

    // --- topics (AWS SNS, and Pontoon's bounds on one apply) ---
    public static final int MAX_TOPIC_NAME_LENGTH = 256;
    /** AWS: 100,000 standard topics per account; here per cluster. */
    public static final int MAX_TOPICS = 100_000;
    /** Pontoon: a publish evaluates every subscription of its topic in apply, so a topic has at most this many (AWS: 12,500,000). */
    public static final int MAX_SUBSCRIPTIONS_PER_TOPIC = 1_000;
    /** AWS: 200 filter policies per topic. */
    public static final int MAX_FILTER_POLICIES_PER_TOPIC = 200;
    /** AWS: a message, its subject and attributes at most 256 KiB; PublishBatch at most that in all. */
    public static final int MAX_PUBLISH_BYTES = 262_144;
    public static final int MAX_PUBLISH_BATCH_ENTRIES = 10;
    public static final int MAX_SUBJECT_LENGTH = 100;
    public static final int MAX_ENDPOINT_LENGTH = 2_048;
    /** AWS: at most 10 message attributes on a message delivered raw to SQS; Pontoon refuses more at publish. */
    public static final int MAX_PUBLISH_ATTRIBUTES = 10;
    /** A topic or subscription attribute value (a filter policy is at most 256 KiB, AWS). */
    public static final int MAX_TOPIC_ATTRIBUTE_BYTES = 262_144;
    /** Topic deliveries read by one fan-out round. */
    public static final int MAX_FANOUT_BATCH = 2_000;
    public static final int MAX_LIST_SUBSCRIPTIONS = 100;

    // --- queues (AWS) ---
    /** A message moved in (DLQ, redrive, topic) at most this much older than its seq is swept in seq order, unwatched. */
    public static final long MOVED_WATCH_SLACK_MS = 1_000;
    public static final int MAX_QUEUE_NAME_LENGTH = 80;
    public static final int MAX_TAGS = 50;
    public static final int MAX_TAG_KEY_LENGTH = 128;
    public static final int MAX_TAG_VALUE_LENGTH = 256;
    /** Tag keys starting with this (in any case) are reserved for AWS. */
    public static final String RESERVED_TAG_PREFIX = "aws:";
    /** A deleted queue's name is blocked this long (AWS QueueDeletedRecently), unless a node setting says otherwise. */
    public static final long DEFAULT_QUEUE_RECREATE_DELAY_MS = 60_000;
    public static final long MAX_QUEUE_RECREATE_DELAY_MS = 86_400_000;
    public static final int MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;
    public static final int MIN_RETENTION_SECONDS = 60;
    public static final int MAX_RETENTION_SECONDS = 1_209_600;
    public static final int MAX_DELAY_SECONDS = 900;
    public static final int MAX_WAIT_TIME_SECONDS = 20;
    public static final int MIN_MAXIMUM_MESSAGE_SIZE_BYTES = 1_024;
    public static final int MAX_MAXIMUM_MESSAGE_SIZE_BYTES = 1_048_576;
    /** A second PurgeQueue within this window fails with PurgeQueueInProgress. */
    public static final long PURGE_COOLDOWN_MS = 60_000;
    public static final int MAX_LIST_QUEUES_RESULTS = 1_000;
    /** Pontoon's bound on the names one GetQueueAttributes call may ask for. */
    public static final int MAX_ATTRIBUTE_NAMES_PER_GET = 64;

    // --- messages (AWS) ---
    public static final int MAX_MESSAGE_SIZE_BYTES = 1_048_576;
    public static final int MAX_BATCH_ENTRIES = 10;
    public static final int MAX_BATCH_ENTRY_ID_LENGTH = 80;
    public static final int MAX_BATCH_SIZE_BYTES = 1_048_576;
    public static final int MAX_MESSAGE_ATTRIBUTES = 10;
    public static final int MAX_MESSAGE_ATTRIBUTE_NAME_LENGTH = 256;
    public static final int MAX_MESSAGE_ATTRIBUTE_TYPE_LENGTH = 256;
    public static final int MAX_NUMBER_PRECISION_DIGITS = 38;
    public static final int MIN_NUMBER_EXPONENT = -128;
    public static final int MAX_NUMBER_EXPONENT = 126;
    public static final int MAX_RECEIVE_MESSAGES = 10;
    /** Messages in flight per queue before ReceiveMessage answers OverLimit (AWS: about 120,000). */
    public static final int DEFAULT_MAX_IN_FLIGHT = 120_000;
    public static final int MAX_IN_FLIGHT_LIMIT = 10_000_000;
    /** The only message system attribute (AWS): an X-Ray trace header. It does not count towards the message size. */
    public static final String TRACE_HEADER_ATTRIBUTE = "AWSTraceHeader";
    /** Pontoon's bound on an AWSTraceHeader value (an X-Ray header is about 100 characters). */
    public static final int MAX_TRACE_HEADER_LENGTH = 2_048;
    /** What a delivered message weighs beyond its content: ids, receipt handle, system attributes, framing. */
    public static final int DELIVERY_OVERHEAD_BYTES = 1_024;
    /** The most one ReceiveMessage can return: 10 messages of the largest size, with trace headers and overhead. */
    public static final long MAX_RECEIVE_DELIVERY_BYTES =
            (long) MAX_RECEIVE_MESSAGES * (MAX_MESSAGE_SIZE_BYTES + 3L * MAX_TRACE_HEADER_LENGTH + DELIVERY_OVERHEAD_BYTES);
    /**
     * The most message content one leader read for a lagging replica's receive returns (ReadPayloads): above one
     * message of the largest size, below the Raft transport's message bound (twice the smallest log entry bound).
     */
    public static final int MAX_READ_REPLY_BYTES = 2 << 20;
    /** Pontoon's bound on the length of a receipt handle string we even try to parse. */
    public static final int MAX_RECEIPT_HANDLE_LENGTH = 1_024;

    // --- FIFO, dead-letter queues, move tasks (AWS) ---
    /** A MessageDeduplicationId is remembered this long, also after its message was deleted. */
    public static final long DEDUP_WINDOW_MS = 300_000;
    /** A ReceiveRequestAttemptId is usable this long. */
    public static final long RECEIVE_ATTEMPT_WINDOW_MS = 300_000;
    public static final int MAX_MESSAGE_GROUP_ID_LENGTH = 128;
    public static final int MAX_DEDUPLICATION_ID_LENGTH = 128;
    public static final int MAX_RECEIVE_REQUEST_ATTEMPT_ID_LENGTH = 128;
    public static final int MAX_MOVE_MESSAGES_PER_SECOND = 500;
    public static final int MAX_LIST_MOVE_TASKS_RESULTS = 10;
    public static final int MAX_DEAD_LETTER_SOURCE_RESULTS = 1_000;

    // --- FIFO, dead-letter queues, move tasks (Pontoon) ---
    /** Finished move tasks kept per queue for ListMessageMoveTasks (older ones are forgotten). */
    public static final int MOVE_TASKS_KEPT_PER_QUEUE = 10;
    /** Expired dedup / receive-attempt records one Tick deletes. */
    public static final int MAX_EXPIRIES_SWEPT_PER_TICK = 1_000;
    /** Running move tasks one Tick advances. */
    public static final int MAX_MOVE_TASKS_PER_TICK = 100;
    /** In-flight or origin-less messages one move-task step may skip over. */
    public static final int MAX_MOVE_SKIPPED_PER_STEP = 1_000;
    /** Outbox entries one forwarder read returns, and one IngestMessages / SettleOutbox carries. */
    public static final int MAX_OUTBOX_BATCH = 500;
    /**
     * Message content (payload bytes) one log entry may move between queues through the outbox: dead-letter
     * moves during receives and move-task steps. What does not fit moves with a later entry, so the write batch
     * of one entry, and the heap it needs, stay bounded whatever the message sizes.
     */
    public static final long MAX_MOVED_BYTES_PER_ENTRY = 8L << 20;

    // --- streams (AWS Kinesis Data Streams) ---
    public static final int MAX_STREAM_NAME_LENGTH = 128;
    public static final int MAX_SHARD_ID_LENGTH = 128;
    public static final int MAX_PARTITION_KEY_LENGTH = 256;
    /** A record's data plus its partition key (UTF-8). */
    public static final int MAX_RECORD_SIZE_BYTES = 1_048_576;
    public static final int MAX_PUT_RECORDS_ENTRIES = 500;
    /** A PutRecords request: data plus partition keys of all its records. */
    public static final int MAX_PUT_RECORDS_BYTES = 5 * 1_048_576;
    public static final int MAX_GET_RECORDS_LIMIT = 10_000;
    public static final int MAX_GET_RECORDS_BYTES = 10 * 1_048_576;
    public static final int DEFAULT_STREAM_RETENTION_HOURS = 24;
    public static final int MIN_STREAM_RETENTION_HOURS = 24;
    public static final int MAX_STREAM_RETENTION_HOURS = 8_760;
    /** A shard iterator, and a ListShards NextToken, expire this long after they were issued. */
    public static final long SHARD_ITERATOR_TTL_MS = 300_000;
    /** A SubscribeToShard call pushes events for this long at most; the consumer then subscribes again. */
    public static final long MAX_SUBSCRIPTION_MS = 300_000;
    /** A second subscription of one consumer to one shard within this time is refused (ResourceInUseException). */
    public static final long SUBSCRIPTION_TAKEOVER_AFTER_MS = 5_000;
    public static final int SHARD_WRITE_RECORDS_PER_SECOND = 1_000;
    public static final int SHARD_WRITE_BYTES_PER_SECOND = 1_048_576;
    public static final int SHARD_READ_CALLS_PER_SECOND = 5;
    public static final int SHARD_READ_BYTES_PER_SECOND = 2 * 1_048_576;
    public static final int MAX_STREAM_CONSUMERS = 20;
    public static final int MAX_CONSUMER_NAME_LENGTH = 128;
    public static final int MAX_LIST_SHARDS_RESULTS = 1_000;
    public static final int MAX_LIST_SHARDS_REQUESTED = 10_000;
    public static final int MAX_LIST_STREAMS_RESULTS = 10_000;
    public static final int DEFAULT_LIST_STREAMS_RESULTS = 100;
    public static final int MAX_DESCRIBE_STREAM_SHARDS = 100;
    /** UpdateShardCount may scale to at most twice and at least half the open shards (AWS). */
    public static final int MAX_SCALING_FACTOR = 2;

    // --- streams (Pontoon) ---
    /** Open shards one stream may have (AWS's default account quota is 500 per region). */
    public static final int MAX_SHARDS_PER_STREAM = 1_000;
    /** Shards one stream may have in its life, open and closed (closed ones stay readable and described). */
    public static final int MAX_SHARDS_EVER_PER_STREAM = 10_000;
    /** Bytes of records one PutRecords command carries into the log; the server splits larger requests. */
    public static final int MAX_PUT_COMMAND_BYTES = 1_100_000;
    /** Consumer-library application names (the lease owner's group) and lease owner ids. */
    public static final int MAX_LEASE_NAME_LENGTH = 256;
    /** A lease may be taken for at most this long before it must be renewed. */
    public static final long MAX_LEASE_DURATION_MS = 600_000;
    /** Per-record bookkeeping in a read's byte count: sequence number, partition key framing, arrival time. */
    public static final int RECORD_OVERHEAD_BYTES = 64;

    // --- apply / log entries (Pontoon) ---
    /** Commands per log entry (group commit); together with MAX_RECEIVE_MESSAGES it bounds ids per entry. */
    public static final int MAX_COMMANDS_PER_ENTRY = 1_000;
    /**
     * Ids (queue incarnations, receipt sequences) derived from one log entry are {@code index * IDS_PER_LOG_ENTRY + k}.
     * Must exceed MAX_COMMANDS_PER_ENTRY * MAX_RECEIVE_MESSAGES so k never overflows into the next index.
     */
    public static final long IDS_PER_LOG_ENTRY = 65_536;
    /** Bytes of one encoded log entry / result list; the server's group commit must stay below it. */
    public static final int MAX_ENCODED_ENTRY_BYTES = 64 * 1_048_576;
    /** Retention-expired visibility entries one receive may skip (and delete) before giving up for this call. */
    public static final int MAX_EXPIRED_SKIPPED_PER_RECEIVE = 100;

    // --- controller (Pontoon) ---
    public static final int MAX_PARTITIONS = 4_096;
    public static final int MAX_LIST_PLACEMENTS = 1_000;
    /** Expired QueueDeletedRecently tombstones one controller Tick removes. */
    public static final int MAX_TOMBSTONES_SWEPT_PER_TICK = 100;
}
