package io.pontoon.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pontoon.server.topic.DeliveryObserver;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Per-subscription delivery meters: {@code pontoon_topic_deliveries_total} by subscription, protocol and outcome
 * (delivered, retried, failed) and {@code pontoon_topic_delivery_seconds} (publish to delivery, p50/p99). At most
 * {@link #MAX_SUBSCRIPTIONS} subscriptions get meters of their own on a node; the rest are counted under
 * subscription "other", so a cluster with many subscriptions cannot grow the registry without bound.
 */
final class TopicMetrics implements DeliveryObserver {
    static final int MAX_SUBSCRIPTIONS = 1_000;
    private final MeterRegistry registry;
    private final Map<String, Meters> bySubscription = new ConcurrentHashMap<>();

    private record Meters(Counter delivered, Counter retried, Counter failed, Timer latency) {
    }

    TopicMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void delivered(String subscriptionArn, String protocol, long latencyMs) {
        Meters m = meters(subscriptionArn, protocol);
        m.delivered().increment();
        m.latency().record(Math.max(0, latencyMs), TimeUnit.MILLISECONDS);
    }

    @Override
    public void retried(String subscriptionArn, String protocol) {
        meters(subscriptionArn, protocol).retried().increment();
    }

    @Override
    public void failed(String subscriptionArn, String protocol) {
        meters(subscriptionArn, protocol).failed().increment();
    }

    private Meters meters(String subscriptionArn, String protocol) {
        String key = bySubscription.containsKey(subscriptionArn) || bySubscription.size() < MAX_SUBSCRIPTIONS ? subscriptionArn : "other";
        return bySubscription.computeIfAbsent(key, s -> new Meters(counter(s, protocol, "delivered"), counter(s, protocol, "retried"),
                counter(s, protocol, "failed"), Timer.builder("pontoon.topic.delivery").tag("subscription", s).tag("protocol", protocol)
                .publishPercentiles(0.5, 0.99).register(registry)));
    }

    private Counter counter(String subscription, String protocol, String outcome) {
        return Counter.builder("pontoon.topic.deliveries").tag("subscription", subscription).tag("protocol", protocol)
                .tag("outcome", outcome).register(registry);
    }
}
