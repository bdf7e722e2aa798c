package io.pontoon.core.topic;

import io.pontoon.core.partition.AuxEntry;
import io.pontoon.core.partition.AuxTable;
import io.pontoon.core.partition.StoreTxn;
import io.pontoon.core.partition.StoreView;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The topic model's storage port: typed reads and writes of its aux tables (layout in TOPIC_KEYS.md). */
final class TopicStore {
    private static final int PAGE = 256;

    private TopicStore() {
    }

    static Optional<Topic> topic(StoreView v, String name) {
        return v.aux(AuxTable.TOPIC, TopicKeys.topic(name)).map(TopicCodec::topicOf);
    }

    static void putTopic(StoreTxn txn, Topic t) {
        txn.putAux(AuxTable.TOPIC, TopicKeys.topic(t.name()), TopicCodec.topicValue(t));
    }

    static Optional<Subscription> subscription(StoreView v, String topic, String id) {
        return v.aux(AuxTable.SUBSCRIPTION, TopicKeys.subscription(topic, id)).map(TopicCodec::subscriptionOf);
    }

    static void putSubscription(StoreTxn txn, Subscription s) {
        txn.putAux(AuxTable.SUBSCRIPTION, TopicKeys.subscription(s.topic(), s.id()), TopicCodec.subscriptionValue(s));
    }

    static void deleteSubscription(StoreTxn txn, Subscription s) {
        txn.deleteAux(AuxTable.SUBSCRIPTION, TopicKeys.subscription(s.topic(), s.id()));
    }

    /** Every subscription row of a topic, tombstones included (a topic has at most MAX_SUBSCRIPTIONS_PER_TOPIC live ones). */
    static List<Subscription> subscriptions(StoreView v, String topic) {
        List<Subscription> out = new ArrayList<>();
        byte[] prefix = TopicKeys.subscriptionsOf(topic), after = null;
        while (true) {
            List<AuxEntry> page = v.auxRange(AuxTable.SUBSCRIPTION, prefix, after, PAGE);
            page.forEach(e -> out.add(TopicCodec.subscriptionOf(e.value())));
            if (page.size() < PAGE) {
                return out;
            }
            after = page.get(page.size() - 1).key();
        }
    }

    static Optional<PublishedMessage> message(StoreView v, long seq) {
        return v.aux(AuxTable.TOPIC_MESSAGE, TopicKeys.seq(seq)).map(TopicCodec::messageOf);
    }

    /** Stores a message with its number of pending deliveries. */
    static void putMessage(StoreTxn txn, PublishedMessage m, int deliveries) {
        txn.putAux(AuxTable.TOPIC_MESSAGE, TopicKeys.seq(m.seq()), TopicCodec.messageValue(m));
        txn.putAux(AuxTable.TOPIC_MESSAGE_PENDING, TopicKeys.seq(m.seq()), TopicCodec.longValue(deliveries));
    }

    /** One delivery of message {@code seq} is settled; the last one takes the message with it. */
    static void deliverySettled(StoreTxn txn, long seq) {
        byte[] key = TopicKeys.seq(seq);
        long pending = txn.aux(AuxTable.TOPIC_MESSAGE_PENDING, key).map(TopicCodec::longOf).orElse(0L);
        if (pending <= 1) {
            txn.deleteAux(AuxTable.TOPIC_MESSAGE_PENDING, key);
            txn.deleteAux(AuxTable.TOPIC_MESSAGE, key);
        } else {
            txn.putAux(AuxTable.TOPIC_MESSAGE_PENDING, key, TopicCodec.longValue(pending - 1));
        }
    }

    static void putOrderedDelivery(StoreTxn txn, long seq, TopicCodec.OrderedPointer p) {
        txn.putAux(AuxTable.ORDERED_DELIVERY, TopicKeys.seq(seq), TopicCodec.orderedPointerValue(p));
    }

    static void putHttpDelivery(StoreTxn txn, String subscriptionId, long seq, long messageSeq) {
        txn.putAux(AuxTable.HTTP_DELIVERY, TopicKeys.httpDelivery(subscriptionId, seq), TopicCodec.longValue(messageSeq));
    }

    static boolean hasHttpDeliveries(StoreView v, String subscriptionId) {
        return !v.auxRange(AuxTable.HTTP_DELIVERY, TopicKeys.httpDeliveriesOf(subscriptionId), null, 1).isEmpty();
    }

    static int cap(int limit, int max) {
        return Math.max(1, Math.min(limit, max));
    }
}
