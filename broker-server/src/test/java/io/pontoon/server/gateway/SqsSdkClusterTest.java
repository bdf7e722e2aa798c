package io.pontoon.server.gateway;

import io.pontoon.server.SharedCluster;
import io.pontoon.server.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.*;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The AWS SDK for Java v2, unmodified, against a real three-node cluster through each node's HTTP gateway (AWS JSON
 * 1.0): every SQS action Pontoon implements, the SDK's modelled exceptions and its MD5 checks, sync and async
 * clients. Only the endpoint differs from a program that talks to AWS.
 */
class SqsSdkClusterTest {
    static TestCluster cluster;
    static SqsClient n1;
    static SqsClient n2;
    static SqsClient n3;
    static SqsAsyncClient async;

    @BeforeAll
    static void clients() {
        cluster = SharedCluster.get();
        n1 = sync(cluster.gatewayUri("n1"));
        n2 = sync(cluster.gatewayUri("n2"));
        n3 = sync(cluster.gatewayUri("n3"));
        // Unsigned, as README shows it: with auth.mode=none a client needs no keys.
        async = SqsAsyncClient.builder().endpointOverride(cluster.gatewayUri("n2")).region(Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create())
                .httpClient(NettyNioAsyncHttpClient.create()).build();
    }

    @AfterAll
    static void close() {
        List.of(n1, n2, n3).forEach(SqsClient::close);
        async.close();
    }

    static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));

    static SqsClient sync(URI endpoint) {
        return SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Test
    void aMessageSentThroughOneNodeIsReceivedAndDeletedThroughAnotherWithItsAttributesAndMd5s() {
        String url = n1.createQueue(b -> b.queueName("sdk-basic")).queueUrl();
        assertEquals(cluster.gatewayUri("n1") + "/000000000000/sdk-basic", url);
        SendMessageResponse sent = n2.sendMessage(b -> b.queueUrl(url).messageBody("hello from the SDK").messageAttributes(Map.of(
                "text", MessageAttributeValue.builder().dataType("String").stringValue("héllo").build(),
                "count", MessageAttributeValue.builder().dataType("Number").stringValue("42").build(),
                "blob", MessageAttributeValue.builder().dataType("Binary").binaryValue(SdkBytes.fromByteArray(new byte[]{0, 1, 2, (byte) 255})).build())));
        assertNotNull(sent.messageId());
        assertNotNull(sent.md5OfMessageAttributes());

        ReceiveMessageResponse received = n3.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(5).maxNumberOfMessages(10)
                .messageSystemAttributeNamesWithStrings("All").messageAttributeNames("All"));
        assertEquals(1, received.messages().size());
        Message m = received.messages().get(0);
        assertEquals(sent.messageId(), m.messageId());
        assertEquals("hello from the SDK", m.body());
        assertEquals("héllo", m.messageAttributes().get("text").stringValue());
        assertArrayEquals(new byte[]{0, 1, 2, (byte) 255}, m.messageAttributes().get("blob").binaryValue().asByteArray());
        assertEquals("1", m.attributesAsStrings().get("ApproximateReceiveCount"));
        assertTrue(m.attributesAsStrings().containsKey("SentTimestamp"));
        assertEquals("000000000000", m.attributesAsStrings().get("SenderId"));

        n1.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
        assertEquals("0", n2.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("ApproximateNumberOfMessages",
                "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings().get("ApproximateNumberOfMessagesNotVisible"));
    }

    @Test
    void batchEntriesSucceedOrFailAlone() {
        String url = n1.createQueue(b -> b.queueName("sdk-batch")).queueUrl();
        SendMessageBatchResponse sent = n2.sendMessageBatch(b -> b.queueUrl(url).entries(
                SendMessageBatchRequestEntry.builder().id("a").messageBody("one").build(),
                SendMessageBatchRequestEntry.builder().id("b").messageBody("two").delaySeconds(901).build(),
                SendMessageBatchRequestEntry.builder().id("c").messageBody("three").build()));
        assertEquals(List.of("a", "c"), sent.successful().stream().map(SendMessageBatchResultEntry::id).sorted().toList());
        assertEquals(1, sent.failed().size());
        assertEquals("b", sent.failed().get(0).id());
        assertEquals("InvalidParameterValue", sent.failed().get(0).code());
        assertTrue(sent.failed().get(0).senderFault());

        List<Message> messages = receiveAtLeast(n3, url, 2);
        ChangeMessageVisibilityBatchResponse changed = n1.changeMessageVisibilityBatch(b -> b.queueUrl(url).entries(
                ChangeMessageVisibilityBatchRequestEntry.builder().id("x").receiptHandle(messages.get(0).receiptHandle()).visibilityTimeout(60).build(),
                ChangeMessageVisibilityBatchRequestEntry.builder().id("y").receiptHandle("not-a-handle").visibilityTimeout(60).build()));
        assertEquals(List.of("x"), changed.successful().stream().map(ChangeMessageVisibilityBatchResultEntry::id).toList());
        assertEquals("ReceiptHandleIsInvalid", changed.failed().get(0).code());
        DeleteMessageBatchResponse deleted = n2.deleteMessageBatch(b -> b.queueUrl(url).entries(messages.stream()
                .map(m -> DeleteMessageBatchRequestEntry.builder().id("d" + messages.indexOf(m)).receiptHandle(m.receiptHandle()).build()).toList()));
        assertEquals(2, deleted.successful().size());
        assertTrue(deleted.failed().isEmpty());
    }

    private static List<Message> receiveAtLeast(SqsClient client, String url, int count) {
        List<Message> all = new java.util.ArrayList<>();
        long deadline = System.currentTimeMillis() + 20_000;
        while (all.size() < count && System.currentTimeMillis() < deadline) {
            all.addAll(client.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(2)).messages());
        }
        assertEquals(count, all.size(), "messages received from " + url);
        return all;
    }

    @Test
    void errorsAreTheSdksModelledExceptionsWithTheSqsErrorCodes() {
        QueueDoesNotExistException missing = assertThrows(QueueDoesNotExistException.class, () -> n1.getQueueUrl(b -> b.queueName("sdk-no-such")));
        assertEquals("AWS.SimpleQueueService.NonExistentQueue", missing.awsErrorDetails().errorCode());
        assertEquals(400, missing.statusCode());

        String url = n1.createQueue(b -> b.queueName("sdk-errors").attributesWithStrings(Map.of("VisibilityTimeout", "30"))).queueUrl();
        QueueNameExistsException exists = assertThrows(QueueNameExistsException.class,
                () -> n2.createQueue(b -> b.queueName("sdk-errors").attributesWithStrings(Map.of("VisibilityTimeout", "31"))));
        assertEquals("QueueAlreadyExists", exists.awsErrorDetails().errorCode());
        assertThrows(EmptyBatchRequestException.class, () -> n2.sendMessageBatch(b -> b.queueUrl(url).entries(List.of())));
        assertThrows(ReceiptHandleIsInvalidException.class, () -> n3.deleteMessage(b -> b.queueUrl(url).receiptHandle("garbage")));
        SqsException invalid = assertThrows(SqsException.class, () -> n3.receiveMessage(b -> b.queueUrl(url).visibilityTimeout(50_000)));
        assertEquals("InvalidParameterValue", invalid.awsErrorDetails().errorCode());
        assertTrue(invalid.getMessage().contains("VisibilityTimeout"), invalid.getMessage());
        assertThrows(InvalidAddressException.class, () -> n3.sendMessage(b -> b.queueUrl("ftp://elsewhere/q").messageBody("x")));

        // one message over the 1 MiB limit: the message's own rule (SQS), not the batch's total (BatchRequestTooLong)
        SqsException tooLarge = assertThrows(SqsException.class, () -> n2.sendMessage(b -> b.queueUrl(url).messageBody("x".repeat(1_048_577))));
        assertEquals("InvalidParameterValue", tooLarge.awsErrorDetails().errorCode(), tooLarge.getMessage());
    }

    @Test
    void aFifoQueueDeduplicatesAndNumbersItsMessages() {
        String url = n1.createQueue(b -> b.queueName("sdk-orders.fifo").attributesWithStrings(Map.of("FifoQueue", "true"))).queueUrl();
        SendMessageResponse first = n2.sendMessage(b -> b.queueUrl(url).messageBody("o1").messageGroupId("g").messageDeduplicationId("d1"));
        SendMessageResponse again = n3.sendMessage(b -> b.queueUrl(url).messageBody("o1").messageGroupId("g").messageDeduplicationId("d1"));
        n1.sendMessage(b -> b.queueUrl(url).messageBody("o2").messageGroupId("g").messageDeduplicationId("d2"));
        assertNotNull(first.sequenceNumber());
        assertEquals(first.messageId(), again.messageId(), "a duplicate within 5 minutes is the same message");
        List<Message> got = receiveAtLeast(n2, url, 2);
        assertEquals(List.of("o1", "o2"), got.stream().map(Message::body).toList());
    }

    @Test
    void queueAdministrationListsPagesTagsRedrivesAndPurges() {
        String dlq = n1.createQueue(b -> b.queueName("sdk-admin-dlq")).queueUrl();
        String dlqArn = n2.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        String source = n1.createQueue(b -> b.queueName("sdk-admin-src").tags(Map.of("team", "pontoon"))).queueUrl();
        n2.setQueueAttributes(b -> b.queueUrl(source).attributesWithStrings(Map.of("RedrivePolicy",
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"3\"}")));
        assertTrue(n3.getQueueAttributes(b -> b.queueUrl(source).attributeNames(QueueAttributeName.ALL)).attributesAsStrings()
                .get("RedrivePolicy").contains(dlqArn));
        assertEquals(List.of(cluster.gatewayUri("n3") + "/000000000000/sdk-admin-src"),
                n3.listDeadLetterSourceQueues(b -> b.queueUrl(dlq)).queueUrls());

        ListQueuesResponse page = n2.listQueues(b -> b.queueNamePrefix("sdk-admin").maxResults(1));
        assertEquals(1, page.queueUrls().size());
        assertNotNull(page.nextToken());
        ListQueuesResponse rest = n2.listQueues(b -> b.queueNamePrefix("sdk-admin").maxResults(1).nextToken(page.nextToken()));
        assertEquals(1, rest.queueUrls().size());
        assertNotEquals(page.queueUrls(), rest.queueUrls());

        assertEquals(Map.of("team", "pontoon"), n2.listQueueTags(b -> b.queueUrl(source)).tags(), "tags given at creation");
        n1.tagQueue(b -> b.queueUrl(source).tags(Map.of("env", "test")));
        n1.untagQueue(b -> b.queueUrl(source).tagKeys("team"));
        assertEquals(Map.of("env", "test"), n2.listQueueTags(b -> b.queueUrl(source)).tags());

        n1.sendMessage(b -> b.queueUrl(source).messageBody("to purge"));
        n2.purgeQueue(b -> b.queueUrl(source));
        assertThrows(PurgeQueueInProgressException.class, () -> n3.purgeQueue(b -> b.queueUrl(source)));
        n3.deleteQueue(b -> b.queueUrl(source));
        assertThrows(QueueDoesNotExistException.class, () -> n1.getQueueUrl(b -> b.queueName("sdk-admin-src")));
    }

    @Test
    void theAsyncClientsLongPollIsAnsweredWhenAMessageArrives() throws Exception {
        String url = n1.createQueue(b -> b.queueName("sdk-long-poll")).queueUrl();
        CompletableFuture<ReceiveMessageResponse> poll = async.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(20));
        TestCluster.await(() -> cluster.node("n1").parkedLongPolls() + cluster.node("n2").parkedLongPolls()
                + cluster.node("n3").parkedLongPolls() > 0, 10_000, "the long poll to park");
        async.sendMessage(b -> b.queueUrl(url).messageBody("wake up")).get(10, TimeUnit.SECONDS);
        long start = System.nanoTime();
        List<Message> got = poll.get(20, TimeUnit.SECONDS).messages();
        assertEquals(List.of("wake up"), got.stream().map(Message::body).toList());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 15_000, "answered when the message arrived, not at the wait time");
    }

    /**
     * A call through a node that does not lead the queue's partition is sent on to the leader's gRPC service (as the
     * Java client routes), not served by the follower: the follower's own Sqs service never sees the sends.
     */
    @Test
    void sendsThroughAFollowersGatewayAreServedByTheQueuesLeader() {
        String url = n1.createQueue(b -> b.queueName("sdk-routed")).queueUrl();
        int partition = Integer.parseInt(cluster.clusterStub("n1").lookupQueue(io.pontoon.api.v1.LookupQueueRequest.newBuilder()
                .setQueueName("sdk-routed").build()).getPartitionId());
        GatewayRoutingProbe.servedByTheLeader(cluster, io.pontoon.raft.ReplicaGroupId.partition(partition), List.of(n1, n2, n3),
                sqs -> sqs.getQueueAttributes(b -> b.queueUrl(url)), sqs -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("routed")),
                20, "SendMessage");
    }
}
