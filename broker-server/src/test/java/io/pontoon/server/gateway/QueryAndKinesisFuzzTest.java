package io.pontoon.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.pontoon.server.SharedCluster;
import io.pontoon.server.TestCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Seeded fuzz of the gateway's other protocols on a real cluster (SqsJsonBadInputTest covers SQS JSON): random,
 * truncated and mutated Query forms (SQS and SNS) and Kinesis JSON and CBOR bodies never get a 5xx, every refusal is
 * the protocol's own error shape, and the node still serves afterwards. A failure prints the seed.
 */
class QueryAndKinesisFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper CBOR = new CBORMapper();
    private static final int REQUESTS = 200;
    static HttpClient http;
    static URI endpoint;

    @BeforeAll
    static void start() {
        TestCluster cluster = SharedCluster.get();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        endpoint = cluster.gatewayUri("n3");
    }

    private static HttpResponse<byte[]> post(String contentType, String target, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", contentType);
        if (target != null) {
            b.header("X-Amz-Target", target);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> form(String body) throws Exception {
        return post("application/x-www-form-urlencoded", null, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void queryFormsForSqsAndSnsNeverGetAServerErrorAndAreAnsweredInXml() throws Exception {
        String topic = new String(form("Action=CreateTopic&Version=2010-03-31&Name=fuzz-topic").body(), StandardCharsets.UTF_8);
        String topicArn = topic.substring(topic.indexOf("<TopicArn>") + 10, topic.indexOf("</TopicArn>"));
        String queue = new String(form("Action=CreateQueue&Version=2012-11-05&QueueName=fuzz-query").body(), StandardCharsets.UTF_8);
        String queueUrl = queue.substring(queue.indexOf("<QueueUrl>") + 10, queue.indexOf("</QueueUrl>"));
        List<String> valid = List.of(
                "Action=Publish&Version=2010-03-31&TopicArn=" + enc(topicArn) + "&Message=hi&MessageAttributes.entry.1.Name=a"
                        + "&MessageAttributes.entry.1.Value.DataType=String&MessageAttributes.entry.1.Value.StringValue=v",
                "Action=PublishBatch&Version=2010-03-31&TopicArn=" + enc(topicArn) + "&PublishBatchRequestEntries.member.1.Id=1"
                        + "&PublishBatchRequestEntries.member.1.Message=m",
                "Action=TagResource&Version=2010-03-31&ResourceArn=" + enc(topicArn) + "&Tags.member.1.Key=k&Tags.member.1.Value=v",
                "Action=SetTopicAttributes&Version=2010-03-31&TopicArn=" + enc(topicArn) + "&AttributeName=DisplayName&AttributeValue=x",
                "Action=SendMessage&Version=2012-11-05&QueueUrl=" + enc(queueUrl) + "&MessageBody=hello&MessageAttribute.1.Name=a"
                        + "&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=v",
                "Action=SendMessageBatch&Version=2012-11-05&QueueUrl=" + enc(queueUrl) + "&SendMessageBatchRequestEntry.1.Id=1"
                        + "&SendMessageBatchRequestEntry.1.MessageBody=b",
                "Action=ReceiveMessage&Version=2012-11-05&QueueUrl=" + enc(queueUrl) + "&MaxNumberOfMessages=10&AttributeName.1=All");
        fuzz(valid, "&=.%1aZ-_+", body -> {
            HttpResponse<byte[]> r = form(body);
            String xml = new String(r.body(), StandardCharsets.UTF_8);
            return r.statusCode() < 400 || xml.contains("<ErrorResponse") && xml.contains("<Code>") ? r.statusCode() : -r.statusCode();
        });
        assertEquals(200, form("Action=GetTopicAttributes&Version=2010-03-31&TopicArn=" + enc(topicArn)).statusCode());
        assertEquals(200, form("Action=GetQueueUrl&Version=2012-11-05&QueueName=fuzz-query").statusCode());
    }

    @Test
    void kinesisJsonAndCborBodiesNeverGetAServerErrorAndAreAnsweredWithAnErrorType() throws Exception {
        String json = "application/x-amz-json-1.1";
        assertTrue(post(json, "Kinesis_20131202.CreateStream", "{\"StreamName\":\"fuzz-stream\",\"ShardCount\":1}".getBytes()).statusCode() < 500);
        List<String> actions = List.of("PutRecord", "PutRecords", "GetShardIterator", "GetRecords", "DescribeStreamSummary", "ListShards");
        List<String> valid = List.of(
                "{\"StreamName\":\"fuzz-stream\",\"PartitionKey\":\"k\",\"Data\":\"aGVsbG8=\"}",
                "{\"StreamName\":\"fuzz-stream\",\"Records\":[{\"PartitionKey\":\"k\",\"Data\":\"aGk=\"}]}",
                "{\"StreamName\":\"fuzz-stream\",\"ShardId\":\"shardId-000000000000\",\"ShardIteratorType\":\"AT_TIMESTAMP\",\"Timestamp\":1.5}",
                "{\"ShardIterator\":\"AAAA\",\"Limit\":10}");
        Random actionPicker = new Random(7);
        fuzz(valid, "{}[]\":,0a\\ -9", body -> {
            String target = "Kinesis_20131202." + actions.get(actionPicker.nextInt(actions.size()));
            boolean cbor = body.hashCode() % 2 == 0;
            byte[] bytes = cbor ? asCbor(body) : body.getBytes(StandardCharsets.ISO_8859_1);
            HttpResponse<byte[]> r = post(cbor ? "application/x-amz-cbor-1.1" : json, target, bytes);
            if (r.statusCode() < 400) {
                return r.statusCode();
            }
            JsonNode error = (cbor ? CBOR : JSON).readTree(r.body());
            return error.hasNonNull("__type") && r.headers().firstValue("x-amzn-ErrorType").isPresent() ? r.statusCode() : -r.statusCode();
        });
        assertEquals(200, post(json, "Kinesis_20131202.DescribeStreamSummary", "{\"StreamName\":\"fuzz-stream\"}".getBytes()).statusCode());
    }

    /** The JSON text as CBOR when it parses (so that the CBOR path sees well-formed but wrong bodies too), else the raw bytes. */
    private static byte[] asCbor(String body) {
        try {
            return CBOR.writeValueAsBytes(JSON.readTree(body));
        } catch (Exception notJson) {
            return body.getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Sends {@link #REQUESTS} bodies, each a truncated or mutated valid one or random bytes.
     *
     * @param send the status, negated when a refusal is not in the protocol's error shape
     */
    private static void fuzz(List<String> valid, String alphabet, ThrowingSend send) throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < REQUESTS; i++) {
            String v = valid.get(random.nextInt(valid.size()));
            String body = switch (random.nextInt(3)) {
                case 0 -> v.substring(0, random.nextInt(v.length() + 1));
                case 1 -> mutate(v, alphabet, random);
                default -> randomText(random);
            };
            int status = send.apply(body);
            assertTrue(status > 0 && status < 500, "seed " + seed + ": " + body + " -> " + status);
        }
    }

    private interface ThrowingSend {
        int apply(String body) throws Exception;
    }

    private static String mutate(String text, String alphabet, Random random) {
        char[] chars = text.toCharArray();
        for (int k = 0; k < 1 + random.nextInt(4); k++) {
            chars[random.nextInt(chars.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return new String(chars);
    }

    private static String randomText(Random random) {
        byte[] bytes = new byte[random.nextInt(200)];
        random.nextBytes(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
