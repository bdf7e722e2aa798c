package io.pontoon.core.error;

/**
 * Every error a client can see: the AWS error code it carries and the gRPC status class it maps to.
 * The gRPC mapping is expressed with our own {@link StatusClass} so that the core stays free of gRPC.
 */
public enum ErrorCode {
    INVALID_PARAMETER_VALUE("InvalidParameterValue", StatusClass.INVALID_ARGUMENT),
    MISSING_PARAMETER("MissingParameter", StatusClass.INVALID_ARGUMENT),
    INVALID_ATTRIBUTE_NAME("InvalidAttributeName", StatusClass.INVALID_ARGUMENT),
    INVALID_ATTRIBUTE_VALUE("InvalidAttributeValue", StatusClass.INVALID_ARGUMENT),
    INVALID_MESSAGE_CONTENTS("InvalidMessageContents", StatusClass.INVALID_ARGUMENT),
    /** A queue URL that is not a Pontoon queue URL (AWS: InvalidAddress). */
    INVALID_ADDRESS("InvalidAddress", StatusClass.INVALID_ARGUMENT),
    TOO_MANY_ENTRIES_IN_BATCH_REQUEST("AWS.SimpleQueueService.TooManyEntriesInBatchRequest", StatusClass.INVALID_ARGUMENT),
    EMPTY_BATCH_REQUEST("AWS.SimpleQueueService.EmptyBatchRequest", StatusClass.INVALID_ARGUMENT),
    BATCH_ENTRY_IDS_NOT_DISTINCT("AWS.SimpleQueueService.BatchEntryIdsNotDistinct", StatusClass.INVALID_ARGUMENT),
    BATCH_REQUEST_TOO_LONG("AWS.SimpleQueueService.BatchRequestTooLong", StatusClass.INVALID_ARGUMENT),
    INVALID_BATCH_ENTRY_ID("AWS.SimpleQueueService.InvalidBatchEntryId", StatusClass.INVALID_ARGUMENT),
    NON_EXISTENT_QUEUE("AWS.SimpleQueueService.NonExistentQueue", StatusClass.NOT_FOUND),
    QUEUE_ALREADY_EXISTS("QueueAlreadyExists", StatusClass.ALREADY_EXISTS),
    QUEUE_DELETED_RECENTLY("AWS.SimpleQueueService.QueueDeletedRecently", StatusClass.FAILED_PRECONDITION),
    PURGE_QUEUE_IN_PROGRESS("AWS.SimpleQueueService.PurgeQueueInProgress", StatusClass.FAILED_PRECONDITION),
    RECEIPT_HANDLE_IS_INVALID("ReceiptHandleIsInvalid", StatusClass.INVALID_ARGUMENT),
    MESSAGE_NOT_INFLIGHT("AWS.SimpleQueueService.MessageNotInflight", StatusClass.FAILED_PRECONDITION),
    OVER_LIMIT("OverLimit", StatusClass.RESOURCE_EXHAUSTED),
    RESOURCE_NOT_FOUND("ResourceNotFoundException", StatusClass.NOT_FOUND),
    /** A message move task is already running on the queue (AWS allows one). */
    MOVE_TASK_ALREADY_RUNNING("AWS.SimpleQueueService.UnsupportedOperation", StatusClass.FAILED_PRECONDITION),
    UNSUPPORTED_OPERATION("AWS.SimpleQueueService.UnsupportedOperation", StatusClass.INVALID_ARGUMENT),
    REQUEST_THROTTLED("RequestThrottled", StatusClass.RESOURCE_EXHAUSTED),
    // --- streams (Kinesis) ---
    INVALID_ARGUMENT("InvalidArgumentException", StatusClass.INVALID_ARGUMENT),
    /** A shard iterator older than 5 minutes: get a new one (from the last sequence number read). */
    EXPIRED_ITERATOR("ExpiredIteratorException", StatusClass.FAILED_PRECONDITION),
    EXPIRED_NEXT_TOKEN("ExpiredNextTokenException", StatusClass.FAILED_PRECONDITION),
    /** A shard's read or write rate was exceeded: retry with backoff. */
    PROVISIONED_THROUGHPUT_EXCEEDED("ProvisionedThroughputExceededException", StatusClass.RESOURCE_EXHAUSTED),
    /** A count limit was reached (shards, consumers, scalings): not worth retrying as is. */
    LIMIT_EXCEEDED("LimitExceededException", StatusClass.RESOURCE_EXHAUSTED),
    /** The stream or consumer exists, is being created or changed, or is in use by another subscription. */
    RESOURCE_IN_USE("ResourceInUseException", StatusClass.FAILED_PRECONDITION),
    /** A transient failure of one record of a PutRecords call (AWS: InternalFailure); retry that record. */
    INTERNAL_FAILURE("InternalFailure", StatusClass.UNAVAILABLE),
    /** The node cannot serve the request right now (no leader, shutting down); safe to retry. */
    SERVICE_UNAVAILABLE("ServiceUnavailable", StatusClass.UNAVAILABLE),
    // --- topics (SNS) ---
    /** SNS: a bad parameter value; the message says which and why. */
    INVALID_PARAMETER("InvalidParameter", StatusClass.INVALID_ARGUMENT),
    /** SNS: no such topic or subscription. */
    NOT_FOUND("NotFound", StatusClass.NOT_FOUND),
    /** SNS tagging: no such resource. */
    SNS_RESOURCE_NOT_FOUND("ResourceNotFound", StatusClass.NOT_FOUND),
    TOPIC_LIMIT_EXCEEDED("TopicLimitExceeded", StatusClass.RESOURCE_EXHAUSTED),
    SUBSCRIPTION_LIMIT_EXCEEDED("SubscriptionLimitExceeded", StatusClass.RESOURCE_EXHAUSTED),
    FILTER_POLICY_LIMIT_EXCEEDED("FilterPolicyLimitExceeded", StatusClass.RESOURCE_EXHAUSTED),
    TAG_LIMIT_EXCEEDED("TagLimitExceeded", StatusClass.INVALID_ARGUMENT),
    TAG_POLICY("TagPolicy", StatusClass.INVALID_ARGUMENT),
    SNS_TOO_MANY_ENTRIES("TooManyEntriesInBatchRequest", StatusClass.INVALID_ARGUMENT),
    SNS_EMPTY_BATCH("EmptyBatchRequest", StatusClass.INVALID_ARGUMENT),
    SNS_BATCH_IDS_NOT_DISTINCT("BatchEntryIdsNotDistinct", StatusClass.INVALID_ARGUMENT),
    SNS_BATCH_TOO_LONG("BatchRequestTooLong", StatusClass.INVALID_ARGUMENT),
    SNS_INVALID_BATCH_ENTRY_ID("InvalidBatchEntryId", StatusClass.INVALID_ARGUMENT),
    SNS_THROTTLED("Throttled", StatusClass.RESOURCE_EXHAUSTED),
    INTERNAL_ERROR("InternalError", StatusClass.INTERNAL);

    private final String awsCode;
    private final StatusClass status;

    ErrorCode(String awsCode, StatusClass status) {
        this.awsCode = awsCode;
        this.status = status;
    }

    public String awsCode() { return awsCode; }

    public StatusClass status() { return status; }

    /** The gRPC status classes we use; names match io.grpc.Status.Code. */
    public enum StatusClass { INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, RESOURCE_EXHAUSTED, UNAVAILABLE, INTERNAL }
}
