package io.pontoon.core.topic;

import java.util.Map;
import java.util.TreeMap;

/**
 * A subscription as stored beside its topic. {@code token} is the confirmation token of a pending HTTP(S)
 * subscription (null once confirmed, and for queue subscriptions, which need no confirmation). An unsubscribed HTTP(S)
 * subscription stays as a {@code deleted} tombstone until the fan-out has dropped its pending deliveries (which are
 * keyed by subscription), so that no delivery and no message outlives it unseen.
 */
public record Subscription(String id, String topic, String protocol, String endpoint, Map<String, String> attributes,
                           boolean confirmed, String token, long createdMs, boolean deleted) {
    public Subscription {
        attributes = java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
    }

    public boolean isHttp() {
        return protocol.equals("http") || protocol.equals("https");
    }

    public boolean rawMessageDelivery() {
        return "true".equalsIgnoreCase(attributes.get(TopicAttributes.RAW_MESSAGE_DELIVERY));
    }

    public String filterPolicy() {
        String p = attributes.get(TopicAttributes.FILTER_POLICY);
        return p == null || p.isEmpty() ? null : p;
    }

    /** The dead-letter queue's name from the RedrivePolicy, or null. */
    public String deadLetterQueue() {
        String policy = attributes.get(TopicAttributes.REDRIVE_POLICY);
        return policy == null || policy.isEmpty() ? null : TopicAttributes.deadLetterQueue(policy);
    }

    Subscription withAttributes(Map<String, String> a) {
        return new Subscription(id, topic, protocol, endpoint, a, confirmed, token, createdMs, deleted);
    }

    Subscription asConfirmed() {
        return new Subscription(id, topic, protocol, endpoint, attributes, true, null, createdMs, deleted);
    }

    Subscription tombstone() {
        return new Subscription(id, topic, protocol, endpoint, attributes, confirmed, null, createdMs, true);
    }

    public String arn() {
        return TopicArns.subscription(topic, id);
    }
}
