package io.pontoon.server;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.pontoon.api.PontoonErrors;
import io.pontoon.api.v1.*;
import io.pontoon.core.stream.HashKeys;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Streams on a real 3-node cluster (the shared one): the Kinesis API end to end through any node: hash-key routing,
 * every iterator type, resharding with lineage and readers that follow it, enhanced fan-out, leases and the errors.
 */
class StreamClusterTest {
    private final TestCluster cluster = SharedCluster.get();

    private KinesisGrpc.KinesisBlockingStub kinesis(String node) {
        return cluster.kinesis(node).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private KinesisGrpc.KinesisBlockingStub any() {
        return kinesis(cluster.runningNodes().get(0));
    }

    /** A stream without the per-shard rate limits, so tests may read as fast as they like. */
    private void create(String name, int shards) {
        any().createStream(CreateStreamRequest.newBuilder().setStreamName(name).setShardCount(shards).setEnforceShardLimits(false).build());
    }

    private PutRecordResponse put(String stream, String key, String data) {
        return any().putRecord(PutRecordRequest.newBuilder().setStreamName(stream).setPartitionKey(key)
                .setData(ByteString.copyFromUtf8(data)).build());
    }

    private String iterator(String stream, String shard, String type, String seq) {
        GetShardIteratorRequest.Builder b = GetShardIteratorRequest.newBuilder().setStreamName(stream).setShardId(shard).setShardIteratorType(type);
        if (seq != null) {
            b.setStartingSequenceNumber(seq);
        }
        return any().getShardIterator(b.build()).getShardIterator();
    }

    /** Reads a shard from {@code iterator} until it has nothing more (or its end); returns the records' data. */
    private List<String> readAll(String iterator) {
        List<String> out = new ArrayList<>();
        String it = iterator;
        for (int i = 0; i < 50 && !it.isEmpty(); i++) {
            GetRecordsResponse r = any().getRecords(GetRecordsRequest.newBuilder().setShardIterator(it).build());
            r.getRecordsList().forEach(rec -> out.add(rec.getData().toStringUtf8()));
            if (r.getRecordsCount() == 0 && r.getMillisBehindLatest() == 0) {
                break;
            }
            it = r.getNextShardIterator();
        }
        return out;
    }

    private static String code(StatusRuntimeException e) {
        ErrorDetail d = PontoonErrors.errorDetail(e.getTrailers());
        return d == null ? "?" : d.getAwsCode();
    }

    @Test
    void aStreamIsCreatedActiveWithEqualRangesAndDescribedWithSequenceRanges() {
        create("describe-me", 3);
        StreamDescription d = any().describeStream(DescribeStreamRequest.newBuilder().setStreamName("describe-me").build()).getStreamDescription();
        assertEquals("ACTIVE", d.getStreamStatus());
        assertEquals(3, d.getShardsCount());
        assertEquals("0", d.getShards(0).getHashKeyRange().getStartingHashKey());
        assertEquals(HashKeys.MAX.toString(), d.getShards(2).getHashKeyRange().getEndingHashKey());
        assertFalse(d.getShards(1).getSequenceNumberRange().getStartingSequenceNumber().isEmpty());
        assertEquals("arn:aws:kinesis:us-east-1:000000000000:stream/describe-me", d.getStreamArn(), "in the default region and account");
        StreamDescriptionSummary s = any().describeStreamSummary(DescribeStreamSummaryRequest.newBuilder()
                .setStreamArn(d.getStreamArn()).build()).getStreamDescriptionSummary();
        assertEquals(3, s.getOpenShardCount());
        assertEquals(24, s.getRetentionPeriodHours());
        assertTrue(any().listStreams(ListStreamsRequest.getDefaultInstance()).getStreamNamesList().contains("describe-me"));
        StatusRuntimeException dup = assertThrows(StatusRuntimeException.class, () -> create("describe-me", 1));
        assertEquals("ResourceInUseException", code(dup));
    }

    @Test
    void eachRecordGoesToTheShardWhoseRangeHoldsItsKeyAndEveryReaderSeesOneOrder() {
        create("routing", 2);
        Map<String, List<String>> expected = new HashMap<>();
        BigInteger half = BigInteger.ONE.shiftLeft(127);
        for (int i = 0; i < 40; i++) {
            String key = "key-" + i;
            PutRecordResponse r = put("routing", key, "v" + i);
            String shard = HashKeys.ofPartitionKey(key).compareTo(half) < 0 ? "shardId-000000000000" : "shardId-000000000001";
            assertEquals(shard, r.getShardId(), key);
            expected.computeIfAbsent(shard, k -> new ArrayList<>()).add("v" + i);
        }
        PutRecordsResponse batch = any().putRecords(PutRecordsRequest.newBuilder().setStreamName("routing")
                .addRecords(PutRecordsRequestEntry.newBuilder().setPartitionKey("x").setExplicitHashKey("0").setData(ByteString.copyFromUtf8("low")))
                .addRecords(PutRecordsRequestEntry.newBuilder().setPartitionKey("x").setExplicitHashKey(HashKeys.MAX.toString())
                        .setData(ByteString.copyFromUtf8("high"))).build());
        assertEquals(0, batch.getFailedRecordCount());
        assertEquals("shardId-000000000000", batch.getRecords(0).getShardId());
        assertEquals("shardId-000000000001", batch.getRecords(1).getShardId());
        expected.get("shardId-000000000000").add("low");
        expected.get("shardId-000000000001").add("high");
        for (String shard : expected.keySet()) {
            for (String node : cluster.runningNodes()) {
                String it = kinesis(node).getShardIterator(GetShardIteratorRequest.newBuilder().setStreamName("routing").setShardId(shard)
                        .setShardIteratorType("TRIM_HORIZON").build()).getShardIterator();
                TestCluster.await(() -> readAllVia(node, it).size() == expected.get(shard).size(), 10_000, "node " + node + " has every record");
                assertEquals(expected.get(shard), readAllVia(node, it), "node " + node + " reads shard " + shard + " in put order");
            }
        }
    }

    /** Reads from {@code iterator} once at least {@code count} records are there (the node read may trail the put's leader). */
    private List<String> readWhenThere(String iterator, int count) {
        TestCluster.await(() -> readAll(iterator).size() >= count, 10_000, count + " records readable");
        return readAll(iterator);
    }

    private List<String> readAllVia(String node, String iterator) {
        List<String> out = new ArrayList<>();
        String it = iterator;
        for (int i = 0; i < 50 && !it.isEmpty(); i++) {
            GetRecordsResponse r = kinesis(node).getRecords(GetRecordsRequest.newBuilder().setShardIterator(it).build());
            r.getRecordsList().forEach(rec -> out.add(rec.getData().toStringUtf8()));
            if (r.getRecordsCount() == 0) {
                break;
            }
            it = r.getNextShardIterator();
        }
        return out;
    }

    @Test
    void everyIteratorTypeStartsWhereKinesisSays() throws Exception {
        create("iterators", 1);
        String shard = "shardId-000000000000";
        List<PutRecordResponse> puts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            puts.add(put("iterators", "k", "r" + i));
        }
        // A put is acknowledged once its partition's leader applied it; the node read may apply it a moment later
        // (Kinesis too makes a record readable shortly after the put), so reads wait for what was put.
        assertEquals(List.of("r0", "r1", "r2", "r3", "r4"), readWhenThere(iterator("iterators", shard, "TRIM_HORIZON", null), 5));
        assertEquals(List.of("r2", "r3", "r4"), readAll(iterator("iterators", shard, "AT_SEQUENCE_NUMBER", puts.get(2).getSequenceNumber())));
        assertEquals(List.of("r3", "r4"), readAll(iterator("iterators", shard, "AFTER_SEQUENCE_NUMBER", puts.get(2).getSequenceNumber())));
        String latest = iterator("iterators", shard, "LATEST", null);
        assertEquals(List.of(), readAll(latest));
        put("iterators", "k", "r5");
        assertEquals(List.of("r5"), readWhenThere(latest, 1), "LATEST sees only records put after it");
        long t = System.currentTimeMillis();
        TestCluster.await(() -> System.currentTimeMillis() > t, 1_000, "the clock to pass t (arrival times are milliseconds: the next put arrives after t)");
        put("iterators", "k", "r6");
        String atTime = any().getShardIterator(GetShardIteratorRequest.newBuilder().setStreamName("iterators").setShardId(shard)
                .setShardIteratorType("AT_TIMESTAMP").setTimestampMs(t).build()).getShardIterator();
        assertEquals("r6", readWhenThere(atTime, 1).get(0));
        StatusRuntimeException bad = assertThrows(StatusRuntimeException.class, () -> iterator("iterators", shard, "AT_SEQUENCE_NUMBER", "12"));
        assertEquals("InvalidArgumentException", code(bad));
        StatusRuntimeException garbage = assertThrows(StatusRuntimeException.class,
                () -> any().getRecords(GetRecordsRequest.newBuilder().setShardIterator("not-an-iterator").build()));
        assertEquals("InvalidArgumentException", code(garbage));
        StatusRuntimeException missing = assertThrows(StatusRuntimeException.class, () -> iterator("iterators", "shardId-000000000009", "LATEST", null));
        assertEquals("ResourceNotFoundException", code(missing));
    }

    @Test
    void aReaderFollowsASplitFromTheParentToItsEndThenIntoTheChildren() {
        create("split-me", 1);
        String parent = "shardId-000000000000";
        String it = iterator("split-me", parent, "TRIM_HORIZON", null);
        put("split-me", "a", "before-1");
        put("split-me", "b", "before-2");
        any().splitShard(SplitShardRequest.newBuilder().setStreamName("split-me").setShardToSplit(parent)
                .setNewStartingHashKey(BigInteger.ONE.shiftLeft(127).toString()).build());
        PutRecordResponse after = put("split-me", "a", "after");
        assertNotEquals(parent, after.getShardId(), "a closed shard takes no record");
        List<String> fromParent = new ArrayList<>();
        List<ChildShard> children = new ArrayList<>();
        String[] next = {it};
        // The node read may not have applied the close yet: read on until the parent's end (no next iterator).
        TestCluster.await(() -> {
            GetRecordsResponse r = any().getRecords(GetRecordsRequest.newBuilder().setShardIterator(next[0]).build());
            r.getRecordsList().forEach(rec -> fromParent.add(rec.getData().toStringUtf8()));
            children.clear();
            children.addAll(r.getChildShardsList());
            next[0] = r.getNextShardIterator();
            return next[0].isEmpty();
        }, 10_000, "the parent is read to its end");
        it = next[0];
        assertEquals(List.of("before-1", "before-2"), fromParent);
        assertTrue(it.isEmpty(), "the end of a closed shard has no next iterator");
        assertEquals(2, children.size());
        assertEquals(List.of(parent), children.get(0).getParentShardsList());
        List<String> fromChildren = new ArrayList<>();
        for (ChildShard c : children) {
            fromChildren.addAll(readAll(iterator("split-me", c.getShardId(), "TRIM_HORIZON", null)));
        }
        if (fromChildren.isEmpty()) { // the node read may trail the child's leader: wait for the record, then read again
            TestCluster.await(() -> children.stream().mapToInt(c -> readAll(iterator("split-me", c.getShardId(), "TRIM_HORIZON", null)).size()).sum() > 0,
                    10_000, "the record put after the split is readable");
            for (ChildShard c : children) {
                fromChildren.addAll(readAll(iterator("split-me", c.getShardId(), "TRIM_HORIZON", null)));
            }
        }
        assertEquals(List.of("after"), fromChildren);
        StreamDescription d = any().describeStream(DescribeStreamRequest.newBuilder().setStreamName("split-me").build()).getStreamDescription();
        assertEquals(3, d.getShardsCount());
        assertFalse(d.getShards(0).getSequenceNumberRange().getEndingSequenceNumber().isEmpty(), "the parent has an ending sequence number");
        any().mergeShards(MergeShardsRequest.newBuilder().setStreamName("split-me").setShardToMerge(children.get(0).getShardId())
                .setAdjacentShardToMerge(children.get(1).getShardId()).build());
        assertEquals(1, any().describeStreamSummary(DescribeStreamSummaryRequest.newBuilder().setStreamName("split-me").build())
                .getStreamDescriptionSummary().getOpenShardCount());
        UpdateShardCountResponse scaled = any().updateShardCount(UpdateShardCountRequest.newBuilder().setStreamName("split-me")
                .setTargetShardCount(2).setScalingType("UNIFORM_SCALING").build());
        assertEquals(1, scaled.getCurrentShardCount());
        assertEquals(2, any().listShards(ListShardsRequest.newBuilder().setStreamName("split-me")
                .setShardFilter(ShardFilter.newBuilder().setType("AT_LATEST")).build()).getShardsCount());
    }

    @Test
    void enhancedFanOutPushesEveryRecordOnceInOrder() throws Exception {
        create("fan-out", 1);
        String arn = "arn:aws:kinesis:pontoon:000000000000:stream/fan-out";
        Consumer consumer = any().registerStreamConsumer(RegisterStreamConsumerRequest.newBuilder().setStreamArn(arn).setConsumerName("c1").build())
                .getConsumer();
        List<String> got = new CopyOnWriteArrayList<>();
        List<String> continuations = new CopyOnWriteArrayList<>();
        String node = cluster.runningNodes().get(0);
        cluster.kinesisAsync(node).subscribeToShard(SubscribeToShardRequest.newBuilder().setConsumerArn(consumer.getConsumerArn())
                .setShardId("shardId-000000000000").setStartingPosition(StartingPosition.newBuilder().setType("TRIM_HORIZON")).build(),
                new StreamObserver<>() {
                    public void onNext(SubscribeToShardEvent e) {
                        e.getRecordsList().forEach(r -> got.add(r.getData().toStringUtf8()));
                        continuations.add(e.getContinuationSequenceNumber());
                    }

                    public void onError(Throwable t) {
                    }

                    public void onCompleted() {
                    }
                });
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            put("fan-out", "k" + (i % 3), "e" + i);
            sent.add("e" + i);
        }
        TestCluster.await(() -> got.size() >= sent.size(), 10_000, "every record pushed");
        assertEquals(sent, got, "once each, in order");
        StatusRuntimeException again = assertThrows(StatusRuntimeException.class, () -> {
            var events = cluster.kinesis(node).withDeadlineAfter(5, TimeUnit.SECONDS).subscribeToShard(SubscribeToShardRequest.newBuilder()
                    .setConsumerArn(consumer.getConsumerArn()).setShardId("shardId-000000000000")
                    .setStartingPosition(StartingPosition.newBuilder().setType("LATEST")).build());
            events.next();
        });
        assertEquals("ResourceInUseException", code(again), "a second subscription within 5 s is refused");
    }

    /** Kinesis: a consumer ARN ends in the consumer's creation time, so it names one registration and no later one. */
    @Test
    void aConsumerArnWithAnotherCreationTimeNamesNoConsumer() {
        create("stale-arn", 1);
        String arn = "arn:aws:kinesis:pontoon:000000000000:stream/stale-arn";
        String consumerArn = any().registerStreamConsumer(RegisterStreamConsumerRequest.newBuilder().setStreamArn(arn).setConsumerName("c")
                .build()).getConsumer().getConsumerArn();
        long created = Long.parseLong(consumerArn.substring(consumerArn.lastIndexOf(':') + 1));
        String stale = consumerArn.substring(0, consumerArn.lastIndexOf(':') + 1) + (created - 60);
        StatusRuntimeException describe = assertThrows(StatusRuntimeException.class, () -> any().describeStreamConsumer(
                io.pontoon.api.v1.DescribeStreamConsumerRequest.newBuilder().setConsumerArn(stale).build()));
        assertEquals("ResourceNotFoundException", code(describe));
        StatusRuntimeException deregister = assertThrows(StatusRuntimeException.class, () -> any().deregisterStreamConsumer(
                io.pontoon.api.v1.DeregisterStreamConsumerRequest.newBuilder().setConsumerArn(stale).build()));
        assertEquals("ResourceNotFoundException", code(deregister));
        StatusRuntimeException subscribe = assertThrows(StatusRuntimeException.class, () -> cluster.kinesis(cluster.runningNodes().get(0))
                .withDeadlineAfter(10, TimeUnit.SECONDS).subscribeToShard(SubscribeToShardRequest.newBuilder().setConsumerArn(stale)
                        .setShardId("shardId-000000000000").setStartingPosition(StartingPosition.newBuilder().setType("LATEST")).build()).next());
        assertEquals("ResourceNotFoundException", code(subscribe));
        assertEquals(consumerArn, any().describeStreamConsumer(io.pontoon.api.v1.DescribeStreamConsumerRequest.newBuilder()
                .setConsumerArn(consumerArn).build()).getConsumerDescription().getConsumerArn(), "the stale ARN deregistered nothing");
        StatusRuntimeException garbage = assertThrows(StatusRuntimeException.class, () -> any().describeStreamConsumer(
                io.pontoon.api.v1.DescribeStreamConsumerRequest.newBuilder().setConsumerArn(consumerArn + "x").build()));
        assertEquals("InvalidArgumentException", code(garbage));
    }

    @Test
    void leasesAreConditionalWritesKeptWithTheShard() {
        create("leases", 1);
        String shard = "shardId-000000000000";
        UpdateLeaseResponse taken = any().updateLease(UpdateLeaseRequest.newBuilder().setStreamName("leases").setApplicationName("app")
                .setShardId(shard).setExpectedCounter(0).setNewOwner("w1").setDurationMs(10_000).build());
        assertTrue(taken.getApplied());
        assertEquals("w1", taken.getLease().getOwner());
        UpdateLeaseResponse lost = any().updateLease(UpdateLeaseRequest.newBuilder().setStreamName("leases").setApplicationName("app")
                .setShardId(shard).setExpectedCounter(0).setNewOwner("w2").setDurationMs(10_000).build());
        assertFalse(lost.getApplied());
        List<Lease> leases = any().getLeases(GetLeasesRequest.newBuilder().setStreamName("leases").setApplicationName("app").build()).getLeasesList();
        assertEquals("w1", leases.get(0).getOwner());
        assertEquals(1, leases.get(0).getCounter());
    }

    @Test
    void aMergedShardTakesNoRecordAtOrBelowEitherParentsEndingSequence() throws Exception {
        // Producers on every node put into both shards while they are merged (and split again, and merged ...): a
        // record that meets a parent just closed must not enter the child before the other parent is closed too,
        // or the other parent's later records would end above it.
        create("merge-race", 2);
        java.util.concurrent.atomic.AtomicBoolean producing = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicLong acked = new java.util.concurrent.atomic.AtomicLong();
        List<Thread> producers = new ArrayList<>();
        for (String node : cluster.runningNodes()) {
            for (int p = 0; p < 2; p++) {
                int seed = producers.size();
                // Odd producers push their sequences far up with SequenceNumberForOrdering, so that the shards they write
                // to end far above the others: a record let into a merged shard early then shows below that end.
                boolean jumps = seed % 2 == 1;
                Thread t = new Thread(() -> {
                    BigInteger last = BigInteger.ZERO;
                    for (int n = 0; producing.get(); n++) {
                        try {
                            PutRecordRequest.Builder req = PutRecordRequest.newBuilder().setStreamName("merge-race").setPartitionKey("k" + seed + "-" + (n % 16))
                                    .setData(ByteString.copyFromUtf8("r"));
                            if (jumps && last.signum() > 0) {
                                req.setSequenceNumberForOrdering(last.add(BigInteger.valueOf(1_000_000_000L)).toString());
                            }
                            last = new BigInteger(kinesis(node).putRecord(req.build()).getSequenceNumber());
                            acked.incrementAndGet();
                        } catch (StatusRuntimeException e) {
                            // a record that raced a reshard step is refused, retriably; the test checks what was stored
                        }
                    }
                }, "merge-race-producer-" + seed);
                t.start();
                producers.add(t);
            }
        }
        try {
            String half = BigInteger.ONE.shiftLeft(127).toString();
            for (int round = 0; round < 4; round++) {
                List<Shard> open = openShards("merge-race");
                assertEquals(2, open.size());
                long before = acked.get();
                TestCluster.await(() -> acked.get() > before + 50, 60_000, "puts go on before the merge");
                any().mergeShards(MergeShardsRequest.newBuilder().setStreamName("merge-race").setShardToMerge(open.get(0).getShardId())
                        .setAdjacentShardToMerge(open.get(1).getShardId()).build());
                long merged = acked.get();
                TestCluster.await(() -> acked.get() > merged + 50, 60_000, "puts go on after the merge");
                any().splitShard(SplitShardRequest.newBuilder().setStreamName("merge-race").setShardToSplit(openShards("merge-race").get(0).getShardId())
                        .setNewStartingHashKey(half).build());
            }
        } finally {
            producing.set(false);
            for (Thread t : producers) {
                t.join(60_000);
            }
        }
        Map<String, Shard> all = new HashMap<>();
        TestCluster.await(() -> {
            all.clear();
            any().listShards(ListShardsRequest.newBuilder().setStreamName("merge-race").build()).getShardsList().forEach(s -> all.put(s.getShardId(), s));
            return all.values().stream().filter(s -> !s.getParentShardId().isEmpty())
                    .allMatch(c -> ended(all.get(c.getParentShardId())) && (c.getAdjacentParentShardId().isEmpty() || ended(all.get(c.getAdjacentParentShardId()))));
        }, 60_000, "every parent's ending sequence number is known on the node read");
        int checked = 0;
        for (Shard child : all.values()) {
            if (child.getAdjacentParentShardId().isEmpty()) {
                continue;
            }
            BigInteger floor = new BigInteger(all.get(child.getParentShardId()).getSequenceNumberRange().getEndingSequenceNumber())
                    .max(new BigInteger(all.get(child.getAdjacentParentShardId()).getSequenceNumberRange().getEndingSequenceNumber()));
            for (io.pontoon.api.v1.Record r : readRecords(iterator("merge-race", child.getShardId(), "TRIM_HORIZON", null))) {
                assertTrue(new BigInteger(r.getSequenceNumber()).compareTo(floor) > 0, "record " + r.getSequenceNumber() + " of merged shard "
                        + child.getShardId() + " is not above its parents' ending sequence numbers (the larger is " + floor + ")");
                checked++;
            }
        }
        assertTrue(checked > 0, "the merged shards took records");
    }

    /** The open shards by the controller's topology (AT_LATEST), in hash key order: a replica's view may lag a close. */
    private List<Shard> openShards(String stream) {
        return any().listShards(ListShardsRequest.newBuilder().setStreamName(stream).setShardFilter(ShardFilter.newBuilder().setType("AT_LATEST"))
                        .build()).getShardsList().stream()
                .sorted(java.util.Comparator.comparing(s -> new BigInteger(s.getHashKeyRange().getStartingHashKey()))).toList();
    }

    private static boolean ended(Shard s) {
        return s != null && !s.getSequenceNumberRange().getEndingSequenceNumber().isEmpty();
    }

    private List<io.pontoon.api.v1.Record> readRecords(String iterator) {
        List<io.pontoon.api.v1.Record> out = new ArrayList<>();
        String it = iterator;
        for (int i = 0; i < 200 && !it.isEmpty(); i++) {
            GetRecordsResponse r = any().getRecords(GetRecordsRequest.newBuilder().setShardIterator(it).build());
            out.addAll(r.getRecordsList());
            if (r.getRecordsCount() == 0 && r.getMillisBehindLatest() == 0) {
                break;
            }
            it = r.getNextShardIterator();
        }
        return out;
    }

    @Test
    void aReshardLeftUnfinishedByItsNodeIsFinishedByTheControllersLeader() throws Exception {
        create("orphan", 1);
        // The reshard enters the controller as a node would propose it just before dying: nobody drives its steps.
        String node = cluster.runningNodes().get(0);
        io.pontoon.server.partition.ControllerClient controller = new io.pontoon.server.partition.ControllerClient(cluster.node(node).raft(),
                cluster.config(node).partitions(), new io.pontoon.server.partition.ByteBudget("test", 1 << 20));
        io.pontoon.core.controller.ControllerResult r = controller.submit(new io.pontoon.core.controller.ControllerCommand.ReshardStream("orphan",
                new io.pontoon.core.controller.ControllerCommand.Reshard.Split("shardId-000000000000", BigInteger.ONE.shiftLeft(127))))
                .get(30, TimeUnit.SECONDS);
        assertFalse(r instanceof io.pontoon.core.controller.ControllerResult.Error, "the reshard is accepted: " + r);
        TestCluster.await(() -> {
            StreamDescriptionSummary s = any().describeStreamSummary(DescribeStreamSummaryRequest.newBuilder().setStreamName("orphan").build())
                    .getStreamDescriptionSummary();
            return s.getStreamStatus().equals("ACTIVE") && s.getOpenShardCount() == 2;
        }, 60_000, "the controller's leader finishes the split (its poll runs every 2 s; a node's topology cache lives 10 s)");
        PutRecordResponse put = put("orphan", "after", "x");
        assertNotEquals("shardId-000000000000", put.getShardId(), "the parent is closed, a child takes the record");
    }

    @Test
    void aPutRecordsOfFiveMebibytesIsAccepted() {
        create("five-mib", 2);
        PutRecordsRequest.Builder req = PutRecordsRequest.newBuilder().setStreamName("five-mib");
        byte[] data = new byte[1_048_576 - 16];
        for (int i = 0; i < 5; i++) {
            req.addRecords(PutRecordsRequestEntry.newBuilder().setPartitionKey("key-" + i).setData(ByteString.copyFrom(data)));
        }
        PutRecordsResponse r = any().putRecords(req.build());
        assertEquals(0, r.getFailedRecordCount(), r.toString().substring(0, Math.min(2000, r.toString().length())));
        assertEquals(5, r.getRecordsCount());
    }

    @Test
    void badRequestsGetKinesisCodes() {
        create("errors", 1);
        Map<String, Runnable> calls = Map.of(
                "InvalidArgumentException", () -> any().putRecord(PutRecordRequest.newBuilder().setStreamName("errors").setData(ByteString.EMPTY).build()),
                "ResourceNotFoundException", () -> any().putRecord(PutRecordRequest.newBuilder().setStreamName("no-such").setPartitionKey("k")
                        .setData(ByteString.EMPTY).build()));
        calls.forEach((expected, call) -> assertEquals(expected, code(assertThrows(StatusRuntimeException.class, call::run))));
        assertEquals("InvalidArgumentException", code(assertThrows(StatusRuntimeException.class,
                () -> any().putRecord(PutRecordRequest.newBuilder().setStreamName("errors").setPartitionKey("k")
                        .setData(ByteString.copyFrom(new byte[1_048_576])).build()))), "data plus key over 1 MiB");
        assertEquals("InvalidArgumentException", code(assertThrows(StatusRuntimeException.class,
                () -> any().putRecord(PutRecordRequest.newBuilder().setStreamName("bad name!").setPartitionKey("k").build()))));
        assertEquals("InvalidArgumentException", code(assertThrows(StatusRuntimeException.class,
                () -> any().increaseStreamRetentionPeriod(IncreaseStreamRetentionPeriodRequest.newBuilder().setStreamName("errors")
                        .setRetentionPeriodHours(8_761).build()))));
        assertEquals("InvalidArgumentException", code(assertThrows(StatusRuntimeException.class,
                () -> any().mergeShards(MergeShardsRequest.newBuilder().setStreamName("errors").setShardToMerge("shardId-000000000000")
                        .setAdjacentShardToMerge("shardId-000000000000").build()))));
        PutRecordsRequest.Builder tooMany = PutRecordsRequest.newBuilder().setStreamName("errors");
        for (int i = 0; i < 501; i++) {
            tooMany.addRecords(PutRecordsRequestEntry.newBuilder().setPartitionKey("k").setData(ByteString.copyFromUtf8("x")));
        }
        assertEquals("InvalidArgumentException", code(assertThrows(StatusRuntimeException.class, () -> any().putRecords(tooMany.build()))));
        assertEquals(StandardCharsets.UTF_8, StandardCharsets.UTF_8);
    }

    @Test
    void aShardOverItsRatesIsRefusedWithProvisionedThroughputExceeded() {
        any().createStream(CreateStreamRequest.newBuilder().setStreamName("limited").setShardCount(1).build());
        PutRecordsRequest.Builder batch = PutRecordsRequest.newBuilder().setStreamName("limited");
        for (int i = 0; i < 500; i++) {
            batch.addRecords(PutRecordsRequestEntry.newBuilder().setPartitionKey("k").setData(ByteString.copyFromUtf8("x")));
        }
        String node = cluster.runningNodes().get(0);
        int failed = 0;
        for (int i = 0; i < 3; i++) {
            PutRecordsResponse r = kinesis(node).putRecords(batch.build());
            failed += r.getFailedRecordCount();
            r.getRecordsList().stream().filter(x -> !x.getErrorCode().isEmpty())
                    .forEach(x -> assertEquals("ProvisionedThroughputExceededException", x.getErrorCode()));
        }
        assertTrue(failed >= 500, "1,500 records within a second exceed 1,000 records per second: " + failed + " refused");
        String it = kinesis(node).getShardIterator(GetShardIteratorRequest.newBuilder().setStreamName("limited").setShardId("shardId-000000000000")
                .setShardIteratorType("LATEST").build()).getShardIterator();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> {
            for (int i = 0; i < 20; i++) {
                kinesis(node).getRecords(GetRecordsRequest.newBuilder().setShardIterator(it).build());
            }
        });
        assertEquals("ProvisionedThroughputExceededException", code(e), "a sixth read within a second");
    }
}
