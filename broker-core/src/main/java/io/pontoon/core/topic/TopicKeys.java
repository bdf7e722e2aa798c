package io.pontoon.core.topic;

import io.pontoon.core.codec.BinaryReader;
import io.pontoon.core.codec.BinaryWriter;

/**
 * The keys of the topic model's aux tables; layout in {@code TOPIC_KEYS.md} beside this file. Numbers are big-endian
 * and strings carry their length first, so one topic's subscriptions and one subscription's deliveries are each a
 * contiguous prefix range, and sequences sort in publish order.
 */
public final class TopicKeys {
    private static final int MAX_KEY = 4_096;

    private TopicKeys() {
    }

    public static byte[] topic(String name) {
        return new BinaryWriter(MAX_KEY).string(name).toByteArray();
    }

    /** Every subscription of a topic. */
    public static byte[] subscriptionsOf(String topic) {
        return topic(topic);
    }

    public static byte[] subscription(String topic, String id) {
        return new BinaryWriter(MAX_KEY).string(topic).string(id).toByteArray();
    }

    public static byte[] seq(long seq) {
        return new BinaryWriter(8).i64(seq).toByteArray();
    }

    public static long seqOf(byte[] key) {
        return new BinaryReader(key).i64();
    }

    /** Every pending HTTP delivery of one subscription. */
    public static byte[] httpDeliveriesOf(String subscriptionId) {
        return new BinaryWriter(MAX_KEY).string(subscriptionId).toByteArray();
    }

    public static byte[] httpDelivery(String subscriptionId, long seq) {
        return new BinaryWriter(MAX_KEY).string(subscriptionId).i64(seq).toByteArray();
    }

    public static long httpDeliverySeq(byte[] key) {
        BinaryReader r = new BinaryReader(key);
        r.string();
        return r.i64();
    }
}
