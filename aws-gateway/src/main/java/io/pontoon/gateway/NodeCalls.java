package io.pontoon.gateway;

import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.pontoon.api.PontoonErrors;
import io.pontoon.api.v1.ErrorDetail;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Calls a node's own gRPC services, the gateway's only way into Pontoon: a request that reaches the HTTP front door
 * meets exactly the validation, limits, forwarding and errors of the gRPC one. Unary calls have a deadline; a
 * server stream (SubscribeToShard) lives as long as the service keeps it and is paced by its reader.
 */
public final class NodeCalls {
    private final Channel channel;
    private final long deadlineMs;

    /** @param deadlineMs the longest a call may take: above the longest long poll (20 s) */
    public NodeCalls(Channel channel, long deadlineMs) {
        this.channel = channel;
        this.deadlineMs = deadlineMs;
    }

    public <Q extends Message, R extends Message> CompletableFuture<R> call(MethodDescriptor<Q, R> method, Q request) {
        CompletableFuture<R> result = new CompletableFuture<>();
        ClientCalls.asyncUnaryCall(channel.newCall(method, CallOptions.DEFAULT.withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS)), request,
                new StreamObserver<>() {
                    @Override
                    public void onNext(R value) {
                        result.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        result.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        return result;
    }

    /**
     * Starts a server-streaming call that delivers one message, and one more each time the observer asks for it
     * ({@code ClientCallStreamObserver.request(1)}), so that the reader's pace bounds what the stream holds.
     */
    public <Q extends Message, R extends Message> void serverStream(MethodDescriptor<Q, R> method, Q request, ClientResponseObserver<Q, R> observer) {
        ClientCalls.asyncServerStreamingCall(channel.newCall(method, CallOptions.DEFAULT), request, observer);
    }

    /**
     * The AWS error a failed call carries. A failure without Pontoon's detail (the channel itself failed, or the
     * deadline passed) is the service's fault: ServiceUnavailable when it may pass, else InternalFailure.
     */
    public static ErrorDetail errorOf(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && !(t instanceof StatusRuntimeException)) {
            t = t.getCause();
        }
        if (t instanceof StatusRuntimeException s) {
            ErrorDetail detail = PontoonErrors.errorDetail(s.getTrailers());
            if (detail != null) {
                return detail;
            }
            Status.Code code = s.getStatus().getCode();
            if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED || code == Status.Code.CANCELLED) {
                return detail("ServiceUnavailable", "The service is unavailable: " + s.getStatus());
            }
        }
        return detail("InternalFailure", "The request failed inside the gateway: " + t);
    }

    static ErrorDetail detail(String awsCode, String message) {
        return ErrorDetail.newBuilder().setAwsCode(awsCode).setMessage(message).setSenderFault(false).build();
    }
}
