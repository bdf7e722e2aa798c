package io.pontoon.server.gateway;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder;
import com.amazonaws.services.sqs.AmazonSQS;
import com.amazonaws.services.sqs.AmazonSQSClientBuilder;
import com.amazonaws.services.sqs.model.*;
import io.pontoon.server.SharedCluster;
import io.pontoon.server.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * SQS's older Query protocol (form in, XML out) on a real cluster, driven by an unmodified AWS SDK for Java v1
 * (1.12.400, from before SQS moved its SDKs to JSON), which checks the MD5s of bodies and attributes itself; and the
 * protocol's own errors for malformed forms.
 */
class SqsQueryProtocolClusterTest {
    static TestCluster cluster;
    static AmazonSQS n1;
    static AmazonSQS n3;

    @BeforeAll
    static void clients() {
        cluster = SharedCluster.get();
        n1 = v1(cluster.gatewayUri("n1"));
        n3 = v1(cluster.gatewayUri("n3"));
    }

    @AfterAll
    static void close() {
        n1.shutdown();
        n3.shutdown();
    }

    static AmazonSQS v1(URI endpoint) {
        return AmazonSQSClientBuilder.standard()
                .withEndpointConfiguration(new AwsClientBuilder.EndpointConfiguration(endpoint.toString(), "us-east-1"))
                .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials("AKIDEXAMPLE", "secret"))).build();
    }

    @Test
    void theV1SdkCreatesSendsReceivesAndDeletesWithAttributesTagsAndMd5Checks() {
        String url = n1.createQueue(new CreateQueueRequest("query-basic").addAttributesEntry("VisibilityTimeout", "40")
                .addTagsEntry("team", "pontoon")).getQueueUrl();
        assertEquals(cluster.gatewayUri("n1") + "/000000000000/query-basic", url);
        assertEquals("40", n3.getQueueAttributes(url, List.of("All")).getAttributes().get("VisibilityTimeout"));
        assertEquals(Map.of("team", "pontoon"), n3.listQueueTags(url).getTags());

        SendMessageResult sent = n3.sendMessage(new SendMessageRequest(url, "hello <query> & \"xml\"")
                .addMessageAttributesEntry("text", new MessageAttributeValue().withDataType("String").withStringValue("héllo"))
                .addMessageAttributesEntry("n", new MessageAttributeValue().withDataType("Number").withStringValue("7"))
                .addMessageAttributesEntry("bin", new MessageAttributeValue().withDataType("Binary").withBinaryValue(ByteBuffer.wrap(new byte[]{1, 2, 3}))));
        SendMessageBatchResult batch = n1.sendMessageBatch(new SendMessageBatchRequest(url).withEntries(
                new SendMessageBatchRequestEntry("a", "second"), new SendMessageBatchRequestEntry("b", "late").withDelaySeconds(901)));
        assertEquals(List.of("a"), batch.getSuccessful().stream().map(SendMessageBatchResultEntry::getId).toList());
        assertEquals("InvalidParameterValue", batch.getFailed().get(0).getCode());
        assertTrue(batch.getFailed().get(0).getSenderFault());

        List<Message> got = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 20_000;
        while (got.size() < 2 && System.currentTimeMillis() < deadline) {
            got.addAll(n3.receiveMessage(new ReceiveMessageRequest(url).withMaxNumberOfMessages(10).withWaitTimeSeconds(2)
                    .withAttributeNames("All").withMessageAttributeNames("All")).getMessages());
        }
        Message hello = got.stream().filter(m -> m.getMessageId().equals(sent.getMessageId())).findFirst().orElseThrow();
        assertEquals("hello <query> & \"xml\"", hello.getBody());
        assertEquals("héllo", hello.getMessageAttributes().get("text").getStringValue());
        assertEquals(ByteBuffer.wrap(new byte[]{1, 2, 3}), hello.getMessageAttributes().get("bin").getBinaryValue());
        assertEquals("1", hello.getAttributes().get("ApproximateReceiveCount"));

        n1.changeMessageVisibility(url, hello.getReceiptHandle(), 60);
        DeleteMessageBatchResult deleted = n1.deleteMessageBatch(new DeleteMessageBatchRequest(url).withEntries(
                got.stream().map(m -> new DeleteMessageBatchRequestEntry("d" + got.indexOf(m), m.getReceiptHandle())).toList()));
        assertEquals(2, deleted.getSuccessful().size());
        assertTrue(n1.listQueues("query-basic").getQueueUrls().contains(cluster.gatewayUri("n1") + "/000000000000/query-basic"));
    }

    @Test
    void errorsAreTheV1SdksModelledExceptionsWithTheSqsCodes() {
        QueueDoesNotExistException missing = assertThrows(QueueDoesNotExistException.class, () -> n1.getQueueUrl("query-no-such"));
        assertEquals("AWS.SimpleQueueService.NonExistentQueue", missing.getErrorCode());
        assertEquals(400, missing.getStatusCode());
        String url = n1.createQueue("query-errors").getQueueUrl();
        assertThrows(ReceiptHandleIsInvalidException.class, () -> n3.deleteMessage(url, "garbage"));
        AmazonSQSException invalid = assertThrows(AmazonSQSException.class,
                () -> n3.receiveMessage(new ReceiveMessageRequest(url).withVisibilityTimeout(50_000)));
        assertEquals("InvalidParameterValue", invalid.getErrorCode());
    }

    @Test
    void malformedFormsAreRefusedWithTheQueryProtocolsErrorAndCreateNothing() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String form : List.of("Action=CreateQueue&QueueName=query-bad-1&QueueName=query-bad-2",
                "Action=CreateQueue&QueueName=query-bad-3&Attribute.x.Name=VisibilityTimeout",
                "Action=CreateQueue&QueueName=query-bad-4&Attribute.1.Name=VisibilityTimeout",
                "Action=ListQueues&MaxResults=ten",
                "Action=CreateQueue&QueueName=query-bad-5&Attribute.1=x&Attribute.1.Name=y")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(cluster.gatewayUri("n2"))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, r.statusCode(), form + " -> " + r.body());
            assertTrue(r.body().contains("<ErrorResponse") && r.body().contains("<Code>InvalidParameterValue</Code>")
                    && r.body().contains("<Type>Sender</Type>"), r.body());
        }
        assertTrue(n1.listQueues("query-bad").getQueueUrls().isEmpty(), "nothing was created");
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(cluster.gatewayUri("n2"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("Action=DropEverything"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, unknown.statusCode());
        assertTrue(unknown.body().contains("<Code>InvalidAction</Code>"), unknown.body());
    }

    @Test
    void aQueryRequestMayComeAsAGetWithItsParametersInTheQueryString() throws Exception {
        n1.createQueue("query-by-get");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(cluster.gatewayUri("n3")
                + "/?Action=GetQueueUrl&QueueName=query-by-get&Version=2012-11-05")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("<GetQueueUrlResponse") && r.body().contains("<QueueUrl>" + cluster.gatewayUri("n3")
                + "/000000000000/query-by-get</QueueUrl>"), r.body());
    }
}
