package io.pontoon.server;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pontoon.api.v1.*;
import io.pontoon.core.queue.QueueUrls;
import io.pontoon.raft.ReplicaGroupId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * FIFO queues, dead-letter queues and redrive on a real 3-node cluster (Ratis, RocksDB, gRPC on loopback):
 * group order under concurrent consumers, deduplication across a leader kill, a poison message reaching its
 * DLQ exactly once across a leader kill during the move, and a redrive that loses and duplicates nothing.
 * One cluster serves the whole class (each test uses queues of its own); a test that kills a node has it
 * restarted afterwards, and the next test starts once every group has a leader again.
 */
class FifoAndDeadLetterClusterTest {
    private static final int PARTITIONS = 2;
    @TempDir
    static Path dir;
    static TestCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new TestCluster(dir, 3, PARTITIONS, Map.of("tick.interval.ms", "200"));
        cluster.awaitLeaders(PARTITIONS, 30_000);
    }

    @AfterEach
    void makeWhole() throws Exception {
        assertTrue(cluster.fatalErrors.isEmpty(), () -> "fatal apply errors: " + cluster.fatalErrors);
        cluster.restartStopped();
        cluster.awaitLeaders(PARTITIONS, 30_000);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
            assertTrue(cluster.fatalErrors.isEmpty(), () -> "fatal apply errors: " + cluster.fatalErrors);
        }
    }

    @Test
    void concurrentConsumersSeeEachGroupInSendOrder() throws Exception {
        String url = createFifo("orders.fifo", Map.of());
        int groups = 5, perGroup = 30;
        SqsGrpc.SqsBlockingStub sqs = any();
        for (int i = 0; i < perGroup; i++) {
            SendMessageBatchRequest.Builder batch = SendMessageBatchRequest.newBuilder().setQueueUrl(url);
            for (int g = 0; g < groups; g++) {
                batch.addEntries(SendMessageBatchRequestEntry.newBuilder().setId("e" + g).setMessageBody(g + ":" + i)
                        .setMessageGroupId("g" + g).setMessageDeduplicationId(g + "-" + i));
            }
            assertEquals(groups, sqs.sendMessageBatch(batch.build()).getSuccessfulCount());
        }
        Map<String, List<Integer>> seen = consumeOnEveryNode(url, groups * perGroup);
        for (int g = 0; g < groups; g++) {
            List<Integer> order = seen.get("g" + g);
            assertEquals(java.util.stream.IntStream.range(0, perGroup).boxed().toList(), order, "group g" + g + " in send order, once each");
        }
    }

    @Test
    void highThroughputFifoQueueSpreadsGroupsOverPartitionsAndKeepsEachGroupInOrder() throws Exception {
        String url = createFifo("fast.fifo", Map.of("DeduplicationScope", "messageGroup", "FifoThroughputLimit", "perMessageGroupId"));
        int groups = 20, perGroup = 10;
        SqsGrpc.SqsBlockingStub sqs = any();
        for (int i = 0; i < perGroup; i++) {
            for (int first = 0; first < groups; first += 10) {
                SendMessageBatchRequest.Builder batch = SendMessageBatchRequest.newBuilder().setQueueUrl(url);
                for (int g = first; g < first + 10; g++) {
                    batch.addEntries(SendMessageBatchRequestEntry.newBuilder().setId("e" + g).setMessageBody(g + ":" + i)
                            .setMessageGroupId("g" + g).setMessageDeduplicationId("d" + i));
                }
                assertEquals(10, sqs.sendMessageBatch(batch.build()).getSuccessfulCount());
            }
        }
        for (int p = 0; p < PARTITIONS; p++) {
            long stored = localStats(p, "fast.fifo").visible();
            assertTrue(stored > 0, "partition " + p + " holds some of the groups, has " + stored);
        }
        assertEquals(groups * perGroup, approximate(sqs, url), "the counts add up over the partitions");
        SendMessageResponse again = sqs.sendMessage(SendMessageRequest.newBuilder().setQueueUrl(url).setMessageBody("again")
                .setMessageGroupId("g3").setMessageDeduplicationId("d0").build());
        assertFalse(again.getMessageId().isEmpty());
        assertEquals(groups * perGroup, approximate(sqs, url), "a repeated dedup id in its group was not stored again");

        Map<String, List<Integer>> seen = consumeOnEveryNode(url, groups * perGroup);
        for (int g = 0; g < groups; g++) {
            assertEquals(java.util.stream.IntStream.range(0, perGroup).boxed().toList(), seen.get("g" + g), "group g" + g);
        }
        assertEquals(0, approximate(sqs, url), "every message was deleted through its partition's receipt handle");
    }

    private io.pontoon.core.queue.QueueQueryResult.Stats localStats(int partition, String queue) {
        String leader = cluster.leaderOf(ReplicaGroupId.partition(partition)).orElseThrow();
        return (io.pontoon.core.queue.QueueQueryResult.Stats) io.pontoon.core.partition.PartitionCodec.decodeQueryResult(cluster.node(leader).raft()
                .localRead(ReplicaGroupId.partition(partition), io.pontoon.core.partition.PartitionCodec.encodeQuery(
                        new io.pontoon.core.queue.QueueQuery.QueueStats(queue))));
    }

    /** One consumer per node until {@code total} messages were consumed; returns each group's bodies in consumption order. */
    private Map<String, List<Integer>> consumeOnEveryNode(String url, int total) throws Exception {
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        ExecutorService consumers = Executors.newFixedThreadPool(3);
        List<Future<?>> running = new ArrayList<>();
        for (String node : cluster.allNodes()) {
            running.add(consumers.submit(() -> consume(url, node, seen, total)));
        }
        for (Future<?> f : running) {
            f.get(120, TimeUnit.SECONDS);
        }
        consumers.shutdown();
        return seen;
    }

    /** Receives, records and deletes until {@code total} messages were recorded by all consumers together. */
    private void consume(String url, String node, Map<String, List<Integer>> seen, int total) {
        SqsGrpc.SqsBlockingStub sqs = cluster.sqs(node);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (seen.values().stream().mapToInt(List::size).sum() < total && System.nanoTime() < deadline) {
            ReceiveMessageResponse r = sqs.receiveMessage(ReceiveMessageRequest.newBuilder().setQueueUrl(url)
                    .setMaxNumberOfMessages(3).setWaitTimeSeconds(1).addMessageSystemAttributeNames("MessageGroupId").build());
            for (Message m : r.getMessagesList()) {
                String[] parts = m.getBody().split(":");
                // Recorded before the delete: the group stays locked until the delete, so no other consumer can
                // record a later message of this group in between.
                seen.computeIfAbsent(m.getAttributesOrThrow("MessageGroupId"), k -> new CopyOnWriteArrayList<>()).add(Integer.parseInt(parts[1]));
                sqs.deleteMessage(DeleteMessageRequest.newBuilder().setQueueUrl(url).setReceiptHandle(m.getReceiptHandle()).build());
            }
        }
    }

    @Test
    void retriedSendAfterLeaderKillIsDeduplicated() throws Exception {
        String url = createFifo("payments.fifo", Map.of());
        SendMessageRequest send = SendMessageRequest.newBuilder().setQueueUrl(url).setMessageBody("pay 10")
                .setMessageGroupId("acct-1").setMessageDeduplicationId("tx-42").build();
        String leader = leaderOfQueue("payments.fifo");
        String survivor = other(leader);
        SendMessageResponse first = cluster.sqs(survivor).sendMessage(send);
        cluster.stop(leader);
        SendMessageResponse retry = retrying(() -> cluster.sqs(survivor).sendMessage(send));
        assertEquals(first.getMessageId(), retry.getMessageId(), "the retry returns the original MessageId");
        assertEquals(first.getSequenceNumber(), retry.getSequenceNumber());
        ReceiveMessageResponse r = retrying(() -> cluster.sqs(survivor).receiveMessage(ReceiveMessageRequest.newBuilder()
                .setQueueUrl(url).setMaxNumberOfMessages(10).setWaitTimeSeconds(1).build()));
        assertEquals(1, r.getMessagesCount(), "one message, not two");
    }

    @Test
    void poisonMessageReachesItsDeadLetterQueueOnceAcrossALeaderKill() throws Exception {
        String dlqUrl = createStandard("poison-dlq", Map.of());
        String srcUrl = createStandard("work", Map.of("VisibilityTimeout", "0",
                "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + QueueUrls.arn("poison-dlq") + "\",\"maxReceiveCount\":\"2\"}"));
        SqsGrpc.SqsBlockingStub sqs = any();
        SendMessageResponse sent = sqs.sendMessage(SendMessageRequest.newBuilder().setQueueUrl(srcUrl).setMessageBody("poison").build());
        for (int i = 0; i < 2; i++) {
            assertEquals(1, receive(sqs, srcUrl, 1).getMessagesCount(), "received " + (i + 1) + " of maxReceiveCount times");
        }
        String leader = leaderOfQueue("work");
        String survivor = other(leader);
        // The third receive moves it to the outbox; the leader dies before (or while) the forwarder delivers it.
        assertEquals(0, receive(cluster.sqs(leader), srcUrl, 0).getMessagesCount());
        cluster.stop(leader);

        SqsGrpc.SqsBlockingStub s = cluster.sqs(survivor);
        ReceiveMessageResponse inDlq = retrying(() -> s.receiveMessage(ReceiveMessageRequest.newBuilder().setQueueUrl(dlqUrl)
                .setMaxNumberOfMessages(10).setWaitTimeSeconds(20).addMessageSystemAttributeNames("All").build()));
        assertEquals(1, inDlq.getMessagesCount());
        Message m = inDlq.getMessages(0);
        assertEquals(sent.getMessageId(), m.getMessageId(), "the same MessageId");
        assertEquals("arn:aws:sqs:us-east-1:000000000000:work", m.getAttributesOrThrow("DeadLetterQueueSourceArn"), "in the default region and account");
        assertEquals("3", m.getAttributesOrThrow("ApproximateReceiveCount"), "two receives at the source, this one in the DLQ");
        s.deleteMessage(DeleteMessageRequest.newBuilder().setQueueUrl(dlqUrl).setReceiptHandle(m.getReceiptHandle()).build());
        // Once more with a long poll: a duplicate move would show up here, the source must be empty too.
        assertEquals(0, retrying(() -> receive(s, dlqUrl, 3)).getMessagesCount(), "no duplicate in the DLQ");
        assertEquals(0, retrying(() -> receive(s, srcUrl, 1)).getMessagesCount(), "nothing left at the source");
        assertEquals(List.of(srcUrl), s.listDeadLetterSourceQueues(ListDeadLetterSourceQueuesRequest.newBuilder().setQueueUrl(dlqUrl).build())
                .getQueueUrlsList());
    }

    @Test
    void redriveMovesEverythingBackWithoutLossOrDuplicate() throws Exception {
        int n = 30;
        String dlqUrl = createStandard("redrive-dlq", Map.of());
        String srcUrl = deadLetterAll("jobs", "redrive-dlq", n);
        SqsGrpc.SqsBlockingStub sqs = any();

        String handle = sqs.startMessageMoveTask(StartMessageMoveTaskRequest.newBuilder().setSourceArn(QueueUrls.arn("redrive-dlq"))
                .setMaxNumberOfMessagesPerSecond(100).build()).getTaskHandle();
        assertFalse(handle.isEmpty());
        TestCluster.await(() -> "COMPLETED".equals(sqs.listMessageMoveTasks(ListMessageMoveTasksRequest.newBuilder()
                .setSourceArn(QueueUrls.arn("redrive-dlq")).build()).getResults(0).getStatus()), 30_000, "the move task to complete");
        ListMessageMoveTasksResultEntry task = sqs.listMessageMoveTasks(ListMessageMoveTasksRequest.newBuilder()
                .setSourceArn(QueueUrls.arn("redrive-dlq")).build()).getResults(0);
        assertEquals(n, task.getApproximateNumberOfMessagesMoved());
        assertEquals(100, task.getMaxNumberOfMessagesPerSecond(), "the rate given is listed");

        assertEachBackOnce(sqs, srcUrl, n);
        assertEquals(0, approximate(sqs, dlqUrl), "the DLQ is empty");

        // without a rate, the task lists none (SQS: "this field value will be NULL")
        deadLetterAll("redrive-src-2", "redrive-dlq", 1);
        sqs.startMessageMoveTask(StartMessageMoveTaskRequest.newBuilder().setSourceArn(QueueUrls.arn("redrive-dlq")).build());
        assertFalse(sqs.listMessageMoveTasks(ListMessageMoveTasksRequest.newBuilder().setSourceArn(QueueUrls.arn("redrive-dlq")).build())
                .getResults(0).hasMaxNumberOfMessagesPerSecond());
    }

    @Test
    void aMoveTaskContinuesAfterItsLeaderIsKilled() throws Exception {
        int n = 20;
        createStandard("slow-dlq", Map.of());
        String srcUrl = deadLetterAll("slow-src", "slow-dlq", n);
        SqsGrpc.SqsBlockingStub sqs = any();
        ListMessageMoveTasksRequest list = ListMessageMoveTasksRequest.newBuilder().setSourceArn(QueueUrls.arn("slow-dlq")).build();
        sqs.startMessageMoveTask(StartMessageMoveTaskRequest.newBuilder().setSourceArn(QueueUrls.arn("slow-dlq"))
                .setMaxNumberOfMessagesPerSecond(4).build());
        TestCluster.await(() -> sqs.listMessageMoveTasks(list).getResults(0).getApproximateNumberOfMessagesMoved() >= 4, 30_000,
                "the task to have moved some messages");

        String leader = leaderOfQueue("slow-dlq");
        String survivor = other(leader);
        cluster.stop(leader);
        SqsGrpc.SqsBlockingStub s = cluster.sqs(survivor);
        TestCluster.await(() -> {
            try {
                return "COMPLETED".equals(s.listMessageMoveTasks(list).getResults(0).getStatus());
            } catch (StatusRuntimeException e) {
                return false; // no leader yet
            }
        }, 60_000, "the new leader to finish the task");
        assertEquals(n, s.listMessageMoveTasks(list).getResults(0).getApproximateNumberOfMessagesMoved());
        assertEachBackOnce(s, srcUrl, n);
    }

    /**
     * Creates {@code source} (visibility 0, maxReceiveCount 1 into {@code dlq}), sends it {@code n} messages and
     * receives until all of them were dead-lettered; returns the source's URL.
     */
    private String deadLetterAll(String source, String dlq, int n) {
        String srcUrl = createStandard(source, Map.of("VisibilityTimeout", "0",
                "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + QueueUrls.arn(dlq) + "\",\"maxReceiveCount\":1}"));
        SqsGrpc.SqsBlockingStub sqs = any();
        for (int i = 0; i < n; i++) {
            sqs.sendMessage(SendMessageRequest.newBuilder().setQueueUrl(srcUrl).setMessageBody(source + "-" + i).build());
        }
        // Each message is received once (maxReceiveCount), then the next receives dead-letter them all.
        TestCluster.await(() -> {
            receive(sqs, srcUrl, 0);
            return approximate(sqs, QueueUrls.of(dlq)) == n;
        }, 30_000, "all messages in the DLQ");
        return srcUrl;
    }

    /** Receives and deletes until {@code n} distinct bodies came back to {@code url}, each exactly once. */
    private void assertEachBackOnce(SqsGrpc.SqsBlockingStub sqs, String url, int n) {
        Map<String, Integer> bodies = new HashMap<>();
        TestCluster.await(() -> {
            for (Message m : retrying(() -> receive(sqs, url, 1)).getMessagesList()) {
                bodies.merge(m.getBody(), 1, Integer::sum);
                sqs.deleteMessage(DeleteMessageRequest.newBuilder().setQueueUrl(url).setReceiptHandle(m.getReceiptHandle()).build());
            }
            return bodies.size() == n;
        }, 30_000, "every moved message back at " + url);
        assertTrue(bodies.values().stream().allMatch(c -> c == 1), () -> "duplicates: " + bodies);
    }

    private ReceiveMessageResponse receive(SqsGrpc.SqsBlockingStub sqs, String url, int waitSeconds) {
        return sqs.receiveMessage(ReceiveMessageRequest.newBuilder().setQueueUrl(url).setMaxNumberOfMessages(10)
                .setWaitTimeSeconds(waitSeconds).build());
    }

    private long approximate(SqsGrpc.SqsBlockingStub sqs, String url) {
        return Long.parseLong(sqs.getQueueAttributes(GetQueueAttributesRequest.newBuilder().setQueueUrl(url)
                .addAttributeNames("ApproximateNumberOfMessages").build()).getAttributesOrThrow("ApproximateNumberOfMessages"));
    }

    private String createFifo(String name, Map<String, String> attributes) {
        Map<String, String> all = new HashMap<>(attributes);
        all.put("FifoQueue", "true");
        return createStandard(name, all);
    }

    private String createStandard(String name, Map<String, String> attributes) {
        return any().createQueue(CreateQueueRequest.newBuilder().setQueueName(name).putAllAttributes(attributes).build()).getQueueUrl();
    }

    private SqsGrpc.SqsBlockingStub any() {
        return cluster.sqs(cluster.runningNodes().get(0));
    }

    private String leaderOfQueue(String queue) {
        for (int p = 0; p < PARTITIONS; p++) {
            String leader = cluster.leaderOf(ReplicaGroupId.partition(p)).orElseThrow();
            io.pontoon.core.partition.QueryResult r = io.pontoon.core.partition.PartitionCodec.decodeQueryResult(cluster.node(leader).raft()
                    .localRead(ReplicaGroupId.partition(p), io.pontoon.core.partition.PartitionCodec.encodeQuery(
                            new io.pontoon.core.queue.QueueQuery.GetQueueUrl(queue))));
            if (r instanceof io.pontoon.core.queue.QueueQueryResult.QueueUrl) {
                return leader;
            }
        }
        throw new AssertionError("no partition holds " + queue);
    }

    private String other(String node) {
        return cluster.runningNodes().stream().filter(n -> !n.equals(node)).findFirst().orElseThrow();
    }

    /**
     * Retries while the cluster has no leader for the call (after a kill), up to 60 s. An election takes about a
     * second here, but CI twice saw this class's first kill (in a cold JVM) leave the call unavailable for over
     * 30 s, cause not yet known: if it gives up, the error says what each node saw of each group then.
     */
    private static <T> T retrying(Supplier<T> call) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return call.get();
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                boolean transient_ = code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
                if (!transient_) {
                    throw e;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("still unavailable after 60 s; the groups then:" + cluster.describeGroups(), e);
                }
            }
        }
    }
}
