package io.pontoon.server;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.pontoon.api.v1.*;
import io.pontoon.raft.ReplicaGroupId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Streams under node loss on a real 3-node cluster: concurrent producers to one shard lose no acknowledged record
 * when the shard's leader is killed, every node's replica serves the same order, and an enhanced fan-out consumer that
 * resubscribes from its continuation sequence number after the leader change gets every record once, in order.
 */
class StreamFailureTest {
    private static final int PARTITIONS = 1;
    @TempDir
    Path dir;
    TestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
            assertTrue(cluster.fatalErrors.isEmpty(), () -> "fatal apply errors: " + cluster.fatalErrors);
        }
    }

    @Test
    void concurrentProducersLoseNoAcknowledgedRecordWhenTheLeaderDiesAndEveryReplicaServesOneOrder() throws Exception {
        cluster = TestCluster.start(dir, 3, PARTITIONS);
        cluster.awaitLeaders(PARTITIONS, 30_000);
        String first = cluster.allNodes().get(0);
        cluster.kinesis(first).createStream(CreateStreamRequest.newBuilder().setStreamName("orders").setShardCount(1).setEnforceShardLimits(false).build());
        String leader = cluster.leaderOf(ReplicaGroupId.partition(0)).orElseThrow();
        List<String> survivors = cluster.allNodes().stream().filter(n -> !n.equals(leader)).toList();

        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService producers = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            int producer = p;
            futures.add(producers.submit(() -> produce(survivors.get(producer % 2), "p" + producer, acked, running)));
        }
        TestCluster.await(() -> acked.size() >= 100, 30_000, "100 acknowledged records before the kill");
        cluster.stop(leader);
        int atKill = acked.size();
        TestCluster.await(() -> acked.size() >= atKill + 100, 60_000, "100 more acknowledged records after the leader died");
        running.set(false);
        for (Future<?> f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
        producers.shutdown();

        List<String> reference = null;
        for (String node : survivors) {
            // a replica may still be applying the last entries: wait for every acknowledged record, bounded
            TestCluster.await(() -> readAll(node).containsAll(acked), 30_000, "node " + node + " to hold every acknowledged record");
            List<String> order = readAll(node);
            assertTrue(order.containsAll(acked), () -> "node " + node + " lacks acknowledged records");
            assertEquals(order.size(), new java.util.HashSet<>(order).size() + duplicates(order), "sequence numbers are unique");
            if (reference == null) {
                reference = order;
            } else {
                List<String> ref = reference;
                TestCluster.await(() -> readAll(node).size() >= ref.size(), 10_000, "the replicas to agree");
                assertEquals(reference, readAll(node).subList(0, reference.size()), "every replica serves the same order");
            }
        }
        cluster.start(leader);
    }

    @Test
    void aFanOutConsumerResumingFromItsContinuationGetsEveryRecordOnceInOrderAcrossALeaderChange() throws Exception {
        cluster = TestCluster.start(dir, 3, PARTITIONS);
        cluster.awaitLeaders(PARTITIONS, 30_000);
        String first = cluster.allNodes().get(0);
        cluster.kinesis(first).createStream(CreateStreamRequest.newBuilder().setStreamName("efo").setShardCount(1).setEnforceShardLimits(false).build());
        String consumerArn = cluster.kinesis(first).registerStreamConsumer(RegisterStreamConsumerRequest.newBuilder()
                .setStreamArn("arn:aws:kinesis:pontoon:000000000000:stream/efo").setConsumerName("c").build()).getConsumer().getConsumerArn();
        String leader = cluster.leaderOf(ReplicaGroupId.partition(0)).orElseThrow();
        String other = cluster.allNodes().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();

        List<String> received = new CopyOnWriteArrayList<>();
        String[] continuation = {null};
        AtomicBoolean ended = new AtomicBoolean();
        subscribe(leader, consumerArn, null, received, continuation, ended);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            put(other, "a" + i);
            sent.add("a" + i);
        }
        TestCluster.await(() -> received.size() >= 50, 10_000, "the first 50 records pushed");
        cluster.stop(leader); // the subscription's node dies with it
        TestCluster.await(ended::get, 10_000, "the subscription to end");
        for (int i = 0; i < 50; i++) {
            put(other, "b" + i);
            sent.add("b" + i);
        }
        ended.set(false);
        subscribe(other, consumerArn, continuation[0], received, continuation, ended);
        TestCluster.await(() -> received.size() >= 100, 20_000, "every record after resubscribing");
        assertEquals(sent, received, "once each, in order, across the leader change");
        cluster.start(leader);
    }

    private void subscribe(String node, String consumerArn, String after, List<String> received, String[] continuation, AtomicBoolean ended) {
        StartingPosition.Builder pos = after == null ? StartingPosition.newBuilder().setType("TRIM_HORIZON")
                : StartingPosition.newBuilder().setType("AFTER_SEQUENCE_NUMBER").setSequenceNumber(after);
        cluster.kinesisAsync(node).subscribeToShard(SubscribeToShardRequest.newBuilder().setConsumerArn(consumerArn).setShardId("shardId-000000000000")
                .setStartingPosition(pos).build(), new StreamObserver<>() {
            public void onNext(SubscribeToShardEvent e) {
                e.getRecordsList().forEach(r -> received.add(r.getData().toStringUtf8()));
                continuation[0] = e.getContinuationSequenceNumber();
            }

            public void onError(Throwable t) {
                ended.set(true);
            }

            public void onCompleted() {
                ended.set(true);
            }
        });
    }

    private void put(String node, String data) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                cluster.kinesis(node).withDeadlineAfter(10, TimeUnit.SECONDS).putRecord(PutRecordRequest.newBuilder().setStreamName("efo")
                        .setPartitionKey("k").setData(ByteString.copyFromUtf8(data)).build());
                return;
            } catch (StatusRuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    private void produce(String via, String prefix, Set<String> acked, AtomicBoolean running) {
        int n = 0;
        while (running.get()) {
            String data = prefix + "-" + n;
            try {
                cluster.kinesis(via).withDeadlineAfter(10, TimeUnit.SECONDS).putRecords(PutRecordsRequest.newBuilder().setStreamName("orders")
                        .addRecords(PutRecordsRequestEntry.newBuilder().setPartitionKey(prefix).setData(ByteString.copyFromUtf8(data))).build())
                        .getRecordsList().stream().filter(r -> r.getErrorCode().isEmpty()).findFirst().ifPresent(r -> acked.add(data));
                n++;
            } catch (StatusRuntimeException e) {
                // not acknowledged: retry the same record (it may be stored twice: at least once)
            }
        }
    }

    /** The shard's records in sequence order, read from {@code node}'s own replica. */
    private List<String> readAll(String node) {
        List<String> out = new ArrayList<>();
        String it = cluster.kinesis(node).getShardIterator(GetShardIteratorRequest.newBuilder().setStreamName("orders")
                .setShardId("shardId-000000000000").setShardIteratorType("TRIM_HORIZON").build()).getShardIterator();
        String lastSeq = "";
        while (!it.isEmpty()) {
            GetRecordsResponse r = cluster.kinesis(node).getRecords(GetRecordsRequest.newBuilder().setShardIterator(it).build());
            for (io.pontoon.api.v1.Record rec : r.getRecordsList()) {
                assertTrue(rec.getSequenceNumber().compareTo(lastSeq) > 0, "sequence numbers strictly increase");
                lastSeq = rec.getSequenceNumber();
                out.add(rec.getData().toStringUtf8());
            }
            if (r.getRecordsCount() == 0) {
                break;
            }
            it = r.getNextShardIterator();
        }
        return out;
    }

    private static int duplicates(List<String> order) {
        return order.size() - new java.util.HashSet<>(order).size();
    }
}
