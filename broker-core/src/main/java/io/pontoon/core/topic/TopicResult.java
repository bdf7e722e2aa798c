package io.pontoon.core.topic;

import io.pontoon.core.partition.Model;
import io.pontoon.core.partition.PartitionResult;

import java.util.List;

/** Results of the topic model's commands (besides the shared Error and Ok). Type ids are persisted. */
public sealed interface TopicResult extends PartitionResult {

    @Override
    default Model model() { return Model.TOPIC; }

    /** @param created false when the topic already existed with the same attributes */
    record TopicCreated(String name, boolean created) implements TopicResult {
        public static final int TYPE_ID = 1;
        public int typeId() { return TYPE_ID; }
    }

    /** @param pending true while an HTTP(S) subscription waits for its confirmation */
    record Subscribed(String subscriptionId, boolean pending) implements TopicResult {
        public static final int TYPE_ID = 2;
        public int typeId() { return TYPE_ID; }
    }

    /**
     * The message ids of a Publish's entries, in entry order, and their sequence numbers on a FIFO topic ("" on a
     * standard topic). A FIFO message deduplicated within 5 minutes answers its first publish's id and sequence number.
     */
    record Published(List<String> messageIds, List<String> sequenceNumbers) implements TopicResult {
        public static final int TYPE_ID = 3;
        public Published {
            messageIds = List.copyOf(messageIds);
            sequenceNumbers = List.copyOf(sequenceNumbers);
        }
        public int typeId() { return TYPE_ID; }
    }
}
