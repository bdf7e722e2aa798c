package io.pontoon.server.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Per-subscription delivery meters, bounded in number. */
class TopicMetricsTest {

    @Test
    void eachSubscriptionCountsItsDeliveriesRetriesAndFailuresWithLatency() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        TopicMetrics m = new TopicMetrics(registry);
        m.delivered("arn:s1", "https", 12);
        m.delivered("arn:s1", "https", 30);
        m.retried("arn:s1", "https");
        m.failed("arn:s2", "sqs");
        String text = registry.scrape();
        assertTrue(text.contains("pontoon_topic_deliveries_total{outcome=\"delivered\",protocol=\"https\",subscription=\"arn:s1\"} 2.0"), text);
        assertTrue(text.contains("pontoon_topic_deliveries_total{outcome=\"retried\",protocol=\"https\",subscription=\"arn:s1\"} 1.0"), text);
        assertTrue(text.contains("pontoon_topic_deliveries_total{outcome=\"failed\",protocol=\"sqs\",subscription=\"arn:s2\"} 1.0"), text);
        assertTrue(text.contains("pontoon_topic_delivery_seconds_count{protocol=\"https\",subscription=\"arn:s1\"} 2"), text);
    }

    @Test
    void subscriptionsBeyondTheCapShareTheOtherMeters() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        TopicMetrics m = new TopicMetrics(registry);
        for (int i = 0; i < TopicMetrics.MAX_SUBSCRIPTIONS + 50; i++) {
            m.delivered("arn:s" + i, "sqs", 1);
        }
        String text = registry.scrape();
        assertTrue(text.contains("subscription=\"other\"} 50.0"), "the 50 past the cap are counted together");
        assertFalse(text.contains("subscription=\"arn:s" + (TopicMetrics.MAX_SUBSCRIPTIONS + 1) + "\""));
    }
}
