package io.pontoon.core.topic;

import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;

/**
 * Topic and subscription ARNs in the AWS shape ({@code arn:aws:sns:pontoon:000000000000:NAME} and
 * {@code ...:NAME:SUBSCRIPTION_ID}), and the SQS and Kinesis ARNs a subscription names as its endpoint.
 */
public final class TopicArns {
    public static final String TOPIC_PREFIX = "arn:aws:sns:pontoon:000000000000:";
    private static final String QUEUE_PREFIX = "arn:aws:sqs:pontoon:000000000000:";

    private TopicArns() {
    }

    public static String topic(String name) {
        return TOPIC_PREFIX + name;
    }

    public static String subscription(String topic, String subscriptionId) {
        return topic(topic) + ":" + subscriptionId;
    }

    /** The topic a topic ARN names: InvalidParameter if it is not one of ours, NotFound is left to the caller. */
    public static String topicName(String arn, String parameter) {
        if (arn == null || arn.isEmpty()) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER, "Invalid parameter: " + parameter + " is required.");
        }
        if (!arn.startsWith(TOPIC_PREFIX) || arn.indexOf(':', TOPIC_PREFIX.length()) >= 0) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER, "Invalid parameter: " + parameter + " '" + shown(arn)
                    + "' is not a topic ARN of this cluster (" + TOPIC_PREFIX + "NAME).");
        }
        String name = arn.substring(TOPIC_PREFIX.length());
        TopicValidator.topicName(name);
        return name;
    }

    /** (topic name, subscription id) of a subscription ARN. */
    public static String[] subscriptionParts(String arn) {
        int cut = arn == null ? -1 : arn.lastIndexOf(':');
        if (arn == null || !arn.startsWith(TOPIC_PREFIX) || cut <= TOPIC_PREFIX.length()) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER, "Invalid parameter: SubscriptionArn '" + shown(arn)
                    + "' is not a subscription ARN of this cluster (" + TOPIC_PREFIX + "TOPIC:ID).");
        }
        String topic = arn.substring(TOPIC_PREFIX.length(), cut);
        String id = arn.substring(cut + 1);
        TopicValidator.topicName(topic);
        if (id.isEmpty() || id.length() > 64) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER, "Invalid parameter: SubscriptionArn '" + shown(arn) + "' has no valid id.");
        }
        return new String[]{topic, id};
    }

    /** The queue name in an SQS queue ARN of this cluster, or null. */
    public static String queueName(String arn) {
        if (arn == null || !arn.startsWith(QUEUE_PREFIX) || arn.length() == QUEUE_PREFIX.length()) {
            return null;
        }
        String name = arn.substring(QUEUE_PREFIX.length());
        return name.matches("[A-Za-z0-9_-]{1,75}(\\.fifo)?|[A-Za-z0-9_-]{1,80}") ? name : null;
    }

    private static final String STREAM_PREFIX = "arn:aws:kinesis:pontoon:000000000000:stream/";

    /** The stream name in a Kinesis stream ARN of this cluster, or null. */
    public static String streamName(String arn) {
        if (arn == null || !arn.startsWith(STREAM_PREFIX)) {
            return null;
        }
        String name = arn.substring(STREAM_PREFIX.length());
        return name.matches("[a-zA-Z0-9_.-]{1,128}") ? name : null;
    }

    static String shown(String value) {
        return value == null ? "null" : value.length() <= 200 ? value : value.substring(0, 200) + "...";
    }
}
