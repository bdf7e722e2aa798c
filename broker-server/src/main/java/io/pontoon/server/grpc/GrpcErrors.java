package io.pontoon.server.grpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pontoon.api.v1.ErrorDetail;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.raft.ReplicationException;
import io.pontoon.server.partition.ThrottledException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Every failure leaves the node as a gRPC status plus the AWS error code in the {@code pontoon-error-bin}
 * trailer (grpc-api/PROTOCOL.md). Unknown exceptions become INTERNAL and are logged by the caller.
 */
public final class GrpcErrors {
    public static final Metadata.Key<byte[]> ERROR_DETAIL_KEY = Metadata.Key.of("pontoon-error-bin", Metadata.BINARY_BYTE_MARSHALLER);

    private GrpcErrors() {
    }

    public static StatusRuntimeException toStatus(Throwable t) {
        Throwable cause = unwrap(t);
        if (cause instanceof StatusRuntimeException s) {
            return s;
        }
        if (cause instanceof BrokerException b) {
            return status(b.code(), b.getMessage());
        }
        if (cause instanceof ThrottledException) {
            return status(ErrorCode.REQUEST_THROTTLED, cause.getMessage(), ThrottledException.RETRY_AFTER_MS);
        }
        if (cause instanceof ReplicationException) {
            return status(ErrorCode.SERVICE_UNAVAILABLE, cause.getMessage());
        }
        return status(ErrorCode.INTERNAL_ERROR, cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    public static boolean isInternal(Throwable t) {
        return toStatus(t).getStatus().getCode() == Status.Code.INTERNAL;
    }

    public static StatusRuntimeException status(ErrorCode code, String message) {
        return status(code, message, 0);
    }

    /** @param retryAfterMs the backoff suggested to the client, 0 for none */
    public static StatusRuntimeException status(ErrorCode code, String message, long retryAfterMs) {
        message = bounded(message);
        Metadata trailers = new Metadata();
        trailers.put(ERROR_DETAIL_KEY, ErrorDetail.newBuilder()
                .setAwsCode(code.awsCode())
                .setMessage(message == null ? "" : message)
                .setSenderFault(code.status() != ErrorCode.StatusClass.INTERNAL && code.status() != ErrorCode.StatusClass.UNAVAILABLE
                        && code != ErrorCode.REQUEST_THROTTLED)
                .setRetryAfterMs(retryAfterMs)
                .build().toByteArray());
        Status status = Status.fromCode(Status.Code.valueOf(code.status().name())).withDescription(code.awsCode() + ": " + message);
        return status.asRuntimeException(trailers);
    }

    /** Longest error message sent: messages quote the client's values, and headers must stay far below gRPC's 8 KiB. */
    static final int MAX_MESSAGE_CHARS = 1_000;

    /** {@code message}, cut to {@link #MAX_MESSAGE_CHARS} with a note of how long it was. */
    public static String bounded(String message) {
        if (message == null || message.length() <= MAX_MESSAGE_CHARS) {
            return message;
        }
        return message.substring(0, MAX_MESSAGE_CHARS) + "... (" + message.length() + " characters)";
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }
}
