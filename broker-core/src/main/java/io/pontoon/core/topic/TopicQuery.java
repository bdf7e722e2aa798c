package io.pontoon.core.topic;

import io.pontoon.core.partition.Model;
import io.pontoon.core.partition.PartitionQuery;

/** Read-only questions to a partition's topics. Type ids are persisted (queries travel between nodes). */
public sealed interface TopicQuery extends PartitionQuery {

    @Override
    default Model model() { return Model.TOPIC; }

    record GetTopic(String name) implements TopicQuery {
        public static final int TYPE_ID = 1;
        public int typeId() { return TYPE_ID; }
    }

    /**
     * Live subscriptions of {@code topic} (all topics of the partition when empty), after the key {@code startAfter}
     * (null: from the first), at most {@code limit}; tombstones too when {@code withTombstones}.
     */
    record ListSubscriptions(String topic, byte[] startAfter, int limit, boolean withTombstones) implements TopicQuery {
        public static final int TYPE_ID = 2;
        public int typeId() { return TYPE_ID; }
    }

    record GetSubscription(String topic, String subscriptionId) implements TopicQuery {
        public static final int TYPE_ID = 3;
        public int typeId() { return TYPE_ID; }
    }

    /**
     * The oldest ordered deliveries after {@code afterSeq} (-1: from the first), at most {@code limit} and, after the
     * first, {@code maxBytes} of messages. The fan-out reads on from where it got to, not over the settled ones before.
     */
    record ReadOrderedDeliveries(long afterSeq, int limit, long maxBytes) implements TopicQuery {
        public static final int TYPE_ID = 4;
        public int typeId() { return TYPE_ID; }
    }

    /** A subscription's HTTP deliveries after {@code afterSeq}, oldest first, bounded as ReadOrderedDeliveries. */
    record ReadHttpDeliveries(String subscriptionId, long afterSeq, int limit, long maxBytes) implements TopicQuery {
        public static final int TYPE_ID = 5;
        public int typeId() { return TYPE_ID; }
    }
}
