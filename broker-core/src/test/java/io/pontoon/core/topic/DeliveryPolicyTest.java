package io.pontoon.core.topic;

import io.pontoon.core.error.BrokerException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** HTTP(S) delivery policies: SNS's defaults, its four retry phases and backoff functions, overrides and limits. */
class DeliveryPolicyTest {

    private static List<Long> schedule(DeliveryPolicy p) {
        List<Long> out = new ArrayList<>();
        for (int r = 1; r <= p.numRetries(); r++) {
            out.add(p.delayBeforeRetryMs(r));
        }
        return out;
    }

    @Test
    void theDefaultIsThreeRetriesTwentySecondsApartUnthrottled() {
        DeliveryPolicy p = DeliveryPolicy.effective(null, null);
        assertEquals(List.of(20_000L, 20_000L, 20_000L), schedule(p));
        assertEquals(0, p.maxReceivesPerSecond());
        assertEquals("text/plain; charset=UTF-8", p.contentType());
    }

    @Test
    void retriesRunThroughTheImmediatePreBackoffBackoffAndPostBackoffPhases() {
        DeliveryPolicy p = DeliveryPolicy.effective(null, "{\"healthyRetryPolicy\":{\"numRetries\":10,\"numNoDelayRetries\":2,"
                + "\"numMinDelayRetries\":2,\"numMaxDelayRetries\":2,\"minDelayTarget\":1,\"maxDelayTarget\":9,\"backoffFunction\":\"linear\"}}");
        assertEquals(List.of(0L, 0L, 1_000L, 1_000L, 3_000L, 5_000L, 7_000L, 9_000L, 9_000L, 9_000L), schedule(p));
    }

    @Test
    void everyBackoffFunctionGrowsFromTheMinimumToTheMaximum() {
        for (String f : List.of("linear", "arithmetic", "geometric", "exponential")) {
            DeliveryPolicy p = DeliveryPolicy.effective(null, "{\"healthyRetryPolicy\":{\"numRetries\":8,\"minDelayTarget\":2,"
                    + "\"maxDelayTarget\":60,\"backoffFunction\":\"" + f + "\"}}");
            List<Long> s = schedule(p);
            for (int i = 1; i < s.size(); i++) {
                assertTrue(s.get(i) >= s.get(i - 1), f + " never shortens: " + s);
                assertTrue(s.get(i) >= 2_000 && s.get(i) <= 60_000, f + " stays within the targets: " + s);
            }
            assertEquals(60_000L, s.get(s.size() - 1), f + " reaches the maximum");
        }
        long arithmeticFirst = DeliveryPolicy.effective(null, "{\"healthyRetryPolicy\":{\"numRetries\":8,\"minDelayTarget\":2,\"maxDelayTarget\":60,"
                + "\"backoffFunction\":\"arithmetic\"}}").delayBeforeRetryMs(1);
        long geometricFirst = DeliveryPolicy.effective(null, "{\"healthyRetryPolicy\":{\"numRetries\":8,\"minDelayTarget\":2,\"maxDelayTarget\":60,"
                + "\"backoffFunction\":\"geometric\"}}").delayBeforeRetryMs(1);
        assertTrue(geometricFirst > arithmeticFirst, "geometric rises fast at first, arithmetic slowly");
    }

    @Test
    void aSubscriptionOverridesItsTopicUnlessTheTopicForbidsIt() {
        String topic = "{\"http\":{\"defaultHealthyRetryPolicy\":{\"numRetries\":5,\"minDelayTarget\":3,\"maxDelayTarget\":3},"
                + "\"defaultThrottlePolicy\":{\"maxReceivesPerSecond\":7}}}";
        String sub = "{\"healthyRetryPolicy\":{\"numRetries\":1,\"minDelayTarget\":1,\"maxDelayTarget\":1},\"throttlePolicy\":{\"maxReceivesPerSecond\":2}}";
        assertEquals(5, DeliveryPolicy.effective(topic, null).numRetries());
        assertEquals(7, DeliveryPolicy.effective(topic, null).maxReceivesPerSecond());
        assertEquals(1, DeliveryPolicy.effective(topic, sub).numRetries());
        assertEquals(2, DeliveryPolicy.effective(topic, sub).maxReceivesPerSecond());
        String locked = topic.replace("}}}", "},\"disableSubscriptionOverrides\":true}}");
        assertEquals(5, DeliveryPolicy.effective(locked, sub).numRetries(), "disableSubscriptionOverrides keeps the topic's");
    }

    @Test
    void theEffectivePolicyIsShownInTheTopicPolicyShapeAndReadsBackTheSame() {
        DeliveryPolicy p = DeliveryPolicy.effective(null, "{\"healthyRetryPolicy\":{\"numRetries\":4,\"minDelayTarget\":2,\"maxDelayTarget\":9,"
                + "\"backoffFunction\":\"geometric\"},\"throttlePolicy\":{\"maxReceivesPerSecond\":5}}");
        DeliveryPolicy.parseTopic(p.toJson());
        assertEquals(p, DeliveryPolicy.effective(p.toJson(), null));
    }

    @Test
    void invalidPoliciesAreRefusedSayingWhy() {
        for (String bad : List.of("{\"healthyRetryPolicy\":{\"minDelayTarget\":30,\"maxDelayTarget\":10}}",
                "{\"healthyRetryPolicy\":{\"numRetries\":3,\"numNoDelayRetries\":2,\"numMaxDelayRetries\":2}}",
                "{\"healthyRetryPolicy\":{\"numRetries\":100,\"minDelayTarget\":3600,\"maxDelayTarget\":3600}}",
                "{\"healthyRetryPolicy\":{\"backoffFunction\":\"cubic\"}}",
                "{\"healthyRetryPolicy\":{\"numRetries\":1.5}}",
                "{\"unknown\":{}}",
                "not json")) {
            BrokerException e = assertThrows(BrokerException.class, () -> DeliveryPolicy.parseSubscription(bad), bad);
            assertTrue(e.getMessage().startsWith("Invalid parameter: DeliveryPolicy Reason: "), e.getMessage());
        }
        assertThrows(BrokerException.class, () -> DeliveryPolicy.parseTopic("{\"http\":{\"disableSubscriptionOverrides\":\"yes\"}}"));
    }
}
