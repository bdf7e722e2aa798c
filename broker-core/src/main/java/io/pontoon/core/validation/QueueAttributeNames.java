package io.pontoon.core.validation;

import io.pontoon.core.Limits;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.queue.QueueAttributes;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** SQS queue attribute names, and parsing of the settable ones onto {@link QueueAttributes}. */
public final class QueueAttributeNames {
    public static final String ALL = "All";
    public static final String VISIBILITY_TIMEOUT = "VisibilityTimeout";
    public static final String MESSAGE_RETENTION_PERIOD = "MessageRetentionPeriod";
    public static final String DELAY_SECONDS = "DelaySeconds";
    public static final String RECEIVE_MESSAGE_WAIT_TIME_SECONDS = "ReceiveMessageWaitTimeSeconds";
    public static final String MAXIMUM_MESSAGE_SIZE = "MaximumMessageSize";
    public static final String FIFO_QUEUE = "FifoQueue";
    public static final String APPROXIMATE_NUMBER_OF_MESSAGES = "ApproximateNumberOfMessages";
    public static final String APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE = "ApproximateNumberOfMessagesNotVisible";
    public static final String APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED = "ApproximateNumberOfMessagesDelayed";
    public static final String CREATED_TIMESTAMP = "CreatedTimestamp";
    public static final String LAST_MODIFIED_TIMESTAMP = "LastModifiedTimestamp";
    public static final String QUEUE_ARN = "QueueArn";

    /** Real SQS attributes Pontoon does not implement yet: setting them is UnsupportedOperation, getting them returns nothing. */
    public static final Set<String> NOT_YET_SUPPORTED = Set.of("RedrivePolicy", "RedriveAllowPolicy", "Policy",
            "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled", "ContentBasedDeduplication",
            "DeduplicationScope", "FifoThroughputLimit");

    public static final Set<String> SETTABLE = Set.of(VISIBILITY_TIMEOUT, MESSAGE_RETENTION_PERIOD, DELAY_SECONDS,
            RECEIVE_MESSAGE_WAIT_TIME_SECONDS, MAXIMUM_MESSAGE_SIZE);

    public static final Set<String> READ_ONLY = Set.of(APPROXIMATE_NUMBER_OF_MESSAGES, APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
            APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, CREATED_TIMESTAMP, LAST_MODIFIED_TIMESTAMP, QUEUE_ARN);

    private QueueAttributeNames() {
    }

    /** Whether GetQueueAttributes accepts the name. */
    public static boolean isGettable(String name) {
        return ALL.equals(name) || SETTABLE.contains(name) || READ_ONLY.contains(name)
                || NOT_YET_SUPPORTED.contains(name) || FIFO_QUEUE.equals(name);
    }

    /**
     * Applies SQS-named settable attributes onto {@code base}. {@code creating} allows FifoQueue=false
     * (a standard queue). Throws BrokerException for unknown names or bad values.
     */
    public static QueueAttributes apply(QueueAttributes base, Map<String, String> attributes, boolean creating) {
        int vt = base.visibilityTimeoutSeconds(), ret = base.messageRetentionPeriodSeconds(), delay = base.delaySeconds();
        int wait = base.receiveMessageWaitTimeSeconds(), max = base.maximumMessageSizeBytes();
        for (Map.Entry<String, String> e : new TreeMap<>(attributes).entrySet()) {
            String name = e.getKey(), value = e.getValue();
            switch (name == null ? "" : name) {
                case VISIBILITY_TIMEOUT -> vt = intInRange(name, value, 0, Limits.MAX_VISIBILITY_TIMEOUT_SECONDS);
                case MESSAGE_RETENTION_PERIOD -> ret = intInRange(name, value, Limits.MIN_RETENTION_SECONDS, Limits.MAX_RETENTION_SECONDS);
                case DELAY_SECONDS -> delay = intInRange(name, value, 0, Limits.MAX_DELAY_SECONDS);
                case RECEIVE_MESSAGE_WAIT_TIME_SECONDS -> wait = intInRange(name, value, 0, Limits.MAX_WAIT_TIME_SECONDS);
                case MAXIMUM_MESSAGE_SIZE -> max = intInRange(name, value, Limits.MIN_MAXIMUM_MESSAGE_SIZE_BYTES, Limits.MAX_MAXIMUM_MESSAGE_SIZE_BYTES);
                case FIFO_QUEUE -> checkFifoFlag(value, creating);
                default -> rejectUnknown(name);
            }
        }
        return new QueueAttributes(vt, ret, delay, wait, max, base.tags());
    }

    /** Range-checks an already typed attribute set (CreateQueue carries typed attributes). */
    public static void check(QueueAttributes a) {
        requireRange(VISIBILITY_TIMEOUT, a.visibilityTimeoutSeconds(), 0, Limits.MAX_VISIBILITY_TIMEOUT_SECONDS);
        requireRange(MESSAGE_RETENTION_PERIOD, a.messageRetentionPeriodSeconds(), Limits.MIN_RETENTION_SECONDS, Limits.MAX_RETENTION_SECONDS);
        requireRange(DELAY_SECONDS, a.delaySeconds(), 0, Limits.MAX_DELAY_SECONDS);
        requireRange(RECEIVE_MESSAGE_WAIT_TIME_SECONDS, a.receiveMessageWaitTimeSeconds(), 0, Limits.MAX_WAIT_TIME_SECONDS);
        requireRange(MAXIMUM_MESSAGE_SIZE, a.maximumMessageSizeBytes(), Limits.MIN_MAXIMUM_MESSAGE_SIZE_BYTES, Limits.MAX_MAXIMUM_MESSAGE_SIZE_BYTES);
    }

    private static void checkFifoFlag(String value, boolean creating) {
        if (!creating) {
            throw new BrokerException(ErrorCode.INVALID_ATTRIBUTE_NAME, "FifoQueue can only be set when the queue is created");
        }
        if ("true".equals(value)) {
            throw new BrokerException(ErrorCode.UNSUPPORTED_OPERATION, "FIFO queues are not supported yet");
        }
        if (!"false".equals(value)) {
            throw new BrokerException(ErrorCode.INVALID_ATTRIBUTE_VALUE, "Invalid value for the parameter FifoQueue.");
        }
    }

    private static void rejectUnknown(String name) {
        if (NOT_YET_SUPPORTED.contains(name)) {
            throw new BrokerException(ErrorCode.UNSUPPORTED_OPERATION, "Attribute " + name + " is not supported yet");
        }
        throw new BrokerException(ErrorCode.INVALID_ATTRIBUTE_NAME, "Unknown Attribute " + name + ".");
    }

    /** Decimal digits only, as SQS accepts them ("60"; not "+60", " 60" or "60.0"). */
    private static int intInRange(String name, String value, int min, int max) {
        if (value == null || value.isEmpty() || value.length() > 10 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new BrokerException(ErrorCode.INVALID_ATTRIBUTE_VALUE, "Invalid value for the parameter " + name + ".");
        }
        long v = Long.parseLong(value);
        requireRange(name, v, min, max);
        return (int) v;
    }

    private static void requireRange(String name, long v, int min, int max) {
        if (v < min || v > max) {
            throw new BrokerException(ErrorCode.INVALID_ATTRIBUTE_VALUE,
                    "Invalid value for the parameter " + name + ": must be between " + min + " and " + max + ".");
        }
    }
}
