package io.pontoon.chaos;

import io.pontoon.api.v1.GetReplicaDigestResponse;
import io.pontoon.api.v1.Message;
import io.pontoon.api.v1.SendMessageBatchRequest;
import io.pontoon.api.v1.SendMessageBatchRequestEntry;
import io.pontoon.api.v1.SendMessageBatchResponse;
import io.pontoon.client.PontoonClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ordinary traffic of large messages must never take a node down, and a node must always restart and catch up
 * with its configured heap. Three real node processes run exactly as {@code scripts/local-cluster} runs them
 * (512 MiB heap, every setting at its default, {@code -XX:+ExitOnOutOfMemoryError}: an out-of-memory error is a
 * process exit the harness sees). One follower is down while the traffic runs and must catch up afterwards.
 */
class LargeMessageTrafficTest {
    private static final int ONE_MB = 1_000_000;

    /** The review's reproduction: 200 messages of 1,000,000 bytes, then 20 receivers of 10 messages at once. */
    @Test
    @Timeout(600)
    void twoHundredMegabyteMessagesAndTwentySimultaneousReceiversTakeNoNodeDown() throws Exception {
        try (Scenario s = new Scenario("large-standard")) {
            String url = s.client.createQueue("big");
            String down = s.stopAFollowerOf("big");
            Set<String> sent = s.sendInParallel(4, 200, i -> s.client.sendMessage(url, Scenario.body("m" + i, ONE_MB)).getMessageId());
            Set<String> received = s.receiveAll(url, 20, sent.size());
            assertEquals(sent, received, "every message received once it was sent");
            s.restartAndAwaitCatchUp(down, "big");
            s.assertNoNodeDied();
        }
    }

    /** Harder: FIFO batches of 1 MiB from eight producers while twenty consumers receive and delete. */
    @Test
    @Timeout(600)
    void fifoBatchesOfOneMebibyteWithConcurrentReceiversTakeNoNodeDown() throws Exception {
        try (Scenario s = new Scenario("large-fifo")) {
            String url = s.client.createQueue("bigbatch.fifo", Map.of("FifoQueue", "true", "ContentBasedDeduplication", "true"));
            String down = s.stopAFollowerOf("bigbatch.fifo");
            int batches = 24;
            CountDownLatch consumersRunning = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(1);
            Future<Set<String>> receiving = pool.submit(() -> {
                consumersRunning.countDown();
                return s.receiveAll(url, 20, batches * 10);
            });
            consumersRunning.await();
            Set<String> sent = s.sendInParallel(8, batches, b -> {
                List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                for (int e = 0; e < 10; e++) {
                    // ten entries of 104,850 bytes: 1,048,500 bytes, just under the 1 MiB batch limit
                    entries.add(SendMessageBatchRequestEntry.newBuilder().setId("e" + e).setMessageGroupId("g" + (b % 4))
                            .setMessageBody(Scenario.body("b" + b + "e" + e, 104_850)).build());
                }
                SendMessageBatchResponse r = s.client.sendMessageBatch(SendMessageBatchRequest.newBuilder()
                        .setQueueUrl(url).addAllEntries(entries).build());
                assertEquals(0, r.getFailedCount(), () -> "batch " + b + " failed: " + r.getFailedList());
                return r.getSuccessfulList().stream().map(x -> x.getMessageId()).toList();
            });
            Set<String> received = receiving.get(300, TimeUnit.SECONDS);
            pool.shutdownNow();
            assertEquals(sent, received, "every message received once it was sent");
            s.restartAndAwaitCatchUp(down, "bigbatch.fifo");
            s.assertNoNodeDied();
        }
    }

    /** A cluster of three default nodes, a client, and the steps both scenarios share. */
    private static final class Scenario implements AutoCloseable {
        final Cluster cluster;
        final PontoonClient client;
        final Consumer<String> log;

        Scenario(String name) throws Exception {
            Path dir = ChaosShortProfileTest.baseDir().resolve(name + "-" + System.currentTimeMillis());
            this.log = line -> System.out.println("[" + name + "] " + line);
            this.cluster = Cluster.start(dir, Cluster.Profile.DEFAULTS, List.of(), Cluster.Disks.PLAIN, Network.Preference.LOOPBACK, log);
            cluster.awaitReady("warm-up", Map.of(), Duration.ofSeconds(120));
            this.client = PontoonClient.builder().bootstrap(cluster.clientAddresses())
                    .requestTimeoutMs(30_000).maxAttempts(30).backoffBaseMs(100).backoffMaxMs(2_000).build();
        }

        static String body(String id, int bytes) {
            StringBuilder b = new StringBuilder(bytes).append(id).append(':');
            while (b.length() < bytes) {
                b.append((char) ('a' + b.length() % 26));
            }
            return b.toString();
        }

        /** Stops one follower of the queue's partition, so that it must catch up on everything afterwards. */
        String stopAFollowerOf(String queue) throws InterruptedException {
            String partition = cluster.partitionOf(queue);
            String leader = cluster.leaderOf(partition).orElseThrow();
            String follower = cluster.nodeIds().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
            cluster.kill(follower);
            return follower;
        }

        interface Step {
            Object run(int i) throws Exception;
        }

        /** Runs {@code count} steps on {@code threads} threads; each returns a message id or a list of them. */
        Set<String> sendInParallel(int threads, int count, Step step) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Object>> results = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    int n = i;
                    results.add(pool.submit(() -> step.run(n)));
                }
                Set<String> ids = ConcurrentHashMap.newKeySet();
                for (Future<Object> f : results) {
                    Object id = f.get(300, TimeUnit.SECONDS);
                    if (id instanceof List<?> list) {
                        list.forEach(x -> ids.add((String) x));
                    } else {
                        ids.add((String) id);
                    }
                }
                log.accept("sent " + ids.size() + " messages");
                return ids;
            } finally {
                pool.shutdownNow();
            }
        }

        /** {@code receivers} threads start at the same moment, each receiving 10 at a time and deleting, until {@code expected} ids were seen. */
        Set<String> receiveAll(String url, int receivers, int expected) throws Exception {
            Set<String> seen = ConcurrentHashMap.newKeySet();
            CountDownLatch start = new CountDownLatch(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            ExecutorService pool = Executors.newFixedThreadPool(receivers);
            try {
                List<Future<?>> workers = new ArrayList<>();
                for (int r = 0; r < receivers; r++) {
                    workers.add(pool.submit(() -> {
                        start.await();
                        while (seen.size() < expected && System.nanoTime() < deadline) {
                            for (Message m : client.receiveMessages(url, 10, 0)) {
                                seen.add(m.getMessageId());
                                client.deleteMessage(url, m.getReceiptHandle());
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> w : workers) {
                    w.get(300, TimeUnit.SECONDS);
                }
                log.accept("received " + seen.size() + " distinct messages");
                return seen;
            } finally {
                pool.shutdownNow();
            }
        }

        /** Restarts {@code node}; it must replay everything it missed at the same heap and end with the same state. */
        void restartAndAwaitCatchUp(String node, String queue) throws Exception {
            cluster.restart(node, Duration.ofSeconds(120));
            String partition = cluster.partitionOf(queue);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            List<GetReplicaDigestResponse> digests = List.of();
            while (System.nanoTime() < deadline) {
                assertNoNodeDied();
                try {
                    digests = client.replicaDigests(partition);
                    if (digests.stream().map(GetReplicaDigestResponse::getSha256).distinct().count() == 1
                            && digests.stream().map(GetReplicaDigestResponse::getAppliedIndex).distinct().count() == 1) {
                        log.accept(node + " caught up: all replicas of partition " + partition + " at index " + digests.get(0).getAppliedIndex());
                        return;
                    }
                } catch (RuntimeException e) {
                    log.accept("digests not readable yet: " + e.getMessage());
                }
                Thread.sleep(500);
            }
            throw new AssertionError(node + " did not catch up within 180 s: " + digests);
        }

        void assertNoNodeDied() {
            assertTrue(cluster.unexpectedExits().isEmpty(), () -> "nodes died: " + cluster.unexpectedExits());
        }

        @Override
        public void close() {
            client.close();
            cluster.close();
        }
    }
}
