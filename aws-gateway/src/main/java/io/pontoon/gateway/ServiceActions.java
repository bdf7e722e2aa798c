package io.pontoon.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.pontoon.api.v1.ErrorDetail;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The unary methods of one Pontoon gRPC service as AWS actions of the same names: a request in the protocol's JSON
 * shape becomes the call, and the reply the JSON shape again ({@link ProtoJson}).
 */
public final class ServiceActions {
    /** What an action came to: the answer in the JSON shape, or the AWS error. */
    public record Outcome(ObjectNode answer, ErrorDetail error) {
    }

    /** An action: the gRPC method that serves it and an empty request to build on. */
    private record Action(MethodDescriptor<Message, Message> method, Message emptyRequest) {
    }

    private final Map<String, Action> actions = new HashMap<>();
    private final NodeCalls calls;

    @SuppressWarnings("unchecked")
    public ServiceActions(ServiceDescriptor service, NodeCalls calls) {
        this.calls = calls;
        for (MethodDescriptor<?, ?> method : service.getMethods()) {
            if (method.getType() == MethodDescriptor.MethodType.UNARY) {
                Message empty = (Message) ((MethodDescriptor.PrototypeMarshaller<?>) method.getRequestMarshaller()).getMessagePrototype();
                actions.put(method.getBareMethodName(), new Action((MethodDescriptor<Message, Message>) method, empty));
            }
        }
    }

    public boolean has(String action) {
        return actions.containsKey(action);
    }

    /**
     * Calls {@code action} with {@code body} read by {@code json}; the future never fails.
     *
     * @throws ProtoJson.ShapeException if the body does not fit the action's input (before anything is called)
     */
    public CompletableFuture<Outcome> call(String action, ObjectNode body, ProtoJson json) {
        Action known = actions.get(action);
        Message request = json.read(body, known.emptyRequest().newBuilderForType()).build();
        return calls.call(known.method(), request).handle((response, failure) -> failure == null
                ? new Outcome(json.write(response), null)
                : new Outcome(null, NodeCalls.errorOf(failure)));
    }
}
