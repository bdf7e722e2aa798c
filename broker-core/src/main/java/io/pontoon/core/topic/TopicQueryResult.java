package io.pontoon.core.topic;

import io.pontoon.core.partition.Model;
import io.pontoon.core.partition.QueryResult;

import java.util.List;

/** Answers to {@link TopicQuery}s (besides the shared Error). */
public sealed interface TopicQueryResult extends QueryResult {

    @Override
    default Model model() { return Model.TOPIC; }

    record TopicFound(Topic topic) implements TopicQueryResult {
        public static final int TYPE_ID = 1;
        public int typeId() { return TYPE_ID; }
    }

    /** @param next the key to continue after, or null at the end */
    record SubscriptionList(List<Subscription> subscriptions, byte[] next) implements TopicQueryResult {
        public static final int TYPE_ID = 2;
        public SubscriptionList {
            subscriptions = List.copyOf(subscriptions);
        }
        public int typeId() { return TYPE_ID; }
    }

    /** @param topicDeliveryPolicy the topic's DeliveryPolicy (null if none, or the topic is gone) */
    record SubscriptionFound(Subscription subscription, String topicDeliveryPolicy) implements TopicQueryResult {
        public static final int TYPE_ID = 3;
        public int typeId() { return TYPE_ID; }
    }

    record OrderedDeliveries(List<Deliveries.Ordered> deliveries) implements TopicQueryResult {
        public static final int TYPE_ID = 4;
        public OrderedDeliveries {
            deliveries = List.copyOf(deliveries);
        }
        public int typeId() { return TYPE_ID; }
    }

    record HttpDeliveries(List<Deliveries.ToHttp> deliveries) implements TopicQueryResult {
        public static final int TYPE_ID = 5;
        public HttpDeliveries {
            deliveries = List.copyOf(deliveries);
        }
        public int typeId() { return TYPE_ID; }
    }
}
