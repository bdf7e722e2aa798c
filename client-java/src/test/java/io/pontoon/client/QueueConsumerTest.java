package io.pontoon.client;

import io.pontoon.server.TestCluster;

import io.pontoon.api.v1.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class QueueConsumerTest {
    FakeCluster cluster;
    PontoonClient client;
    String url;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new FakeCluster(1);
        client = cluster.clientBuilder().build();
        url = client.createQueue("work");
    }

    @AfterEach
    void tearDown() {
        client.close();
        cluster.close();
    }


    @Test
    void handlesAndDeletesMessages() throws Exception {
        for (int i = 0; i < 25; i++) client.sendMessage(url, "m" + i);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        QueueConsumer c = QueueConsumer.builder(client, url, m -> seen.add(m.getBody())).threads(2).waitTimeSeconds(1).build().start();
        TestCluster.await(() -> cluster.deletedHandles.size() == 25, 10_000, "all 25 messages deleted");
        assertTrue(c.stop(5_000));
        assertEquals(25, seen.size());
        assertEquals(25, c.handledCount());
        assertTrue(cluster.queues.get("work").inFlight.isEmpty());
    }

    @Test
    void failedMessagesAreNackedWhenConfigured() throws Exception {
        client.sendMessage(url, "poison");
        CountDownLatch attempts = new CountDownLatch(3);
        QueueConsumer c = QueueConsumer.builder(client, url, m -> {
            attempts.countDown();
            throw new RuntimeException("boom");
        }).nackOnFailure(true).waitTimeSeconds(1).build().start();
        assertTrue(attempts.await(10, TimeUnit.SECONDS), "redelivered immediately after nack");
        assertTrue(c.stop(5_000));
        assertTrue(cluster.visibilityChanges.stream().anyMatch(e -> e.getVisibilityTimeout() == 0));
        assertTrue(cluster.deletedHandles.isEmpty());
    }

    @Test
    void failedMessagesAreLeftInFlightByDefault() throws Exception {
        client.sendMessage(url, "poison");
        CountDownLatch attempted = new CountDownLatch(1);
        QueueConsumer c = QueueConsumer.builder(client, url, m -> {
            attempted.countDown();
            throw new IllegalStateException("boom");
        }).waitTimeSeconds(1).build().start();
        assertTrue(attempted.await(10, TimeUnit.SECONDS));
        assertTrue(c.stop(5_000));
        assertEquals(1, c.failedCount());
        assertEquals(1, cluster.queues.get("work").inFlight.size());
        assertTrue(cluster.visibilityChanges.isEmpty());
    }

    @Test
    void extendsVisibilityOfLongHandlers() throws Exception {
        client.sendMessage(url, "slow");
        CountDownLatch release = new CountDownLatch(1);
        QueueConsumer c = QueueConsumer.builder(client, url, m -> release.await(20, TimeUnit.SECONDS))
                .visibilityTimeoutSeconds(1).waitTimeSeconds(1).build().start();
        TestCluster.await(() -> cluster.visibilityChanges.size() >= 2, 10_000, "two visibility extensions");
        assertTrue(cluster.visibilityChanges.stream().allMatch(e -> e.getVisibilityTimeout() == 1));
        release.countDown();
        TestCluster.await(() -> cluster.deletedHandles.size() == 1, 10_000, "the message deleted");
        assertTrue(c.stop(5_000));
    }

    @Test
    void stopInterruptsLongPollAndWaitsForHandlers() throws Exception {
        QueueConsumer idle = QueueConsumer.builder(client, url, m -> { }).threads(3).waitTimeSeconds(20).build().start();
        TestCluster.await(() -> cluster.nodes.stream().mapToInt(n -> n.calls("ReceiveMessage")).sum() >= 3, 5_000,
                "the three long polls to be waiting");
        long start = System.nanoTime();
        assertTrue(idle.stop(5_000));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "long polls are cancelled on stop");
        // The cancellation reaches the server asynchronously; a message sent before it arrives would go, as in SQS, to
        // a poll nobody reads any more and stay invisible for the visibility timeout.
        TestCluster.await(() -> cluster.openLongPolls.get() == 0, 5_000, "the server to see the cancelled polls");

        client.sendMessage(url, "inflight");
        CountDownLatch started = new CountDownLatch(1);
        QueueConsumer busy = QueueConsumer.builder(client, url, (Message m) -> {
            started.countDown();
            Thread.sleep(300);
        }).waitTimeSeconds(1).build().start();
        assertTrue(started.await(5, TimeUnit.SECONDS));
        assertTrue(busy.stop(5_000), "handler finished within the deadline");
        assertEquals(1, busy.handledCount());
        TestCluster.await(() -> cluster.deletedHandles.size() == 1, 5_000, "the in-flight message deleted");
    }

    @Test
    void builderValidates() {
        assertThrows(IllegalArgumentException.class, () -> QueueConsumer.builder(client, url, m -> { }).maxMessages(11).build());
        assertThrows(IllegalArgumentException.class, () -> QueueConsumer.builder(client, url, m -> { }).waitTimeSeconds(21).build());
        assertThrows(IllegalArgumentException.class, () -> QueueConsumer.builder(client, url, m -> { }).threads(0).build());
        assertThrows(IllegalArgumentException.class, () -> QueueConsumer.builder(client, "bad", m -> { }).build());
    }
}
