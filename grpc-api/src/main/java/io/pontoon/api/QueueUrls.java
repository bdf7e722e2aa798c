package io.pontoon.api;

import java.util.regex.Pattern;

/** Queue URL format: {@code pontoon://queue/<queue_name>}. */
public final class QueueUrls {
    private QueueUrls() {}

    public static final String PREFIX = "pontoon://queue/";
    /** AWS queue-name rule: 1..80 chars of [A-Za-z0-9_-], FIFO names end in ".fifo" (counted). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,75}(\\.fifo)?|[A-Za-z0-9_-]{76,80}");

    /** Queue ARNs (RedrivePolicy, move tasks) are {@code arn:aws:sqs:pontoon:000000000000:<queue_name>}. */
    public static final String ARN_PREFIX = "arn:aws:sqs:pontoon:000000000000:";

    public static String toUrl(String queueName) {
        return PREFIX + queueName;
    }

    public static String arnOf(String queueName) {
        return ARN_PREFIX + queueName;
    }

    /** Whether the name satisfies the AWS queue-name rule. */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /**
     * The queue name in a queue URL.
     *
     * @throws IllegalArgumentException if the URL is not {@code pontoon://queue/<valid name>}
     */
    public static String nameOf(String queueUrl) {
        if (queueUrl == null || !queueUrl.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a Pontoon queue URL (expected " + PREFIX + "<name>): " + queueUrl);
        }
        String name = queueUrl.substring(PREFIX.length());
        if (!isValidName(name)) {
            throw new IllegalArgumentException("invalid queue name in queue URL: " + queueUrl);
        }
        return name;
    }
}
