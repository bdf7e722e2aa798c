package io.pontoon.server;

import io.grpc.StatusRuntimeException;
import io.pontoon.api.v1.*;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** SQS standard-queue behaviour end to end on a real 3-node cluster (Ratis + RocksDB + gRPC on loopback). */
class StandardQueueClusterTest {
    private static final int PARTITIONS = SharedCluster.PARTITIONS;
    static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = SharedCluster.get();
    }

    @AfterAll
    static void noFatalErrors() {
        assertTrue(cluster.fatalErrors.isEmpty(), () -> "fatal apply errors: " + cluster.fatalErrors);
    }

    @Test
    void sendReceiveDeleteRoundTripThroughAnyNode() {
        String url = cluster.sqs("n1").createQueue(CreateQueueRequest.newBuilder().setQueueName("round-trip").build()).getQueueUrl();
        SendMessageResponse sent = cluster.sqs("n2").sendMessage(SendMessageRequest.newBuilder()
                .setQueueUrl(url).setMessageBody("hello").build());
        assertEquals("5d41402abc4b2a76b9719d911017c592", sent.getMd5OfMessageBody());

        ReceiveMessageResponse received = cluster.sqs("n3").receiveMessage(ReceiveMessageRequest.newBuilder()
                .setQueueUrl(url).setMaxNumberOfMessages(10).addMessageSystemAttributeNames("All").build());
        assertEquals(1, received.getMessagesCount());
        Message m = received.getMessages(0);
        assertEquals("hello", m.getBody());
        assertEquals(sent.getMessageId(), m.getMessageId());
        assertEquals("1", m.getAttributesMap().get("ApproximateReceiveCount"));

        cluster.sqs("n1").deleteMessage(DeleteMessageRequest.newBuilder().setQueueUrl(url).setReceiptHandle(m.getReceiptHandle()).build());
        var attrs = cluster.sqs("n2").getQueueAttributes(GetQueueAttributesRequest.newBuilder().setQueueUrl(url)
                .addAttributeNames("All").build()).getAttributesMap();
        assertEquals("0", attrs.get("ApproximateNumberOfMessages"));
        assertEquals("0", attrs.get("ApproximateNumberOfMessagesNotVisible"));
    }

    @Test
    void longPollReturnsAsSoonAsAMessageIsSent() throws Exception {
        String url = cluster.sqs("n1").createQueue(CreateQueueRequest.newBuilder().setQueueName("long-poll").build()).getQueueUrl();
        long start = System.nanoTime();
        CompletableFuture<ReceiveMessageResponse> poll = CompletableFuture.supplyAsync(() -> cluster.sqs("n2")
                .receiveMessage(ReceiveMessageRequest.newBuilder().setQueueUrl(url).setWaitTimeSeconds(20).build()));
        TestCluster.await(() -> cluster.node("n2").parkedLongPolls() > 0, 10_000, "the empty long poll to park");
        assertFalse(poll.isDone(), "an empty long poll must wait");
        cluster.sqs("n3").sendMessage(SendMessageRequest.newBuilder().setQueueUrl(url).setMessageBody("wake").build());
        ReceiveMessageResponse r = poll.get(10, TimeUnit.SECONDS);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals("wake", r.getMessages(0).getBody());
        assertTrue(elapsedMs < 5_000, "long poll returned after " + elapsedMs + " ms, not as soon as the message arrived");
    }

    @Test
    void partitionLeadersAreSpreadAcrossTheNodes() {
        TestCluster.await(() -> java.util.stream.IntStream.range(0, PARTITIONS)
                        .mapToObj(p -> cluster.leaderOf(io.pontoon.raft.ReplicaGroupId.partition(p)).orElse("?"))
                        .filter(n -> !n.equals("?")).distinct().count() == 3,
                30_000, "each of the 3 nodes to lead one of the 3 partitions", cluster::describeGroups);
    }

    @Test
    void metricsExposeGroupRolesIndexesAndRequestLatencies() {
        cluster.sqs("n1").listQueues(ListQueuesRequest.getDefaultInstance());
        String url = cluster.sqs("n1").createQueue(CreateQueueRequest.newBuilder().setQueueName("metered").build()).getQueueUrl();
        cluster.sqs("n1").sendMessage(SendMessageRequest.newBuilder().setQueueUrl(url).setMessageBody("m").build());
        String scrape = cluster.node("n1").scrapeMetrics();
        for (String meter : new String[] {"pontoon_group_role{group=\"partition-0\"", "pontoon_group_commit_index",
                "pontoon_group_applied_index", "pontoon_requests_seconds", "jvm_memory_used_bytes",
                "pontoon_queue_request_seconds_count{action=\"SendMessage\",queue=\"metered\"}", "pontoon_long_polls_parked"}) {
            assertTrue(scrape.contains(meter), () -> "missing " + meter + " in\n" + scrape);
        }
    }

    @Test
    void metricsShowWhereAWritesTimeWentStageByStage() {
        String url = cluster.sqs("n1").createQueue(CreateQueueRequest.newBuilder().setQueueName("staged").build()).getQueueUrl();
        String[] stages = {"pontoon_commit_queue_wait_seconds_count", "pontoon_commit_replicate_seconds_count",
                "pontoon_commit_entry_commands_count", "pontoon_apply_seconds_count"};
        java.util.Map<String, Double> before = new java.util.HashMap<>();
        for (String stage : stages) {
            before.put(stage, sum(cluster.node("n1").scrapeMetrics(), stage));
        }
        cluster.sqs("n1").sendMessage(SendMessageRequest.newBuilder().setQueueUrl(url).setMessageBody("m").build());
        for (String stage : stages) {
            // n1 took the request (queue wait, replicate); its own replica may apply the entry a moment after the
            // leader answered, so apply is waited for
            TestCluster.await(() -> sum(cluster.node("n1").scrapeMetrics(), stage) > before.get(stage), 10_000,
                    stage + " to count the send on n1");
        }
    }

    /** The sum of a meter's samples over its tags (every partition) in a Prometheus scrape. */
    private static double sum(String scrape, String meter) {
        return scrape.lines().filter(l -> l.startsWith(meter + "{")).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void everyNodeIsReadyOnceEveryGroupHasALeader() {
        TestCluster.await(() -> cluster.allNodes().stream().allMatch(n -> cluster.node(n).ready()), 30_000, "all nodes ready");
    }

    @Test
    void tagsSetAtCreationAndChangedLaterAreReplicatedToEveryNode() {
        String url = cluster.sqs("n1").createQueue(CreateQueueRequest.newBuilder().setQueueName("tags").putTags("team", "a").build()).getQueueUrl();
        cluster.sqs("n2").tagQueue(TagQueueRequest.newBuilder().setQueueUrl(url).putTags("env", "prod").putTags("team", "b").build());
        cluster.sqs("n3").untagQueue(UntagQueueRequest.newBuilder().setQueueUrl(url).addTagKeys("env").addTagKeys("absent").build());
        for (String node : cluster.allNodes()) {
            assertEquals(java.util.Map.of("team", "b"),
                    cluster.sqs(node).listQueueTags(ListQueueTagsRequest.newBuilder().setQueueUrl(url).build()).getTagsMap(), node);
        }
    }

    @Test
    void unknownQueueIsNonExistentQueueWithAwsCode() throws Exception {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> cluster.sqs("n1").sendMessage(
                SendMessageRequest.newBuilder().setQueueUrl("pontoon://queue/nope").setMessageBody("x").build()));
        assertEquals(io.grpc.Status.Code.NOT_FOUND, e.getStatus().getCode());
        ErrorDetail detail = ErrorDetail.parseFrom(e.getTrailers().get(io.pontoon.server.grpc.GrpcErrors.ERROR_DETAIL_KEY));
        assertEquals("AWS.SimpleQueueService.NonExistentQueue", detail.getAwsCode());
    }

    @Test
    void invalidBatchIsRejectedBeforeReplicationAndChangesNothing() {
        String url = cluster.sqs("n1").createQueue(CreateQueueRequest.newBuilder().setQueueName("bad-input").build()).getQueueUrl();
        SendMessageBatchRequest.Builder batch = SendMessageBatchRequest.newBuilder().setQueueUrl(url);
        for (int i = 0; i < 11; i++) {
            batch.addEntries(SendMessageBatchRequestEntry.newBuilder().setId("e" + i).setMessageBody("b"));
        }
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> cluster.sqs("n2").sendMessageBatch(batch.build()));
        assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("TooManyEntriesInBatchRequest"), e.getStatus().getDescription());
        var attrs = cluster.sqs("n3").getQueueAttributes(GetQueueAttributesRequest.newBuilder().setQueueUrl(url)
                .addAttributeNames("ApproximateNumberOfMessages").build()).getAttributesMap();
        assertEquals("0", attrs.get("ApproximateNumberOfMessages"));
    }
}
