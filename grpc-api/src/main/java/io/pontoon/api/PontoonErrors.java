package io.pontoon.api;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.pontoon.api.v1.ErrorDetail;
import io.pontoon.api.v1.NotLeaderDetail;

/**
 * Wire format of Pontoon errors: a gRPC status plus a binary trailer
 * {@value #ERROR_TRAILER_NAME} holding a serialized {@link ErrorDetail}, and optionally
 * {@value #NOT_LEADER_TRAILER_NAME} holding a {@link NotLeaderDetail}.
 * Used by both the server (to build errors) and clients (to parse them).
 */
public final class PontoonErrors {
    private PontoonErrors() {}

    public static final String ERROR_TRAILER_NAME = "pontoon-error-bin";
    public static final String NOT_LEADER_TRAILER_NAME = "pontoon-not-leader-bin";

    public static final Metadata.Key<ErrorDetail> ERROR_DETAIL_KEY =
            Metadata.Key.of(ERROR_TRAILER_NAME, ProtoUtils.metadataMarshaller(ErrorDetail.getDefaultInstance()));
    public static final Metadata.Key<NotLeaderDetail> NOT_LEADER_KEY =
            Metadata.Key.of(NOT_LEADER_TRAILER_NAME, ProtoUtils.metadataMarshaller(NotLeaderDetail.getDefaultInstance()));

    /** Builds the exception a server returns, using the status mapped from the AWS code. */
    public static StatusRuntimeException toException(String awsCode, String message, boolean senderFault) {
        return toException(AwsErrorCodes.statusFor(awsCode), awsCode, message, senderFault);
    }

    public static StatusRuntimeException toException(Status.Code code, String awsCode, String message, boolean senderFault) {
        ErrorDetail detail = ErrorDetail.newBuilder()
                .setAwsCode(awsCode == null ? "" : awsCode)
                .setMessage(message == null ? "" : message)
                .setSenderFault(senderFault)
                .build();
        return toException(code, detail, null);
    }

    public static StatusRuntimeException toException(Status.Code code, ErrorDetail detail, NotLeaderDetail notLeader) {
        Metadata trailers = new Metadata();
        trailers.put(ERROR_DETAIL_KEY, detail);
        if (notLeader != null) trailers.put(NOT_LEADER_KEY, notLeader);
        return Status.fromCode(code).withDescription(detail.getMessage()).asRuntimeException(trailers);
    }

    /** The ErrorDetail in the trailers, or null if absent or unparseable. */
    public static ErrorDetail errorDetail(Metadata trailers) {
        if (trailers == null) return null;
        try {
            return trailers.get(ERROR_DETAIL_KEY);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The NotLeaderDetail in the trailers, or null if absent or unparseable. */
    public static NotLeaderDetail notLeaderDetail(Metadata trailers) {
        if (trailers == null) return null;
        try {
            return trailers.get(NOT_LEADER_KEY);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
