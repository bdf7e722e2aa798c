package io.pontoon.api;

import java.util.regex.Pattern;

/** Queue URL format: {@code pontoon://queue/<queue_name>}. */
public final class QueueUrls {
    private QueueUrls() {}

    public static final String PREFIX = "pontoon://queue/";
    /** AWS queue-name rule: 1..80 chars of [A-Za-z0-9_-], FIFO names end in ".fifo" (counted). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,75}(\\.fifo)?|[A-Za-z0-9_-]{76,80}");

    /**
     * Queue ARNs (RedrivePolicy, move tasks) in their canonical form, {@code arn:aws:sqs:pontoon:000000000000:<queue_name>};
     * a cluster shows them with its configured region and account id ({@link AwsIdentity}) and takes either.
     */
    public static final String ARN_PREFIX = "arn:aws:sqs:pontoon:000000000000:";

    public static String toUrl(String queueName) {
        return PREFIX + queueName;
    }

    public static String arnOf(String queueName) {
        return ARN_PREFIX + queueName;
    }

    /**
     * The queue name in a queue ARN of any region and account.
     *
     * @throws IllegalArgumentException if it is not {@code arn:aws:sqs:REGION:ACCOUNT:<valid name>}
     */
    public static String nameOfArn(String arn) {
        String name = AwsIdentity.resourceOf(arn, "sqs");
        if (!isValidName(name)) {
            throw new IllegalArgumentException("not a queue ARN (expected arn:aws:sqs:REGION:ACCOUNT:<name>): " + arn);
        }
        return name;
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
