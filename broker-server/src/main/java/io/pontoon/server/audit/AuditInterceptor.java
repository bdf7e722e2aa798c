package io.pontoon.server.audit;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.pontoon.api.PontoonErrors;
import io.pontoon.api.auth.CallSignature;
import io.pontoon.api.v1.ErrorDetail;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Writes an {@link AuditLog} line for every administrative call (creating, changing, purging and deleting queues,
 * topics, streams and subscriptions, tags, redrive tasks, resharding, leadership transfers) once it has an answer:
 * who (the access key that signed it, or "anonymous"), the call, its resource, where it came from and its result.
 * Data-plane calls (send, receive, publish, put, reads) are not audited: they are counted in the metrics.
 */
public final class AuditInterceptor implements ServerInterceptor {
    /** The administrative methods, by their gRPC names. */
    static final Set<String> AUDITED = Set.of(
            "TransferLeadership",
            "CreateQueue", "SetQueueAttributes", "DeleteQueue", "PurgeQueue", "StartMessageMoveTask", "CancelMessageMoveTask", "TagQueue", "UntagQueue",
            "CreateTopic", "DeleteTopic", "SetTopicAttributes", "Subscribe", "ConfirmSubscription", "Unsubscribe", "SetSubscriptionAttributes",
            "TagResource", "UntagResource",
            "CreateStream", "DeleteStream", "IncreaseStreamRetentionPeriod", "DecreaseStreamRetentionPeriod", "SplitShard", "MergeShards",
            "UpdateShardCount", "AddTagsToStream", "RemoveTagsFromStream", "RegisterStreamConsumer", "DeregisterStreamConsumer");
    /** Request fields that name what a call acts on, in the order they are looked for. */
    private static final List<String> RESOURCE_FIELDS = List.of("queue_url", "queue_name", "topic_arn", "subscription_arn", "resource_arn",
            "stream_name", "stream_arn", "consumer_arn", "source_arn", "task_handle", "name", "partition_id");

    /** Set by the node's in-process channel for the gateway: "ACCESS_KEY_ID|ip:port" of the HTTP caller. */
    public static final Metadata.Key<String> GATEWAY_CALLER = Metadata.Key.of("x-pontoon-gateway-caller", Metadata.ASCII_STRING_MARSHALLER);

    private final AuditLog log;
    private final Supplier<Instant> clock;
    private final boolean gateway;

    /**
     * @param gateway true for the gateway's in-process server, whose calls name their HTTP caller in
     *                {@link #GATEWAY_CALLER}; false for the network port, where that header is a client's claim and ignored
     */
    public AuditInterceptor(AuditLog log, Supplier<Instant> clock, boolean gateway) {
        this.log = log;
        this.clock = clock;
        this.gateway = gateway;
    }

    static boolean audited(String fullMethodName) {
        return AUDITED.contains(fullMethodName.substring(fullMethodName.indexOf('/') + 1));
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (!audited(method)) {
            return next.startCall(call, headers);
        }
        String caller = gateway ? headers.get(GATEWAY_CALLER) : null;
        int bar = caller == null ? -1 : caller.indexOf('|');
        String who = bar < 0 ? whoOf(headers) : caller.substring(0, bar);
        String from = bar < 0 ? String.valueOf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)) : caller.substring(bar + 1) + " (AWS gateway)";
        String[] resource = {""};
        ServerCall<Q, R> recording = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                log.record(new AuditLog.Event(clock.get(), who, from, method, resource[0], resultOf(status, trailers)));
                super.close(status, trailers);
            }
        };
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(recording, headers)) {
            @Override
            public void onMessage(Q message) {
                resource[0] = resourceOf(message);
                super.onMessage(message);
            }
        };
    }

    /** The signing access key id, or "anonymous" (auth.mode=none, or the gateway's in-process calls). */
    static String whoOf(Metadata headers) {
        String id = CallSignature.accessKeyId(headers);
        return id == null ? "anonymous" : id;
    }

    static String resultOf(Status status, Metadata trailers) {
        if (status.isOk()) {
            return "OK";
        }
        ErrorDetail detail = PontoonErrors.errorDetail(trailers);
        return status.getCode() + (detail == null || detail.getAwsCode().isEmpty() ? "" : ":" + detail.getAwsCode());
    }

    static String resourceOf(Object request) {
        if (!(request instanceof Message m)) {
            return "";
        }
        for (String name : RESOURCE_FIELDS) {
            FieldDescriptor f = m.getDescriptorForType().findFieldByName(name);
            if (f != null && !f.isRepeated() && (f.hasPresence() ? m.hasField(f) : !m.getField(f).equals(f.getDefaultValue()))) {
                return String.valueOf(m.getField(f));
            }
        }
        return "";
    }
}
