package io.pontoon.server.gateway;

import io.pontoon.api.v1.GetQueueAttributesRequest;
import io.pontoon.core.codec.Json;
import io.pontoon.server.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A cluster configured with its own region and account id ({@code aws.region}, {@code aws.account.id}) shows them in
 * every ARN and queue URL it hands out, through the gateway and the gRPC API alike, takes them back in requests, and
 * refuses ARNs of another account. Three nodes with one partition, so that calls reaching a follower's gateway are
 * routed to the leader's gRPC port and still see the same ARNs.
 */
class ConfiguredIdentityClusterTest {
    static final String REGION = "eu-west-1";
    static final String ACCOUNT = "123456789012";
    static Path dir;
    static TestCluster cluster;
    static SqsClient sqs;
    static SnsClient sns;
    static KinesisClient kinesis;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("pontoon-identity");
        cluster = new TestCluster(dir, 3, 1, Map.of("aws.region", REGION, "aws.account.id", ACCOUNT));
        cluster.awaitLeaders(1, 30_000);
        sqs = SqsClient.builder().endpointOverride(cluster.gatewayUri("n1")).region(Region.EU_WEST_1)
                .credentialsProvider(SqsSdkClusterTest.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
        sns = SnsClient.builder().endpointOverride(cluster.gatewayUri("n2")).region(Region.EU_WEST_1)
                .credentialsProvider(SqsSdkClusterTest.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
        kinesis = KinesisClient.builder().endpointOverride(cluster.gatewayUri("n3")).region(Region.EU_WEST_1)
                .credentialsProvider(SqsSdkClusterTest.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stop() {
        sqs.close();
        sns.close();
        kinesis.close();
        cluster.close();
        assertEquals(List.of(), cluster.fatalErrors);
    }

    private static String arn(String service, String resource) {
        return "arn:aws:" + service + ":" + REGION + ":" + ACCOUNT + ":" + resource;
    }

    private static String queueArn(String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    @Test
    void queueUrlsAndArnsCarryTheConfiguredAccountAndRegionAndRedrivePoliciesTakeThem() {
        String url = sqs.createQueue(b -> b.queueName("id-source")).queueUrl();
        String dlqUrl = sqs.createQueue(b -> b.queueName("id-dlq")).queueUrl();
        assertEquals(cluster.gatewayUri("n1") + "/" + ACCOUNT + "/id-source", url);
        assertEquals(arn("sqs", "id-dlq"), queueArn(dlqUrl));

        String policy = "{\"deadLetterTargetArn\":\"" + arn("sqs", "id-dlq") + "\",\"maxReceiveCount\":\"2\"}";
        sqs.setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(Map.of("RedrivePolicy", policy)));
        String shown = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.REDRIVE_POLICY)).attributes()
                .get(QueueAttributeName.REDRIVE_POLICY);
        assertEquals(arn("sqs", "id-dlq"), ((Map<?, ?>) Json.parse(shown)).get("deadLetterTargetArn"));
        assertEquals(List.of(url), sqs.listDeadLetterSourceQueues(b -> b.queueUrl(dlqUrl)).queueUrls());

        // A received message's SenderId is the account's (what SQS shows for its root user).
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("who sent me"));
        List<software.amazon.awssdk.services.sqs.model.Message> got = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(5)
                .messageSystemAttributeNamesWithStrings("SenderId")).messages();
        assertEquals(1, got.size());
        assertEquals(Map.of("SenderId", ACCOUNT), got.get(0).attributesAsStrings());

        // The gRPC API, on another node, shows the same ARN.
        assertEquals(arn("sqs", "id-dlq"), cluster.sqs("n3").getQueueAttributes(GetQueueAttributesRequest.newBuilder()
                .setQueueUrl("pontoon://queue/id-dlq").addAttributeNames("QueueArn").build()).getAttributesMap().get("QueueArn"));

        String foreign = policy.replace(ACCOUNT, "999999999999");
        SqsException refused = assertThrows(SqsException.class,
                () -> sqs.setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(Map.of("RedrivePolicy", foreign))));
        assertEquals("InvalidParameterValue", refused.awsErrorDetails().errorCode());
        assertTrue(refused.getMessage().contains("999999999999"), refused.getMessage());
        assertEquals(shown, sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.REDRIVE_POLICY)).attributes()
                .get(QueueAttributeName.REDRIVE_POLICY), "the refused policy changed nothing");
    }

    @Test
    void topicAndSubscriptionArnsAndTheEnvelopeAQueueReceivesCarryTheConfiguredIdentity() {
        String topicArn = sns.createTopic(b -> b.name("id-topic")).topicArn();
        assertEquals(arn("sns", "id-topic"), topicArn);
        Map<String, String> attributes = sns.getTopicAttributes(b -> b.topicArn(topicArn)).attributes();
        assertEquals(ACCOUNT, attributes.get("Owner"));
        assertTrue(attributes.get("Policy").contains("\"" + topicArn + "\""), attributes.get("Policy"));
        assertTrue(attributes.get("Policy").contains("\"" + ACCOUNT + "\""), attributes.get("Policy"));

        String queueUrl = sqs.createQueue(b -> b.queueName("id-subscriber")).queueUrl();
        String subscriptionArn = sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn(queueUrl))).subscriptionArn();
        assertTrue(subscriptionArn.startsWith(topicArn + ":"), subscriptionArn);
        assertEquals(arn("sqs", "id-subscriber"), sns.getSubscriptionAttributes(b -> b.subscriptionArn(subscriptionArn)).attributes().get("Endpoint"));
        assertEquals(List.of(subscriptionArn), sns.listSubscriptionsByTopic(b -> b.topicArn(topicArn)).subscriptions().stream()
                .map(s -> s.subscriptionArn()).toList());

        sns.publish(b -> b.topicArn(topicArn).message("hello from " + REGION));
        List<Message> received = new java.util.ArrayList<>();
        TestCluster.await(() -> received.addAll(sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1)).messages()) || !received.isEmpty(),
                20_000, "the envelope in the subscribed queue");
        Map<?, ?> envelope = (Map<?, ?>) Json.parse(received.get(0).body());
        assertEquals(topicArn, envelope.get("TopicArn"));
        assertTrue(((String) envelope.get("UnsubscribeURL")).endsWith("SubscriptionArn=" + subscriptionArn), (String) envelope.get("UnsubscribeURL"));

        String foreignTopic = topicArn.replace(ACCOUNT, "999999999999");
        InvalidParameterException refused = assertThrows(InvalidParameterException.class, () -> sns.getTopicAttributes(b -> b.topicArn(foreignTopic)));
        assertTrue(refused.getMessage().contains(arn("sns", "NAME")), "the error shows the ARNs this cluster takes: " + refused.getMessage());
    }

    @Test
    void streamArnsCarryTheConfiguredIdentityAndNameTheStreamInRequests() {
        kinesis.createStream(b -> b.streamName("id-stream").shardCount(1));
        TestCluster.await(() -> kinesis.describeStreamSummary(b -> b.streamName("id-stream")).streamDescriptionSummary().streamStatus()
                == StreamStatus.ACTIVE, 30_000, "id-stream to become ACTIVE");
        String streamArn = kinesis.describeStreamSummary(b -> b.streamName("id-stream")).streamDescriptionSummary().streamARN();
        assertEquals(arn("kinesis", "stream/id-stream"), streamArn);
        assertEquals("id-stream", kinesis.describeStream(b -> b.streamARN(streamArn)).streamDescription().streamName());
        String consumerArn = kinesis.registerStreamConsumer(b -> b.streamARN(streamArn).consumerName("id-consumer")).consumer().consumerARN();
        assertTrue(consumerArn.startsWith(streamArn + "/consumer/id-consumer:"), consumerArn);

        ResourceNotFoundException missing = assertThrows(ResourceNotFoundException.class,
                () -> kinesis.describeStreamSummary(b -> b.streamName("id-no-such-stream")));
        assertTrue(missing.getMessage().contains("account " + ACCOUNT), missing.getMessage());
    }
}
