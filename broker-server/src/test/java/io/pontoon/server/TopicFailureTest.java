package io.pontoon.server;

import io.grpc.StatusRuntimeException;
import io.pontoon.api.v1.*;
import io.pontoon.raft.ReplicaGroupId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.pontoon.server.TopicTesting.QUEUE_ARN;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Topic fan-out under node loss on a real 3-node cluster: publishers keep publishing while the leader of the topic's
 * partition is killed in the middle of fanning out to three queues on three partitions and to a stream, and every queue
 * and the stream then hold every acknowledged message exactly once.
 */
class TopicFailureTest {
    private static final int PARTITIONS = 3;
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
    void everyQueueAndStreamSubscriptionGetsEveryAcknowledgedMessageExactlyOnceWhenTheTopicsLeaderDiesMidFanOut() throws Exception {
        cluster = TestCluster.start(dir, 3, PARTITIONS);
        cluster.awaitLeaders(PARTITIONS, 30_000);
        String topicArn = cluster.sns("n1").createTopic(CreateTopicRequest.newBuilder().setName("orders").build()).getTopicArn();
        List<String> urls = new ArrayList<>();
        Set<String> queuePartitions = new java.util.HashSet<>();
        for (String q : List.of("qa", "qb", "qc")) {
            urls.add(TopicTesting.queue(cluster, q));
            queuePartitions.add(cluster.clusterStub("n1").lookupQueue(LookupQueueRequest.newBuilder().setQueueName(q).build()).getPartitionId());
            cluster.sns("n1").subscribe(SubscribeRequest.newBuilder().setTopicArn(topicArn).setProtocol("sqs").setEndpoint(QUEUE_ARN + q).build());
        }
        assertEquals(3, queuePartitions.size(), "the three queues live on three partitions");
        cluster.kinesis("n1").createStream(CreateStreamRequest.newBuilder().setStreamName("order-log").setShardCount(2).setEnforceShardLimits(false).build());
        TestCluster.await(() -> cluster.kinesis("n1").describeStreamSummary(DescribeStreamSummaryRequest.newBuilder().setStreamName("order-log").build())
                .getStreamDescriptionSummary().getStreamStatus().equals("ACTIVE"), 30_000, "the stream to be active");
        cluster.sns("n1").subscribe(SubscribeRequest.newBuilder().setTopicArn(topicArn).setProtocol("stream")
                .setEndpoint("arn:aws:kinesis:pontoon:000000000000:stream/order-log").build());
        int topicPartition = topicPartition(topicArn);
        String leader = cluster.leaderOf(ReplicaGroupId.partition(topicPartition)).orElseThrow();
        List<String> survivors = cluster.allNodes().stream().filter(n -> !n.equals(leader)).toList();

        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService publishers = Executors.newFixedThreadPool(3);
        List<Future<?>> futures = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            int publisher = p;
            futures.add(publishers.submit(() -> publish(survivors.get(publisher % 2), topicArn, acked, running)));
        }
        TestCluster.await(() -> acked.size() >= 150, 30_000, "150 acknowledged publishes before the kill");
        cluster.stop(leader);
        int atKill = acked.size();
        TestCluster.await(() -> acked.size() >= atKill + 150, 60_000, "150 more acknowledged publishes after the leader died");
        running.set(false);
        for (Future<?> f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
        publishers.shutdown();

        for (String url : urls) {
            Map<String, Integer> seen = new HashMap<>();
            TestCluster.await(() -> {
                TopicTesting.drain(cluster, survivors.get(0), url).forEach(m -> seen.merge((String) TopicTesting.envelope(m).get("MessageId"), 1, Integer::sum));
                return seen.keySet().containsAll(acked);
            }, 60_000, url + " to hold every acknowledged message");
            List<String> twice = seen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
            assertEquals(List.of(), twice, url + ": messages delivered more than once");
        }
        Map<String, Integer> inStream = new HashMap<>();
        TestCluster.await(() -> {
            inStream.clear();
            readStream(survivors.get(0)).forEach(id -> inStream.merge(id, 1, Integer::sum));
            return inStream.keySet().containsAll(acked);
        }, 60_000, "the stream subscription to hold every acknowledged message");
        assertEquals(List.of(), inStream.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList(),
                "stream: messages delivered more than once");
    }

    /** The MessageIds of every record of the stream's shards, read from the start. */
    private List<String> readStream(String node) {
        List<String> ids = new ArrayList<>();
        for (String shard : List.of("shardId-000000000000", "shardId-000000000001")) {
            String it = cluster.kinesis(node).getShardIterator(GetShardIteratorRequest.newBuilder().setStreamName("order-log").setShardId(shard)
                    .setShardIteratorType("TRIM_HORIZON").build()).getShardIterator();
            while (true) {
                GetRecordsResponse r = cluster.kinesis(node).getRecords(GetRecordsRequest.newBuilder().setShardIterator(it).setLimit(10_000).build());
                r.getRecordsList().forEach(rec -> ids.add((String) ((Map<?, ?>) io.pontoon.core.codec.Json.parse(rec.getData().toStringUtf8())).get("MessageId")));
                if (r.getRecordsCount() == 0 || r.getNextShardIterator().isEmpty()) {
                    break;
                }
                it = r.getNextShardIterator();
            }
        }
        return ids;
    }

    @Test
    void eachGroupsOrderHoldsIntoEveryFifoQueueWhenTheTopicsLeaderDies() throws Exception {
        cluster = TestCluster.start(dir, 3, PARTITIONS);
        cluster.awaitLeaders(PARTITIONS, 30_000);
        String topicArn = cluster.sns("n1").createTopic(CreateTopicRequest.newBuilder().setName("ledger.fifo").putAttributes("FifoTopic", "true")
                .putAttributes("ContentBasedDeduplication", "true").build()).getTopicArn();
        List<String> urls = new ArrayList<>();
        for (String q : List.of("la.fifo", "lb.fifo")) {
            urls.add(cluster.sqs("n1").createQueue(CreateQueueRequest.newBuilder().setQueueName(q).putAttributes("FifoQueue", "true").build()).getQueueUrl());
            cluster.sns("n1").subscribe(SubscribeRequest.newBuilder().setTopicArn(topicArn).setProtocol("sqs").setEndpoint(QUEUE_ARN + q)
                    .putAttributes("RawMessageDelivery", "true").build());
        }
        String leader = cluster.leaderOf(ReplicaGroupId.partition(Integer.parseInt(cluster.clusterStub("n1").lookupTopic(
                LookupTopicRequest.newBuilder().setTopicName("ledger.fifo").build()).getPartitionId()))).orElseThrow();
        List<String> survivors = cluster.allNodes().stream().filter(n -> !n.equals(leader)).toList();

        int groups = 3;
        Map<String, Set<Integer>> acked = new ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicInteger total = new java.util.concurrent.atomic.AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService publishers = Executors.newFixedThreadPool(groups);
        List<Future<?>> futures = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            String group = "g" + g;
            acked.put(group, ConcurrentHashMap.newKeySet());
            String node = survivors.get(g % 2);
            futures.add(publishers.submit(() -> {
                for (int i = 0; running.get(); i++) {
                    try {
                        cluster.sns(node).publish(PublishRequest.newBuilder().setTopicArn(topicArn).setMessage(group + "-" + i)
                                .setMessageGroupId(group).build());
                        acked.get(group).add(i);
                        total.incrementAndGet();
                    } catch (StatusRuntimeException e) {
                        // not acknowledged: it may or may not be published; the next number is published after it either way
                    }
                }
            }));
        }
        TestCluster.await(() -> total.get() >= 90, 30_000, "90 acknowledged publishes before the kill");
        cluster.stop(leader);
        int atKill = total.get();
        TestCluster.await(() -> total.get() >= atKill + 90, 60_000, "90 more acknowledged publishes after the leader died");
        running.set(false);
        for (Future<?> f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
        publishers.shutdown();

        for (String url : urls) {
            Map<String, List<Integer>> received = new HashMap<>();
            TestCluster.await(() -> {
                for (Message m : TopicTesting.drain(cluster, survivors.get(0), url)) {
                    String[] parts = m.getBody().split("-");
                    received.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
                }
                return acked.entrySet().stream().allMatch(e -> received.getOrDefault(e.getKey(), List.of()).containsAll(e.getValue()));
            }, 60_000, url + " to hold every acknowledged message");
            received.forEach((group, numbers) -> {
                for (int i = 1; i < numbers.size(); i++) {
                    assertTrue(numbers.get(i) > numbers.get(i - 1), url + ": group " + group + " out of order or twice at " + numbers.get(i)
                            + " after " + numbers.get(i - 1));
                }
            });
        }
    }

    private int topicPartition(String topicArn) {
        return Integer.parseInt(cluster.clusterStub("n1").lookupTopic(LookupTopicRequest.newBuilder().setTopicName("orders").build()).getPartitionId());
    }

    /** Publishes unique messages until stopped; a message counts once the call succeeded (an error may still have published it). */
    private void publish(String node, String topicArn, Set<String> acked, AtomicBoolean running) {
        while (running.get()) {
            try {
                acked.add(cluster.sns(node).publish(PublishRequest.newBuilder().setTopicArn(topicArn).setMessage("m").build()).getMessageId());
            } catch (StatusRuntimeException e) {
                // no leader for a moment, or the killed node's call: not acknowledged, retried as a new message
            }
        }
    }
}
