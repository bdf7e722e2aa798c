package io.pontoon.server;

import io.grpc.StatusRuntimeException;
import io.pontoon.api.v1.*;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.pontoon.server.TopicTesting.QUEUE_ARN;
import static io.pontoon.server.TopicTesting.drain;
import static io.pontoon.server.TopicTesting.envelope;
import static io.pontoon.server.TopicTesting.queue;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Topics on a real 3-node cluster, through the public SNS API: fan-out to queues with filter policies and raw delivery,
 * HTTP(S) endpoints with confirmation, retries by the delivery policy, dead-letter queues, and endpoints that hang.
 */
class TopicClusterTest {
    static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = SharedCluster.get();
    }

    private static String topic(String name) {
        return cluster.sns("n1").createTopic(CreateTopicRequest.newBuilder().setName(name).build()).getTopicArn();
    }

    private static String subscribeQueue(String topicArn, String queue, Map<String, String> attributes) {
        return cluster.sns("n2").subscribe(SubscribeRequest.newBuilder().setTopicArn(topicArn).setProtocol("sqs").setEndpoint(QUEUE_ARN + queue)
                .putAllAttributes(attributes).build()).getSubscriptionArn();
    }

    private static String publish(String node, String topicArn, String message, Map<String, String> attributes) {
        PublishRequest.Builder b = PublishRequest.newBuilder().setTopicArn(topicArn).setMessage(message);
        attributes.forEach((k, v) -> b.putMessageAttributes(k, MessageAttributeValue.newBuilder().setDataType("String").setStringValue(v).build()));
        return cluster.sns(node).publish(b.build()).getMessageId();
    }

    private static String code(StatusRuntimeException e) throws Exception {
        return QueueApiClusterTest.detail(e).getAwsCode();
    }

    /** An HTTP subscription confirmed with the token its endpoint was sent, as a subscriber does. */
    private static String confirmedHttp(String topicArn, TopicTesting.Endpoint endpoint, Map<String, String> attributes) {
        String pending = cluster.sns("n1").subscribe(SubscribeRequest.newBuilder().setTopicArn(topicArn).setProtocol("http")
                .setEndpoint(endpoint.url()).putAllAttributes(attributes).build()).getSubscriptionArn();
        assertEquals("pending confirmation", pending);
        TestCluster.await(() -> endpoint.posts.stream().anyMatch(p -> "SubscriptionConfirmation".equals(p.type())), 20_000,
                "the endpoint to be sent a SubscriptionConfirmation");
        TopicTesting.Post confirmation = endpoint.posts.stream().filter(p -> "SubscriptionConfirmation".equals(p.type())).findFirst().orElseThrow();
        Map<?, ?> envelope = (Map<?, ?>) io.pontoon.core.codec.Json.parse(confirmation.body());
        assertEquals(envelope.get("MessageId"), confirmation.messageId(), "the x-amz-sns-message-id header names the confirmation");
        String token = (String) envelope.get("Token");
        return cluster.sns("n3").confirmSubscription(ConfirmSubscriptionRequest.newBuilder().setTopicArn(topicArn).setToken(token).build())
                .getSubscriptionArn();
    }

    @Test
    void aPublishReachesEveryMatchingQueueOnceAsAnSnsEnvelopeOrRaw() {
        String t = topic("tc-fanout");
        String all = queue(cluster, "tc-all"), red = queue(cluster, "tc-red"), raw = queue(cluster, "tc-raw");
        String allArn = subscribeQueue(t, "tc-all", Map.of());
        subscribeQueue(t, "tc-red", Map.of("FilterPolicy", "{\"color\":[\"red\"]}"));
        subscribeQueue(t, "tc-raw", Map.of("RawMessageDelivery", "true"));
        String id1 = publish("n1", t, "first", Map.of("color", "red"));
        publish("n2", t, "second", Map.of("color", "blue"));
        publish("n3", t, "third", Map.of());

        TestCluster.await(() -> count(all) == 3 && count(raw) == 3 && count(red) == 1, 20_000, "every delivery");
        List<Message> allMessages = drain(cluster, "n1", all);
        assertEquals(Set.of("first", "second", "third"), allMessages.stream().map(m -> (String) envelope(m).get("Message")).collect(Collectors.toSet()));
        Map<?, ?> first = allMessages.stream().map(TopicTesting::envelope).filter(e -> e.get("Message").equals("first")).findFirst().orElseThrow();
        assertEquals("Notification", first.get("Type"));
        assertEquals(id1, first.get("MessageId"));
        assertEquals(t, first.get("TopicArn"));
        assertTrue(((String) first.get("UnsubscribeURL")).contains(allArn));
        assertEquals(Map.of("color", Map.of("Type", "String", "Value", "red")), first.get("MessageAttributes"));
        assertNotNull(java.time.Instant.parse((String) first.get("Timestamp")));

        List<Message> redMessages = drain(cluster, "n2", red);
        assertEquals(List.of("first"), redMessages.stream().map(m -> (String) envelope(m).get("Message")).toList(), "the filter policy holds");

        List<Message> rawMessages = drain(cluster, "n3", raw);
        assertEquals(Set.of("first", "second", "third"), rawMessages.stream().map(Message::getBody).collect(Collectors.toSet()));
        Message rawFirst = rawMessages.stream().filter(m -> m.getBody().equals("first")).findFirst().orElseThrow();
        assertEquals("red", rawFirst.getMessageAttributesMap().get("color").getStringValue(), "raw delivery carries the attributes");
    }

    private static int count(String url) {
        return Integer.parseInt(cluster.sqs("n1").getQueueAttributes(GetQueueAttributesRequest.newBuilder().setQueueUrl(url)
                .addAttributeNames("ApproximateNumberOfMessages").build()).getAttributesMap().get("ApproximateNumberOfMessages"));
    }

    @Test
    void anHttpEndpointThatFailsTwiceGetsTheMessageOnItsThirdAttemptAfterTheConfiguredDelays() throws Exception {
        String t = topic("tc-retry");
        try (TopicTesting.Endpoint endpoint = new TopicTesting.Endpoint(n -> n <= 3 ? (n == 1 ? 200 : 500) : 200, 0)) {
            // POST 1 is the confirmation; notifications 1 and 2 fail (500), the third attempt succeeds
            confirmedHttp(t, endpoint, Map.of("DeliveryPolicy", "{\"healthyRetryPolicy\":{\"numRetries\":3,\"minDelayTarget\":1,\"maxDelayTarget\":1}}"));
            String id = publish("n2", t, "retry me", Map.of());
            TestCluster.await(() -> endpoint.notifications().size() >= 3, 30_000, "three attempts");
            List<TopicTesting.Post> attempts = endpoint.notifications();
            assertTrue(attempts.stream().allMatch(p -> id.equals(p.messageId())));
            assertTrue(attempts.get(1).atMs() - attempts.get(0).atMs() >= 900, "the first retry waited the policy's 1 s");
            assertTrue(attempts.get(2).atMs() - attempts.get(1).atMs() >= 900, "the second retry waited the policy's 1 s");
            assertEquals("retry me", ((Map<?, ?>) io.pontoon.core.codec.Json.parse(attempts.get(2).body())).get("Message"));
            // delivered: no fourth attempt comes
            long settledAt = System.currentTimeMillis();
            TestCluster.await(() -> System.currentTimeMillis() - settledAt > 2_500, 5_000, "time for a retry that must not come");
            assertEquals(3, endpoint.notifications().size());
        }
    }

    @Test
    void anEndpointIsSentNoMoreThanItsThrottlePolicyAllowsPerSecond() throws Exception {
        String t = topic("tc-throttle");
        try (TopicTesting.Endpoint endpoint = new TopicTesting.Endpoint(n -> 200, 0)) {
            confirmedHttp(t, endpoint, Map.of("DeliveryPolicy", "{\"throttlePolicy\":{\"maxReceivesPerSecond\":2}}"));
            for (int i = 0; i < 6; i++) {
                publish("n1", t, "m" + i, Map.of());
            }
            TestCluster.await(() -> endpoint.notifications().size() >= 6, 20_000, "six deliveries");
            List<TopicTesting.Post> posts = endpoint.notifications();
            for (int i = 2; i < posts.size(); i++) {
                assertTrue(posts.get(i).atMs() - posts.get(i - 2).atMs() >= 700, "at most 2 a second, but POSTs " + (i - 2) + " and " + i
                        + " came " + (posts.get(i).atMs() - posts.get(i - 2).atMs()) + " ms apart");
            }
        }
    }

    @Test
    void aMessageAnEndpointNeverTakesEndsInTheSubscriptionsDeadLetterQueue() throws Exception {
        String t = topic("tc-dlq");
        String dlq = queue(cluster, "tc-dlq-q");
        try (TopicTesting.Endpoint endpoint = new TopicTesting.Endpoint(n -> n == 1 ? 200 : 503, 0)) {
            confirmedHttp(t, endpoint, Map.of("DeliveryPolicy", "{\"healthyRetryPolicy\":{\"numRetries\":1,\"minDelayTarget\":1,\"maxDelayTarget\":1}}",
                    "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + QUEUE_ARN + "tc-dlq-q\"}"));
            String id = publish("n3", t, "undeliverable", Map.of());
            TestCluster.await(() -> count(dlq) == 1, 30_000, "the message in the dead-letter queue");
            assertEquals(2, endpoint.notifications().size(), "one attempt and the one retry the policy allows");
            Map<?, ?> e = envelope(drain(cluster, "n1", dlq).get(0));
            assertEquals(id, e.get("MessageId"));
            assertEquals("undeliverable", e.get("Message"));
        }
    }

    /** SNS: a deleted queue is a client-side error; the message goes to the subscription's dead-letter queue. */
    @Test
    void aMessageForADeletedQueueEndsInTheSubscriptionsDeadLetterQueue() {
        String t = topic("tc-deleted");
        String doomed = queue(cluster, "tc-deleted-q");
        String plain = queue(cluster, "tc-deleted-plain");
        String dlq = queue(cluster, "tc-deleted-dlq");
        subscribeQueue(t, "tc-deleted-q", Map.of("RedrivePolicy", "{\"deadLetterTargetArn\":\"" + QUEUE_ARN + "tc-deleted-dlq\"}"));
        subscribeQueue(t, "tc-deleted-plain", Map.of("RawMessageDelivery", "true"));
        cluster.sqs("n1").deleteQueue(io.pontoon.api.v1.DeleteQueueRequest.newBuilder().setQueueUrl(doomed).build());
        String id = publish("n2", t, "after the queue was deleted", Map.of());
        TestCluster.await(() -> count(dlq) == 1 && count(plain) == 1, 30_000, "the message in the dead-letter queue and in the other queue");
        Map<?, ?> e = envelope(drain(cluster, "n1", dlq).get(0));
        assertEquals(id, e.get("MessageId"));
        assertEquals("after the queue was deleted", e.get("Message"));
        assertEquals(List.of("after the queue was deleted"), drain(cluster, "n3", plain).stream()
                .map(Message::getBody).toList(), "the other subscription is delivered as usual");
    }

    @Test
    void aClientErrorFailsTheDeliveryAtOnceWithoutRetries() throws Exception {
        String t = topic("tc-4xx");
        String dlq = queue(cluster, "tc-4xx-dlq");
        try (TopicTesting.Endpoint endpoint = new TopicTesting.Endpoint(n -> n == 1 ? 200 : 404, 0)) {
            confirmedHttp(t, endpoint, Map.of("DeliveryPolicy", "{\"healthyRetryPolicy\":{\"numRetries\":3,\"minDelayTarget\":1,\"maxDelayTarget\":1}}",
                    "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + QUEUE_ARN + "tc-4xx-dlq\"}"));
            publish("n2", t, "gone", Map.of());
            TestCluster.await(() -> count(dlq) == 1, 20_000, "the message in the dead-letter queue");
            assertEquals(1, endpoint.notifications().size(), "a 404 is not retried, though the policy allows 3 retries");
        }
    }

    @Test
    void anEndpointThatHangsSlowsNeitherPublishingNorOtherSubscriptions() throws Exception {
        String t = topic("tc-hang");
        String q = queue(cluster, "tc-hang-q");
        try (TopicTesting.Endpoint healthy = new TopicTesting.Endpoint(n -> 200, 0);
             TopicTesting.Endpoint stuck = new TopicTesting.Endpoint(n -> 200, 60_000)) {
            confirmedHttp(t, stuck, Map.of());
            confirmedHttp(t, healthy, Map.of());
            subscribeQueue(t, "tc-hang-q", Map.of());
            long start = System.currentTimeMillis();
            for (int i = 0; i < 40; i++) {
                publish("n" + (1 + i % 3), t, "m" + i, Map.of());
            }
            long publishMs = System.currentTimeMillis() - start;
            TestCluster.await(() -> count(q) == 40 && healthy.notifications().size() >= 40, 20_000,
                    "the queue and the healthy endpoint to get every message while another endpoint does not answer");
            assertTrue(publishMs < 10_000, "40 publishes took " + publishMs + " ms");
            assertTrue(stuck.notifications().size() <= 16, "the hanging endpoint holds no more than its window: " + stuck.notifications().size());
        }
    }

    @Test
    void topicManagementFollowsSns() throws Exception {
        String t = topic("tc-admin");
        assertEquals(t, topic("tc-admin"), "CreateTopic is idempotent");
        StatusRuntimeException differs = assertThrows(StatusRuntimeException.class, () -> cluster.sns("n1").createTopic(CreateTopicRequest.newBuilder()
                .setName("tc-admin").putAttributes("DisplayName", "other").build()));
        assertEquals("InvalidParameter", code(differs));
        cluster.sns("n2").setTopicAttributes(SetTopicAttributesRequest.newBuilder().setTopicArn(t).setAttributeName("DisplayName").setAttributeValue("Admin").build());
        Map<String, String> attrs = cluster.sns("n3").getTopicAttributes(GetTopicAttributesRequest.newBuilder().setTopicArn(t).build()).getAttributesMap();
        assertEquals("Admin", attrs.get("DisplayName"));
        assertEquals(t, attrs.get("TopicArn"));
        assertEquals("0", attrs.get("SubscriptionsConfirmed"));

        cluster.sns("n1").tagResource(TagResourceRequest.newBuilder().setResourceArn(t).putTags("team", "a").build());
        assertEquals(Map.of("team", "a"), cluster.sns("n2").listTagsForResource(ListTagsForResourceRequest.newBuilder().setResourceArn(t).build()).getTagsMap());

        assertTrue(listAllTopics().contains(t));
        String sub = subscribeQueue(t, "tc-admin-q", Map.of());
        assertEquals(List.of(sub), cluster.sns("n3").listSubscriptionsByTopic(ListSubscriptionsByTopicRequest.newBuilder().setTopicArn(t).build())
                .getSubscriptionsList().stream().map(Subscription::getSubscriptionArn).toList());
        assertEquals("sqs", cluster.sns("n1").getSubscriptionAttributes(GetSubscriptionAttributesRequest.newBuilder().setSubscriptionArn(sub).build())
                .getAttributesMap().get("Protocol"));
        StatusRuntimeException badFilter = assertThrows(StatusRuntimeException.class, () -> cluster.sns("n1").setSubscriptionAttributes(
                SetSubscriptionAttributesRequest.newBuilder().setSubscriptionArn(sub).setAttributeName("FilterPolicy").setAttributeValue("{\"a\":[{\"numeric\":[\">\"]}]}").build()));
        assertEquals("InvalidParameter", code(badFilter));
        assertTrue(badFilter.getStatus().getDescription().contains("FilterPolicy"), badFilter.getStatus().getDescription());

        cluster.sns("n2").unsubscribe(UnsubscribeRequest.newBuilder().setSubscriptionArn(sub).build());
        cluster.sns("n2").deleteTopic(DeleteTopicRequest.newBuilder().setTopicArn(t).build());
        cluster.sns("n2").deleteTopic(DeleteTopicRequest.newBuilder().setTopicArn(t).build());
        StatusRuntimeException gone = assertThrows(StatusRuntimeException.class, () -> publish("n3", t, "x", Map.of()));
        assertEquals("NotFound", code(gone));
        assertFalse(listAllTopics().contains(t));
        StatusRuntimeException badName = assertThrows(StatusRuntimeException.class, () -> topic("bad name!"));
        assertEquals("InvalidParameter", code(badName));
    }

    @Test
    void aPublishBatchFailsOnlyItsBadEntries() throws Exception {
        String t = topic("tc-batch");
        PublishBatchResponse r = cluster.sns("n1").publishBatch(PublishBatchRequest.newBuilder().setTopicArn(t)
                .addPublishBatchRequestEntries(PublishBatchRequestEntry.newBuilder().setId("ok").setMessage("fine"))
                .addPublishBatchRequestEntries(PublishBatchRequestEntry.newBuilder().setId("empty").setMessage(""))
                .addPublishBatchRequestEntries(PublishBatchRequestEntry.newBuilder().setId("json").setMessage("{}").setMessageStructure("json"))
                .build());
        assertEquals(List.of("ok"), r.getSuccessfulList().stream().map(PublishBatchResultEntry::getId).toList());
        assertEquals(Set.of("empty", "json"), r.getFailedList().stream().map(BatchResultErrorEntry::getId).collect(Collectors.toSet()));
        assertTrue(r.getFailedList().stream().allMatch(f -> f.getCode().equals("InvalidParameter") && f.getSenderFault()));
        StatusRuntimeException tooMany = assertThrows(StatusRuntimeException.class, () -> {
            PublishBatchRequest.Builder b = PublishBatchRequest.newBuilder().setTopicArn(t);
            for (int i = 0; i < 11; i++) {
                b.addPublishBatchRequestEntries(PublishBatchRequestEntry.newBuilder().setId("e" + i).setMessage("m"));
            }
            cluster.sns("n2").publishBatch(b.build());
        });
        assertEquals("TooManyEntriesInBatchRequest", code(tooMany));
    }

    /**
     * Every envelope is signed as AWS SNS signs it, and a subscriber checks it as with AWS: fetch the certificate at
     * SigningCertURL, verify the signature over the documented string to sign. The shared cluster serves no metrics (its
     * nodes share one set of settings, and one metrics port cannot serve three nodes on loopback), so this test starts a
     * node of its own whose metrics port serves its certificate.
     */
    @Test
    void envelopesAreSignedAsSnsSignsThemAndVerifyWithTheCertificateAtSigningCertUrl() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("pontoon-sns-signing");
        int metricsPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            metricsPort = probe.getLocalPort();
        }
        try (TestCluster node = new TestCluster(dir, 1, 1, Map.of("metrics.port", String.valueOf(metricsPort)));
             TopicTesting.Endpoint endpoint = new TopicTesting.Endpoint(n -> 200, 0)) {
            node.awaitLeaders(1, 30_000);
            String v1 = node.sns("n1").createTopic(CreateTopicRequest.newBuilder().setName("tc-signed-v1").build()).getTopicArn();
            String v2 = node.sns("n1").createTopic(CreateTopicRequest.newBuilder().setName("tc-signed-v2").putAttributes("SignatureVersion", "2").build())
                    .getTopicArn();
            String q = queue(node, "tc-signed-q");
            for (String t : List.of(v1, v2)) {
                node.sns("n1").subscribe(SubscribeRequest.newBuilder().setTopicArn(t).setProtocol("sqs").setEndpoint(QUEUE_ARN + "tc-signed-q").build());
            }
            node.sns("n1").subscribe(SubscribeRequest.newBuilder().setTopicArn(v2).setProtocol("http").setEndpoint(endpoint.url()).build());
            TestCluster.await(() -> endpoint.posts.stream().anyMatch(p -> "SubscriptionConfirmation".equals(p.type())), 20_000, "a confirmation");
            Map<?, ?> confirmation = (Map<?, ?>) io.pontoon.core.codec.Json.parse(endpoint.posts.get(0).body());
            node.sns("n1").confirmSubscription(ConfirmSubscriptionRequest.newBuilder().setTopicArn(v2).setToken((String) confirmation.get("Token")).build());
            node.sns("n1").publish(PublishRequest.newBuilder().setTopicArn(v1).setMessage("signed once").setSubject("Hello").build());
            node.sns("n1").publish(PublishRequest.newBuilder().setTopicArn(v2).setMessage("{\"signed\": \"twice\"}").build());

            List<Map<?, ?>> queued = new java.util.ArrayList<>();
            TestCluster.await(() -> {
                drain(node, "n1", q).forEach(m -> queued.add(envelope(m)));
                return queued.size() >= 2 && !endpoint.notifications().isEmpty();
            }, 20_000, "both notifications in the queue and one at the endpoint");
            List<Map<?, ?>> envelopes = new java.util.ArrayList<>(queued);
            envelopes.add((Map<?, ?>) io.pontoon.core.codec.Json.parse(endpoint.notifications().get(0).body()));
            envelopes.add(confirmation);

            String url = "http://127.0.0.1:" + metricsPort + "/sns/signing-cert.pem";
            java.security.cert.X509Certificate cert = SnsSignatureVerifier.fetchCertificate(url);
            for (Map<?, ?> e : envelopes) {
                assertEquals(url, e.get("SigningCertURL"), "the delivering node names its own certificate");
                assertEquals(e.get("TopicArn").equals(v2) ? "2" : "1", e.get("SignatureVersion"), "the topic's SignatureVersion");
                assertTrue(SnsSignatureVerifier.verify(e, SnsSignatureVerifier.fetchCertificate((String) e.get("SigningCertURL"))), e.toString());
                Map<Object, Object> tampered = new java.util.LinkedHashMap<>(e);
                tampered.put("Message", e.get("Message") + " (changed)");
                assertFalse(SnsSignatureVerifier.verify(tampered, cert), "a changed Message fails");
            }
            assertEquals("Hello", queued.stream().filter(e -> e.get("TopicArn").equals(v1)).findFirst().orElseThrow().get("Subject"));
        } finally {
            TestCluster.deleteRecursively(dir);
        }
    }

    private static List<String> listAllTopics() {
        List<String> out = new java.util.ArrayList<>();
        String token = "";
        do {
            ListTopicsResponse r = cluster.sns("n1").listTopics(ListTopicsRequest.newBuilder().setNextToken(token).build());
            out.addAll(r.getTopicArnsList());
            token = r.getNextToken();
        } while (!token.isEmpty());
        return out;
    }

    /**
     * As SNS's documentation tells an HTTP subscriber to: it confirms by visiting the SubscribeURL of the
     * SubscriptionConfirmation it was sent (this node's gateway, unsigned), and leaves by visiting the UnsubscribeURL of
     * a notification.
     */
    @Test
    void anEndpointConfirmsByVisitingItsSubscribeUrlAndLeavesByItsUnsubscribeUrl() throws Exception {
        String topicArn = topic("links");
        try (TopicTesting.Endpoint endpoint = new TopicTesting.Endpoint(n -> 200, 0)) {
            cluster.sns("n2").subscribe(SubscribeRequest.newBuilder().setTopicArn(topicArn).setProtocol("http").setEndpoint(endpoint.url()).build());
            TestCluster.await(() -> endpoint.posts.stream().anyMatch(p -> "SubscriptionConfirmation".equals(p.type())), 20_000,
                    "the endpoint to be sent a SubscriptionConfirmation");
            String subscribeUrl = (String) field(endpoint, "SubscriptionConfirmation", "SubscribeURL");
            assertTrue(subscribeUrl.startsWith("http://127.0.0.1:") && subscribeUrl.contains("Action=ConfirmSubscription"), subscribeUrl);
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            String confirmed = visit(http, subscribeUrl);
            String subscriptionArn = confirmed.substring(confirmed.indexOf("<SubscriptionArn>") + 17, confirmed.indexOf("</SubscriptionArn>"));
            assertTrue(subscriptionArn.startsWith(topicArn + ":"), confirmed);

            publish("n3", topicArn, "after visiting the link", Map.of());
            TestCluster.await(() -> endpoint.posts.stream().anyMatch(p -> "Notification".equals(p.type())), 20_000, "the notification");
            String unsubscribeUrl = (String) field(endpoint, "Notification", "UnsubscribeURL");
            visit(http, unsubscribeUrl);
            assertEquals(List.of(), cluster.sns("n1").listSubscriptionsByTopic(ListSubscriptionsByTopicRequest.newBuilder().setTopicArn(topicArn).build())
                    .getSubscriptionsList());
        }
    }

    private static Object field(TopicTesting.Endpoint endpoint, String type, String name) {
        TopicTesting.Post post = endpoint.posts.stream().filter(p -> type.equals(p.type())).findFirst().orElseThrow();
        return ((Map<?, ?>) io.pontoon.core.codec.Json.parse(post.body())).get(name);
    }

    private static String visit(java.net.http.HttpClient http, String url) throws Exception {
        java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url + " -> " + r.body());
        return r.body();
    }
}
