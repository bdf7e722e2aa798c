package io.pontoon.core.topic;


import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

/**
 * An HTTP(S) delivery policy (SNS DeliveryPolicy): how often and how fast a failed delivery is retried, how many
 * deliveries per second an endpoint takes, and the Content-Type of the POST. A subscription's policy overrides its
 * topic's {@code http} defaults unless the topic sets {@code disableSubscriptionOverrides}.
 *
 * <p>The retries run in AWS's four phases: {@code numNoDelayRetries} at once, {@code numMinDelayRetries} after
 * {@code minDelayTarget} each, then the backoff phase (the retries left over) with delays growing from the minimum
 * to the maximum along {@code backoffFunction}, then {@code numMaxDelayRetries} after {@code maxDelayTarget} each.
 * Pontoon's curves over the backoff phase, at fraction x of it: linear x, arithmetic x squared, geometric
 * 1 - (1 - x) squared, exponential (2^(10x) - 1) / 1023. There is no jitter.
 *
 * @param maxReceivesPerSecond 0 = unthrottled
 */
public record DeliveryPolicy(int minDelayTargetS, int maxDelayTargetS, int numRetries, int numNoDelayRetries, int numMinDelayRetries,
                             int numMaxDelayRetries, String backoffFunction, int maxReceivesPerSecond, String contentType) {

    /** AWS's default: 3 retries 20 s apart, no throttle, text/plain. */
    public static final DeliveryPolicy DEFAULT = new DeliveryPolicy(20, 20, 3, 0, 0, 0, "linear", 0, "text/plain; charset=UTF-8");
    private static final Set<String> FUNCTIONS = Set.of("linear", "arithmetic", "geometric", "exponential");
    /** AWS: the retries of one delivery take at most an hour. */
    static final int MAX_TOTAL_RETRY_SECONDS = 3_600;

    /** The policy a delivery follows: the subscription's where it may override the topic's, else the topic's, else the default. */
    public static DeliveryPolicy effective(String topicPolicy, String subscriptionPolicy) {
        DeliveryPolicy base = DEFAULT;
        boolean overridable = true;
        if (topicPolicy != null && !topicPolicy.isEmpty()) {
            Map<?, ?> http = (Map<?, ?>) ((Map<?, ?>) TopicAttributes.json("DeliveryPolicy", topicPolicy)).get("http");
            if (http != null) {
                base = read(base, (Map<?, ?>) http.get("defaultHealthyRetryPolicy"), (Map<?, ?>) http.get("defaultThrottlePolicy"),
                        (Map<?, ?>) http.get("defaultRequestPolicy"));
                overridable = !Boolean.TRUE.equals(http.get("disableSubscriptionOverrides"));
            }
        }
        if (overridable && subscriptionPolicy != null && !subscriptionPolicy.isEmpty()) {
            Map<?, ?> s = (Map<?, ?>) TopicAttributes.json("DeliveryPolicy", subscriptionPolicy);
            base = read(base, (Map<?, ?>) s.get("healthyRetryPolicy"), (Map<?, ?>) s.get("throttlePolicy"), (Map<?, ?>) s.get("requestPolicy"));
        }
        return base;
    }

    /** Checks a topic's DeliveryPolicy: {"http": {"defaultHealthyRetryPolicy": ..., ...}}. */
    public static void parseTopic(String json) {
        Map<?, ?> top = object(TopicAttributes.json("DeliveryPolicy", json), "DeliveryPolicy");
        known(top, Set.of("http"), "DeliveryPolicy");
        if (top.get("http") != null) {
            Map<?, ?> http = object(top.get("http"), "http");
            known(http, Set.of("defaultHealthyRetryPolicy", "disableSubscriptionOverrides", "defaultThrottlePolicy", "defaultRequestPolicy"), "http");
            read(DEFAULT, optionalObject(http.get("defaultHealthyRetryPolicy"), "defaultHealthyRetryPolicy"),
                    optionalObject(http.get("defaultThrottlePolicy"), "defaultThrottlePolicy"),
                    optionalObject(http.get("defaultRequestPolicy"), "defaultRequestPolicy"));
            if (http.get("disableSubscriptionOverrides") != null && !(http.get("disableSubscriptionOverrides") instanceof Boolean)) {
                throw TopicAttributes.invalid("DeliveryPolicy", "disableSubscriptionOverrides must be true or false");
            }
        }
    }

    /** Checks a subscription's DeliveryPolicy: {"healthyRetryPolicy": ..., "throttlePolicy": ..., "requestPolicy": ...}. */
    public static void parseSubscription(String json) {
        Map<?, ?> s = object(TopicAttributes.json("DeliveryPolicy", json), "DeliveryPolicy");
        known(s, Set.of("healthyRetryPolicy", "throttlePolicy", "requestPolicy", "guaranteed"), "DeliveryPolicy");
        read(DEFAULT, optionalObject(s.get("healthyRetryPolicy"), "healthyRetryPolicy"), optionalObject(s.get("throttlePolicy"), "throttlePolicy"),
                optionalObject(s.get("requestPolicy"), "requestPolicy"));
    }

    private static DeliveryPolicy read(DeliveryPolicy base, Map<?, ?> retry, Map<?, ?> throttle, Map<?, ?> request) {
        int min = base.minDelayTargetS, max = base.maxDelayTargetS, n = base.numRetries, none = base.numNoDelayRetries,
                atMin = base.numMinDelayRetries, atMax = base.numMaxDelayRetries, rate = base.maxReceivesPerSecond;
        String function = base.backoffFunction, contentType = base.contentType;
        if (retry != null) {
            known(retry, Set.of("minDelayTarget", "maxDelayTarget", "numRetries", "numNoDelayRetries", "numMinDelayRetries",
                    "numMaxDelayRetries", "backoffFunction"), "healthyRetryPolicy");
            min = integer(retry, "minDelayTarget", min, 1, MAX_TOTAL_RETRY_SECONDS);
            max = integer(retry, "maxDelayTarget", max, 1, MAX_TOTAL_RETRY_SECONDS);
            n = integer(retry, "numRetries", n, 0, 100);
            none = integer(retry, "numNoDelayRetries", none, 0, 100);
            atMin = integer(retry, "numMinDelayRetries", atMin, 0, 100);
            atMax = integer(retry, "numMaxDelayRetries", atMax, 0, 100);
            if (retry.get("backoffFunction") != null) {
                if (!(retry.get("backoffFunction") instanceof String f) || !FUNCTIONS.contains(f)) {
                    throw TopicAttributes.invalid("DeliveryPolicy", "backoffFunction must be one of " + new java.util.TreeSet<>(FUNCTIONS));
                }
                function = f;
            }
        }
        if (throttle != null) {
            known(throttle, Set.of("maxReceivesPerSecond"), "throttlePolicy");
            rate = integer(throttle, "maxReceivesPerSecond", rate, 1, 1_000_000);
        }
        if (request != null) {
            known(request, Set.of("headerContentType"), "requestPolicy");
            if (request.get("headerContentType") != null) {
                if (!(request.get("headerContentType") instanceof String ct) || ct.isEmpty() || ct.length() > 256) {
                    throw TopicAttributes.invalid("DeliveryPolicy", "headerContentType must be a content type");
                }
                contentType = ct;
            }
        }
        DeliveryPolicy p = new DeliveryPolicy(min, max, n, none, atMin, atMax, function, rate, contentType);
        p.check();
        return p;
    }

    private void check() {
        if (minDelayTargetS > maxDelayTargetS) {
            throw TopicAttributes.invalid("DeliveryPolicy", "minDelayTarget " + minDelayTargetS + " is above maxDelayTarget " + maxDelayTargetS);
        }
        if (numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries > numRetries) {
            throw TopicAttributes.invalid("DeliveryPolicy", "numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries must not exceed numRetries");
        }
        long total = 0;
        for (int r = 1; r <= numRetries; r++) {
            total += delayBeforeRetryMs(r);
        }
        if (total > MAX_TOTAL_RETRY_SECONDS * 1000L) {
            throw TopicAttributes.invalid("DeliveryPolicy", "the retries would take " + total / 1000 + " s, more than the "
                    + MAX_TOTAL_RETRY_SECONDS + " s allowed");
        }
    }

    /** The policy as GetTopicAttributes / GetSubscriptionAttributes show it (EffectiveDeliveryPolicy), in SNS's shape. */
    public String toJson() {
        Map<String, Object> retry = new java.util.LinkedHashMap<>();
        retry.put("minDelayTarget", minDelayTargetS);
        retry.put("maxDelayTarget", maxDelayTargetS);
        retry.put("numRetries", numRetries);
        retry.put("numMaxDelayRetries", numMaxDelayRetries);
        retry.put("numNoDelayRetries", numNoDelayRetries);
        retry.put("numMinDelayRetries", numMinDelayRetries);
        retry.put("backoffFunction", backoffFunction);
        Map<String, Object> http = new java.util.LinkedHashMap<>();
        http.put("defaultHealthyRetryPolicy", retry);
        http.put("disableSubscriptionOverrides", false);
        if (maxReceivesPerSecond > 0) {
            http.put("defaultThrottlePolicy", Map.of("maxReceivesPerSecond", maxReceivesPerSecond));
        }
        http.put("defaultRequestPolicy", Map.of("headerContentType", contentType));
        return io.pontoon.core.codec.Json.write(Map.of("http", http));
    }

    /** The wait before retry {@code retry} (1 = the first retry, after the first attempt failed). */
    public long delayBeforeRetryMs(int retry) {
        int backoff = numRetries - numNoDelayRetries - numMinDelayRetries - numMaxDelayRetries;
        if (retry <= numNoDelayRetries) {
            return 0;
        }
        if (retry <= numNoDelayRetries + numMinDelayRetries) {
            return minDelayTargetS * 1000L;
        }
        int i = retry - numNoDelayRetries - numMinDelayRetries;
        if (i <= backoff) {
            double x = (double) i / backoff;
            double f = switch (backoffFunction) {
                case "arithmetic" -> x * x;
                case "geometric" -> 1 - (1 - x) * (1 - x);
                case "exponential" -> (Math.pow(2, 10 * x) - 1) / 1023;
                default -> x;
            };
            return Math.round((minDelayTargetS + (maxDelayTargetS - minDelayTargetS) * f) * 1000);
        }
        return maxDelayTargetS * 1000L;
    }

    private static int integer(Map<?, ?> m, String key, int dflt, int lo, int hi) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof BigDecimal d) || d.stripTrailingZeros().scale() > 0 || d.compareTo(BigDecimal.valueOf(lo)) < 0
                || d.compareTo(BigDecimal.valueOf(hi)) > 0) {
            throw TopicAttributes.invalid("DeliveryPolicy", key + " must be a whole number from " + lo + " to " + hi);
        }
        return d.intValueExact();
    }

    private static Map<?, ?> object(Object v, String what) {
        if (!(v instanceof Map<?, ?> m)) {
            throw TopicAttributes.invalid("DeliveryPolicy", what + " must be a JSON object");
        }
        return m;
    }

    private static Map<?, ?> optionalObject(Object v, String what) {
        return v == null ? null : object(v, what);
    }

    private static void known(Map<?, ?> m, Set<String> keys, String what) {
        for (Object k : m.keySet()) {
            if (!keys.contains(k)) {
                throw TopicAttributes.invalid("DeliveryPolicy", "unknown key '" + k + "' in " + what);
            }
        }
    }

}
