package io.pontoon.server.grpc;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.pontoon.api.AwsIdentity;
import io.pontoon.api.PontoonErrors;
import io.pontoon.api.v1.ErrorDetail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Shows the cluster's {@link AwsIdentity} in the ARNs of the gRPC API, on every service, so that the Java client and
 * the AWS gateway (which calls these services) see the same ARNs: requests have the configured form turned into the
 * canonical one the core reads, responses and error messages the reverse. Which fields hold ARNs is known from the
 * protos' names: string fields named {@code *_arn}, {@code *_arns}, {@code endpoint} (a subscription's) or
 * {@code attribute_value} (SNS's Set*Attributes: a RedrivePolicy, a Policy), and the values of {@code attributes} maps
 * (QueueArn, RedrivePolicy, TopicArn, ...). Message bodies and message attributes are
 * the users' and never touched. With the canonical identity configured, the services are not wrapped at all.
 */
public final class ArnTranslation implements ServerInterceptor {
    private final AwsIdentity identity;
    private final Map<Descriptor, Plan> plans;

    /** Which fields of one message type hold ARNs, directly or in nested messages. */
    private record Plan(List<FieldDescriptor> strings, List<FieldDescriptor> stringMaps, List<FieldDescriptor> messages) {
        boolean isEmpty() {
            return strings.isEmpty() && stringMaps.isEmpty() && messages.isEmpty();
        }
    }

    private ArnTranslation(AwsIdentity identity, Map<Descriptor, Plan> plans) {
        this.identity = identity;
        this.plans = plans;
    }

    /** The services as they should be served under {@code identity}. */
    public static List<ServerServiceDefinition> wrap(AwsIdentity identity, List<io.grpc.BindableService> services) {
        List<ServerServiceDefinition> definitions = services.stream().map(io.grpc.BindableService::bindService).toList();
        if (identity.isCanonical()) {
            return definitions;
        }
        ArnTranslation translation = of(identity, definitions);
        return definitions.stream().map(d -> ServerInterceptors.intercept(d, translation)).toList();
    }

    static ArnTranslation of(AwsIdentity identity, List<ServerServiceDefinition> services) {
        return new ArnTranslation(identity, plansOf(services));
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        ServerCall<Q, R> outward = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            @SuppressWarnings("unchecked")
            public void sendMessage(R message) {
                super.sendMessage(message instanceof Message m ? (R) translate(m, identity::toExternal) : message);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                ErrorDetail detail = trailers.get(PontoonErrors.ERROR_DETAIL_KEY);
                if (detail != null) {
                    trailers.discardAll(PontoonErrors.ERROR_DETAIL_KEY);
                    trailers.put(PontoonErrors.ERROR_DETAIL_KEY, detail.toBuilder().setMessage(identity.toExternal(detail.getMessage())).build());
                }
                super.close(status.getDescription() == null ? status : status.withDescription(identity.toExternal(status.getDescription())),
                        trailers);
            }
        };
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(outward, headers)) {
            @Override
            @SuppressWarnings("unchecked")
            public void onMessage(Q message) {
                super.onMessage(message instanceof Message m ? (Q) translate(m, identity::toInternal) : message);
            }
        };
    }

    /** {@code m} with {@code f} applied to every ARN field; {@code m} itself when nothing changes (the common case). */
    Message translate(Message m, UnaryOperator<String> f) {
        Plan plan = plans.get(m.getDescriptorForType());
        if (plan == null || plan.isEmpty()) {
            return m;
        }
        Edit edit = new Edit(m);
        plan.strings().forEach(field -> edit.each(field, value -> f.apply((String) value)));
        plan.messages().forEach(field -> edit.each(field, value -> translate((Message) value, f)));
        for (FieldDescriptor field : plan.stringMaps()) {
            FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
            edit.each(field, value -> {
                Message entry = (Message) value;
                String text = (String) entry.getField(valueField), translated = f.apply(text);
                return translated.equals(text) ? entry : entry.toBuilder().setField(valueField, translated).build();
            });
        }
        return edit.result();
    }

    /** A message whose builder is made only once a field's value actually changes. */
    private static final class Edit {
        private final Message original;
        private Message.Builder builder;

        Edit(Message original) {
            this.original = original;
        }

        /** Replaces each value of {@code field} (every element of a repeated one) by {@code f} of it. */
        void each(FieldDescriptor field, UnaryOperator<Object> f) {
            int n = field.isRepeated() ? original.getRepeatedFieldCount(field) : original.hasField(field) ? 1 : 0;
            for (int i = 0; i < n; i++) {
                Object value = field.isRepeated() ? original.getRepeatedField(field, i) : original.getField(field);
                Object changed = f.apply(value);
                if (!changed.equals(value)) {
                    builder = builder == null ? original.toBuilder() : builder;
                    if (field.isRepeated()) {
                        builder.setRepeatedField(field, i, changed);
                    } else {
                        builder.setField(field, changed);
                    }
                }
            }
        }

        Message result() {
            return builder == null ? original : builder.build();
        }
    }

    /** Plans for every request and response type of {@code services}, computed once, before the first call. */
    private static Map<Descriptor, Plan> plansOf(List<ServerServiceDefinition> services) {
        Map<Descriptor, Plan> plans = new HashMap<>();
        for (ServerServiceDefinition service : services) {
            for (var method : service.getMethods()) {
                MethodDescriptor<?, ?> d = method.getMethodDescriptor();
                for (Object marshaller : List.of(d.getRequestMarshaller(), d.getResponseMarshaller())) {
                    if (marshaller instanceof MethodDescriptor.PrototypeMarshaller<?> p && p.getMessagePrototype() instanceof Message prototype) {
                        plan(prototype.getDescriptorForType(), plans, new HashSet<>());
                    }
                }
            }
        }
        return Map.copyOf(plans);
    }

    private static Plan plan(Descriptor type, Map<Descriptor, Plan> plans, Set<Descriptor> visiting) {
        Plan known = plans.get(type);
        if (known != null) {
            return known;
        }
        if (!visiting.add(type)) {
            return new Plan(List.of(), List.of(), List.of()); // a recursive type: its ARNs are found at the outer level
        }
        List<FieldDescriptor> strings = new ArrayList<>(), maps = new ArrayList<>(), messages = new ArrayList<>();
        for (FieldDescriptor field : type.getFields()) {
            String name = field.getName();
            if (field.getJavaType() == FieldDescriptor.JavaType.STRING && (name.endsWith("_arn") || name.endsWith("_arns")
                    || name.equals("endpoint") || name.equals("attribute_value"))) {
                strings.add(field);
            } else if (field.isMapField() && name.equals("attributes")
                    && field.getMessageType().findFieldByName("value").getJavaType() == FieldDescriptor.JavaType.STRING) {
                maps.add(field);
            } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isMapField()
                    && !plan(field.getMessageType(), plans, visiting).isEmpty()) {
                messages.add(field);
            }
        }
        visiting.remove(type);
        Plan plan = new Plan(List.copyOf(strings), List.copyOf(maps), List.copyOf(messages));
        plans.put(type, plan);
        return plan;
    }
}
