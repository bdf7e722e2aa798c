package io.pontoon.api.auth;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

import java.util.Map;

/** Signs every call of a channel with one access key ({@link CallSignature}): for clients of a cluster with auth.mode=sigv4. */
public final class SigningInterceptor implements ClientInterceptor {
    private final String accessKeyId;
    private final String secret;
    private final String region;

    public SigningInterceptor(String accessKeyId, String secret, String region) {
        if (accessKeyId == null || accessKeyId.isBlank() || secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("credentials: an access key id and a secret are both required");
        }
        this.accessKeyId = accessKeyId;
        this.secret = secret;
        this.region = region;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                Map.Entry<String, String> signed = CallSignature.sign(accessKeyId, secret, region, method.getFullMethodName(),
                        System.currentTimeMillis());
                headers.put(CallSignature.DATE, signed.getKey());
                headers.put(CallSignature.AUTHORIZATION, signed.getValue());
                super.start(listener, headers);
            }
        };
    }
}
