package io.pontoon.server.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pontoon.api.PontoonErrors;
import io.pontoon.api.auth.CallSignature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * With auth.mode=sigv4, the client port serves a call only when it is signed by a configured access key within 15
 * minutes of this node's clock ({@link CallSignature}); any other call is closed with UNAUTHENTICATED and the AWS code
 * of why (MissingAuthenticationToken, IncompleteSignature, InvalidClientTokenId, RequestExpired,
 * SignatureDoesNotMatch) before its request is read, so it changes nothing. The health and reflection services are
 * not behind it (load balancers and grpcurl have no keys).
 */
public final class CallAuthenticator implements ServerInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(CallAuthenticator.class);
    private final Map<String, String> secretsByAccessKey;
    private final LongSupplier wallClockMs;
    private final AtomicLong refused = new AtomicLong();
    private final io.pontoon.server.audit.AuditLog audit;

    /** @param audit where every refused call is recorded (who it claimed to be, what, from where, why) */
    public CallAuthenticator(Map<String, String> secretsByAccessKey, LongSupplier wallClockMs, io.pontoon.server.audit.AuditLog audit) {
        this.secretsByAccessKey = Map.copyOf(secretsByAccessKey);
        this.wallClockMs = wallClockMs;
        this.audit = audit;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        CallSignature.Failure failure = CallSignature.verify(headers, method, secretsByAccessKey, wallClockMs.getAsLong());
        if (failure == null) {
            return next.startCall(call, headers);
        }
        String claimed = CallSignature.accessKeyId(headers);
        audit.record(new io.pontoon.server.audit.AuditLog.Event(java.time.Instant.ofEpochMilli(wallClockMs.getAsLong()),
                claimed == null ? "anonymous" : claimed, String.valueOf(call.getAttributes().get(io.grpc.Grpc.TRANSPORT_ATTR_REMOTE_ADDR)),
                method, "", "UNAUTHENTICATED:" + failure.code()));
        long n = refused.incrementAndGet();
        if (Long.bitCount(n) == 1) { // 1, 2, 4, 8, ...: a flood of bad calls cannot flood the log
            LOG.warn("refused an unauthenticated call of {} from {} ({}; {} refused so far)", method,
                    call.getAttributes().get(io.grpc.Grpc.TRANSPORT_ATTR_REMOTE_ADDR), failure.code(), n);
        }
        StatusRuntimeException e = PontoonErrors.toException(Status.Code.UNAUTHENTICATED, failure.code(), failure.message(), true);
        call.close(e.getStatus(), e.getTrailers());
        return new ServerCall.Listener<>() {
        };
    }

    /** Calls refused since the node started. */
    public long refused() {
        return refused.get();
    }
}
