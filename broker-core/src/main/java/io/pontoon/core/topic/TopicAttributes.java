package io.pontoon.core.topic;

import io.pontoon.core.Limits;
import io.pontoon.core.codec.Json;
import io.pontoon.core.codec.Utf8;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.topic.filter.FilterPolicy;

import java.util.Map;
import java.util.Set;

/** The settable attributes of topics and subscriptions, and their checks (SNS names, values and errors). */
public final class TopicAttributes {
    public static final String DISPLAY_NAME = "DisplayName";
    public static final String POLICY = "Policy";
    public static final String DELIVERY_POLICY = "DeliveryPolicy";
    public static final String FIFO_TOPIC = "FifoTopic";
    public static final String CONTENT_BASED_DEDUPLICATION = "ContentBasedDeduplication";
    public static final String SIGNATURE_VERSION = "SignatureVersion";
    public static final String TRACING_CONFIG = "TracingConfig";

    public static final String RAW_MESSAGE_DELIVERY = "RawMessageDelivery";
    public static final String FILTER_POLICY = "FilterPolicy";
    public static final String FILTER_POLICY_SCOPE = "FilterPolicyScope";
    public static final String REDRIVE_POLICY = "RedrivePolicy";

    private static final Set<String> TOPIC = Set.of(DISPLAY_NAME, POLICY, DELIVERY_POLICY, FIFO_TOPIC, CONTENT_BASED_DEDUPLICATION,
            SIGNATURE_VERSION, TRACING_CONFIG);
    private static final Set<String> SUBSCRIPTION = Set.of(RAW_MESSAGE_DELIVERY, FILTER_POLICY, FILTER_POLICY_SCOPE, REDRIVE_POLICY,
            DELIVERY_POLICY);

    private TopicAttributes() {
    }

    /** A topic attribute at CreateTopic ({@code creating}) or SetTopicAttributes. */
    public static void topicAttribute(String topicName, String name, String value, boolean creating) {
        if (!TOPIC.contains(name)) {
            throw invalid("AttributeName", "unknown topic attribute '" + TopicArns.shown(name) + "'; settable: " + new java.util.TreeSet<>(TOPIC));
        }
        size(name, value);
        boolean fifo = topicName.endsWith(".fifo");
        switch (name) {
            case DISPLAY_NAME -> {
                if (value.length() > 100) {
                    throw invalid(name, "at most 100 characters");
                }
            }
            case POLICY -> json(name, value);
            case DELIVERY_POLICY -> DeliveryPolicy.parseTopic(value);
            case FIFO_TOPIC -> {
                if (!creating) {
                    throw invalid(name, "FifoTopic can only be set when the topic is created");
                }
                bool(name, value);
                if (Boolean.parseBoolean(value) != fifo) {
                    throw invalid(name, fifo ? "a topic whose name ends in .fifo must be a FIFO topic"
                            : "a FIFO topic's name must end in .fifo");
                }
            }
            case CONTENT_BASED_DEDUPLICATION -> {
                bool(name, value);
                if (!fifo) {
                    throw invalid(name, "ContentBasedDeduplication is only for FIFO topics");
                }
            }
            case SIGNATURE_VERSION -> {
                if (!value.equals("1") && !value.equals("2")) {
                    throw invalid(name, "must be 1 or 2");
                }
            }
            case TRACING_CONFIG -> {
                if (!value.equals("PassThrough") && !value.equals("Active")) {
                    throw invalid(name, "must be PassThrough or Active");
                }
            }
            default -> throw new IllegalStateException(name);
        }
    }

    /** A subscription attribute at Subscribe or SetSubscriptionAttributes, for a subscription of {@code protocol}. */
    public static void subscriptionAttribute(String protocol, String name, String value, Map<String, String> others) {
        if (!SUBSCRIPTION.contains(name)) {
            throw invalid("AttributeName", "unknown subscription attribute '" + TopicArns.shown(name) + "'; settable: " + new java.util.TreeSet<>(SUBSCRIPTION));
        }
        size(name, value);
        switch (name) {
            case RAW_MESSAGE_DELIVERY -> bool(name, value);
            case FILTER_POLICY -> {
                if (!value.isEmpty()) {
                    filterPolicy(value, others.getOrDefault(FILTER_POLICY_SCOPE, "MessageAttributes"));
                }
            }
            case FILTER_POLICY_SCOPE -> {
                scope(value);
                String policy = others.get(FILTER_POLICY);
                if (policy != null && !policy.isEmpty()) {
                    filterPolicy(policy, value);
                }
            }
            case REDRIVE_POLICY -> {
                if (!value.isEmpty()) {
                    deadLetterQueue(value);
                }
            }
            case DELIVERY_POLICY -> {
                if (!protocol.equals("http") && !protocol.equals("https")) {
                    throw invalid(name, "DeliveryPolicy is only for http and https subscriptions");
                }
                DeliveryPolicy.parseSubscription(value);
            }
            default -> throw new IllegalStateException(name);
        }
    }

    /** Compiles a filter policy, turning its faults into InvalidParameter: FilterPolicy messages. */
    public static FilterPolicy filterPolicy(String policy, String scope) {
        try {
            return FilterPolicy.compile(policy, scope(scope));
        } catch (IllegalArgumentException e) {
            throw invalid(FILTER_POLICY, e.getMessage());
        }
    }

    static FilterPolicy.Scope scope(String value) {
        return switch (value) {
            case "MessageAttributes" -> FilterPolicy.Scope.MESSAGE_ATTRIBUTES;
            case "MessageBody" -> FilterPolicy.Scope.MESSAGE_BODY;
            default -> throw invalid(FILTER_POLICY_SCOPE, "must be MessageAttributes or MessageBody");
        };
    }

    /** The queue named by a RedrivePolicy's deadLetterTargetArn. */
    public static String deadLetterQueue(String redrivePolicy) {
        if (!(json(REDRIVE_POLICY, redrivePolicy) instanceof Map<?, ?> m) || !(m.get("deadLetterTargetArn") instanceof String arn)) {
            throw invalid(REDRIVE_POLICY, "must be a JSON object with deadLetterTargetArn, the ARN of an SQS queue");
        }
        String queue = TopicArns.queueName(arn);
        if (queue == null) {
            throw invalid(REDRIVE_POLICY, "deadLetterTargetArn '" + TopicArns.shown(arn) + "' is not a queue ARN of this cluster");
        }
        return queue;
    }

    static Object json(String name, String value) {
        try {
            return Json.parse(value);
        } catch (IllegalArgumentException e) {
            throw invalid(name, "not valid JSON: " + e.getMessage());
        }
    }

    private static void bool(String name, String value) {
        if (!value.equals("true") && !value.equals("false")) {
            throw invalid(name, "must be true or false");
        }
    }

    private static void size(String name, String value) {
        if (value == null || Utf8.length(value) > Limits.MAX_TOPIC_ATTRIBUTE_BYTES) {
            throw invalid(name, "the value must be at most " + Limits.MAX_TOPIC_ATTRIBUTE_BYTES + " bytes");
        }
    }

    static BrokerException invalid(String name, String why) {
        return new BrokerException(ErrorCode.INVALID_PARAMETER, "Invalid parameter: " + name + " Reason: " + why);
    }
}
