package io.pontoon.server;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.pontoon.api.v1.*;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Queues are placed onto a bounded pool of partitions: 10,000 queues on a 3-node cluster create no Raft
 * group and no thread per queue, and every one of them works. Figures are printed for docs/architecture.md.
 */
class TenThousandQueuesTest {
    private static final int QUEUES = 10_000;
    /** Queues created first so that every bounded pool reaches its working size before we count threads. */
    private static final int WARM_UP_QUEUES = 1_000;
    private static final int PARTITIONS = 3;
    private static final int CONCURRENCY = 256;
    /**
     * Once pools are warm, ten times more queues may add at most one forwarding pool's ceiling (64 threads,
     * RaftNode) of threads: every pool is bounded, and nothing is created per queue.
     */
    private static final int MAX_THREAD_GROWTH = 64;

    @TempDir
    Path dir;

    @Test
    void tenThousandQueuesNeedNoGroupOrThreadPerQueue() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3, PARTITIONS)) {
            cluster.awaitLeaders(PARTITIONS, 30_000);
            // The test's own client runs its callbacks on a fixed pool: gRPC's default executor is a cached pool
            // that grows with concurrent calls, which is the client's business, not the nodes'.
            java.util.concurrent.ExecutorService clientExecutor = java.util.concurrent.Executors.newFixedThreadPool(4);
            ManagedChannel channel = NettyChannelBuilder.forTarget(cluster.clientAddress("n1")).usePlaintext().executor(clientExecutor).build();
            SqsGrpc.SqsStub sqs = SqsGrpc.newStub(channel).withDeadlineAfter(10, TimeUnit.MINUTES);
            long start = System.nanoTime();
            List<String> warm = forAll(WARM_UP_QUEUES, i -> call(sqs::createQueue, CreateQueueRequest.newBuilder().setQueueName("warm-" + i).build())
                    .thenApply(CreateQueueResponse::getQueueUrl));
            forAll(WARM_UP_QUEUES, i -> call(sqs::sendMessage, SendMessageRequest.newBuilder().setQueueUrl(warm.get(i)).setMessageBody("w").build()));
            forAll(WARM_UP_QUEUES, i -> call(sqs::receiveMessage, ReceiveMessageRequest.newBuilder().setQueueUrl(warm.get(i)).build()));
            java.util.Map<String, Integer> poolsBefore = threadPools();

            List<String> urls = forAll(QUEUES, i -> call(sqs::createQueue, CreateQueueRequest.newBuilder().setQueueName("q-" + i).build())
                    .thenApply(CreateQueueResponse::getQueueUrl));
            long createdMs = (System.nanoTime() - start) / 1_000_000;
            forAll(QUEUES, i -> call(sqs::sendMessage, SendMessageRequest.newBuilder().setQueueUrl(urls.get(i)).setMessageBody("m" + i).build()));
            List<ReceiveMessageResponse> received = forAll(QUEUES, i -> call(sqs::receiveMessage,
                    ReceiveMessageRequest.newBuilder().setQueueUrl(urls.get(i)).setMaxNumberOfMessages(10).build()));
            long totalMs = (System.nanoTime() - start) / 1_000_000;

            for (int i = 0; i < QUEUES; i++) {
                assertEquals(1, received.get(i).getMessagesCount(), "queue q-" + i);
                assertEquals("m" + i, received.get(i).getMessages(0).getBody());
            }
            ListQueuesResponse listed = cluster.sqs("n2").listQueues(ListQueuesRequest.newBuilder().setQueueNamePrefix("q-").build());
            assertEquals(1_000, listed.getQueueUrlsCount(), "ListQueues pages at 1,000");
            assertFalse(listed.getNextToken().isEmpty());

            java.util.Map<String, Integer> poolsAfter = threadPools();
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            System.gc();
            long heapMb = memory.getHeapMemoryUsage().getUsed() >> 20;
            int before = poolsBefore.values().stream().mapToInt(Integer::intValue).sum();
            int after = poolsAfter.values().stream().mapToInt(Integer::intValue).sum();
            java.util.Map<String, String> grown = new java.util.TreeMap<>();
            poolsAfter.forEach((pool, n) -> {
                int was = poolsBefore.getOrDefault(pool, 0);
                if (n > was) grown.put(pool, was + " -> " + n);
            });
            System.out.printf("10k queues: created in %d ms, create+send+receive in %d ms; threads %d -> %d (grown: %s); heap after GC %d MiB (3 nodes in one JVM)%n",
                    createdMs, totalMs, before, after, grown, heapMb);
            assertTrue(after - before < MAX_THREAD_GROWTH,
                    "threads grew from " + before + " to " + after + " while adding " + QUEUES + " queues to " + WARM_UP_QUEUES + "; pools that grew: " + grown);
            channel.shutdownNow();
            clientExecutor.shutdownNow();
        }
    }

    /** Live threads by pool: the thread name with its numbers blanked ("grpc-default-executor-#"). */
    private static java.util.Map<String, Integer> threadPools() {
        java.util.Map<String, Integer> pools = new java.util.TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            pools.merge(t.getName().replaceAll("\\d+", "#"), 1, Integer::sum);
        }
        return pools;
    }

    /** Runs {@code op} for every queue index with bounded concurrency; results in index order. */
    private static <T> List<T> forAll(int count, Function<Integer, CompletableFuture<T>> op) throws Exception {
        Semaphore permits = new Semaphore(CONCURRENCY);
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        @SuppressWarnings("unchecked")
        CompletableFuture<T>[] futures = new CompletableFuture[count];
        for (int i = 0; i < count; i++) {
            permits.acquire();
            futures[i] = op.apply(i).whenComplete((r, e) -> {
                permits.release();
                if (e != null) {
                    errors.add(e);
                }
            });
        }
        CompletableFuture.allOf(futures).exceptionally(e -> null).get(10, TimeUnit.MINUTES);
        assertTrue(errors.isEmpty(), () -> errors.size() + " calls failed, first: " + errors.peek());
        return java.util.Arrays.stream(futures).map(CompletableFuture::join).toList();
    }

    private interface AsyncCall<Q, R> {
        void invoke(Q request, StreamObserver<R> observer);
    }

    private static <Q, R> CompletableFuture<R> call(AsyncCall<Q, R> rpc, Q request) {
        CompletableFuture<R> f = new CompletableFuture<>();
        rpc.invoke(request, new StreamObserver<>() {
            @Override
            public void onNext(R value) {
                f.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                f.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        });
        return f;
    }
}
