package io.pontoon.gateway;

import io.grpc.Context;

/**
 * Who made the HTTP request a gateway call serves: the access key that signed it ("anonymous" with auth.mode=none)
 * and the client's address. The gateway puts it into the gRPC {@link Context} in which it calls the node's
 * services, so that the node can audit administrative calls by their AWS caller.
 *
 * @param accessKeyId the access key id of a verified signature, or "anonymous"
 * @param remote      the client's address, {@code ip:port}
 */
public record GatewayCaller(String accessKeyId, String remote) {
    public static final Context.Key<GatewayCaller> KEY = Context.key("pontoon-gateway-caller");

    /** What the gateway tells the node when a request's signature is refused (audit: authentication failures). */
    @FunctionalInterface
    public interface Refusals {
        Refusals NONE = (caller, target, code) -> { };

        /** @param target the request's X-Amz-Target, or its Query Action */
        void refused(GatewayCaller caller, String target, String code);
    }
}
