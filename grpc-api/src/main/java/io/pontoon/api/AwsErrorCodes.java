package io.pontoon.api;

import io.grpc.Status;

/**
 * AWS error codes used in {@link io.pontoon.api.v1.ErrorDetail#getAwsCode()} and batch
 * {@code BatchResultErrorEntry.code}, with the gRPC status each one travels under.
 * See grpc-api/PROTOCOL.md ("Errors").
 */
public final class AwsErrorCodes {
    private AwsErrorCodes() {}

    // INVALID_ARGUMENT
    public static final String INVALID_PARAMETER_VALUE = "InvalidParameterValue";
    public static final String MISSING_PARAMETER = "MissingParameter";
    public static final String INVALID_ATTRIBUTE_NAME = "InvalidAttributeName";
    public static final String INVALID_ATTRIBUTE_VALUE = "InvalidAttributeValue";
    public static final String INVALID_MESSAGE_CONTENTS = "InvalidMessageContents";
    public static final String INVALID_ADDRESS = "InvalidAddress";
    public static final String INVALID_ID_FORMAT = "InvalidIdFormat";
    public static final String RECEIPT_HANDLE_IS_INVALID = "ReceiptHandleIsInvalid";
    public static final String TOO_MANY_ENTRIES_IN_BATCH_REQUEST = "AWS.SimpleQueueService.TooManyEntriesInBatchRequest";
    public static final String EMPTY_BATCH_REQUEST = "AWS.SimpleQueueService.EmptyBatchRequest";
    public static final String BATCH_ENTRY_IDS_NOT_DISTINCT = "AWS.SimpleQueueService.BatchEntryIdsNotDistinct";
    public static final String BATCH_REQUEST_TOO_LONG = "AWS.SimpleQueueService.BatchRequestTooLong";
    public static final String INVALID_BATCH_ENTRY_ID = "AWS.SimpleQueueService.InvalidBatchEntryId";
    public static final String UNSUPPORTED_OPERATION = "AWS.SimpleQueueService.UnsupportedOperation";
    /** Kinesis: a malformed or out-of-range argument. */
    public static final String INVALID_ARGUMENT = "InvalidArgumentException";
    // NOT_FOUND
    public static final String NON_EXISTENT_QUEUE = "AWS.SimpleQueueService.NonExistentQueue";
    public static final String RESOURCE_NOT_FOUND = "ResourceNotFoundException";
    // ALREADY_EXISTS
    public static final String QUEUE_ALREADY_EXISTS = "QueueAlreadyExists";
    // FAILED_PRECONDITION
    public static final String PURGE_QUEUE_IN_PROGRESS = "AWS.SimpleQueueService.PurgeQueueInProgress";
    public static final String MESSAGE_NOT_INFLIGHT = "AWS.SimpleQueueService.MessageNotInflight";
    public static final String QUEUE_DELETED_RECENTLY = "AWS.SimpleQueueService.QueueDeletedRecently";
    /** Kinesis: the shard iterator is older than 5 minutes; get a new one. */
    public static final String EXPIRED_ITERATOR = "ExpiredIteratorException";
    public static final String EXPIRED_NEXT_TOKEN = "ExpiredNextTokenException";
    /** Kinesis: the stream or consumer exists, is changing, or a subscription holds the shard. */
    public static final String RESOURCE_IN_USE = "ResourceInUseException";
    // RESOURCE_EXHAUSTED
    public static final String OVER_LIMIT = "OverLimit";
    public static final String REQUEST_THROTTLED = "RequestThrottled";
    /** Kinesis: a shard's rate was exceeded; retry with backoff. */
    public static final String PROVISIONED_THROUGHPUT_EXCEEDED = "ProvisionedThroughputExceededException";
    /** Kinesis: a count limit (shards, consumers, scalings per day). */
    public static final String LIMIT_EXCEEDED = "LimitExceededException";
    /**
     * What a client reports for RESOURCE_EXHAUSTED without an error detail: gRPC itself refused a message over the
     * size limit (a request over the server's, or a response over the client's). Not retryable.
     */
    public static final String REQUEST_ENTITY_TOO_LARGE = "RequestEntityTooLarge";
    // UNAVAILABLE (retryable)
    public static final String SERVICE_UNAVAILABLE = "ServiceUnavailable";
    // DEADLINE_EXCEEDED
    public static final String REQUEST_TIMEOUT = "RequestTimeout";
    // INTERNAL
    public static final String INTERNAL_FAILURE = "InternalFailure";

    /** The gRPC status code a given AWS code is sent with (INTERNAL for unknown codes). */
    public static Status.Code statusFor(String awsCode) {
        if (awsCode == null) return Status.Code.INTERNAL;
        return switch (awsCode) {
            case INVALID_PARAMETER_VALUE, MISSING_PARAMETER, INVALID_ATTRIBUTE_NAME, INVALID_ATTRIBUTE_VALUE,
                 INVALID_MESSAGE_CONTENTS, INVALID_ADDRESS, INVALID_ID_FORMAT, RECEIPT_HANDLE_IS_INVALID,
                 TOO_MANY_ENTRIES_IN_BATCH_REQUEST, EMPTY_BATCH_REQUEST, BATCH_ENTRY_IDS_NOT_DISTINCT,
                 BATCH_REQUEST_TOO_LONG, INVALID_BATCH_ENTRY_ID, UNSUPPORTED_OPERATION, INVALID_ARGUMENT -> Status.Code.INVALID_ARGUMENT;
            case NON_EXISTENT_QUEUE, RESOURCE_NOT_FOUND -> Status.Code.NOT_FOUND;
            case QUEUE_ALREADY_EXISTS -> Status.Code.ALREADY_EXISTS;
            case PURGE_QUEUE_IN_PROGRESS, MESSAGE_NOT_INFLIGHT, QUEUE_DELETED_RECENTLY, EXPIRED_ITERATOR, EXPIRED_NEXT_TOKEN,
                 RESOURCE_IN_USE -> Status.Code.FAILED_PRECONDITION;
            case OVER_LIMIT, REQUEST_THROTTLED, REQUEST_ENTITY_TOO_LARGE, PROVISIONED_THROUGHPUT_EXCEEDED, LIMIT_EXCEEDED -> Status.Code.RESOURCE_EXHAUSTED;
            case SERVICE_UNAVAILABLE -> Status.Code.UNAVAILABLE;
            case REQUEST_TIMEOUT -> Status.Code.DEADLINE_EXCEEDED;
            default -> Status.Code.INTERNAL;
        };
    }

    /** The AWS code a client reports for a status that carried no ErrorDetail trailer. */
    public static String defaultCodeFor(Status.Code code) {
        return switch (code) {
            case INVALID_ARGUMENT, OUT_OF_RANGE -> INVALID_PARAMETER_VALUE;
            case NOT_FOUND -> NON_EXISTENT_QUEUE;
            case ALREADY_EXISTS -> QUEUE_ALREADY_EXISTS;
            case RESOURCE_EXHAUSTED -> REQUEST_ENTITY_TOO_LARGE;
            case UNAVAILABLE -> SERVICE_UNAVAILABLE;
            case DEADLINE_EXCEEDED -> REQUEST_TIMEOUT;
            case UNIMPLEMENTED -> UNSUPPORTED_OPERATION;
            default -> INTERNAL_FAILURE;
        };
    }
}
