package io.pontoon.core.command;

import io.pontoon.core.queue.MessageAttribute;
import io.pontoon.core.queue.QueueAttributes;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The closed set of commands a partition's log carries. Each has a fixed numeric type id (its identity
 * in the log, never reused); see {@link CommandCodec} and broker-core/README.md.
 */
public sealed interface PartitionCommand {

    /** The log type id of this command. */
    int typeId();

    record CreateQueue(String name, QueueAttributes attributes) implements PartitionCommand {
        public static final int TYPE_ID = 1;
        public int typeId() { return TYPE_ID; }
    }

    record DeleteQueue(String name) implements PartitionCommand {
        public static final int TYPE_ID = 2;
        public int typeId() { return TYPE_ID; }
    }

    /** {@code attributes} uses SQS attribute names ("VisibilityTimeout" -> "60"). */
    record SetQueueAttributes(String name, Map<String, String> attributes) implements PartitionCommand {
        public static final int TYPE_ID = 3;
        public SetQueueAttributes {
            attributes = Map.copyOf(attributes);
        }
        public int typeId() { return TYPE_ID; }
    }

    record PurgeQueue(String name) implements PartitionCommand {
        public static final int TYPE_ID = 4;
        public int typeId() { return TYPE_ID; }
    }

    /** SendMessage is a batch of one. */
    record SendMessages(String queueName, List<SendEntry> entries) implements PartitionCommand {
        public static final int TYPE_ID = 5;
        public SendMessages {
            entries = List.copyOf(entries);
        }
        public int typeId() { return TYPE_ID; }
    }

    /** @param visibilityTimeoutSeconds null = the queue's VisibilityTimeout */
    record ReceiveMessages(String queueName, int maxMessages, Integer visibilityTimeoutSeconds) implements PartitionCommand {
        public static final int TYPE_ID = 6;
        public int typeId() { return TYPE_ID; }
    }

    record DeleteMessages(String queueName, List<DeleteEntry> entries) implements PartitionCommand {
        public static final int TYPE_ID = 7;
        public DeleteMessages {
            entries = List.copyOf(entries);
        }
        public int typeId() { return TYPE_ID; }
    }

    record ChangeMessageVisibility(String queueName, List<VisibilityEntryChange> entries) implements PartitionCommand {
        public static final int TYPE_ID = 8;
        public ChangeMessageVisibility {
            entries = List.copyOf(entries);
        }
        public int typeId() { return TYPE_ID; }
    }

    /** Leader-proposed housekeeping: bounded retention sweep. */
    record Tick() implements PartitionCommand {
        public static final int TYPE_ID = 9;
        public int typeId() { return TYPE_ID; }
    }

    /**
     * @param id           batch entry id (SendMessage uses any valid id, e.g. "0")
     * @param body         the message body as text (SQS bodies are XML-safe Unicode text)
     * @param delaySeconds null = the queue's DelaySeconds
     */
    record SendEntry(String id, String body, SortedMap<String, MessageAttribute> attributes, Integer delaySeconds) {
        public SendEntry {
            attributes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
        }
    }

    record DeleteEntry(String id, String receiptHandle) {
    }

    record VisibilityEntryChange(String id, String receiptHandle, int visibilityTimeoutSeconds) {
    }
}
