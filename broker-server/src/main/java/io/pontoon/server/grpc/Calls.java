package io.pontoon.server.grpc;

import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Answers one unary call of any model's gRPC service: runs the call (reading the request inside, so that bad input
 * becomes its AWS error code, never UNKNOWN), maps the value to the response, records the latency, and sends
 * errors with their AWS code ({@link GrpcErrors}).
 */
public final class Calls {
    private static final Logger LOG = LoggerFactory.getLogger(Calls.class);

    private Calls() {
    }

    /**
     * @param subject the queue or stream the call was about (per-resource metrics), or null
     * @param done    runs once the value was answered or failed (a delivery gives its bytes back there)
     */
    public static <T, R> void respond(RequestMetrics metrics, String action, String subject, StreamObserver<R> out,
                                      Supplier<CompletableFuture<T>> call, Function<T, R> toResponse, Consumer<T> done) {
        long startNs = System.nanoTime();
        CompletableFuture<T> future;
        try {
            future = call.get();
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((value, error) -> {
            metrics.record(action, subject, System.nanoTime() - startNs, error == null);
            if (error != null) {
                fail(action, out, error);
                return;
            }
            try {
                out.onNext(toResponse.apply(value));
                out.onCompleted();
            } catch (RuntimeException e) {
                fail(action, out, e);
            } finally {
                done.accept(value);
            }
        });
    }

    public static <T, R> void respond(RequestMetrics metrics, String action, StreamObserver<R> out, Supplier<CompletableFuture<T>> call,
                                      Function<T, R> toResponse) {
        respond(metrics, action, null, out, call, toResponse, v -> { });
    }

    /** Sends {@code error} with its AWS code; logs it when it is a bug or a storage fault. */
    public static <R> void fail(String action, StreamObserver<R> out, Throwable error) {
        if (GrpcErrors.isInternal(error)) {
            LOG.error("{} failed", action, error);
        }
        try {
            out.onError(GrpcErrors.toStatus(error));
        } catch (RuntimeException alreadyClosed) {
            // the response was sent, or the client cancelled the call: nothing left to tell it
        }
    }
}
