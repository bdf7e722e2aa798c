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

    public static String arn(String queueName) {
        return "arn:aws:sqs:pontoon:000000000000:" + queueName;
    }
}
