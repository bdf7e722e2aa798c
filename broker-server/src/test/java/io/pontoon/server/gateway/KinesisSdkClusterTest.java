package io.pontoon.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pontoon.server.SharedCluster;
import io.pontoon.server.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.*;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Kinesis through a real cluster's gateway: the AWS SDK for Java v2's Kinesis client, unmodified (it speaks AWS CBOR
 * by default), creates, puts, lists, reads, tags and deletes streams with the SDK's own exceptions; and AWS JSON 1.1
 * carries blobs as base64 and timestamps as epoch seconds.
 */
class KinesisSdkClusterTest {
    static TestCluster cluster;
    static KinesisClient kinesis;

    @BeforeAll
    static void client() {
        cluster = SharedCluster.get();
        kinesis = KinesisClient.builder().endpointOverride(cluster.gatewayUri("n2")).region(Region.US_EAST_1)
                .credentialsProvider(SqsSdkClusterTest.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void close() {
        kinesis.close();
    }

    private static void awaitActive(String stream) {
        TestCluster.await(() -> kinesis.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamStatus()
                == StreamStatus.ACTIVE, 30_000, stream + " to become ACTIVE");
    }

    /** As queue and topic calls are, puts through a node that does not lead the shard's partition are served by its leader. */
    @Test
    void putsThroughAFollowersGatewayAreServedByTheShardsLeader() {
        kinesis.createStream(b -> b.streamName("sdk-routed-stream").shardCount(1));
        awaitActive("sdk-routed-stream");
        int partition = Integer.parseInt(cluster.clusterStub("n1").lookupStream(io.pontoon.api.v1.LookupStreamRequest.newBuilder()
                .setStreamName("sdk-routed-stream").build()).getShards(0).getPartitionId());
        List<KinesisClient> gateways = cluster.allNodes().stream().map(n -> KinesisClient.builder().endpointOverride(cluster.gatewayUri(n))
                .region(Region.US_EAST_1).credentialsProvider(SqsSdkClusterTest.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build()).toList();
        try {
            GatewayRoutingProbe.servedByTheLeader(cluster, io.pontoon.raft.ReplicaGroupId.partition(partition), gateways,
                    k -> k.putRecord(b -> b.streamName("sdk-routed-stream").partitionKey("warm").data(SdkBytes.fromUtf8String("w"))),
                    k -> k.putRecord(b -> b.streamName("sdk-routed-stream").partitionKey("k").data(SdkBytes.fromUtf8String("routed"))),
                    20, "PutRecord");
        } finally {
            gateways.forEach(KinesisClient::close);
        }
    }

    /**
     * A client behind a load balancer changes a stream through one node and describes it through another: it sees the
     * change at once, even where the other node's data path has the old shards cached (a put warms that cache).
     */
    @Test
    void aStreamChangeMadeThroughOneNodeIsDescribedAtOnceThroughEveryOther() {
        List<KinesisClient> gateways = cluster.allNodes().stream().map(n -> KinesisClient.builder().endpointOverride(cluster.gatewayUri(n))
                .region(Region.US_EAST_1).credentialsProvider(SqsSdkClusterTest.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build()).toList();
        try {
            gateways.get(0).createStream(b -> b.streamName("sdk-seen-everywhere").shardCount(1));
            awaitActive("sdk-seen-everywhere");
            for (KinesisClient k : gateways) {
                k.putRecord(b -> b.streamName("sdk-seen-everywhere").partitionKey("warm").data(SdkBytes.fromUtf8String("w")));
                assertEquals(24, k.describeStreamSummary(b -> b.streamName("sdk-seen-everywhere")).streamDescriptionSummary().retentionPeriodHours());
            }

            gateways.get(0).increaseStreamRetentionPeriod(b -> b.streamName("sdk-seen-everywhere").retentionPeriodHours(48));
            gateways.get(0).updateShardCount(b -> b.streamName("sdk-seen-everywhere").targetShardCount(2).scalingType(ScalingType.UNIFORM_SCALING));
            for (KinesisClient k : gateways) {
                StreamDescriptionSummary summary = k.describeStreamSummary(b -> b.streamName("sdk-seen-everywhere")).streamDescriptionSummary();
                assertEquals(48, summary.retentionPeriodHours());
                assertEquals(2, summary.openShardCount());
                assertEquals(List.of(EnhancedMetrics.builder().shardLevelMetrics(List.<MetricsName>of()).build()), summary.enhancedMonitoring());
                StreamDescription description = k.describeStream(b -> b.streamName("sdk-seen-everywhere")).streamDescription();
                assertEquals(48, description.retentionPeriodHours());
                assertEquals(1, description.enhancedMonitoring().size());
                assertEquals(2, k.listShards(b -> b.streamName("sdk-seen-everywhere").shardFilter(f -> f.type(ShardFilterType.AT_LATEST)))
                        .shards().size());
            }
            gateways.get(0).deleteStream(b -> b.streamName("sdk-seen-everywhere"));
        } finally {
            gateways.forEach(KinesisClient::close);
        }
    }

    @Test
    void theSdkPutsAndReadsRecordsOfAStreamItCreatedThroughTheGateway() {
        kinesis.createStream(b -> b.streamName("sdk-clicks").shardCount(2));
        awaitActive("sdk-clicks");
        List<Shard> shards = kinesis.listShards(b -> b.streamName("sdk-clicks")).shards();
        assertEquals(2, shards.size());

        Instant before = Instant.now().minusSeconds(5);
        PutRecordResponse put = kinesis.putRecord(b -> b.streamName("sdk-clicks").partitionKey("user-1")
                .data(SdkBytes.fromByteArray(new byte[]{0, 1, 2, (byte) 254})));
        PutRecordsResponse puts = kinesis.putRecords(b -> b.streamName("sdk-clicks").records(List.of(
                PutRecordsRequestEntry.builder().partitionKey("user-2").data(SdkBytes.fromUtf8String("two")).build(),
                PutRecordsRequestEntry.builder().partitionKey("user-3").data(SdkBytes.fromUtf8String("three")).build())));
        assertEquals(0, puts.failedRecordCount());

        String iterator = kinesis.getShardIterator(b -> b.streamName("sdk-clicks").shardId(put.shardId())
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        List<software.amazon.awssdk.services.kinesis.model.Record> records = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 20_000;
        while (records.stream().noneMatch(r -> r.sequenceNumber().equals(put.sequenceNumber())) && System.currentTimeMillis() < deadline) {
            String current = iterator;
            GetRecordsResponse got = kinesis.getRecords(b -> b.shardIterator(current).limit(100));
            records.addAll(got.records());
            iterator = got.nextShardIterator();
        }
        software.amazon.awssdk.services.kinesis.model.Record first = records.stream()
                .filter(r -> r.sequenceNumber().equals(put.sequenceNumber())).findFirst().orElseThrow();
        assertArrayEquals(new byte[]{0, 1, 2, (byte) 254}, first.data().asByteArray());
        assertEquals("user-1", first.partitionKey());
        assertTrue(first.approximateArrivalTimestamp().isAfter(before) && first.approximateArrivalTimestamp().isBefore(Instant.now().plusSeconds(5)),
                "arrival " + first.approximateArrivalTimestamp() + " (CBOR timestamps are epoch milliseconds)");

        StreamDescription description = kinesis.describeStream(b -> b.streamName("sdk-clicks")).streamDescription();
        assertEquals("sdk-clicks", description.streamName());
        assertTrue(description.streamARN().endsWith(":stream/sdk-clicks"), description.streamARN());
        assertTrue(Duration.between(description.streamCreationTimestamp(), Instant.now()).abs().toMinutes() < 5);

        kinesis.addTagsToStream(b -> b.streamName("sdk-clicks").tags(Map.of("team", "web")));
        assertEquals(List.of(Tag.builder().key("team").value("web").build()), kinesis.listTagsForStream(b -> b.streamName("sdk-clicks")).tags());
        assertTrue(kinesis.listStreams(b -> b.limit(100)).streamNames().contains("sdk-clicks"));
        kinesis.deleteStream(b -> b.streamName("sdk-clicks"));
    }

    @Test
    void errorsAreTheSdksModelledKinesisExceptions() {
        assertThrows(ResourceNotFoundException.class, () -> kinesis.describeStream(b -> b.streamName("sdk-no-such-stream")));
        kinesis.createStream(b -> b.streamName("sdk-dup").shardCount(1));
        assertThrows(ResourceInUseException.class, () -> kinesis.createStream(b -> b.streamName("sdk-dup").shardCount(1)));
        assertThrows(InvalidArgumentException.class, () -> kinesis.createStream(b -> b.streamName("sdk-bad").shardCount(0)));

        // A ListShards NextToken says where the page starts: with ExclusiveStartShardId (or a stream name) it is refused.
        kinesis.createStream(b -> b.streamName("sdk-pages").shardCount(2));
        awaitActive("sdk-pages");
        ListShardsResponse first = kinesis.listShards(b -> b.streamName("sdk-pages").maxResults(1));
        assertNotNull(first.nextToken());
        assertThrows(InvalidArgumentException.class, () -> kinesis.listShards(b -> b.nextToken(first.nextToken())
                .exclusiveStartShardId(first.shards().get(0).shardId())));
        assertThrows(InvalidArgumentException.class, () -> kinesis.listShards(b -> b.nextToken(first.nextToken()).streamName("sdk-pages")));
        assertEquals(1, kinesis.listShards(b -> b.nextToken(first.nextToken())).shards().size());
    }

    @Test
    void awsJson11CarriesBlobsAsBase64AndTimestampsAsEpochSeconds() throws Exception {
        kinesis.createStream(b -> b.streamName("json-stream").shardCount(1));
        awaitActive("json-stream");
        JsonNode put = json("PutRecord", "{\"StreamName\": \"json-stream\", \"PartitionKey\": \"k\", \"Data\": \""
                + Base64.getEncoder().encodeToString("hello json".getBytes(StandardCharsets.UTF_8)) + "\"}");
        String iterator = json("GetShardIterator", "{\"StreamName\": \"json-stream\", \"ShardId\": \"" + put.get("ShardId").asText()
                + "\", \"ShardIteratorType\": \"TRIM_HORIZON\"}").get("ShardIterator").asText();
        JsonNode records = json("GetRecords", "{\"ShardIterator\": \"" + iterator + "\"}").get("Records");
        assertEquals("hello json", new String(Base64.getDecoder().decode(records.get(0).get("Data").asText()), StandardCharsets.UTF_8));
        double arrival = records.get(0).get("ApproximateArrivalTimestamp").asDouble();
        assertTrue(Math.abs(arrival - System.currentTimeMillis() / 1000.0) < 300, "epoch seconds: " + arrival);
        HttpResponse<String> missing = post("DescribeStream", "{\"StreamName\": \"json-no-such\"}");
        assertEquals(400, missing.statusCode());
        assertEquals("ResourceNotFoundException", new ObjectMapper().readTree(missing.body()).get("__type").asText());
        for (String bad : List.of("{\"StreamName\": ", "[1]", "{\"StreamName\": \"json-stream\", \"Limit\": \"many\"}")) {
            HttpResponse<String> refused = post("DescribeStream", bad);
            assertEquals(400, refused.statusCode(), bad);
            assertEquals("SerializationException", new ObjectMapper().readTree(refused.body()).get("__type").asText(), bad);
        }
        HttpResponse<byte[]> badCbor = HttpClient.newHttpClient().send(HttpRequest.newBuilder(cluster.gatewayUri("n1"))
                .header("Content-Type", "application/x-amz-cbor-1.1").header("X-Amz-Target", "Kinesis_20131202.DescribeStream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[]{(byte) 0xbf, 0x61})).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(400, badCbor.statusCode());
        assertEquals("SerializationException", badCbor.headers().firstValue("x-amzn-ErrorType").orElse(null));
    }

    private static JsonNode json(String action, String body) throws Exception {
        HttpResponse<String> r = post(action, body);
        assertEquals(200, r.statusCode(), r.body());
        return new ObjectMapper().readTree(r.body());
    }

    private static HttpResponse<String> post(String action, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(cluster.gatewayUri("n1"))
                .header("Content-Type", "application/x-amz-json-1.1").header("X-Amz-Target", "Kinesis_20131202." + action)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
