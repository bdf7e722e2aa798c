package io.pontoon.server;

import io.pontoon.api.v1.*;
import io.pontoon.core.queue.QueueUrls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Messages of about 1 MiB through every path that moves them between queues, on a real 3-node cluster: a dead-letter
 * move and a redrive must deliver each one once, however few fit in one log entry (forwarded batches are bounded
 * by bytes, not by count), and a message is always findable: in its queue, in flight, or in the other queue.
 */
class LargeMessagesClusterTest {
    private static final int PARTITIONS = 2;
    private static final int BODY = 1_000_000;
    private static final int COUNT = 8;
    @TempDir
    static Path dir;
    static TestCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(dir, 3, PARTITIONS);
        cluster.awaitLeaders(PARTITIONS, 30_000);
    }

    @AfterAll
    static void stop() {
        cluster.close();
        assertTrue(cluster.fatalErrors.isEmpty(), () -> "fatal apply errors: " + cluster.fatalErrors);
    }

    private static String body(int i) {
        return (i + ":" + "m".repeat(BODY)).substring(0, BODY);
    }

    @Test
    void oneMebibyteMessagesAreDeadLetteredAndRedrivenBackEachExactlyOnce() {
        SqsGrpc.SqsBlockingStub sqs = cluster.sqs("n1");
        String dlq = sqs.createQueue(CreateQueueRequest.newBuilder().setQueueName("big-dlq").build()).getQueueUrl();
        String src = sqs.createQueue(CreateQueueRequest.newBuilder().setQueueName("big-src").putAttributes("RedrivePolicy",
                "{\"deadLetterTargetArn\":\"" + QueueUrls.arn("big-dlq") + "\",\"maxReceiveCount\":1}").build()).getQueueUrl();
        for (int i = 0; i < COUNT; i++) {
            sqs.sendMessage(SendMessageRequest.newBuilder().setQueueUrl(src).setMessageBody(body(i)).build());
        }
        Set<String> received = new HashSet<>();
        TestCluster.await(() -> {
            receive(cluster.sqs("n2"), src, 1).forEach(m -> received.add(m.getBody()));
            return received.size() == COUNT;
        }, 60_000, "every message received once from the source");
        // A second receive of each finds it over maxReceiveCount: it leaves for the DLQ through the outbox.
        TestCluster.await(() -> {
            assertTrue(receive(cluster.sqs("n3"), src, 0).isEmpty(), "no message is delivered a second time");
            return count(dlq) == COUNT && count(src) == 0;
        }, 90_000, "all " + COUNT + " messages in the dead-letter queue (dlq has " + count(dlq) + ", source " + count(src) + ")");

        sqs.startMessageMoveTask(StartMessageMoveTaskRequest.newBuilder().setSourceArn(QueueUrls.arn("big-dlq")).build());
        TestCluster.await(() -> count(src) == COUNT && count(dlq) == 0, 90_000,
                "all redriven back (source " + count(src) + ", dlq " + count(dlq) + ")");
        Set<String> back = new HashSet<>();
        TestCluster.await(() -> {
            for (Message m : receive(cluster.sqs("n1"), src, 60)) {
                assertTrue(back.add(m.getBody()), "delivered once");
                assertEquals(BODY, m.getBody().length());
            }
            return back.size() == COUNT;
        }, 60_000, "every redriven message received");
        assertEquals(received, back, "the same messages, bodies intact");
    }

    private static List<Message> receive(SqsGrpc.SqsBlockingStub sqs, String url, int visibilityTimeout) {
        return sqs.receiveMessage(ReceiveMessageRequest.newBuilder().setQueueUrl(url).setMaxNumberOfMessages(10)
                .setVisibilityTimeout(visibilityTimeout).build()).getMessagesList();
    }

    private static long count(String url) {
        Map<String, String> a = cluster.sqs("n1").getQueueAttributes(GetQueueAttributesRequest.newBuilder().setQueueUrl(url)
                .addAttributeNames("ApproximateNumberOfMessages").addAttributeNames("ApproximateNumberOfMessagesNotVisible").build())
                .getAttributesMap();
        return Long.parseLong(a.get("ApproximateNumberOfMessages")) + Long.parseLong(a.get("ApproximateNumberOfMessagesNotVisible"));
    }
}
