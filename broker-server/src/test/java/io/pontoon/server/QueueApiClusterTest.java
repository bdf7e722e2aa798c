package io.pontoon.server;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pontoon.api.v1.*;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The SQS API as a client sees it on a real cluster: batch entries fail alone, AWSTraceHeader round-trips with its
 * MD5, every malformed queue URL gets an AWS code, and a queue deleted and created again elsewhere is found at its
 * new home by every node, without a wrong answer in between.
 */
class QueueApiClusterTest {
    static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = SharedCluster.get();
    }

    private static String create(String name) {
        return cluster.sqs("n1").createQueue(CreateQueueRequest.newBuilder().setQueueName(name).build()).getQueueUrl();
    }

    static ErrorDetail detail(StatusRuntimeException e) throws Exception {
        byte[] bytes = e.getTrailers().get(io.pontoon.server.grpc.GrpcErrors.ERROR_DETAIL_KEY);
        assertNotNull(bytes, () -> "no error detail trailer on " + e.getStatus());
        return ErrorDetail.parseFrom(bytes);
    }

    @Test
    void aSendBatchAnswersItsInvalidEntriesInFailedAndSendsTheRest() {
        String url = create("api-batch");
        SendMessageBatchResponse r = cluster.sqs("n2").sendMessageBatch(SendMessageBatchRequest.newBuilder().setQueueUrl(url)
                .addEntries(SendMessageBatchRequestEntry.newBuilder().setId("ok").setMessageBody("fine"))
                .addEntries(SendMessageBatchRequestEntry.newBuilder().setId("chars").setMessageBody("nul \u0000"))
                .addEntries(SendMessageBatchRequestEntry.newBuilder().setId("delay").setMessageBody("x").setDelaySeconds(901))
                .addEntries(SendMessageBatchRequestEntry.newBuilder().setId("attr").setMessageBody("x").putMessageAttributes("a",
                        MessageAttributeValue.newBuilder().setDataType("Number").setStringValue("not a number").build()))
                .addEntries(SendMessageBatchRequestEntry.newBuilder().setId("system").setMessageBody("x").putMessageSystemAttributes("Nope",
                        MessageAttributeValue.newBuilder().setDataType("String").setStringValue("v").build()))
                .build());
        assertEquals(List.of("ok"), r.getSuccessfulList().stream().map(SendMessageBatchResultEntry::getId).toList());
        assertEquals(Map.of("chars", "InvalidMessageContents", "delay", "InvalidParameterValue", "attr", "InvalidParameterValue",
                "system", "InvalidParameterValue"), failures(r.getFailedList()));
        r.getFailedList().forEach(f -> {
            assertTrue(f.getSenderFault());
            assertFalse(f.getMessage().isEmpty());
        });
        assertEquals("1", cluster.sqs("n3").getQueueAttributes(GetQueueAttributesRequest.newBuilder().setQueueUrl(url)
                .addAttributeNames("ApproximateNumberOfMessages").build()).getAttributesMap().get("ApproximateNumberOfMessages"));
    }

    @Test
    void deleteAndVisibilityBatchesFailOnlyTheirBadEntries() {
        String url = create("api-handles");
        cluster.sqs("n1").sendMessage(SendMessageRequest.newBuilder().setQueueUrl(url).setMessageBody("a").build());
        String handle = cluster.sqs("n1").receiveMessage(ReceiveMessageRequest.newBuilder().setQueueUrl(url).setVisibilityTimeout(60).build())
                .getMessages(0).getReceiptHandle();
        ChangeMessageVisibilityBatchResponse v = cluster.sqs("n2").changeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest.newBuilder()
                .setQueueUrl(url)
                .addEntries(ChangeMessageVisibilityBatchRequestEntry.newBuilder().setId("ok").setReceiptHandle(handle).setVisibilityTimeout(120))
                .addEntries(ChangeMessageVisibilityBatchRequestEntry.newBuilder().setId("range").setReceiptHandle(handle).setVisibilityTimeout(-5))
                .addEntries(ChangeMessageVisibilityBatchRequestEntry.newBuilder().setId("handle").setReceiptHandle("garbage").setVisibilityTimeout(5))
                .build());
        assertEquals(List.of("ok"), v.getSuccessfulList().stream().map(ChangeMessageVisibilityBatchResultEntry::getId).toList());
        assertEquals(Map.of("range", "InvalidParameterValue", "handle", "ReceiptHandleIsInvalid"), failures(v.getFailedList()));
        DeleteMessageBatchResponse d = cluster.sqs("n3").deleteMessageBatch(DeleteMessageBatchRequest.newBuilder().setQueueUrl(url)
                .addEntries(DeleteMessageBatchRequestEntry.newBuilder().setId("bad").setReceiptHandle("garbage"))
                .addEntries(DeleteMessageBatchRequestEntry.newBuilder().setId("ok").setReceiptHandle(handle)).build());
        assertEquals(List.of("ok"), d.getSuccessfulList().stream().map(DeleteMessageBatchResultEntry::getId).toList());
        assertEquals(Map.of("bad", "ReceiptHandleIsInvalid"), failures(d.getFailedList()));
    }

    private static Map<String, String> failures(List<BatchResultErrorEntry> failed) {
        Map<String, String> out = new java.util.HashMap<>();
        failed.forEach(f -> out.put(f.getId(), f.getCode()));
        return out;
    }

    @Test
    void awsTraceHeaderIsStoredReturnedWhenAskedForAndAnsweredWithItsMd5() {
        String url = create("api-trace");
        String trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1";
        SendMessageResponse sent = cluster.sqs("n1").sendMessage(SendMessageRequest.newBuilder().setQueueUrl(url).setMessageBody("traced")
                .putMessageSystemAttributes("AWSTraceHeader", MessageAttributeValue.newBuilder().setDataType("String").setStringValue(trace).build())
                .build());
        // computed apart from Pontoon's code, with the AWS algorithm (length-prefixed name, type, transport 1, value)
        assertEquals("5f48eef650c1d0207456969c85af2fdd", sent.getMd5OfMessageSystemAttributes());
        SendMessageBatchResponse batch = cluster.sqs("n2").sendMessageBatch(SendMessageBatchRequest.newBuilder().setQueueUrl(url)
                .addEntries(SendMessageBatchRequestEntry.newBuilder().setId("t").setMessageBody("traced too").putMessageSystemAttributes(
                        "AWSTraceHeader", MessageAttributeValue.newBuilder().setDataType("String").setStringValue(trace).build()))
                .addEntries(SendMessageBatchRequestEntry.newBuilder().setId("plain").setMessageBody("plain")).build());
        assertEquals("5f48eef650c1d0207456969c85af2fdd", batch.getSuccessfulList().stream().filter(e -> e.getId().equals("t"))
                .findFirst().orElseThrow().getMd5OfMessageSystemAttributes());
        assertEquals("", batch.getSuccessfulList().stream().filter(e -> e.getId().equals("plain")).findFirst().orElseThrow()
                .getMd5OfMessageSystemAttributes());

        List<Message> byName = cluster.sqs("n3").receiveMessage(ReceiveMessageRequest.newBuilder().setQueueUrl(url).setMaxNumberOfMessages(10)
                .setVisibilityTimeout(0).addMessageSystemAttributeNames("AWSTraceHeader").build()).getMessagesList();
        assertEquals(3, byName.size());
        assertEquals(2, byName.stream().filter(m -> trace.equals(m.getAttributesMap().get("AWSTraceHeader"))).count());
        List<Message> all = cluster.sqs("n1").receiveMessage(ReceiveMessageRequest.newBuilder().setQueueUrl(url).setMaxNumberOfMessages(10)
                .setVisibilityTimeout(0).addMessageSystemAttributeNames("All").build()).getMessagesList();
        assertEquals(2, all.stream().filter(m -> trace.equals(m.getAttributesMap().get("AWSTraceHeader"))).count());
        List<Message> none = cluster.sqs("n1").receiveMessage(ReceiveMessageRequest.newBuilder().setQueueUrl(url).setMaxNumberOfMessages(10)
                .setVisibilityTimeout(0).build()).getMessagesList();
        assertTrue(none.stream().noneMatch(m -> m.getAttributesMap().containsKey("AWSTraceHeader")), "only when asked for");
    }

    @Test
    void everyMalformedQueueUrlIsAnsweredWithItsAwsCodeOnEveryQueueAction() throws Exception {
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("", "MissingParameter");
        expected.put("garbage", "InvalidAddress");
        expected.put("pontoon://queue/", "InvalidAddress");
        expected.put("http://x/123/q", "InvalidAddress");
        expected.put("pontoon://other/q", "InvalidAddress");
        expected.put("pontoon://queue/" + "q".repeat(81), "InvalidAddress");
        expected.put("pontoon://queue/bad name!", "InvalidParameterValue");
        SqsGrpc.SqsBlockingStub sqs = cluster.sqs("n2");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String url = e.getKey();
            List<Consumer<String>> actions = List.of(
                    u -> sqs.receiveMessage(ReceiveMessageRequest.newBuilder().setQueueUrl(u).build()),
                    u -> sqs.sendMessage(SendMessageRequest.newBuilder().setQueueUrl(u).setMessageBody("b").build()),
                    u -> sqs.deleteMessage(DeleteMessageRequest.newBuilder().setQueueUrl(u).setReceiptHandle("h").build()),
                    u -> sqs.changeMessageVisibility(ChangeMessageVisibilityRequest.newBuilder().setQueueUrl(u).setReceiptHandle("h").build()),
                    u -> sqs.getQueueAttributes(GetQueueAttributesRequest.newBuilder().setQueueUrl(u).build()),
                    u -> sqs.listQueueTags(ListQueueTagsRequest.newBuilder().setQueueUrl(u).build()),
                    u -> sqs.purgeQueue(PurgeQueueRequest.newBuilder().setQueueUrl(u).build()));
            for (int i = 0; i < actions.size(); i++) {
                int action = i;
                StatusRuntimeException ex = assertThrows(StatusRuntimeException.class, () -> actions.get(action).accept(url),
                        "action " + action + " with url '" + url + "'");
                assertEquals(Status.Code.INVALID_ARGUMENT, ex.getStatus().getCode(), "action " + action + " url '" + url + "'");
                assertEquals(e.getValue(), detail(ex).getAwsCode(), "action " + action + " url '" + url + "'");
            }
        }
    }

    @Test
    void aQueueDeletedAndCreatedAgainOnAnotherPartitionIsFoundThereByEveryNodeWithoutAWrongAnswer() throws Exception {
        String url = create("api-moves");
        int before = partitionOf("api-moves");
        // Every node caches where the queue lives.
        for (String node : cluster.allNodes()) {
            cluster.sqs(node).sendMessage(SendMessageRequest.newBuilder().setQueueUrl(url).setMessageBody("old").build());
        }
        cluster.sqs("n1").deleteQueue(DeleteQueueRequest.newBuilder().setQueueUrl(url).build());
        StatusRuntimeException tooSoon = assertThrows(StatusRuntimeException.class,
                () -> cluster.sqs("n2").createQueue(CreateQueueRequest.newBuilder().setQueueName("api-moves").build()));
        assertEquals("AWS.SimpleQueueService.QueueDeletedRecently", detail(tooSoon).getAwsCode());
        // Fill the old partition until the least-loaded placement picks another one for the new incarnation.
        for (int filler = 0; leastLoaded() == before; filler++) {
            create("api-moves-filler-" + filler); // goes to the least loaded: the old partition
        }
        TestCluster.await(() -> {
            try {
                cluster.sqs("n1").createQueue(CreateQueueRequest.newBuilder().setQueueName("api-moves").build());
                return true;
            } catch (StatusRuntimeException e) {
                return false; // QueueDeletedRecently until the (test-shortened) delay passes
            }
        }, 10_000, "the name to be free again");
        int after = partitionOf("api-moves");
        assertNotEquals(before, after, "created again on another partition");
        for (String node : cluster.allNodes()) {
            SendMessageResponse r = cluster.sqs(node).sendMessage(SendMessageRequest.newBuilder().setQueueUrl(url).setMessageBody("new from " + node).build());
            assertFalse(r.getMessageId().isEmpty(), node + " sent to the new home despite its stale cache");
            assertEquals("0", cluster.sqs(node).getQueueAttributes(GetQueueAttributesRequest.newBuilder().setQueueUrl(url)
                    .addAttributeNames("ApproximateNumberOfMessagesDelayed").build()).getAttributesMap().get("ApproximateNumberOfMessagesDelayed"));
        }
        List<Message> got = cluster.sqs("n2").receiveMessage(ReceiveMessageRequest.newBuilder().setQueueUrl(url).setMaxNumberOfMessages(10).build())
                .getMessagesList();
        assertEquals(3, got.size());
        assertTrue(got.stream().allMatch(m -> m.getBody().startsWith("new from")), "nothing of the old incarnation");
    }

    /**
     * Where the controller places the next queue: the partition with the least load (queues, stream shards and topics
     * placed on it; other test classes share this cluster), the lowest id on ties.
     */
    private static int leastLoaded() {
        int[] loads = new int[SharedCluster.PARTITIONS];
        for (String url : cluster.sqs("n1").listQueues(ListQueuesRequest.getDefaultInstance()).getQueueUrlsList()) {
            loads[partitionOf(url.substring(url.lastIndexOf('/') + 1))]++;
        }
        for (String topicArn : cluster.sns("n1").listTopics(ListTopicsRequest.getDefaultInstance()).getTopicArnsList()) {
            loads[Integer.parseInt(cluster.clusterStub("n1").lookupTopic(LookupTopicRequest.newBuilder()
                    .setTopicName(topicArn.substring(topicArn.lastIndexOf(':') + 1)).build()).getPartitionId())]++;
        }
        for (String stream : cluster.kinesis("n1").listStreams(ListStreamsRequest.getDefaultInstance()).getStreamNamesList()) {
            cluster.clusterStub("n1").lookupStream(LookupStreamRequest.newBuilder().setStreamName(stream).build()).getShardsList()
                    .forEach(sh -> loads[Integer.parseInt(sh.getPartitionId())]++);
        }
        int best = 0;
        for (int p = 1; p < loads.length; p++) {
            best = loads[p] < loads[best] ? p : best;
        }
        return best;
    }

    private static int partitionOf(String queue) {
        return Integer.parseInt(cluster.clusterStub("n1").lookupQueue(LookupQueueRequest.newBuilder().setQueueName(queue).build()).getPartitionId());
    }
}
