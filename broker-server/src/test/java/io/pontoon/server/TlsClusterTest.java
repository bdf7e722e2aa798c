package io.pontoon.server;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.pontoon.api.v1.CreateQueueRequest;
import io.pontoon.api.v1.ListQueuesRequest;
import io.pontoon.api.v1.ReceiveMessageRequest;
import io.pontoon.api.v1.SendMessageRequest;
import io.pontoon.api.v1.SqsGrpc;
import io.pontoon.raft.GroupRole;
import io.pontoon.raft.ReplicaGroupId;
import io.pontoon.server.tls.DevCertificateAuthority;
import io.pontoon.server.tls.PemFiles;
import io.pontoon.server.tls.TlsFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.pontoon.server.tls.TlsFiles.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * TLS on a real three-node cluster (tls.enabled): clients and the AWS gateway over TLS, plaintext refused with a
 * reason, mutual TLS between the nodes' Raft endpoints with the cluster CA, certificates reloaded without a restart,
 * and a node whose certificate another CA issued kept out of every group.
 */
class TlsClusterTest {
    private static final int PARTITIONS = 2;
    private static final DevCertificateAuthority CA = DevCertificateAuthority.create("cluster CA");
    private static final DevCertificateAuthority FOREIGN = DevCertificateAuthority.create("foreign CA");
    private static Path root;
    private static TestCluster cluster;

    @BeforeAll
    static void start() throws IOException {
        root = Files.createTempDirectory("pontoon-tls");
        for (String n : List.of("n1", "n2", "n3")) {
            TlsFiles.write(root.resolve("tls").resolve(n), CA.issue(n, LOOPBACK), CA.certificate());
        }
        cluster = new TestCluster(root, 3, PARTITIONS, Map.of("tls.enabled", "true", "tls.reload.interval.ms", "200"));
        cluster.awaitLeaders(PARTITIONS, 60_000);
    }

    @AfterAll
    static void stop() {
        cluster.close();
        TestCluster.deleteRecursively(root);
    }

    @Test
    void clientsSendAndReceiveOverTlsWhileTheNodesReplicateOverMutualTls() {
        SqsGrpc.SqsBlockingStub sqs = cluster.sqs("n2");
        String url = sqs.createQueue(CreateQueueRequest.newBuilder().setQueueName("tls-q").build()).getQueueUrl();
        sqs.sendMessage(SendMessageRequest.newBuilder().setQueueUrl(url).setMessageBody("sealed").build());
        var received = cluster.sqs("n3").receiveMessage(ReceiveMessageRequest.newBuilder().setQueueUrl(url).setWaitTimeSeconds(5).build());
        assertEquals("sealed", received.getMessages(0).getBody());
    }

    @Test
    void aPlaintextClientIsToldThatTheNodeRequiresTls() {
        ManagedChannel plain = NettyChannelBuilder.forTarget(cluster.clientAddress("n1")).usePlaintext().build();
        try {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> SqsGrpc.newBlockingStub(plain).withDeadlineAfter(10, TimeUnit.SECONDS).listQueues(ListQueuesRequest.getDefaultInstance()));
            assertTrue(e.getStatus().getDescription() != null && e.getStatus().getDescription().contains("requires TLS"), e.getStatus().toString());
        } finally {
            plain.shutdownNow();
        }
    }

    @Test
    void aClientThatDoesNotTrustTheClusterCaIsRefused() throws IOException {
        Path foreignCa = root.resolve("foreign-ca.pem");
        Files.writeString(foreignCa, PemFiles.pem(FOREIGN.certificate()));
        ManagedChannel ch = NettyChannelBuilder.forTarget(cluster.clientAddress("n1"),
                io.grpc.TlsChannelCredentials.newBuilder().trustManager(foreignCa.toFile()).build()).build();
        try {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> SqsGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS).listQueues(ListQueuesRequest.getDefaultInstance()));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
        } finally {
            ch.shutdownNow();
        }
    }

    @Test
    void theRaftPortAcceptsOnlyPeersWithACurrentCertificateOfTheClusterCa() throws Exception {
        int raftPort = cluster.config("n1").self().raftPort();
        Instant now = Instant.now();
        assertTrue(http2Answers(raftPort, TlsFiles.context(CA.issue("peer", LOOPBACK), CA.certificate())), "a cluster certificate is accepted");
        assertFalse(http2Answers(raftPort, TlsFiles.context(null, CA.certificate())), "no client certificate");
        assertFalse(http2Answers(raftPort, TlsFiles.context(FOREIGN.issue("peer", LOOPBACK), CA.certificate())), "another CA's certificate");
        assertFalse(http2Answers(raftPort, TlsFiles.context(CA.issue("peer", LOOPBACK, now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1))),
                CA.certificate())), "an expired certificate");
    }

    @Test
    void theGatewayServesHttpsAndAnswersPlainHttpWithAnErrorThatSaysSo() throws Exception {
        int port = cluster.gatewayUri("n1").getPort();
        HttpClient https = HttpClient.newBuilder().sslContext(TlsFiles.context(null, CA.certificate())).version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> created = https.send(sqsJson("https", port, "CreateQueue", "{\"QueueName\":\"tls-gw\"}"), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, created.statusCode(), created.body());
        assertTrue(created.body().contains("\"QueueUrl\":\"https://127.0.0.1:" + port + "/"), "queue URLs name the scheme the client used: " + created.body());
        HttpClient h2 = HttpClient.newBuilder().sslContext(TlsFiles.context(null, CA.certificate())).version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> listed = h2.send(sqsJson("https", port, "ListQueues", "{}"), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, listed.statusCode(), listed.body());
        assertEquals(HttpClient.Version.HTTP_2, listed.version(), "HTTP/2 chosen by ALPN");
        HttpResponse<String> plain = HttpClient.newHttpClient().send(sqsJson("http", port, "ListQueues", "{}"), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, plain.statusCode());
        assertTrue(plain.body().contains("requires HTTPS"), plain.body());
    }

    @Test
    void aRenewedCertificateIsServedWithoutARestartWhileTrafficFlows() throws Exception {
        SqsGrpc.SqsBlockingStub sqs = cluster.sqs("n1");
        String url = sqs.createQueue(CreateQueueRequest.newBuilder().setQueueName("tls-reload").build()).getQueueUrl();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread load = new Thread(() -> {
            while (running.get()) {
                try {
                    sqs.sendMessage(SendMessageRequest.newBuilder().setQueueUrl(url).setMessageBody("m" + sent.get()).build());
                    sent.incrementAndGet();
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }
        }, "tls-reload-load");
        load.start();
        try {
            TestCluster.await(() -> sent.get() >= 20, 30_000, "sends before the renewal");
            DevCertificateAuthority.Issued renewed = CA.issue("n1", LOOPBACK);
            TlsFiles.write(cluster.tlsDir("n1"), renewed, CA.certificate());
            BigInteger serial = renewed.certificate().getSerialNumber();
            int clientPort = cluster.config("n1").self().clientPort();
            TestCluster.await(() -> serial.equals(presentedSerial(clientPort)), 30_000, "n1 to present its renewed certificate");
            int before = sent.get();
            TestCluster.await(() -> sent.get() >= before + 20, 30_000, "sends after the renewal");
        } finally {
            running.set(false);
            load.join(30_000);
        }
        if (failure.get() != null) {
            fail("a send failed during the certificate renewal", failure.get());
        }
    }

    @Test
    void aNodeWhoseCertificateAnotherCaIssuedCannotJoinAnyGroup() throws IOException {
        Path other = Files.createTempDirectory("pontoon-tls-foreign");
        for (String n : List.of("n1", "n2")) {
            TlsFiles.write(other.resolve("tls").resolve(n), CA.issue(n, LOOPBACK), CA.certificate());
        }
        TlsFiles.write(other.resolve("tls").resolve("n3"), FOREIGN.issue("n3", LOOPBACK), FOREIGN.certificate());
        TestCluster split = new TestCluster(other, 3, 1, Map.of("tls.enabled", "true"));
        try {
            List<ReplicaGroupId> groups = List.of(ReplicaGroupId.CONTROLLER, ReplicaGroupId.partition(0));
            TestCluster.await(() -> groups.stream().allMatch(g -> split.leaderOf(g).isPresent()), 60_000, "n1 and n2 to elect leaders",
                    split::describeGroups);
            String url = split.sqs("n1").createQueue(CreateQueueRequest.newBuilder().setQueueName("majority").build()).getQueueUrl();
            split.sqs("n1").sendMessage(SendMessageRequest.newBuilder().setQueueUrl(url).setMessageBody("without n3").build());
            for (ReplicaGroupId g : groups) {
                var n3 = split.node("n3").raft().status(g);
                assertTrue(n3.role() != GroupRole.LEADER && n3.appliedIndex() <= 0, g + " on n3: " + n3);
                assertFalse("n3".equals(split.leaderOf(g).orElseThrow()), g + " is led by n3");
                assertTrue(split.node("n1").raft().status(g).appliedIndex() > 0, g + " on n1 applied nothing");
            }
        } finally {
            split.close();
            TestCluster.deleteRecursively(other);
        }
    }

    private static HttpRequest sqsJson(String scheme, int port, String action, String body) {
        return HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + port + "/"))
                .header("X-Amz-Target", "AmazonSQS." + action).header("Content-Type", "application/x-amz-json-1.0")
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /**
     * Whether a gRPC (HTTP/2 over TLS) server at {@code port} lets this client in: a TLS handshake with ALPN h2, the
     * HTTP/2 preface, and the server's first frame back. A refused client certificate shows as a failed handshake or
     * (TLS 1.3, where the client finishes first) a closed connection.
     */
    private static boolean http2Answers(int port, SSLContext context) {
        try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            SSLParameters params = s.getSSLParameters();
            params.setApplicationProtocols(new String[]{"h2"});
            s.setSSLParameters(params);
            s.startHandshake();
            s.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(new byte[]{0, 0, 0, 4, 0, 0, 0, 0, 0}); // an empty SETTINGS frame
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            return in.read() >= 0;
        } catch (IOException refused) {
            return false;
        }
    }

    /** The serial of the certificate a TLS server at {@code port} presents to a new connection. */
    private static BigInteger presentedSerial(int port) {
        try (SSLSocket s = (SSLSocket) TlsFiles.context(null, CA.certificate()).getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            SSLParameters params = s.getSSLParameters();
            params.setApplicationProtocols(new String[]{"h2"});
            s.setSSLParameters(params);
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
        } catch (Exception e) {
            return BigInteger.ZERO;
        }
    }
}
