package io.pontoon.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pontoon.api.AwsErrorCodes;
import io.pontoon.api.PontoonErrors;
import io.pontoon.api.v1.ErrorDetail;

/**
 * A failed Pontoon call: the AWS error code (from the server's {@code pontoon-error-bin} trailer,
 * or derived from the gRPC status when the trailer is absent), the gRPC status code, and whether
 * retrying may succeed.
 */
public class PontoonException extends RuntimeException {
    private final String awsCode;
    private final Status.Code statusCode;
    private final boolean senderFault;
    private final long retryAfterMs;

    public PontoonException(Status.Code statusCode, String awsCode, String message, boolean senderFault,
                            long retryAfterMs, Throwable cause) {
        super(awsCode + ": " + message, cause);
        this.statusCode = statusCode;
        this.awsCode = awsCode;
        this.senderFault = senderFault;
        this.retryAfterMs = Math.max(0, retryAfterMs);
    }

    public PontoonException(Status.Code statusCode, String awsCode, String message, boolean senderFault) {
        this(statusCode, awsCode, message, senderFault, 0, null);
    }

    /** Converts a gRPC failure, parsing the {@code pontoon-error-bin} trailer if present. */
    public static PontoonException from(StatusRuntimeException e) {
        return from(e.getStatus(), e.getTrailers(), e);
    }

    public static PontoonException from(Status status, io.grpc.Metadata trailers, Throwable cause) {
        ErrorDetail detail = PontoonErrors.errorDetail(trailers);
        Status.Code code = status.getCode();
        if (detail != null && !detail.getAwsCode().isEmpty()) {
            String msg = !detail.getMessage().isEmpty() ? detail.getMessage() : String.valueOf(status.getDescription());
            return new PontoonException(code, detail.getAwsCode(), msg, detail.getSenderFault(), detail.getRetryAfterMs(), cause);
        }
        String description = status.getDescription();
        if (description == null) {
            description = status.getCause() != null ? status.getCause().toString() : code.name();
        } else if (status.getCause() != null && status.getCause().getMessage() != null) {
            description = description + ": " + status.getCause().getMessage();
        }
        boolean sender = switch (code) {
            case INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, OUT_OF_RANGE -> true;
            default -> false;
        };
        return new PontoonException(code, AwsErrorCodes.defaultCodeFor(code), description, sender, 0, cause);
    }

    /** Converts any throwable from a call; StatusRuntimeException/StatusException are parsed. */
    public static PontoonException from(Throwable t) {
        if (t instanceof PontoonException p) return p;
        if (t instanceof StatusRuntimeException sre) return from(sre);
        if (t instanceof io.grpc.StatusException se) return from(se.getStatus(), se.getTrailers(), se);
        Status s = Status.fromThrowable(t);
        return from(s.getCode() == Status.Code.UNKNOWN ? Status.INTERNAL.withCause(t).withDescription(String.valueOf(t)) : s, null, t);
    }

    /** The AWS error code, e.g. {@code AWS.SimpleQueueService.NonExistentQueue}. */
    public String awsCode() { return awsCode; }

    /** The gRPC status code the call failed with. */
    public Status.Code statusCode() { return statusCode; }

    /** True if the caller's request was at fault (AWS "Sender" fault). */
    public boolean isSenderFault() { return senderFault; }

    /** Server hint: wait at least this long before retrying (0 = none). */
    public long retryAfterMs() { return retryAfterMs; }

    /**
     * Whether the same request may succeed if retried: UNAVAILABLE (no leader, node down, connection
     * failure), DEADLINE_EXCEEDED (outcome unknown), ABORTED, and RESOURCE_EXHAUSTED when it is a push-back
     * (RequestThrottled, or a Kinesis shard's ProvisionedThroughputExceededException), not a limit.
     */
    public boolean isRetryable() {
        return switch (statusCode) {
            case UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED -> true;
            case RESOURCE_EXHAUSTED -> AwsErrorCodes.REQUEST_THROTTLED.equals(awsCode) || AwsErrorCodes.PROVISIONED_THROUGHPUT_EXCEEDED.equals(awsCode);
            default -> false;
        };
    }

    /** True when the request may or may not have taken effect (the server may have applied it). */
    public boolean isOutcomeUnknown() {
        return statusCode == Status.Code.DEADLINE_EXCEEDED || statusCode == Status.Code.UNAVAILABLE
                || statusCode == Status.Code.CANCELLED;
    }
}
