package io.pontoon.server.gateway;

import io.pontoon.core.codec.Json;
import io.pontoon.server.SharedCluster;
import io.pontoon.server.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsAsyncClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.*;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The AWS SDK for Java v2's SNS client, unmodified, against a real three-node cluster through each node's HTTP
 * gateway (the Query protocol, Version 2010-03-31): every SNS action Pontoon implements, its modelled exceptions,
 * sync and async clients, and fan-out to a queue observed through the SDK's SQS client.
 */
class SnsSdkClusterTest {
    static TestCluster cluster;
    static SnsClient n1;
    static SnsClient n2;
    static SnsClient n3;
    static SqsClient sqs;
    static SnsAsyncClient async;

    @BeforeAll
    static void clients() {
        cluster = SharedCluster.get();
        n1 = sync(cluster.gatewayUri("n1"));
        n2 = sync(cluster.gatewayUri("n2"));
        n3 = sync(cluster.gatewayUri("n3"));
        sqs = SqsSdkClusterTest.sync(cluster.gatewayUri("n1"));
        async = SnsAsyncClient.builder().endpointOverride(cluster.gatewayUri("n3")).region(Region.US_EAST_1)
                .credentialsProvider(SqsSdkClusterTest.CREDENTIALS).httpClient(NettyNioAsyncHttpClient.create()).build();
    }

    @AfterAll
    static void close() {
        List.of(n1, n2, n3).forEach(SnsClient::close);
        sqs.close();
        async.close();
    }

    static SnsClient sync(URI endpoint) {
        return SnsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(SqsSdkClusterTest.CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** A queue made through the SQS SDK: its URL and its ARN, as an application subscribes it. */
    private record SdkQueue(String url, String arn) {
    }

    private static SdkQueue queue(String name) {
        String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        return new SdkQueue(url, arn);
    }

    private static List<Message> receive(String url, int count) {
        List<Message> out = new ArrayList<>();
        TestCluster.await(() -> {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            batch.forEach(m -> sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle())));
            out.addAll(batch);
            return out.size() >= count;
        }, 20_000, count + " messages in " + url);
        return out;
    }

    @Test
    void aMessagePublishedThroughOneNodeReachesASubscribedQueueInTheSnsEnvelope() {
        String topicArn = n1.createTopic(b -> b.name("sdk-fanout")).topicArn();
        SdkQueue q = queue("sdk-fanout-q");
        String subscriptionArn = n2.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(q.arn()).returnSubscriptionArn(true)).subscriptionArn();
        assertTrue(subscriptionArn.startsWith(topicArn + ":"), subscriptionArn);

        PublishResponse published = n3.publish(b -> b.topicArn(topicArn).message("hello subscribers").subject("greeting").messageAttributes(Map.of(
                "colour", MessageAttributeValue.builder().dataType("String").stringValue("blue").build(),
                "blob", MessageAttributeValue.builder().dataType("Binary").binaryValue(SdkBytes.fromByteArray(new byte[]{0, 1, (byte) 255})).build())));
        assertNotNull(published.messageId());

        Map<?, ?> envelope = (Map<?, ?>) Json.parse(receive(q.url(), 1).get(0).body());
        assertEquals("Notification", envelope.get("Type"));
        assertEquals(published.messageId(), envelope.get("MessageId"));
        assertEquals(topicArn, envelope.get("TopicArn"));
        assertEquals("greeting", envelope.get("Subject"));
        assertEquals("hello subscribers", envelope.get("Message"));
        Map<?, ?> attributes = (Map<?, ?>) envelope.get("MessageAttributes");
        assertEquals("blue", ((Map<?, ?>) attributes.get("colour")).get("Value"));
        assertEquals("AAH/", ((Map<?, ?>) attributes.get("blob")).get("Value"));
    }

    @Test
    void rawDeliveryAndPublishBatchAsTheSdkSendsThem() {
        String topicArn = n1.createTopic(b -> b.name("sdk-raw")).topicArn();
        SdkQueue q = queue("sdk-raw-q");
        String sub = n1.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(q.arn())).subscriptionArn();
        n2.setSubscriptionAttributes(b -> b.subscriptionArn(sub).attributeName("RawMessageDelivery").attributeValue("true"));
        assertEquals("true", n3.getSubscriptionAttributes(b -> b.subscriptionArn(sub)).attributes().get("RawMessageDelivery"));

        PublishBatchResponse batch = n2.publishBatch(b -> b.topicArn(topicArn).publishBatchRequestEntries(
                PublishBatchRequestEntry.builder().id("a").message("first").build(),
                PublishBatchRequestEntry.builder().id("b").message("second").messageAttributes(Map.of(
                        "n", MessageAttributeValue.builder().dataType("Number").stringValue("7").build())).build()));
        assertEquals(List.of("a", "b"), batch.successful().stream().map(PublishBatchResultEntry::id).sorted().toList());
        assertEquals(List.of(), batch.failed());
        assertEquals(List.of("first", "second"), receive(q.url(), 2).stream().map(Message::body).sorted().toList());

        BatchEntryIdsNotDistinctException duplicate = assertThrows(BatchEntryIdsNotDistinctException.class, () -> n3.publishBatch(b -> b.topicArn(topicArn)
                .publishBatchRequestEntries(PublishBatchRequestEntry.builder().id("x").message("1").build(),
                        PublishBatchRequestEntry.builder().id("x").message("2").build())));
        assertEquals("BatchEntryIdsNotDistinct", duplicate.awsErrorDetails().errorCode());
    }

    @Test
    void topicsAndSubscriptionsAreAdministeredListedAndTagged() {
        String topicArn = n1.createTopic(b -> b.name("sdk-admin").attributes(Map.of("DisplayName", "Admin"))
                .tags(Tag.builder().key("team").value("core").build())).topicArn();
        assertEquals(topicArn, n2.createTopic(b -> b.name("sdk-admin").attributes(Map.of("DisplayName", "Admin"))).topicArn(), "CreateTopic is idempotent");
        n2.setTopicAttributes(b -> b.topicArn(topicArn).attributeName("DisplayName").attributeValue("Renamed"));
        Map<String, String> attributes = n3.getTopicAttributes(b -> b.topicArn(topicArn)).attributes();
        assertEquals("Renamed", attributes.get("DisplayName"));
        assertEquals(topicArn, attributes.get("TopicArn"));
        assertTrue(n1.listTopicsPaginator(ListTopicsRequest.builder().build()).topics().stream().anyMatch(t -> t.topicArn().equals(topicArn)));

        n2.tagResource(b -> b.resourceArn(topicArn).tags(Tag.builder().key("env").value("test").build()));
        assertEquals(Map.of("team", "core", "env", "test"), tags(topicArn));
        n3.untagResource(b -> b.resourceArn(topicArn).tagKeys("team"));
        assertEquals(Map.of("env", "test"), tags(topicArn));

        SdkQueue q = queue("sdk-admin-q");
        String sub = n1.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(q.arn())).subscriptionArn();
        List<Subscription> byTopic = n2.listSubscriptionsByTopic(b -> b.topicArn(topicArn)).subscriptions();
        assertEquals(1, byTopic.size());
        assertEquals(sub, byTopic.get(0).subscriptionArn());
        assertEquals("sqs", byTopic.get(0).protocol());
        assertEquals(q.arn(), byTopic.get(0).endpoint());
        assertTrue(n3.listSubscriptionsPaginator(ListSubscriptionsRequest.builder().build()).subscriptions().stream().anyMatch(s -> s.subscriptionArn().equals(sub)));
        n3.unsubscribe(b -> b.subscriptionArn(sub));
        assertEquals(List.of(), n1.listSubscriptionsByTopic(b -> b.topicArn(topicArn)).subscriptions());

        n1.deleteTopic(b -> b.topicArn(topicArn));
        assertThrows(NotFoundException.class, () -> n2.getTopicAttributes(b -> b.topicArn(topicArn)));
    }

    private static Map<String, String> tags(String arn) {
        Map<String, String> out = new java.util.TreeMap<>();
        n1.listTagsForResource(b -> b.resourceArn(arn)).tags().forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    @Test
    void errorsAreTheSdksModelledExceptionsWithTheSnsErrorCodes() {
        NotFoundException missing = assertThrows(NotFoundException.class,
                () -> n1.publish(b -> b.topicArn("arn:aws:sns:pontoon:000000000000:sdk-no-such").message("x")));
        assertEquals("NotFound", missing.awsErrorDetails().errorCode());
        assertEquals(404, missing.statusCode(), "the SNS model's status for NotFound");
        InvalidParameterException badName = assertThrows(InvalidParameterException.class, () -> n2.createTopic(b -> b.name("no spaces allowed")));
        assertFalse(badName.awsErrorDetails().errorMessage().isBlank());
        assertEquals(400, badName.statusCode());
        assertThrows(InvalidParameterException.class, () -> n3.publish(b -> b.phoneNumber("+15555550100").message("sms")));
    }

    /** As queue calls are, publishes through a node that does not lead the topic's partition are served by its leader. */
    @Test
    void publishesThroughAFollowersGatewayAreServedByTheTopicsLeader() {
        String topicArn = n1.createTopic(b -> b.name("sdk-routed-topic")).topicArn();
        int partition = Integer.parseInt(cluster.clusterStub("n1").lookupTopic(io.pontoon.api.v1.LookupTopicRequest.newBuilder()
                .setTopicName("sdk-routed-topic").build()).getPartitionId());
        GatewayRoutingProbe.servedByTheLeader(cluster, io.pontoon.raft.ReplicaGroupId.partition(partition), List.of(n1, n2, n3),
                sns -> sns.getTopicAttributes(b -> b.topicArn(topicArn)), sns -> sns.publish(b -> b.topicArn(topicArn).message("routed")),
                20, "Publish");
    }

    @Test
    void theAsyncClientPublishesAndAdministers() throws Exception {
        String topicArn = async.createTopic(b -> b.name("sdk-async")).get(10, TimeUnit.SECONDS).topicArn();
        SdkQueue q = queue("sdk-async-q");
        async.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(q.arn())
                .attributes(Map.of("RawMessageDelivery", "true"))).get(10, TimeUnit.SECONDS);
        assertNotNull(async.publish(b -> b.topicArn(topicArn).message("async hello")).get(10, TimeUnit.SECONDS).messageId());
        assertEquals("async hello", receive(q.url(), 1).get(0).body());
    }

    @Test
    void aRepeatedParameterOrAnUnknownActionGetsTheSnsErrorInXml() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> repeated = http.send(form("Action=ListTopics&Version=2010-03-31&NextToken=a&NextToken=b"), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, repeated.statusCode());
        assertTrue(repeated.body().contains("<Code>InvalidParameter</Code>"), repeated.body());
        assertTrue(repeated.body().contains("http://sns.amazonaws.com/doc/2010-03-31/"), repeated.body());
        HttpResponse<String> unknown = http.send(form("Action=CreatePlatformApplication&Version=2010-03-31"), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, unknown.statusCode());
        assertTrue(unknown.body().contains("<Code>InvalidAction</Code>"), unknown.body());
    }

    private static HttpRequest form(String body) {
        return HttpRequest.newBuilder(cluster.gatewayUri("n2")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
