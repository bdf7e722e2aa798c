package io.pontoon.core.queue;

import io.pontoon.core.Limits;
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

    /**
     * The queue name inside {@code url}: MissingParameter when absent, InvalidAddress (as AWS) when it is not a
     * Pontoon queue URL, InvalidParameterValue when the name in it is not a valid queue name.
     */
    public static String parse(String url) {
        if (url == null || url.isEmpty()) {
            throw new BrokerException(ErrorCode.MISSING_PARAMETER, "The request must contain the parameter QueueUrl.");
        }
        if (!url.startsWith(PREFIX) || url.length() == PREFIX.length() || url.length() > PREFIX.length() + Limits.MAX_QUEUE_NAME_LENGTH) {
            throw new BrokerException(ErrorCode.INVALID_ADDRESS, "The address " + shorten(url) + " is not a valid Pontoon queue URL ("
                    + PREFIX + "<queue name of 1 to " + Limits.MAX_QUEUE_NAME_LENGTH + " characters>).");
        }
        String name = url.substring(PREFIX.length());
        io.pontoon.core.queue.QueueValidator.queueName(name);
        return name;
    }

    /** A client's value quoted in an error message, cut so that an oversized one does not make the error oversized. */
    private static String shorten(String value) {
        return value.length() <= 200 ? value : value.substring(0, 200) + "... (" + value.length() + " characters)";
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
