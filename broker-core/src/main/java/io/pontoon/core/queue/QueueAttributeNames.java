package io.pontoon.core.queue;

import io.pontoon.core.Limits;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.queue.FifoSettings;
import io.pontoon.core.queue.FifoSettings.DeduplicationScope;
import io.pontoon.core.queue.FifoSettings.FifoThroughputLimit;
import io.pontoon.core.queue.QueueAttributes;
import io.pontoon.core.queue.RedriveAllowPolicy;
import io.pontoon.core.queue.RedrivePolicy;

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
    public static final String CONTENT_BASED_DEDUPLICATION = "ContentBasedDeduplication";
    public static final String DEDUPLICATION_SCOPE = "DeduplicationScope";
    public static final String FIFO_THROUGHPUT_LIMIT = "FifoThroughputLimit";
    public static final String REDRIVE_POLICY = "RedrivePolicy";
    public static final String REDRIVE_ALLOW_POLICY = "RedriveAllowPolicy";
    public static final String APPROXIMATE_NUMBER_OF_MESSAGES = "ApproximateNumberOfMessages";
    public static final String APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE = "ApproximateNumberOfMessagesNotVisible";
    public static final String APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED = "ApproximateNumberOfMessagesDelayed";
    public static final String CREATED_TIMESTAMP = "CreatedTimestamp";
    public static final String LAST_MODIFIED_TIMESTAMP = "LastModifiedTimestamp";
    public static final String QUEUE_ARN = "QueueArn";

    /** Real SQS attributes Pontoon does not implement yet: setting them is UnsupportedOperation, getting them returns nothing. */
    public static final Set<String> NOT_YET_SUPPORTED = Set.of("Policy", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds",
            "SqsManagedSseEnabled");

    public static final Set<String> FIFO_ONLY = Set.of(CONTENT_BASED_DEDUPLICATION, DEDUPLICATION_SCOPE, FIFO_THROUGHPUT_LIMIT);

    public static final Set<String> SETTABLE = Set.of(VISIBILITY_TIMEOUT, MESSAGE_RETENTION_PERIOD, DELAY_SECONDS,
            RECEIVE_MESSAGE_WAIT_TIME_SECONDS, MAXIMUM_MESSAGE_SIZE, CONTENT_BASED_DEDUPLICATION, DEDUPLICATION_SCOPE,
            FIFO_THROUGHPUT_LIMIT, REDRIVE_POLICY, REDRIVE_ALLOW_POLICY);

    public static final Set<String> READ_ONLY = Set.of(APPROXIMATE_NUMBER_OF_MESSAGES, APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
            APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, CREATED_TIMESTAMP, LAST_MODIFIED_TIMESTAMP, QUEUE_ARN);

    static final int MAX_RECEIVE_COUNT = 1_000;
    private static final int MAX_REDRIVE_SOURCE_ARNS = 10;
    static final int MAX_POLICY_LENGTH = 10_240;

    private QueueAttributeNames() {
    }

    /** Whether GetQueueAttributes accepts the name. */
    public static boolean isGettable(String name) {
        return ALL.equals(name) || SETTABLE.contains(name) || READ_ONLY.contains(name)
                || NOT_YET_SUPPORTED.contains(name) || FIFO_QUEUE.equals(name);
    }

    /**
     * Applies SQS-named settable attributes of queue {@code queueName} onto {@code base}. {@code creating}
     * allows FifoQueue, whose value must agree with the name. Throws BrokerException for unknown names, bad
     * values, and FIFO-only attributes on a standard queue.
     */
    public static QueueAttributes apply(String queueName, QueueAttributes base, Map<String, String> attributes, boolean creating) {
        boolean fifo = QueueAttributes.isFifoName(queueName);
        int vt = base.visibilityTimeoutSeconds(), ret = base.messageRetentionPeriodSeconds(), delay = base.delaySeconds();
        int wait = base.receiveMessageWaitTimeSeconds(), max = base.maximumMessageSizeBytes();
        FifoSettings f = fifo ? (base.fifo() == null ? FifoSettings.DEFAULTS : base.fifo()) : null;
        RedrivePolicy redrive = base.redrivePolicy();
        RedriveAllowPolicy allow = base.redriveAllowPolicy();
        for (Map.Entry<String, String> e : new TreeMap<>(attributes).entrySet()) {
            String name = e.getKey(), value = e.getValue();
            if (FIFO_ONLY.contains(name) && !fifo) {
                throw new BrokerException(ErrorCode.INVALID_ATTRIBUTE_NAME, "Unknown Attribute " + name + ".");
            }
            switch (name == null ? "" : name) {
                case VISIBILITY_TIMEOUT -> vt = intInRange(name, value, 0, Limits.MAX_VISIBILITY_TIMEOUT_SECONDS);
                case MESSAGE_RETENTION_PERIOD -> ret = intInRange(name, value, Limits.MIN_RETENTION_SECONDS, Limits.MAX_RETENTION_SECONDS);
                case DELAY_SECONDS -> delay = intInRange(name, value, 0, Limits.MAX_DELAY_SECONDS);
                case RECEIVE_MESSAGE_WAIT_TIME_SECONDS -> wait = intInRange(name, value, 0, Limits.MAX_WAIT_TIME_SECONDS);
                case MAXIMUM_MESSAGE_SIZE -> max = intInRange(name, value, Limits.MIN_MAXIMUM_MESSAGE_SIZE_BYTES, Limits.MAX_MAXIMUM_MESSAGE_SIZE_BYTES);
                case FIFO_QUEUE -> checkFifoFlag(value, creating, fifo);
                case CONTENT_BASED_DEDUPLICATION -> f = new FifoSettings(bool(name, value), f.deduplicationScope(), f.fifoThroughputLimit());
                case DEDUPLICATION_SCOPE -> f = new FifoSettings(f.contentBasedDeduplication(),
                        oneOf(name, value, DeduplicationScope.values(), DeduplicationScope::awsName), f.fifoThroughputLimit());
                case FIFO_THROUGHPUT_LIMIT -> f = new FifoSettings(f.contentBasedDeduplication(), f.deduplicationScope(),
                        oneOf(name, value, FifoThroughputLimit.values(), FifoThroughputLimit::awsName));
                case REDRIVE_POLICY -> redrive = RedrivePolicies.parseRedrivePolicy(queueName, value, MAX_RECEIVE_COUNT, MAX_POLICY_LENGTH);
                case REDRIVE_ALLOW_POLICY -> allow = RedrivePolicies.parseAllowPolicy(value, MAX_REDRIVE_SOURCE_ARNS, MAX_POLICY_LENGTH);
                default -> rejectUnknown(name);
            }
        }
        if (fifo && creating && !"true".equals(attributes.get(FIFO_QUEUE))) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "The name of a FIFO queue can only end with .fifo when the attribute FifoQueue is true");
        }
        checkThroughputPair(f);
        return new QueueAttributes(vt, ret, delay, wait, max, base.tags(), f, redrive, allow);
    }

    private static void checkThroughputPair(FifoSettings f) {
        if (f != null && f.fifoThroughputLimit() == FifoThroughputLimit.PER_MESSAGE_GROUP_ID
                && f.deduplicationScope() != DeduplicationScope.MESSAGE_GROUP) {
            throw new BrokerException(ErrorCode.INVALID_ATTRIBUTE_VALUE,
                    "Invalid value for the parameter FifoThroughputLimit: perMessageGroupId requires DeduplicationScope messageGroup.");
        }
    }

    /** Range-checks an already typed attribute set (CreateQueue carries typed attributes). */
    public static void check(String queueName, QueueAttributes a) {
        requireRange(VISIBILITY_TIMEOUT, a.visibilityTimeoutSeconds(), 0, Limits.MAX_VISIBILITY_TIMEOUT_SECONDS);
        requireRange(MESSAGE_RETENTION_PERIOD, a.messageRetentionPeriodSeconds(), Limits.MIN_RETENTION_SECONDS, Limits.MAX_RETENTION_SECONDS);
        requireRange(DELAY_SECONDS, a.delaySeconds(), 0, Limits.MAX_DELAY_SECONDS);
        requireRange(RECEIVE_MESSAGE_WAIT_TIME_SECONDS, a.receiveMessageWaitTimeSeconds(), 0, Limits.MAX_WAIT_TIME_SECONDS);
        requireRange(MAXIMUM_MESSAGE_SIZE, a.maximumMessageSizeBytes(), Limits.MIN_MAXIMUM_MESSAGE_SIZE_BYTES, Limits.MAX_MAXIMUM_MESSAGE_SIZE_BYTES);
        if (a.isFifo() != QueueAttributes.isFifoName(queueName)) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE, "A queue is FIFO exactly when its name ends with .fifo");
        }
        checkThroughputPair(a.fifo());
        if (a.redrivePolicy() != null) {
            RedrivePolicies.checkTarget(queueName, a.redrivePolicy(), MAX_RECEIVE_COUNT);
        }
    }

    private static void checkFifoFlag(String value, boolean creating, boolean fifoName) {
        if (!creating) {
            throw new BrokerException(ErrorCode.INVALID_ATTRIBUTE_NAME, "FifoQueue can only be set when the queue is created");
        }
        if (!"true".equals(value) && !"false".equals(value)) {
            throw new BrokerException(ErrorCode.INVALID_ATTRIBUTE_VALUE, "Invalid value for the parameter FifoQueue.");
        }
        if ("true".equals(value) != fifoName) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "The name of a FIFO queue must end with the .fifo suffix, and only FIFO queues may use it.");
        }
    }

    private static boolean bool(String name, String value) {
        if ("true".equals(value) || "false".equals(value)) {
            return Boolean.parseBoolean(value);
        }
        throw new BrokerException(ErrorCode.INVALID_ATTRIBUTE_VALUE, "Invalid value for the parameter " + name + ".");
    }

    private static <E> E oneOf(String name, String value, E[] values, java.util.function.Function<E, String> awsName) {
        for (E v : values) {
            if (awsName.apply(v).equals(value)) {
                return v;
            }
        }
        throw new BrokerException(ErrorCode.INVALID_ATTRIBUTE_VALUE, "Invalid value for the parameter " + name + ".");
    }

    private static void rejectUnknown(String name) {
        if (NOT_YET_SUPPORTED.contains(name)) {
            throw new BrokerException(ErrorCode.UNSUPPORTED_OPERATION, "Attribute " + name + " is not supported yet");
        }
        throw new BrokerException(ErrorCode.INVALID_ATTRIBUTE_NAME, "Unknown Attribute " + name + ".");
    }

    /** Decimal digits only, as SQS accepts them ("60"; not "+60", " 60" or "60.0"). */
    static int intInRange(String name, String value, int min, int max) {
        if (value == null || value.isEmpty() || value.length() > 10 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new BrokerException(ErrorCode.INVALID_ATTRIBUTE_VALUE, "Invalid value for the parameter " + name + ".");
        }
        long v = Long.parseLong(value);
        requireRange(name, v, min, max);
        return (int) v;
    }

    static void requireRange(String name, long v, int min, int max) {
        if (v < min || v > max) {
            throw new BrokerException(ErrorCode.INVALID_ATTRIBUTE_VALUE,
                    "Invalid value for the parameter " + name + ": must be between " + min + " and " + max + ".");
        }
    }
}
