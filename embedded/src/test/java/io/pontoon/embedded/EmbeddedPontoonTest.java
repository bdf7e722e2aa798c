package io.pontoon.embedded;

import io.pontoon.api.v1.ReceiveMessageRequest;
import io.pontoon.api.v1.SendMessageRequest;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** An embedded Pontoon is a real node in this JVM: it starts on free ports, serves gRPC and the AWS gateway, and leaves nothing behind. */
class EmbeddedPontoonTest {
    @Test
    void oneNodeServesTheJavaClientAndTheAwsSdkAndCloseRemovesItsData() throws Exception {
        Path data;
        long startNs = System.nanoTime();
        try (EmbeddedPontoon pontoon = EmbeddedPontoon.builder().start()) {
            System.out.printf("one embedded node ready in %d ms%n", (System.nanoTime() - startNs) / 1_000_000);
            data = pontoon.dataDir();
            String url = pontoon.client().createQueue("embedded-orders");
            pontoon.client().sendMessage(SendMessageRequest.newBuilder().setQueueUrl(url).setMessageBody("from gRPC").build());
            try (SqsClient sqs = SqsClient.builder().endpointOverride(pontoon.awsEndpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                    .httpClient(UrlConnectionHttpClient.create()).build()) {
                String awsUrl = sqs.getQueueUrl(b -> b.queueName("embedded-orders")).queueUrl();
                assertEquals("from gRPC", sqs.receiveMessage(b -> b.queueUrl(awsUrl).waitTimeSeconds(5)).messages().get(0).body());
            }
            assertTrue(Files.isDirectory(data), "the nodes keep their data in " + data);
            assertEquals(List.of(), pontoon.fatalErrors());
        }
        assertFalse(Files.exists(data), "close removed " + data);
    }

    @Test
    void threeNodesFormOneClusterThatReplicatesAndResetEmptiesItWithNamesFreeAgain() {
        try (EmbeddedPontoon pontoon = EmbeddedPontoon.builder().nodes(3).start()) {
            assertEquals(3, pontoon.clientEndpoints().size());
            assertEquals(3, pontoon.client().getRoutingTable().getNodesCount());
            String url = pontoon.client().createQueue("embedded-replicated");
            pontoon.client().sendMessage(SendMessageRequest.newBuilder().setQueueUrl(url).setMessageBody("x").build());
            pontoon.client().topics().createTopic("embedded-topic");
            pontoon.client().streams().createStream("embedded-stream", 1);

            pontoon.reset();

            assertEquals(List.of(), pontoon.client().listQueues(""));
            assertEquals(List.of(), pontoon.client().topics().listTopics());
            assertEquals(List.of(), pontoon.client().streams().listStreams(io.pontoon.api.v1.ListStreamsRequest.getDefaultInstance())
                    .getStreamNamesList());
            pontoon.client().streams().createStream("embedded-stream", 1); // the name is free again at once
            String again = pontoon.client().createQueue("embedded-replicated");
            assertEquals(0, pontoon.client().receiveMessage(ReceiveMessageRequest.newBuilder().setQueueUrl(again).build()).getMessagesCount(),
                    "a queue made again after reset starts empty");
        }
    }

    @Test
    void withTlsTheJavaClientAndTheAwsSdkTrustTheClusterCaAndAPlaintextClientIsToldWhy() throws Exception {
        try (EmbeddedPontoon pontoon = EmbeddedPontoon.builder().tls().start()) {
            assertEquals("https", pontoon.awsEndpoint().getScheme());
            String url = pontoon.client().createQueue("embedded-sealed");
            pontoon.client().sendMessage(SendMessageRequest.newBuilder().setQueueUrl(url).setMessageBody("over TLS").build());
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(Files.newInputStream(pontoon.tlsCaFile().orElseThrow())));
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);
            try (SqsClient sqs = SqsClient.builder().endpointOverride(pontoon.awsEndpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                    .httpClient(UrlConnectionHttpClient.builder().tlsTrustManagersProvider(tmf::getTrustManagers).build()).build()) {
                String awsUrl = sqs.getQueueUrl(b -> b.queueName("embedded-sealed")).queueUrl();
                assertTrue(awsUrl.startsWith("https://"), awsUrl);
                assertEquals("over TLS", sqs.receiveMessage(b -> b.queueUrl(awsUrl).waitTimeSeconds(5)).messages().get(0).body());
            }
            try (io.pontoon.client.PontoonClient plain = io.pontoon.client.PontoonClient.builder().bootstrap(pontoon.clientEndpoints())
                    .maxAttempts(1).build()) {
                RuntimeException e = assertThrows(RuntimeException.class, () -> plain.listQueues(""));
                assertTrue(String.valueOf(e.getMessage()).contains("requires TLS"), String.valueOf(e));
            }
        }
    }

    @Test
    void withAuthTheClientSignsWithAConfiguredKeyAndAnUnsignedClientIsRefused() throws Exception {
        Path keys = Files.createTempFile("pontoon-keys", ".properties");
        Files.writeString(keys, "AKIAEMBEDDEDTEST001=embedded-test-secret-1\n");
        try (EmbeddedPontoon pontoon = EmbeddedPontoon.builder().property("auth.mode", "sigv4").property("auth.keys.file", keys.toString()).start()) {
            String url = pontoon.client().createQueue("embedded-signed");
            assertTrue(pontoon.client().listQueues("").contains(url));
            try (io.pontoon.client.PontoonClient unsigned = io.pontoon.client.PontoonClient.builder().bootstrap(pontoon.clientEndpoints())
                    .maxAttempts(1).build();
                 io.pontoon.client.PontoonClient wrong = io.pontoon.client.PontoonClient.builder().bootstrap(pontoon.clientEndpoints())
                         .credentials("AKIAEMBEDDEDTEST001", "not-the-secret").maxAttempts(1).build()) {
                io.pontoon.client.PontoonException e = assertThrows(io.pontoon.client.PontoonException.class, () -> unsigned.createQueue("embedded-unsigned"));
                assertEquals("MissingAuthenticationToken", e.awsCode(), e.toString());
                e = assertThrows(io.pontoon.client.PontoonException.class, () -> wrong.createQueue("embedded-wrong"));
                assertEquals("SignatureDoesNotMatch", e.awsCode(), e.toString());
            }
            assertEquals(List.of(url), pontoon.client().listQueues(""));
        } finally {
            Files.delete(keys);
        }
    }

    @Test
    void onlyOneOrThreeNodesAreOffered() {
        assertThrows(IllegalArgumentException.class, () -> EmbeddedPontoon.builder().nodes(2));
    }
}
