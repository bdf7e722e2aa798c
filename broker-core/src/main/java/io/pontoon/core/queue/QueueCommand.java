package io.pontoon.core.queue;

import io.pontoon.core.partition.Model;
import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.core.queue.MessageAttribute;
import io.pontoon.core.queue.QueueAttributes;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The closed set of commands a partition's log carries. Each has a fixed numeric type id (its identity
 * in the log, never reused); see {@link QueueCodec} and broker-core/README.md.
 */
public sealed interface QueueCommand extends PartitionCommand {

    default Model model() { return Model.QUEUE; }

    record CreateQueue(String name, QueueAttributes attributes) implements QueueCommand {
        public static final int TYPE_ID = 1;
        public int typeId() { return TYPE_ID; }
    }

    record DeleteQueue(String name) implements QueueCommand {
        public static final int TYPE_ID = 2;
        public int typeId() { return TYPE_ID; }
    }

    /** {@code attributes} uses SQS attribute names ("VisibilityTimeout" -> "60"). */
    record SetQueueAttributes(String name, Map<String, String> attributes) implements QueueCommand {
        public static final int TYPE_ID = 3;
        public SetQueueAttributes {
            attributes = Map.copyOf(attributes);
        }
        public int typeId() { return TYPE_ID; }
    }

    record PurgeQueue(String name) implements QueueCommand {
        public static final int TYPE_ID = 4;
        public int typeId() { return TYPE_ID; }
    }

    /** SendMessage is a batch of one. */
    record SendMessages(String queueName, List<SendEntry> entries) implements QueueCommand {
        public static final int TYPE_ID = 5;
        public SendMessages {
            entries = List.copyOf(entries);
        }
        public int typeId() { return TYPE_ID; }
    }

    /**
     * The result names the messages taken ({@link QueueResult.ReceivedMessage}); their content is read from the
     * applied state by the node that answers the client, so a log entry's result never carries message bodies.
     *
     * @param visibilityTimeoutSeconds null = the queue's VisibilityTimeout
     * @param receiveRequestAttemptId  FIFO only, or null: a retry with the same id returns the same messages
     * @param inFlightLimit            OverLimit once the queue holds this many messages in flight: the proposing node's
     *                                 setting, carried in the command so that every replica applies the same limit
     */
    record ReceiveMessages(String queueName, int maxMessages, Integer visibilityTimeoutSeconds, String receiveRequestAttemptId,
                           int inFlightLimit) implements QueueCommand {
        public static final int TYPE_ID = 6;
        public ReceiveMessages(String queueName, int maxMessages, Integer visibilityTimeoutSeconds, String receiveRequestAttemptId) {
            this(queueName, maxMessages, visibilityTimeoutSeconds, receiveRequestAttemptId, io.pontoon.core.Limits.DEFAULT_MAX_IN_FLIGHT);
        }
        public ReceiveMessages(String queueName, int maxMessages, Integer visibilityTimeoutSeconds) {
            this(queueName, maxMessages, visibilityTimeoutSeconds, null);
        }
        public ReceiveMessages withInFlightLimit(int limit) {
            return new ReceiveMessages(queueName, maxMessages, visibilityTimeoutSeconds, receiveRequestAttemptId, limit);
        }
        public int typeId() { return TYPE_ID; }
    }

    record DeleteMessages(String queueName, List<DeleteEntry> entries) implements QueueCommand {
        public static final int TYPE_ID = 7;
        public DeleteMessages {
            entries = List.copyOf(entries);
        }
        public int typeId() { return TYPE_ID; }
    }

    record ChangeMessageVisibility(String queueName, List<VisibilityEntryChange> entries) implements QueueCommand {
        public static final int TYPE_ID = 8;
        public ChangeMessageVisibility {
            entries = List.copyOf(entries);
        }
        public int typeId() { return TYPE_ID; }
    }


    /**
     * The destination half of a cross-partition move: messages another partition put in its outbox, in
     * ascending outbox seq. Idempotent: entries at or below the highest seq already ingested from
     * {@code sourcePartition} are skipped, so a forwarder may resend after a failover.
     */
    record IngestMessages(int sourcePartition, List<MovedMessage> messages) implements QueueCommand {
        /**
         * The inbox lane of a topic's fan-out from {@code partition}: deliveries from a topic partition have their own
         * high-water mark, apart from that partition's outbox of queue moves (both draw sequences from one counter).
         */
        public static int topicLane(int partition) {
            return io.pontoon.core.Limits.MAX_PARTITIONS + partition;
        }

        public static final int TYPE_ID = 10;
        public IngestMessages {
            messages = List.copyOf(messages);
        }
        public int typeId() { return TYPE_ID; }
    }

    /**
     * The source half: the forwarder reports which outbox entries reached their destination (deleted here)
     * and which found no destination queue (returned to the queue they left).
     */
    record SettleOutbox(List<Long> delivered, List<Long> returned) implements QueueCommand {
        public static final int TYPE_ID = 11;
        public SettleOutbox {
            delivered = List.copyOf(delivered);
            returned = List.copyOf(returned);
        }
        public int typeId() { return TYPE_ID; }
    }

    /**
     * StartMessageMoveTask on dead-letter queue {@code sourceQueue}.
     *
     * @param destinationQueue null = each message back to the queue it was dead-lettered from
     * @param maxPerSecond     null = {@link io.pontoon.core.Limits#MAX_MOVE_MESSAGES_PER_SECOND}
     */
    record StartMoveTask(String sourceQueue, String destinationQueue, Integer maxPerSecond) implements QueueCommand {
        public static final int TYPE_ID = 12;
        public int typeId() { return TYPE_ID; }
    }

    record CancelMoveTask(String sourceQueue, long taskId) implements QueueCommand {
        public static final int TYPE_ID = 13;
        public int typeId() { return TYPE_ID; }
    }

    /** TagQueue: adds or overwrites tags; the result is an error if the queue would hold more than 50. */
    record TagQueue(String name, Map<String, String> tags) implements QueueCommand {
        public static final int TYPE_ID = 14;
        public TagQueue {
            tags = Map.copyOf(tags);
        }
        public int typeId() { return TYPE_ID; }
    }

    /** UntagQueue: removes the tags with these keys (absent keys are ignored, as in AWS). */
    record UntagQueue(String name, List<String> tagKeys) implements QueueCommand {
        public static final int TYPE_ID = 15;
        public UntagQueue {
            tagKeys = List.copyOf(tagKeys);
        }
        public int typeId() { return TYPE_ID; }
    }

    /**
     * @param id           batch entry id (SendMessage uses any valid id, e.g. "0")
     * @param body         the message body as text (SQS bodies are XML-safe Unicode text)
     * @param delaySeconds    null = the queue's DelaySeconds (must be null on FIFO queues)
     * @param groupId         MessageGroupId: required on FIFO queues, optional on standard ones; null = absent
     * @param deduplicationId FIFO only; null = content-based (if the queue enables it)
     * @param systemAttributes message system attributes by name; AWS defines one, AWSTraceHeader (a String)
     */
    record SendEntry(String id, String body, SortedMap<String, MessageAttribute> attributes, Integer delaySeconds,
                     String groupId, String deduplicationId, SortedMap<String, MessageAttribute> systemAttributes) {
        public SendEntry {
            attributes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
            systemAttributes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(systemAttributes));
        }

        public SendEntry(String id, String body, SortedMap<String, MessageAttribute> attributes, Integer delaySeconds,
                         String groupId, String deduplicationId) {
            this(id, body, attributes, delaySeconds, groupId, deduplicationId, new TreeMap<>());
        }

        /** An entry whose only system attribute is an AWSTraceHeader (null: none). */
        public static SendEntry withTraceHeader(String id, String body, SortedMap<String, MessageAttribute> attributes, Integer delaySeconds,
                                                String groupId, String deduplicationId, String traceHeader) {
            SortedMap<String, MessageAttribute> system = new TreeMap<>();
            if (traceHeader != null) {
                system.put(io.pontoon.core.Limits.TRACE_HEADER_ATTRIBUTE, new MessageAttribute("String", traceHeader, null));
            }
            return new SendEntry(id, body, attributes, delaySeconds, groupId, deduplicationId, system);
        }

        /** The AWSTraceHeader value, or null. */
        public String traceHeader() {
            MessageAttribute a = systemAttributes.get(io.pontoon.core.Limits.TRACE_HEADER_ATTRIBUTE);
            return a == null ? null : a.stringValue();
        }

        /** A standard-queue entry. */
        public SendEntry(String id, String body, SortedMap<String, MessageAttribute> attributes, Integer delaySeconds) {
            this(id, body, attributes, delaySeconds, null, null);
        }
    }

    /**
     * A message in flight between partitions (outbox entry and ingest entry alike).
     *
     * @param outboxSeq      position in the source partition's outbox; the idempotence key at the destination
     * @param queueName      the destination queue
     * @param fromQueue      the queue it left; an undeliverable message returns there
     * @param deadLettered   true for a DLQ move (the destination remembers fromQueue as the message's
     *                       dead-letter source), false for a redrive
     * @param originDeadLetterSource the message's dead-letter source while in fromQueue (kept if it returns there)
     * @param receiveCount   carried over by a DLQ move, reset to 0 by a redrive
     * @param traceHeader    the message's AWSTraceHeader, or null
     */
    record MovedMessage(long outboxSeq, String queueName, String fromQueue, boolean deadLettered,
                        String originDeadLetterSource, String messageId,
                        String body, SortedMap<String, MessageAttribute> attributes, long sentMs, int receiveCount,
                        long firstReceiveMs, String groupId, String deduplicationId, String traceHeader) {
        public MovedMessage {
            attributes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
        }

        public MovedMessage(long outboxSeq, String queueName, String fromQueue, boolean deadLettered, String originDeadLetterSource,
                            String messageId, String body, SortedMap<String, MessageAttribute> attributes, long sentMs, int receiveCount,
                            long firstReceiveMs, String groupId, String deduplicationId) {
            this(outboxSeq, queueName, fromQueue, deadLettered, originDeadLetterSource, messageId, body, attributes, sentMs, receiveCount,
                    firstReceiveMs, groupId, deduplicationId, null);
        }

        public io.pontoon.core.queue.MessagePayload payload() {
            return new io.pontoon.core.queue.MessagePayload(body, attributes, traceHeader);
        }
    }

    record DeleteEntry(String id, String receiptHandle) {
    }

    record VisibilityEntryChange(String id, String receiptHandle, int visibilityTimeoutSeconds) {
    }
}
