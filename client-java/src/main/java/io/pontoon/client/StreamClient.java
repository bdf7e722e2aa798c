package io.pontoon.client;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import io.pontoon.api.v1.*;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The Kinesis API of a Pontoon cluster, with routing and bounded retries: a record goes straight to the leader of the
 * partition hosting the shard its partition key hashes to, and a shard's reads to that leader too (any node would
 * also serve them, forwarding or reading its own replica). Obtain it from {@link PontoonClient#streams()}.
 */
public final class StreamClient {
    private final PontoonClient client;
    private final Map<String, LookupStreamResponse> routes = new ConcurrentHashMap<>();

    StreamClient(PontoonClient client) {
        this.client = client;
    }

    // ------------------------------------------------------------------ streams

    public void createStream(String name, int shardCount) {
        createStream(CreateStreamRequest.newBuilder().setStreamName(name).setShardCount(shardCount).build());
    }

    public CreateStreamResponse createStream(CreateStreamRequest req) {
        return call("CreateStream", Route.CONTROLLER, s -> s.createStream(req));
    }

    public void deleteStream(String name) {
        call("DeleteStream", Route.CONTROLLER, s -> s.deleteStream(DeleteStreamRequest.newBuilder().setStreamName(name).build()));
        routes.remove(name);
    }

    public DeleteStreamResponse deleteStream(DeleteStreamRequest req) {
        return call("DeleteStream", Route.CONTROLLER, s -> s.deleteStream(req));
    }

    public StreamDescription describeStream(String name) {
        return describeStream(DescribeStreamRequest.newBuilder().setStreamName(name).build()).getStreamDescription();
    }

    public DescribeStreamResponse describeStream(DescribeStreamRequest req) {
        return call("DescribeStream", Route.ANY, s -> s.describeStream(req));
    }

    public StreamDescriptionSummary describeStreamSummary(String name) {
        return call("DescribeStreamSummary", Route.ANY, s -> s.describeStreamSummary(DescribeStreamSummaryRequest.newBuilder()
                .setStreamName(name).build())).getStreamDescriptionSummary();
    }

    public ListStreamsResponse listStreams(ListStreamsRequest req) {
        return call("ListStreams", Route.CONTROLLER, s -> s.listStreams(req));
    }

    /** Every shard of the stream (all pages), by shard id. */
    public List<Shard> listShards(String name) {
        List<Shard> all = new ArrayList<>();
        ListShardsResponse page = listShards(ListShardsRequest.newBuilder().setStreamName(name).build());
        all.addAll(page.getShardsList());
        while (!page.getNextToken().isEmpty()) {
            String token = page.getNextToken();
            page = listShards(ListShardsRequest.newBuilder().setNextToken(token).build());
            all.addAll(page.getShardsList());
        }
        return all;
    }

    public ListShardsResponse listShards(ListShardsRequest req) {
        return call("ListShards", Route.ANY, s -> s.listShards(req));
    }

    public void increaseRetention(String name, int hours) {
        call("IncreaseStreamRetentionPeriod", Route.CONTROLLER, s -> s.increaseStreamRetentionPeriod(IncreaseStreamRetentionPeriodRequest.newBuilder()
                .setStreamName(name).setRetentionPeriodHours(hours).build()));
    }

    public void decreaseRetention(String name, int hours) {
        call("DecreaseStreamRetentionPeriod", Route.CONTROLLER, s -> s.decreaseStreamRetentionPeriod(DecreaseStreamRetentionPeriodRequest.newBuilder()
                .setStreamName(name).setRetentionPeriodHours(hours).build()));
    }

    // ------------------------------------------------------------------ records

    public PutRecordResponse putRecord(String stream, String partitionKey, byte[] data) {
        return putRecord(PutRecordRequest.newBuilder().setStreamName(stream).setPartitionKey(partitionKey).setData(ByteString.copyFrom(data)).build());
    }

    public PutRecordResponse putRecord(String stream, String partitionKey, String data) {
        return putRecord(stream, partitionKey, data.getBytes(StandardCharsets.UTF_8));
    }

    public PutRecordResponse putRecord(PutRecordRequest req) {
        String stream = req.getStreamName();
        Route route = routeFor(stream, req.getExplicitHashKey().isEmpty() ? hashOf(req.getPartitionKey()) : new BigInteger(req.getExplicitHashKey()));
        return call("PutRecord", route, s -> s.putRecord(req), () -> routes.remove(stream));
    }

    /** Sends the whole request to the leader of the first record's shard (the producer groups records by shard first). */
    public PutRecordsResponse putRecords(PutRecordsRequest req) {
        Route route = req.getRecordsCount() == 0 ? Route.ANY : routeFor(req.getStreamName(), hashOf(req.getRecords(0)));
        return call("PutRecords", route, s -> s.putRecords(req), () -> routes.remove(req.getStreamName()));
    }

    public String shardIterator(String stream, String shardId, String type, String sequenceNumber) {
        GetShardIteratorRequest.Builder b = GetShardIteratorRequest.newBuilder().setStreamName(stream).setShardId(shardId).setShardIteratorType(type);
        if (sequenceNumber != null) {
            b.setStartingSequenceNumber(sequenceNumber);
        }
        return getShardIterator(b.build()).getShardIterator();
    }

    public GetShardIteratorResponse getShardIterator(GetShardIteratorRequest req) {
        return call("GetShardIterator", shardRoute(req.getStreamName(), req.getShardId()), s -> s.getShardIterator(req));
    }

    /** Reads from the shard's partition leader when the shard is known ({@code stream}, {@code shardId} may be null: any node). */
    public GetRecordsResponse getRecords(String stream, String shardId, String iterator, int limit) {
        Route route = stream == null || shardId == null ? Route.ANY : shardRoute(stream, shardId);
        return call("GetRecords", route, s -> s.getRecords(GetRecordsRequest.newBuilder().setShardIterator(iterator).setLimit(limit).build()));
    }

    public GetRecordsResponse getRecords(GetRecordsRequest req) {
        return call("GetRecords", Route.ANY, s -> s.getRecords(req));
    }

    // ------------------------------------------------------------------ resharding, tags, consumers, leases

    public void splitShard(String stream, String shardId, String newStartingHashKey) {
        call("SplitShard", Route.CONTROLLER, s -> s.splitShard(SplitShardRequest.newBuilder().setStreamName(stream).setShardToSplit(shardId)
                .setNewStartingHashKey(newStartingHashKey).build()));
        routes.remove(stream);
    }

    public void mergeShards(String stream, String shardId, String adjacentShardId) {
        call("MergeShards", Route.CONTROLLER, s -> s.mergeShards(MergeShardsRequest.newBuilder().setStreamName(stream).setShardToMerge(shardId)
                .setAdjacentShardToMerge(adjacentShardId).build()));
        routes.remove(stream);
    }

    public UpdateShardCountResponse updateShardCount(String stream, int target) {
        UpdateShardCountResponse r = call("UpdateShardCount", Route.CONTROLLER, s -> s.updateShardCount(UpdateShardCountRequest.newBuilder()
                .setStreamName(stream).setTargetShardCount(target).setScalingType("UNIFORM_SCALING").build()));
        routes.remove(stream);
        return r;
    }

    public void addTags(String stream, Map<String, String> tags) {
        call("AddTagsToStream", Route.CONTROLLER, s -> s.addTagsToStream(AddTagsToStreamRequest.newBuilder().setStreamName(stream).putAllTags(tags).build()));
    }

    public void removeTags(String stream, List<String> keys) {
        call("RemoveTagsFromStream", Route.CONTROLLER, s -> s.removeTagsFromStream(RemoveTagsFromStreamRequest.newBuilder().setStreamName(stream)
                .addAllTagKeys(keys).build()));
    }

    public ListTagsForStreamResponse listTags(String stream) {
        return call("ListTagsForStream", Route.ANY, s -> s.listTagsForStream(ListTagsForStreamRequest.newBuilder().setStreamName(stream).build()));
    }

    public Consumer registerConsumer(String streamArn, String name) {
        return call("RegisterStreamConsumer", Route.CONTROLLER, s -> s.registerStreamConsumer(RegisterStreamConsumerRequest.newBuilder()
                .setStreamArn(streamArn).setConsumerName(name).build())).getConsumer();
    }

    public void deregisterConsumer(String streamArn, String name) {
        call("DeregisterStreamConsumer", Route.CONTROLLER, s -> s.deregisterStreamConsumer(DeregisterStreamConsumerRequest.newBuilder()
                .setStreamArn(streamArn).setConsumerName(name).build()));
    }

    public ListStreamConsumersResponse listConsumers(String streamArn) {
        return call("ListStreamConsumers", Route.ANY, s -> s.listStreamConsumers(ListStreamConsumersRequest.newBuilder().setStreamArn(streamArn).build()));
    }

    /**
     * Subscribes to one shard (enhanced fan-out) on its partition's leader; events arrive on {@code observer} for up to
     * 5 minutes. The caller resubscribes from the last event's continuation sequence number (AFTER_SEQUENCE_NUMBER).
     */
    public void subscribeToShard(String stream, SubscribeToShardRequest req, StreamObserver<SubscribeToShardEvent> observer) {
        String address = client.router().pick(shardRoute(stream, req.getShardId()), java.util.Set.of());
        KinesisGrpc.newStub(client.router().channel(address)).subscribeToShard(req, observer);
    }

    public List<Lease> getLeases(String stream, String application) {
        return call("GetLeases", Route.ANY, s -> s.getLeases(GetLeasesRequest.newBuilder().setStreamName(stream).setApplicationName(application)
                .build())).getLeasesList();
    }

    public UpdateLeaseResponse updateLease(UpdateLeaseRequest req) {
        return call("UpdateLease", shardRoute(req.getStreamName(), req.getShardId()), s -> s.updateLease(req));
    }

    // ------------------------------------------------------------------ routing

    /** The shard a record goes to, from the cached topology (looked up on a miss): the open shard holding its hash key. */
    public Optional<StreamShardRoute> shardFor(String stream, BigInteger hashKey) {
        LookupStreamResponse r = lookup(stream);
        if (r == null) {
            return Optional.empty();
        }
        return r.getShardsList().stream().filter(StreamShardRoute::getOpen)
                .filter(s -> hashKey.compareTo(new BigInteger(s.getStartingHashKey())) >= 0 && hashKey.compareTo(new BigInteger(s.getEndingHashKey())) <= 0)
                .max(Comparator.comparing(StreamShardRoute::getShardId));
    }

    /** Forgets the cached topology of {@code stream} (after a reshard, or a shard not found). */
    public void forget(String stream) {
        routes.remove(stream);
    }

    /** MD5 of the partition key's UTF-8 bytes, as an unsigned 128-bit integer: the hash key Kinesis routes by. */
    public static BigInteger hashOf(String partitionKey) {
        try {
            return new BigInteger(1, MessageDigest.getInstance("MD5").digest(partitionKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static BigInteger hashOf(PutRecordsRequestEntry e) {
        return e.getExplicitHashKey().isEmpty() ? hashOf(e.getPartitionKey()) : new BigInteger(e.getExplicitHashKey());
    }

    private Route routeFor(String stream, BigInteger hashKey) {
        return shardFor(stream, hashKey).map(s -> Route.partition(s.getPartitionId())).orElse(Route.ANY);
    }

    private Route shardRoute(String stream, String shardId) {
        LookupStreamResponse r = stream == null || stream.isEmpty() ? null : lookup(stream);
        if (r == null) {
            return Route.ANY;
        }
        return r.getShardsList().stream().filter(s -> s.getShardId().equals(shardId)).findFirst()
                .map(s -> Route.partition(s.getPartitionId())).orElse(Route.ANY);
    }

    private LookupStreamResponse lookup(String stream) {
        LookupStreamResponse cached = routes.get(stream);
        if (cached != null) {
            return cached;
        }
        try {
            String address = client.router().pickAny(java.util.Set.of());
            LookupStreamResponse r = ClusterGrpc.newBlockingStub(client.router().channel(address))
                    .withDeadlineAfter(client.config().requestTimeoutMs(), TimeUnit.MILLISECONDS)
                    .lookupStream(LookupStreamRequest.newBuilder().setStreamName(stream).build());
            routes.put(stream, r);
            return r;
        } catch (RuntimeException e) {
            return null; // unknown stream or unreachable node: any node will answer authoritatively
        }
    }

    private <T> T call(String op, Route route, Function<KinesisGrpc.KinesisBlockingStub, T> rpc) {
        return call(op, route, rpc, () -> { });
    }

    /** @param onStaleRoute run when the answer suggests the cached topology is stale (the record went to a shard that changed) */
    private <T> T call(String op, Route route, Function<KinesisGrpc.KinesisBlockingStub, T> rpc, Runnable onStaleRoute) {
        try {
            return client.execute(op, route, client.config().requestTimeoutMs(), java.util.Set.of(), null,
                    (ch, t) -> rpc.apply(KinesisGrpc.newBlockingStub(ch).withDeadlineAfter(t, TimeUnit.MILLISECONDS)));
        } catch (PontoonException e) {
            onStaleRoute.run();
            throw e;
        }
    }
}
