package io.pontoon.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pontoon.server.SharedCluster;
import io.pontoon.server.TestCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Bad SQS JSON requests on a real cluster's gateway: each gets a 4xx with the error shape an SDK parses
 * ({@code __type}, {@code message}, {@code x-amzn-query-error}) and changes nothing; a seeded fuzz of random and
 * truncated bodies never gets a 5xx and leaves the node serving.
 */
class SqsJsonBadInputTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static TestCluster cluster;
    static HttpClient http;
    static URI endpoint;

    @BeforeAll
    static void start() {
        cluster = SharedCluster.get();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        endpoint = cluster.gatewayUri("n2");
    }

    static HttpResponse<String> post(String target, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/x-amz-json-1.0");
        if (target != null) {
            b.header("X-Amz-Target", target);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static void assertError(HttpResponse<String> r, int status, String type, String queryCode) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode json = MAPPER.readTree(r.body());
        assertEquals(type, json.get("__type").asText(), r.body());
        assertFalse(json.get("message").asText().isEmpty());
        if (queryCode != null) {
            assertEquals(queryCode, r.headers().firstValue("x-amzn-query-error").orElse(null));
        }
    }

    @Test
    void malformedJsonAndMembersOfTheWrongTypeAreSerializationErrorsThatCreateNothing() throws Exception {
        assertError(post("AmazonSQS.CreateQueue", "{\"QueueName\": \"bad-json-1\""), 400, "com.amazon.coral.service#SerializationException", null);
        assertError(post("AmazonSQS.CreateQueue", "[\"bad-json-2\"]"), 400, "com.amazon.coral.service#SerializationException", null);
        assertError(post("AmazonSQS.CreateQueue", "{\"QueueName\": 7}"), 400, "com.amazon.coral.service#SerializationException", null);
        assertError(post("AmazonSQS.CreateQueue", "{\"QueueName\": \"bad-json-3\", \"Attributes\": [\"x\"]}"), 400,
                "com.amazon.coral.service#SerializationException", null);
        assertError(post("AmazonSQS.ListQueues", "{\"MaxResults\": \"ten\"}"), 400, "com.amazon.coral.service#SerializationException", null);
        assertError(post("AmazonSQS.ListQueues", "{\"MaxResults\": 1e400}"), 400, "com.amazon.coral.service#SerializationException", null);
        String listed = post("AmazonSQS.ListQueues", "{\"QueueNamePrefix\": \"bad-json\"}").body();
        assertFalse(listed.contains("bad-json"), "nothing was created: " + listed);
    }

    @Test
    void anUnknownActionOrARequestWithoutATargetIsRefused() throws Exception {
        assertError(post("AmazonSQS.DropEverything", "{}"), 400, "UnknownOperationException", "InvalidAction;Sender");
        HttpResponse<String> noTarget = post(null, "{}");
        assertEquals(400, noTarget.statusCode());
        assertTrue(noTarget.body().contains("X-Amz-Target"), noTarget.body());
    }

    @Test
    void missingAndMalformedParametersGetTheServicesOwnErrorCodes() throws Exception {
        assertError(post("AmazonSQS.SendMessage", "{\"MessageBody\": \"x\"}"), 400, "com.amazonaws.sqs#MissingParameter", "MissingParameter;Sender");
        assertError(post("AmazonSQS.SendMessage", "{\"QueueUrl\": \"nonsense\", \"MessageBody\": \"x\"}"), 400,
                "com.amazonaws.sqs#InvalidAddress", "InvalidAddress;Sender");
        assertError(post("AmazonSQS.GetQueueUrl", "{\"QueueName\": \"bad-input-never-created\"}"), 400,
                "com.amazonaws.sqs#QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue;Sender");
        assertError(post("AmazonSQS.CreateQueue", "{\"QueueName\": \"bad name!\"}"), 400,
                "com.amazonaws.sqs#InvalidParameterValue", "InvalidParameterValue;Sender");
    }

    @Test
    void aSeededFuzzOfRandomAndTruncatedRequestsNeverGetsAServerErrorAndLeavesTheNodeServing() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<String> actions = List.of("CreateQueue", "SendMessage", "SendMessageBatch", "ReceiveMessage", "DeleteMessage",
                "DeleteMessageBatch", "ChangeMessageVisibility", "GetQueueAttributes", "SetQueueAttributes", "ListQueues", "TagQueue",
                "PurgeQueue", "StartMessageMoveTask", "ListMessageMoveTasks");
        String queueUrl = MAPPER.readTree(post("AmazonSQS.CreateQueue", "{\"QueueName\": \"fuzz-target\"}").body()).get("QueueUrl").asText();
        List<String> valid = List.of(
                "{\"QueueUrl\": \"" + queueUrl + "\", \"MessageBody\": \"hello\", \"MessageAttributes\": {\"a\": {\"DataType\": \"String\", \"StringValue\": \"v\"}}}",
                "{\"QueueUrl\": \"" + queueUrl + "\", \"Entries\": [{\"Id\": \"1\", \"MessageBody\": \"b\", \"DelaySeconds\": 1}]}",
                "{\"QueueUrl\": \"" + queueUrl + "\", \"MaxNumberOfMessages\": 10, \"AttributeNames\": [\"All\"], \"WaitTimeSeconds\": 0}",
                "{\"QueueUrl\": \"" + queueUrl + "\", \"Attributes\": {\"VisibilityTimeout\": \"10\"}, \"Tags\": {\"k\": \"v\"}}");
        for (int i = 0; i < 300; i++) {
            String action = actions.get(random.nextInt(actions.size()));
            String body = switch (random.nextInt(3)) {
                case 0 -> {
                    String v = valid.get(random.nextInt(valid.size()));
                    yield v.substring(0, random.nextInt(v.length() + 1));
                }
                case 1 -> mutate(valid.get(random.nextInt(valid.size())), random);
                default -> randomBytes(random);
            };
            HttpResponse<String> r = post("AmazonSQS." + action, body);
            assertTrue(r.statusCode() < 500, "seed " + seed + ": " + action + " " + body + " -> " + r.statusCode() + " " + r.body());
            if (r.statusCode() >= 400) {
                assertNotNull(MAPPER.readTree(r.body()).get("__type"), "seed " + seed + ": " + r.body());
            }
        }
        assertEquals(200, post("AmazonSQS.GetQueueUrl", "{\"QueueName\": \"fuzz-target\"}").statusCode(), "seed " + seed);
    }

    private static String mutate(String json, Random random) {
        char[] chars = json.toCharArray();
        for (int k = 0; k < 1 + random.nextInt(4); k++) {
            chars[random.nextInt(chars.length)] = "{}[]\":,0a\\ -9".charAt(random.nextInt(13));
        }
        return new String(chars);
    }

    private static String randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(200)];
        random.nextBytes(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
