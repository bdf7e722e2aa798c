package io.pontoon.core.topic;

import io.pontoon.core.partition.Model;
import io.pontoon.core.partition.PartitionCommand;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The closed set of the topic model's log commands (SNS). Type ids are persisted: never reuse or renumber. Whatever
 * would need a clock or randomness (a confirmation token) is chosen by the proposing node and carried in the command.
 */
public sealed interface TopicCommand extends PartitionCommand {

    @Override
    default Model model() { return Model.TOPIC; }

    /** Creates the topic, or answers the existing one if its attributes are the same (SNS CreateTopic is idempotent). */
    record CreateTopic(String name, Map<String, String> attributes, Map<String, String> tags) implements TopicCommand {
        public static final int TYPE_ID = 1;
        public CreateTopic {
            attributes = Map.copyOf(attributes);
            tags = Map.copyOf(tags);
        }
        public int typeId() { return TYPE_ID; }
    }

    /** Deletes the topic and its subscriptions; deleting a topic that does not exist succeeds (SNS). */
    record DeleteTopic(String name) implements TopicCommand {
        public static final int TYPE_ID = 2;
        public int typeId() { return TYPE_ID; }
    }

    record SetTopicAttribute(String name, String attribute, String value) implements TopicCommand {
        public static final int TYPE_ID = 3;
        public int typeId() { return TYPE_ID; }
    }

    /** Adds or replaces {@code tags} and removes {@code removeKeys}. */
    record TagTopic(String name, Map<String, String> tags, List<String> removeKeys) implements TopicCommand {
        public static final int TYPE_ID = 4;
        public TagTopic {
            tags = Map.copyOf(tags);
            removeKeys = List.copyOf(removeKeys);
        }
        public int typeId() { return TYPE_ID; }
    }

    /**
     * Subscribes {@code endpoint}; an HTTP(S) subscription stays pending until confirmed with {@code token}. Subscribing
     * the same (protocol, endpoint) again answers the existing subscription (SNS).
     */
    record Subscribe(String topic, String protocol, String endpoint, Map<String, String> attributes, String token)
            implements TopicCommand {
        public static final int TYPE_ID = 5;
        public Subscribe {
            attributes = Map.copyOf(attributes);
        }
        public int typeId() { return TYPE_ID; }
    }

    record ConfirmSubscription(String topic, String token) implements TopicCommand {
        public static final int TYPE_ID = 6;
        public int typeId() { return TYPE_ID; }
    }

    record Unsubscribe(String topic, String subscriptionId) implements TopicCommand {
        public static final int TYPE_ID = 7;
        public int typeId() { return TYPE_ID; }
    }

    record SetSubscriptionAttribute(String topic, String subscriptionId, String attribute, String value) implements TopicCommand {
        public static final int TYPE_ID = 8;
        public int typeId() { return TYPE_ID; }
    }

    /** Publish or PublishBatch: each entry is published on its own (one entry's failure leaves the others). */
    /**
     * @param requestId drawn by the serving node for this call (null: none). A node may submit a command again when a
     *                  leader change leaves its first attempt's fate unknown (the entry may survive into the next
     *                  term); the topic remembers a request id for 5 minutes and answers a repeat with the first
     *                  answer, publishing nothing twice.
     */
    record Publish(String topic, List<PublishEntry> entries, String requestId) implements TopicCommand {
        public static final int TYPE_ID = 9;
        public Publish {
            entries = List.copyOf(entries);
        }
        public Publish(String topic, List<PublishEntry> entries) {
            this(topic, entries, null);
        }
        public int typeId() { return TYPE_ID; }
    }

    /**
     * The fan-out's report: ordered deliveries that reached their queue or stream (or whose destination no longer exists), and HTTP
     * deliveries that were delivered or failed for good. A failed one goes to its subscription's dead-letter queue, if
     * it has one. Settling a delivery that is already gone does nothing, so a repeated report is harmless.
     */
    record SettleDeliveries(List<Long> ordered, List<HttpOutcome> httpOutcomes) implements TopicCommand {
        public static final int TYPE_ID = 10;
        public SettleDeliveries {
            ordered = List.copyOf(ordered);
            httpOutcomes = List.copyOf(httpOutcomes);
        }
        public int typeId() { return TYPE_ID; }
    }

    /**
     * The fan-out's report of ordered deliveries whose queue or stream does not exist (a client-side error in SNS's
     * terms): each moves to its subscription's dead-letter queue, if it has one and is not itself a delivery to that
     * queue; otherwise it is settled (dropped). Reporting a delivery that is already gone does nothing.
     */
    record DeadLetterDeliveries(List<Long> ordered) implements TopicCommand {
        public static final int TYPE_ID = 12;
        public DeadLetterDeliveries {
            ordered = List.copyOf(ordered);
        }
        public int typeId() { return TYPE_ID; }
    }

    /** Removes a subscription tombstone once no HTTP delivery of it is left; otherwise does nothing. */
    record ForgetSubscription(String topic, String subscriptionId) implements TopicCommand {
        public static final int TYPE_ID = 11;
        public int typeId() { return TYPE_ID; }
    }

    /** One message of a Publish. {@code id} is the batch entry id ("" for Publish). */
    record PublishEntry(String id, String message, String subject, boolean jsonStructure, SortedMap<String, MessageAttribute> attributes,
                        String groupId, String deduplicationId) {
        public PublishEntry {
            attributes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
        }

        /** What counts toward the 256 KiB limit: message, subject, and each attribute's name, type and value. */
        public long sizeBytes() {
            long n = io.pontoon.core.codec.Utf8.length(message) + (subject == null ? 0 : io.pontoon.core.codec.Utf8.length(subject));
            for (Map.Entry<String, MessageAttribute> a : attributes.entrySet()) {
                n += io.pontoon.core.codec.Utf8.length(a.getKey()) + a.getValue().sizeBytes();
            }
            return n;
        }
    }

    record HttpOutcome(String subscriptionId, long deliverySeq, boolean delivered) {
    }
}
