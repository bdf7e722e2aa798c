package io.pontoon.core;

import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;

/** The one place that knows the queue URL format {@code pontoon://queue/<name>}. */
public final class QueueUrls {
    public static final String PREFIX = "pontoon://queue/";

    private QueueUrls() {
    }

    public static String of(String queueName) {
        return PREFIX + queueName;
    }

    /** The queue name inside {@code url}; a URL of another shape is rejected (AWS: InvalidAddress). */
    public static String parse(String url) {
        if (url == null || !url.startsWith(PREFIX) || url.length() == PREFIX.length()
                || url.length() > PREFIX.length() + Limits.MAX_QUEUE_NAME_LENGTH) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE, "not a Pontoon queue URL: " + url);
        }
        return url.substring(PREFIX.length());
    }

    private static final String ARN_PREFIX = "arn:aws:sqs:pontoon:000000000000:";

    public static String arn(String queueName) {
        return ARN_PREFIX + queueName;
    }

    /** The queue name inside a queue ARN, or null if {@code arn} is not one of ours. */
    public static String nameOfArn(String arn) {
        if (arn == null || !arn.startsWith(ARN_PREFIX) || arn.length() == ARN_PREFIX.length()) {
            return null;
        }
        return arn.substring(ARN_PREFIX.length());
    }
}
