package io.pontoon.server.grpc;

import io.grpc.CallOptions;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.pontoon.api.PontoonErrors;
import io.pontoon.api.auth.SigningInterceptor;
import io.pontoon.api.v1.ClusterGrpc;
import io.pontoon.api.v1.CreateQueueRequest;
import io.pontoon.api.v1.KinesisGrpc;
import io.pontoon.api.v1.ListQueuesRequest;
import io.pontoon.api.v1.SnsGrpc;
import io.pontoon.api.v1.SqsGrpc;
import io.pontoon.server.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With auth.mode=sigv4 the client gRPC port serves only calls signed by a configured access key (io.pontoon.api.auth):
 * a signed client is served; an unsigned call of every method of every service, and calls signed wrongly, are
 * refused with UNAUTHENTICATED and SigV4's error codes, and change nothing; the health service needs no key.
 */
class CallAuthenticationClusterTest {
    private static final String KEY_ID = "AKIAPONTOONGRPC0001";
    private static final String SECRET = "pontoon-grpc-secret-0001";
    private static Path dir;
    private static TestCluster cluster;
    private static final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("pontoon-grpc-auth");
        Path keys = Files.writeString(dir.resolve("access-keys.properties"), KEY_ID + "=" + SECRET + "\n");
        cluster = new TestCluster(dir, 3, 1, Map.of("auth.mode", "sigv4", "auth.keys.file", keys.toString()));
        cluster.awaitLeaders(1, 30_000);
    }

    @AfterAll
    static void stop() {
        channels.forEach(ManagedChannel::shutdownNow);
        cluster.close();
        TestCluster.deleteRecursively(dir);
    }

    private static ManagedChannel channel(ClientInterceptor signer) {
        NettyChannelBuilder b = NettyChannelBuilder.forTarget(cluster.clientAddress("n1")).usePlaintext();
        ManagedChannel ch = (signer == null ? b : b.intercept(signer)).build();
        channels.add(ch);
        return ch;
    }

    private static String awsCode(StatusRuntimeException e) {
        return PontoonErrors.errorDetail(e.getTrailers()).getAwsCode();
    }

    @Test
    void aClientSigningWithAConfiguredKeyIsServed() {
        SqsGrpc.SqsBlockingStub sqs = SqsGrpc.newBlockingStub(channel(new SigningInterceptor(KEY_ID, SECRET, "eu-west-1")));
        String url = sqs.createQueue(CreateQueueRequest.newBuilder().setQueueName("auth-signed").build()).getQueueUrl();
        assertTrue(sqs.listQueues(ListQueuesRequest.getDefaultInstance()).getQueueUrlsList().contains(url));
    }

    @Test
    void callsSignedWithAnUnknownKeyOrTheWrongSecretAreRefusedWithSigV4sCodesAndChangeNothing() {
        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class, () -> SqsGrpc.newBlockingStub(
                channel(new SigningInterceptor("AKIAUNKNOWNKEY00001", SECRET, "us-east-1"))).createQueue(
                CreateQueueRequest.newBuilder().setQueueName("auth-by-stranger").build()));
        assertEquals(Status.Code.UNAUTHENTICATED, unknown.getStatus().getCode());
        assertEquals("InvalidClientTokenId", awsCode(unknown));
        StatusRuntimeException wrong = assertThrows(StatusRuntimeException.class, () -> SqsGrpc.newBlockingStub(
                channel(new SigningInterceptor(KEY_ID, "not-the-secret-at-all", "us-east-1"))).createQueue(
                CreateQueueRequest.newBuilder().setQueueName("auth-wrong-secret").build()));
        assertEquals("SignatureDoesNotMatch", awsCode(wrong));
        List<String> urls = SqsGrpc.newBlockingStub(channel(new SigningInterceptor(KEY_ID, SECRET, "us-east-1")))
                .listQueues(ListQueuesRequest.getDefaultInstance()).getQueueUrlsList();
        assertTrue(urls.stream().noneMatch(u -> u.contains("auth-by-stranger") || u.contains("auth-wrong-secret")), urls.toString());
    }

    @Test
    void everyMethodOfEveryServiceRefusesAnUnsignedCallBeforeReadingItsRequest() {
        ManagedChannel unsigned = channel(null);
        int methods = 0;
        for (ServiceDescriptor service : List.of(SqsGrpc.getServiceDescriptor(), KinesisGrpc.getServiceDescriptor(),
                SnsGrpc.getServiceDescriptor(), ClusterGrpc.getServiceDescriptor())) {
            for (MethodDescriptor<?, ?> m : service.getMethods()) {
                StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> callEmpty(unsigned, m), m.getFullMethodName());
                assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode(), m.getFullMethodName());
                assertEquals("MissingAuthenticationToken", awsCode(e), m.getFullMethodName());
                methods++;
            }
        }
        assertTrue(methods > 50, "every RPC was tried: " + methods);
        List<String> urls = SqsGrpc.newBlockingStub(channel(new SigningInterceptor(KEY_ID, SECRET, "us-east-1")))
                .listQueues(ListQueuesRequest.getDefaultInstance()).getQueueUrlsList();
        assertTrue(urls.stream().noneMatch(u -> u.endsWith("/")), urls.toString());
    }

    @Test
    void administrativeCallsAndRefusedOnesAreAuditedWithWhoWhatAndResultButDataCallsAreNot() throws Exception {
        SqsGrpc.SqsBlockingStub signed = SqsGrpc.newBlockingStub(channel(new SigningInterceptor(KEY_ID, SECRET, "us-east-1")));
        signed.createQueue(CreateQueueRequest.newBuilder().setQueueName("auth-audited").build());
        signed.listQueues(ListQueuesRequest.getDefaultInstance());
        assertThrows(StatusRuntimeException.class, () -> SqsGrpc.newBlockingStub(channel(new SigningInterceptor("AKIAAUDITEDSTRANGER", SECRET,
                "us-east-1"))).purgeQueue(io.pontoon.api.v1.PurgeQueueRequest.newBuilder().setQueueUrl("pontoon://queue/auth-audited").build()));
        Path log = cluster.config("n1").dataDir().resolve("audit").resolve("audit.log");
        TestCluster.await(() -> auditLines(log).stream().anyMatch(l -> l.contains("AKIAAUDITEDSTRANGER")), 10_000, "the refusal in " + log);
        List<String> lines = auditLines(log);
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"who\":\"" + KEY_ID + "\"") && l.contains("pontoon.v1.Sqs/CreateQueue")
                && l.contains("\"resource\":\"auth-audited\"") && l.contains("\"result\":\"OK\"")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"who\":\"AKIAAUDITEDSTRANGER\"") && l.contains("pontoon.v1.Sqs/PurgeQueue")
                && l.contains("UNAUTHENTICATED:InvalidClientTokenId") && l.contains("127.0.0.1")), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.contains("ListQueues")), "data-plane and read calls are not audited: " + lines);
    }

    private static List<String> auditLines(Path log) {
        try {
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theHealthServiceAnswersWithoutASignature() {
        // answered unsigned at all, and SERVING once the node has seen every group's leader (its health poll runs on a timer)
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel(null));
        TestCluster.await(() -> health.withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()).getStatus()
                == HealthCheckResponse.ServingStatus.SERVING, 30_000, "the unsigned health check to answer SERVING");
    }

    /** One call of {@code m} with the default (empty) request, whatever its shape; the first reply, if any. */
    @SuppressWarnings("unchecked")
    private static <Q, R> Object callEmpty(ManagedChannel ch, MethodDescriptor<Q, R> m) {
        Q empty = (Q) ((io.grpc.MethodDescriptor.PrototypeMarshaller<Q>) m.getRequestMarshaller()).getMessagePrototype();
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
        if (m.getType() == MethodDescriptor.MethodType.UNARY) {
            return ClientCalls.blockingUnaryCall(ch, m, options, empty);
        }
        return ClientCalls.blockingServerStreamingCall(ch, m, options, empty).next();
    }
}
