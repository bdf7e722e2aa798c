package io.pontoon.server;

import io.pontoon.api.v1.*;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.pontoon.server.TopicTesting.QUEUE_ARN;
import static org.junit.jupiter.api.Assertions.*;

/** FIFO topics on a real 3-node cluster: order per message group holds into every subscribed FIFO queue. */
class FifoTopicClusterTest {
    static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = SharedCluster.get();
    }

    @Test
    void theOrderOfEachGroupHoldsIntoEverySubscribedFifoQueue() throws Exception {
        String topic = cluster.sns("n1").createTopic(CreateTopicRequest.newBuilder().setName("ft-orders.fifo").putAttributes("FifoTopic", "true")
                .putAttributes("ContentBasedDeduplication", "true").build()).getTopicArn();
        List<String> urls = new ArrayList<>();
        for (String q : List.of("ft-a.fifo", "ft-b.fifo")) {
            urls.add(cluster.sqs("n1").createQueue(CreateQueueRequest.newBuilder().setQueueName(q).putAttributes("FifoQueue", "true").build()).getQueueUrl());
            cluster.sns("n2").subscribe(SubscribeRequest.newBuilder().setTopicArn(topic).setProtocol("sqs").setEndpoint(QUEUE_ARN + q)
                    .putAttributes("RawMessageDelivery", "true").build());
        }
        int groups = 3, perGroup = 30;
        ExecutorService publishers = Executors.newFixedThreadPool(groups);
        List<Future<?>> done = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            int group = g;
            done.add(publishers.submit(() -> {
                for (int i = 0; i < perGroup; i++) {
                    PublishResponse r = cluster.sns("n" + (1 + (group + i) % 3)).publish(PublishRequest.newBuilder().setTopicArn(topic)
                            .setMessage("g" + group + "-" + i).setMessageGroupId("g" + group).build());
                    assertFalse(r.getSequenceNumber().isEmpty(), "a FIFO publish answers its sequence number");
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        publishers.shutdown();
        PublishResponse dup = cluster.sns("n3").publish(PublishRequest.newBuilder().setTopicArn(topic).setMessage("g0-0").setMessageGroupId("g0").build());
        assertFalse(dup.getMessageId().isEmpty(), "a duplicate by content answers the first publish's id and delivers nothing");

        for (String url : urls) {
            Map<String, List<Integer>> byGroup = new HashMap<>();
            TestCluster.await(() -> {
                for (Message m : TopicTesting.drain(cluster, "n1", url)) {
                    String[] parts = m.getBody().split("-");
                    byGroup.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
                }
                return byGroup.values().stream().mapToInt(List::size).sum() >= groups * perGroup;
            }, 30_000, url + " to receive every message");
            for (int g = 0; g < groups; g++) {
                List<Integer> expected = java.util.stream.IntStream.range(0, perGroup).boxed().toList();
                assertEquals(expected, byGroup.get("g" + g), url + ": group g" + g + " in publish order, each once");
            }
        }
    }

    /** SNS shows a FIFO topic's FifoTopic and ContentBasedDeduplication attributes, the latter false unless it was set. */
    @Test
    void aFifoTopicShowsContentBasedDeduplicationFalseUnlessSet() {
        String topic = cluster.sns("n1").createTopic(CreateTopicRequest.newBuilder().setName("ft-plain.fifo").putAttributes("FifoTopic", "true")
                .build()).getTopicArn();
        Map<String, String> a = cluster.sns("n2").getTopicAttributes(GetTopicAttributesRequest.newBuilder().setTopicArn(topic).build())
                .getAttributesMap();
        assertEquals("true", a.get("FifoTopic"));
        assertEquals("false", a.get("ContentBasedDeduplication"));
        cluster.sns("n1").setTopicAttributes(SetTopicAttributesRequest.newBuilder().setTopicArn(topic).setAttributeName("ContentBasedDeduplication")
                .setAttributeValue("true").build());
        assertEquals("true", cluster.sns("n3").getTopicAttributes(GetTopicAttributesRequest.newBuilder().setTopicArn(topic).build())
                .getAttributesMap().get("ContentBasedDeduplication"));
        String standard = cluster.sns("n1").createTopic(CreateTopicRequest.newBuilder().setName("ft-standard").build()).getTopicArn();
        assertFalse(cluster.sns("n1").getTopicAttributes(GetTopicAttributesRequest.newBuilder().setTopicArn(standard).build())
                .getAttributesMap().containsKey("ContentBasedDeduplication"), "a standard topic has no ContentBasedDeduplication");
    }
}
