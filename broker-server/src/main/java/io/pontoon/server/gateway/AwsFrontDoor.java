package io.pontoon.server.gateway;

import io.grpc.ServerServiceDefinition;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.pontoon.gateway.GatewayConfig;
import io.pontoon.gateway.GatewayServer;
import io.pontoon.gateway.NodeCalls;
import io.pontoon.gateway.kinesis.KinesisProtocol;
import io.pontoon.gateway.sqs.SqsJsonProtocol;
import io.pontoon.gateway.query.QueryProtocol;
import io.pontoon.gateway.sns.SnsQuery;
import io.pontoon.gateway.sqs.SqsQuery;

import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The node's AWS HTTP gateway, wired to the node's own gRPC services through an in-process channel: the gateway
 * calls exactly what a gRPC client calls (validation, limits, forwarding to leaders, errors), without a socket or a
 * serialisation in between.
 */
public final class AwsFrontDoor implements AutoCloseable {
    private final Server inProcess;
    private final ManagedChannel channel;
    private final GatewayServer http;

    private final LeaderRouting routing;

    private AwsFrontDoor(Server inProcess, ManagedChannel channel, GatewayServer http, LeaderRouting routing) {
        this.inProcess = inProcess;
        this.channel = channel;
        this.http = http;
        this.routing = routing;
    }

    /**
     * @param services  the services the gRPC port serves, the same instances, as it serves them
     * @param accountId the account id in queue URLs (aws.account.id)
     * @param routing   sends calls that name a queue to its partition leader's gRPC port
     * @param tls       the node's key manager when the gateway serves HTTPS only (tls.enabled)
     * @param audit     records the gateway's administrative calls by their HTTP caller, and refused signatures
     */
    public static AwsFrontDoor start(GatewayConfig config, List<ServerServiceDefinition> services, String accountId, Executor executor,
                                     LeaderRouting routing, java.util.Optional<javax.net.ssl.KeyManager> tls,
                                     io.pontoon.server.audit.AuditLog audit) throws IOException {
        String name = "pontoon-gateway-" + UUID.randomUUID();
        InProcessServerBuilder builder = InProcessServerBuilder.forName(name).executor(executor);
        io.pontoon.server.audit.AuditInterceptor auditing = new io.pontoon.server.audit.AuditInterceptor(audit, java.time.Instant::now, true);
        services.forEach(s -> builder.addService(io.grpc.ServerInterceptors.intercept(s, auditing)));
        Server inProcess = builder.build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        try {
            NodeCalls calls = new NodeCalls(ClientInterceptors.intercept(channel, routing, new CallerHeader()), config.callTimeoutMs());
            return new AwsFrontDoor(inProcess, channel, GatewayServer.start(config, List.of(new SqsJsonProtocol(calls, accountId),
                    new QueryProtocol(List.of(new SqsQuery(calls, accountId), new SnsQuery(calls))), new KinesisProtocol(calls)), tls,
                    (caller, target, code) -> audit.record(new io.pontoon.server.audit.AuditLog.Event(java.time.Instant.now(),
                            caller.accessKeyId(), caller.remote() + " (AWS gateway)", target, "", "UNAUTHENTICATED:" + code))), routing);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.shutdownNow();
            inProcess.shutdownNow();
            throw new IOException("interrupted while starting the AWS gateway", e);
        }
    }

    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.close();
        routing.close();
        channel.shutdownNow();
        inProcess.shutdownNow();
        try {
            inProcess.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Names the HTTP caller (from the gRPC context the gateway calls in) in the call's metadata, for the audit log. */
    private static final class CallerHeader implements io.grpc.ClientInterceptor {
        @Override
        public <Q, R> io.grpc.ClientCall<Q, R> interceptCall(io.grpc.MethodDescriptor<Q, R> method, io.grpc.CallOptions options, io.grpc.Channel next) {
            io.pontoon.gateway.GatewayCaller caller = io.pontoon.gateway.GatewayCaller.KEY.get();
            return new io.grpc.ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                @Override
                public void start(Listener<R> listener, io.grpc.Metadata headers) {
                    if (caller != null) {
                        headers.put(io.pontoon.server.audit.AuditInterceptor.GATEWAY_CALLER, caller.accessKeyId() + "|" + caller.remote());
                    }
                    super.start(listener, headers);
                }
            };
        }
    }
}
