package io.pontoon.server.gateway;

import io.pontoon.server.SharedCluster;
import io.pontoon.server.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.*;

import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * SubscribeToShard through the gateway as the AWS SDK for Java v2 calls it: {@code KinesisAsyncClient}, unmodified,
 * over HTTP/2 (its default for Kinesis) with the AWS event-stream encoding, its payloads in CBOR (the default) and in
 * AWS JSON 1.1 (CBOR turned off), records pushed as they are put; a refused subscription is the SDK's exception.
 */
class KinesisSubscribeToShardClusterTest {
    static TestCluster cluster;
    static KinesisAsyncClient cbor;
    static KinesisAsyncClient json;

    @BeforeAll
    static void clients() {
        cluster = SharedCluster.get();
        cbor = client("n1");
        String previous = System.getProperty(SdkSystemSetting.CBOR_ENABLED.property());
        System.setProperty(SdkSystemSetting.CBOR_ENABLED.property(), "false");
        try {
            json = client("n3");
        } finally {
            if (previous == null) {
                System.clearProperty(SdkSystemSetting.CBOR_ENABLED.property());
            } else {
                System.setProperty(SdkSystemSetting.CBOR_ENABLED.property(), previous);
            }
        }
    }

    private static KinesisAsyncClient client(String node) {
        return KinesisAsyncClient.builder().endpointOverride(cluster.gatewayUri(node)).region(Region.US_EAST_1)
                .credentialsProvider(SqsSdkClusterTest.CREDENTIALS)
                .httpClient(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP2).build()).build();
    }

    @AfterAll
    static void close() {
        cbor.close();
        json.close();
    }

    @Test
    void recordsPutAfterSubscribingArePushedInCborOverHttp2() throws Exception {
        recordsArePushed(cbor, "sts-cbor");
    }

    @Test
    void recordsPutAfterSubscribingArePushedInAwsJsonOverHttp2() throws Exception {
        recordsArePushed(json, "sts-json");
    }

    private static void recordsArePushed(KinesisAsyncClient kinesis, String stream) throws Exception {
        kinesis.createStream(b -> b.streamName(stream).shardCount(1)).get(10, TimeUnit.SECONDS);
        await(() -> kinesis.describeStreamSummary(b -> b.streamName(stream)), s -> s.streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
        String streamArn = kinesis.describeStreamSummary(b -> b.streamName(stream)).get(10, TimeUnit.SECONDS).streamDescriptionSummary().streamARN();
        String consumerArn = kinesis.registerStreamConsumer(b -> b.streamARN(streamArn).consumerName("app")).get(10, TimeUnit.SECONDS).consumer().consumerARN();
        await(() -> kinesis.describeStreamConsumer(b -> b.consumerARN(consumerArn)), c -> c.consumerDescription().consumerStatus() == ConsumerStatus.ACTIVE);
        String shardId = kinesis.listShards(b -> b.streamName(stream)).get(10, TimeUnit.SECONDS).shards().get(0).shardId();

        List<String> received = new CopyOnWriteArrayList<>();
        List<SubscribeToShardEvent> events = new CopyOnWriteArrayList<>();
        SubscribeToShardResponseHandler handler = SubscribeToShardResponseHandler.builder()
                .subscriber(SubscribeToShardResponseHandler.Visitor.builder().onSubscribeToShardEvent(e -> {
                    events.add(e);
                    e.records().forEach(r -> received.add(r.data().asUtf8String()));
                }).build()).build();
        CompletableFuture<Void> subscription = kinesis.subscribeToShard(b -> b.consumerARN(consumerArn).shardId(shardId)
                .startingPosition(p -> p.type(ShardIteratorType.LATEST)), handler);
        TestCluster.await(() -> !events.isEmpty(), 20_000, "the subscription's first event");

        for (int i = 0; i < 5; i++) {
            String data = "record-" + i;
            kinesis.putRecord(b -> b.streamName(stream).partitionKey("k").data(SdkBytes.fromUtf8String(data))).get(10, TimeUnit.SECONDS);
        }
        TestCluster.await(() -> received.size() >= 5, 20_000, "5 records pushed, got " + received);
        assertEquals(List.of("record-0", "record-1", "record-2", "record-3", "record-4"), received);
        SubscribeToShardEvent last = events.get(events.size() - 1);
        assertNotNull(last.continuationSequenceNumber());
        assertFalse(subscription.isDone(), "the subscription stays open");

        // A second subscription of the same consumer to the same shard within 5 s is refused, as AWS refuses it.
        CompletableFuture<Void> second = kinesis.subscribeToShard(b -> b.consumerARN(consumerArn).shardId(shardId)
                .startingPosition(p -> p.type(ShardIteratorType.TRIM_HORIZON)), SubscribeToShardResponseHandler.builder()
                .subscriber(SubscribeToShardResponseHandler.Visitor.builder().build()).build());
        ExecutionException inUse = assertThrows(ExecutionException.class, () -> second.get(20, TimeUnit.SECONDS));
        assertInstanceOf(ResourceInUseException.class, inUse.getCause(), inUse.toString());
        assertFalse(subscription.isDone(), "the first subscription is not disturbed");
        subscription.cancel(true);
    }

    @Test
    void aSubscriptionOfAnUnregisteredConsumerIsTheSdksResourceNotFoundException() throws Exception {
        cbor.createStream(b -> b.streamName("sts-missing").shardCount(1)).get(10, TimeUnit.SECONDS);
        await(() -> cbor.describeStreamSummary(b -> b.streamName("sts-missing")), s -> s.streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
        String streamArn = cbor.describeStreamSummary(b -> b.streamName("sts-missing")).get(10, TimeUnit.SECONDS).streamDescriptionSummary().streamARN();
        CompletableFuture<Void> subscription = cbor.subscribeToShard(b -> b.consumerARN(streamArn + "/consumer/nobody:1").shardId("shardId-000000000000")
                .startingPosition(p -> p.type(ShardIteratorType.LATEST)), SubscribeToShardResponseHandler.builder()
                .subscriber(SubscribeToShardResponseHandler.Visitor.builder().build()).build());
        ExecutionException missing = assertThrows(ExecutionException.class, () -> subscription.get(20, TimeUnit.SECONDS));
        assertInstanceOf(ResourceNotFoundException.class, missing.getCause(), missing.toString());
    }

    @Test
    void overHttp11TheEventStreamIsSentChunked() throws Exception {
        cbor.createStream(b -> b.streamName("sts-http11").shardCount(1)).get(10, TimeUnit.SECONDS);
        await(() -> cbor.describeStreamSummary(b -> b.streamName("sts-http11")), s -> s.streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
        String streamArn = cbor.describeStreamSummary(b -> b.streamName("sts-http11")).get(10, TimeUnit.SECONDS).streamDescriptionSummary().streamARN();
        String consumerArn = cbor.registerStreamConsumer(b -> b.streamARN(streamArn).consumerName("raw")).get(10, TimeUnit.SECONDS).consumer().consumerARN();
        await(() -> cbor.describeStreamConsumer(b -> b.consumerARN(consumerArn)), c -> c.consumerDescription().consumerStatus() == ConsumerStatus.ACTIVE);
        cbor.putRecord(b -> b.streamName("sts-http11").partitionKey("k").data(SdkBytes.fromUtf8String("chunked"))).get(10, TimeUnit.SECONDS);

        HttpResponse<java.io.InputStream> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(cluster.gatewayUri("n2")).header("Content-Type", "application/x-amz-json-1.1")
                        .header("X-Amz-Target", "Kinesis_20131202.SubscribeToShard").POST(HttpRequest.BodyPublishers.ofString(
                                "{\"ConsumerARN\": \"" + consumerArn + "\", \"ShardId\": \"shardId-000000000000\", "
                                        + "\"StartingPosition\": {\"Type\": \"TRIM_HORIZON\"}}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertEquals("application/vnd.amazon.eventstream", response.headers().firstValue("content-type").orElse(null));
        List<Message> messages = new CopyOnWriteArrayList<>();
        MessageDecoder decoder = new MessageDecoder(messages::add);
        try (java.io.InputStream body = response.body()) {
            byte[] buffer = new byte[4096];
            while (messages.size() < 2) {
                int n = body.read(buffer);
                assertTrue(n > 0, "the stream stays open until the subscription ends");
                decoder.feed(buffer, 0, n);
            }
        }
        assertEquals("initial-response", messages.get(0).getHeaders().get(":event-type").getString());
        assertEquals("SubscribeToShardEvent", messages.get(1).getHeaders().get(":event-type").getString());
        String event = new String(messages.get(1).getPayload(), StandardCharsets.UTF_8);
        assertTrue(event.contains(java.util.Base64.getEncoder().encodeToString("chunked".getBytes(StandardCharsets.UTF_8))), event);
    }

    private static <T> void await(Supplier<CompletableFuture<T>> call, java.util.function.Predicate<T> done) {
        TestCluster.await(() -> done.test(call.get().join()), 30_000, "the resource to become ACTIVE");
    }
}
