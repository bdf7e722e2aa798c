package io.pontoon.client.cluster;

import io.pontoon.client.BatchingProducer;
import io.pontoon.client.PontoonClient;
import io.pontoon.client.PontoonException;
import io.pontoon.client.QueueConsumer;
import io.pontoon.raft.ReplicaGroupId;
import io.pontoon.server.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The Java client against a real 3-node cluster: batching producer, consumer helper, leader failover. */
class ClientOnRealClusterTest {
    private static final int PARTITIONS = 1;
    private static final int MESSAGES = 500;

    @TempDir
    Path dir;

    @Test
    void producerAndConsumerMoveEveryMessageAcrossALeaderFailover() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3, PARTITIONS);
             PontoonClient client = PontoonClient.builder()
                     .bootstrap(cluster.allNodes().stream().map(cluster::clientAddress).toList())
                     .build()) {
            cluster.awaitLeaders(PARTITIONS, 30_000);
            String url = client.createQueue("client-e2e");

            Set<String> acked = ConcurrentHashMap.newKeySet();
            try (BatchingProducer producer = BatchingProducer.builder(client).lingerMs(2).build()) {
                sendAll(producer, url, 0, MESSAGES / 2, acked);
                // The leader of the queue's partition dies; the client must find the new one.
                cluster.stop(cluster.leaderOf(ReplicaGroupId.partition(0)).orElseThrow());
                sendAll(producer, url, MESSAGES / 2, MESSAGES, acked);
            }
            assertEquals(MESSAGES, acked.size());

            Set<String> consumed = ConcurrentHashMap.newKeySet();
            QueueConsumer consumer = QueueConsumer.builder(client, url, m -> consumed.add(m.getBody()))
                    .threads(2).waitTimeSeconds(1).build().start();
            TestCluster.await(() -> consumed.containsAll(acked), 60_000, "the consumer to receive every acknowledged message");
            assertTrue(consumer.stop(10_000), "consumer stops gracefully");
            TestCluster.await(() -> "0".equals(client.getQueueAttributes(url, "ApproximateNumberOfMessages")
                    .get("ApproximateNumberOfMessages")), 30_000, "deleted messages to leave the queue");
        }
    }

    @Test
    void unknownQueueSurfacesTheAwsCode() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 1, 1);
             PontoonClient client = PontoonClient.builder().bootstrap(cluster.clientAddress("n1")).build()) {
            cluster.awaitLeaders(1, 30_000);
            PontoonException e = assertThrows(PontoonException.class, () -> client.sendMessage("pontoon://queue/missing", "x"));
            assertEquals("AWS.SimpleQueueService.NonExistentQueue", e.awsCode());
            assertFalse(e.isRetryable());
        }
    }

    /** Sends bodies {@code from..to}, retrying any that were not acknowledged (at-least-once). */
    private static void sendAll(BatchingProducer producer, String url, int from, int to, Set<String> acked) throws Exception {
        List<String> pending = new ArrayList<>();
        for (int i = from; i < to; i++) {
            pending.add("msg-" + i);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            List<CompletableFuture<?>> futures = new ArrayList<>();
            List<String> failed = new ArrayList<>();
            for (String body : pending) {
                futures.add(producer.send(url, body).handle((r, e) -> {
                    if (e == null) {
                        acked.add(body);
                    } else {
                        synchronized (failed) {
                            failed.add(body);
                        }
                    }
                    return null;
                }));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            pending = failed;
        }
        assertTrue(pending.isEmpty(), pending.size() + " sends never acknowledged");
    }
}
