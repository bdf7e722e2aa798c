package io.pontoon.server.gateway;

import io.pontoon.raft.ReplicaGroupId;
import io.pontoon.server.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A cluster whose gateways require AWS Signature Version 4 ({@code auth.mode=sigv4}): an SDK client signing with a
 * known key is served, one with an unknown key or a wrong secret is refused with AWS's errors and changes nothing.
 * And a leader killed while such a client sends through another node's gateway: the gateway answers the election's
 * unavailability with 503, the SDK's own retries carry the sends over, and every message the SDK saw acknowledged
 * is received afterwards.
 */
class SqsSdkSignedClusterTest {
    static final String KEY_ID = "AKIAPONTOONTEST0001";
    static final String SECRET = "pontoon-test-secret-0001";
    static Path dir;
    static TestCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("pontoon-sdk-signed");
        Path keys = Files.writeString(dir.resolve("access-keys.properties"), KEY_ID + "=" + SECRET + "\n");
        cluster = new TestCluster(dir, 3, 1, Map.of("auth.mode", "sigv4", "auth.keys.file", keys.toString()));
        cluster.awaitLeaders(1, 30_000);
    }

    static SqsClient client(String node, String keyId, String secret) {
        return SqsClient.builder().endpointOverride(cluster.gatewayUri(node)).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(10).build()))
                .build();
    }

    @Test
    void aClientSigningWithAKnownKeyIsServedAndOthersAreRefusedWithAwsErrorsChangingNothing() throws Exception {
        String node = cluster.runningNodes().get(0);
        try (SqsClient signed = client(node, KEY_ID, SECRET); SqsClient unknown = client(node, "AKIAUNKNOWNKEY00001", SECRET);
             SqsClient wrongSecret = client(node, KEY_ID, "not-the-secret-at-all")) {
            SqsException unknownKey = assertThrows(SqsException.class, () -> unknown.createQueue(b -> b.queueName("signed-by-stranger")));
            assertEquals("InvalidClientTokenId", unknownKey.awsErrorDetails().errorCode());
            assertEquals(403, unknownKey.statusCode());
            SqsException badSignature = assertThrows(SqsException.class, () -> wrongSecret.createQueue(b -> b.queueName("signed-wrongly")));
            assertEquals("SignatureDoesNotMatch", badSignature.awsErrorDetails().errorCode());
            assertEquals(403, badSignature.statusCode());

            String url = signed.createQueue(b -> b.queueName("signed")).queueUrl();
            signed.sendMessage(b -> b.queueUrl(url).messageBody("signed and sealed"));
            assertEquals(List.of("signed and sealed"), signed.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(5)).messages().stream()
                    .map(Message::body).toList());
            assertEquals(List.of(url), signed.listQueues(b -> b.queueNamePrefix("signed")).queueUrls(), "the refused calls created nothing");
        }
        // The node's audit log names the AWS caller of the administrative call and of the refused ones.
        Path log = cluster.config(node).dataDir().resolve("audit").resolve("audit.log");
        List<String> lines = java.nio.file.Files.readAllLines(log);
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"who\":\"" + KEY_ID + "\"") && l.contains("pontoon.v1.Sqs/CreateQueue")
                && l.contains("\"resource\":\"signed\"") && l.contains("(AWS gateway)") && l.contains("\"result\":\"OK\"")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"who\":\"AKIAUNKNOWNKEY00001\"") && l.contains("AmazonSQS.CreateQueue")
                && l.contains("UNAUTHENTICATED:InvalidClientTokenId")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("UNAUTHENTICATED:SignatureDoesNotMatch")), lines.toString());
    }

    /** As in AWS, an endpoint confirms its subscription by visiting the SubscribeURL, unsigned: the token authorises it. */
    @Test
    void snsConfirmSubscriptionIsServedUnsignedWhileOtherActionsNeedASignature() throws Exception {
        String base = cluster.gatewayUri(cluster.runningNodes().get(0)) + "/?Version=2010-03-31&";
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> list = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "Action=ListTopics"))
                .GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(403, list.statusCode(), list.body());
        assertTrue(list.body().contains("<Code>MissingAuthenticationToken</Code>"), list.body());
        java.net.http.HttpResponse<String> confirm = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base
                        + "Action=ConfirmSubscription&TopicArn=arn%3Aaws%3Asns%3Apontoon%3A000000000000%3Anowhere&Token=not-a-token")).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertFalse(confirm.body().contains("MissingAuthenticationToken"), confirm.body());
        assertTrue(confirm.body().contains("<Code>NotFound</Code>") || confirm.body().contains("<Code>InvalidParameter</Code>"),
                "served: the topic's own error, " + confirm.body());
    }

    @AfterAll
    static void stop() {
        cluster.close();
        assertEquals(List.of(), cluster.fatalErrors);
    }

    @Test
    void everyMessageTheSdkSawAcknowledgedSurvivesTheKillOfTheQueuesLeader() {
        String leader = cluster.leaderOf(ReplicaGroupId.partition(0)).orElseThrow();
        String survivor = cluster.allNodes().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
        try (SqsClient sqs = client(survivor, KEY_ID, SECRET)) {
            String url = sqs.createQueue(b -> b.queueName("failover")).queueUrl();
            Set<String> acknowledged = new HashSet<>();
            int failed = 0;
            for (int i = 0; i < 200; i++) {
                if (i == 50) {
                    cluster.stop(leader);
                }
                String body = "m-" + i;
                try {
                    sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
                    acknowledged.add(body);
                } catch (SqsException e) {
                    failed++; // not acknowledged: it may or may not be in the queue
                }
            }
            assertTrue(acknowledged.size() >= 190, "the SDK's retries carried the sends over the election: " + failed + " failed\n"
                    + cluster.describeGroups());

            Set<String> received = new HashSet<>();
            long deadline = System.currentTimeMillis() + 60_000;
            while (!received.containsAll(acknowledged) && System.currentTimeMillis() < deadline) {
                List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
                got.forEach(m -> received.add(m.body()));
                if (!got.isEmpty()) {
                    sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(got.stream().map(m -> software.amazon.awssdk.services.sqs.model
                            .DeleteMessageBatchRequestEntry.builder().id(m.messageId()).receiptHandle(m.receiptHandle()).build()).toList()));
                }
            }
            Set<String> lost = new HashSet<>(acknowledged);
            lost.removeAll(received);
            assertEquals(Set.of(), lost, "acknowledged messages never received");
        }
    }
}
