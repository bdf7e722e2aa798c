package io.pontoon.client;

import io.pontoon.api.AwsErrorCodes;
import io.pontoon.api.v1.MessageAttributeValue;
import io.pontoon.api.v1.SendMessageBatchRequestEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class BatchingProducerTest {
    FakeCluster cluster;
    PontoonClient client;
    String url;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new FakeCluster(1);
        client = cluster.clientBuilder().build();
        url = client.createQueue("batched");
    }

    @AfterEach
    void tearDown() {
        client.close();
        cluster.close();
    }

    @Test
    void coalescesIntoBatchesOfTen() throws Exception {
        try (BatchingProducer p = BatchingProducer.builder(client).lingerMs(200).build()) {
            List<CompletableFuture<SendResult>> fs = new ArrayList<>();
            for (int i = 0; i < 25; i++) fs.add(p.send(url, "m" + i));
            for (int i = 0; i < 20; i++) {
                SendResult r = fs.get(i).get(5, TimeUnit.SECONDS); // the two full batches go without waiting for linger
                assertEquals(FakeCluster.md5("m" + i), r.md5OfMessageBody());
                assertFalse(r.messageId().isEmpty());
            }
            fs.get(24).get(5, TimeUnit.SECONDS); // the partial one after linger
        }
        assertEquals(List.of(5, 10, 10), cluster.sendBatchSizes.stream().sorted().toList());
        assertEquals(25, cluster.queues.get("batched").visible.size());
    }

    @Test
    void lingerFlushesPartialBatch() throws Exception {
        try (BatchingProducer p = BatchingProducer.builder(client).lingerMs(20).build()) {
            long start = System.nanoTime();
            p.send(url, "lonely").get(5, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(15));
        }
        assertEquals(List.of(1), cluster.sendBatchSizes);
    }

    @Test
    void splitsByBytes() throws Exception {
        String big = "x".repeat(400 * 1024);
        try (BatchingProducer p = BatchingProducer.builder(client).lingerMs(1_000).build()) {
            List<CompletableFuture<SendResult>> fs = new ArrayList<>();
            for (int i = 0; i < 5; i++) fs.add(p.send(url, big));
            p.flush(5_000);
            for (var f : fs) f.get(1, TimeUnit.SECONDS);
        }
        // 400 KiB each: at most two fit under 1 MiB.
        assertEquals(List.of(1, 2, 2), cluster.sendBatchSizes.stream().sorted().toList());
    }

    @Test
    void entrySizeCountsAttributes() {
        SendMessageBatchRequestEntry e = SendMessageBatchRequestEntry.newBuilder().setMessageBody("héllo")
                .putMessageAttributes("k", MessageAttributeValue.newBuilder().setDataType("String").setStringValue("vv").build())
                .build();
        assertEquals(6 + 1 + 6 + 2, BatchingProducer.entrySize(e));
    }

    @Test
    void perEntryFailureFailsOnlyThatFuture() throws Exception {
        cluster.failBodyPrefix = "BAD";
        try (BatchingProducer p = BatchingProducer.builder(client).lingerMs(10).build()) {
            var ok = p.send(url, "good", Map.of());
            var bad = p.send(url, "BAD body");
            ok.get(5, TimeUnit.SECONDS);
            ExecutionException ex = assertThrows(ExecutionException.class, () -> bad.get(5, TimeUnit.SECONDS));
            PontoonException pe = (PontoonException) ex.getCause();
            assertEquals(AwsErrorCodes.INVALID_MESSAGE_CONTENTS, pe.awsCode());
            assertTrue(pe.isSenderFault());
        }
        assertEquals(List.of(2), cluster.sendBatchSizes);
    }

    @Test
    void wholeBatchFailureFailsAllFutures() {
        try (BatchingProducer p = BatchingProducer.builder(client).lingerMs(5).build()) {
            var a = p.send("pontoon://queue/nope", "a");
            var b = p.send("pontoon://queue/nope", "b");
            for (var f : List.of(a, b)) {
                ExecutionException ex = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
                assertEquals(AwsErrorCodes.NON_EXISTENT_QUEUE, ((PontoonException) ex.getCause()).awsCode());
            }
            var bad = p.send("not-a-url", "c");
            assertTrue(bad.isCompletedExceptionally());
        }
    }

    @Test
    void inFlightWindowIsBounded() throws Exception {
        cluster.sendBatchDelayMs = 50;
        try (BatchingProducer p = BatchingProducer.builder(client).lingerMs(0).maxBatchEntries(1).maxInFlightBatches(2).build()) {
            List<CompletableFuture<SendResult>> fs = new ArrayList<>();
            for (int i = 0; i < 8; i++) fs.add(p.send(url, "m" + i));
            CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).get(10, TimeUnit.SECONDS);
        }
        assertEquals(8, cluster.sendBatchSizes.size());
        assertTrue(cluster.maxConcurrentBatches.get() <= 2, "max concurrent " + cluster.maxConcurrentBatches.get());
    }

    @Test
    void failFastWhenBufferFull() throws Exception {
        cluster.sendBatchDelayMs = 300;
        try (BatchingProducer p = BatchingProducer.builder(client).lingerMs(0).maxInFlightBatches(1)
                .maxBufferedMessages(10).backpressure(BatchingProducer.Backpressure.FAIL_FAST).build()) {
            List<CompletableFuture<SendResult>> fs = new ArrayList<>();
            for (int i = 0; i < 10; i++) fs.add(p.send(url, "m" + i));
            var rejected = p.send(url, "overflow");
            ExecutionException ex = assertThrows(ExecutionException.class, () -> rejected.get(1, TimeUnit.SECONDS));
            assertEquals(BatchingProducer.PRODUCER_BUFFER_FULL, ((PontoonException) ex.getCause()).awsCode());
            CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).get(10, TimeUnit.SECONDS);
            p.send(url, "after").get(5, TimeUnit.SECONDS); // permits were released
        }
    }

    @Test
    void blockModeWaitsForSpace() throws Exception {
        cluster.sendBatchDelayMs = 100;
        try (BatchingProducer p = BatchingProducer.builder(client).lingerMs(0).maxInFlightBatches(1)
                .maxBufferedMessages(10).blockTimeoutMs(5_000).build()) {
            List<CompletableFuture<SendResult>> fs = new ArrayList<>();
            for (int i = 0; i < 30; i++) fs.add(p.send(url, "m" + i)); // blocks while 10 are pending
            CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).get(10, TimeUnit.SECONDS);
        }
        assertEquals(30, cluster.queues.get("batched").visible.size());
    }

    @Test
    void closeFlushesAndRejectsLaterSends() throws Exception {
        BatchingProducer p = BatchingProducer.builder(client).lingerMs(60_000).build();
        var f = p.send(url, "pending");
        assertFalse(f.isDone());
        p.close();
        assertTrue(f.isDone());
        f.get();
        var late = p.send(url, "late");
        assertTrue(late.isCompletedExceptionally());
    }

    @Test
    void fifoQueuesHaveOneBatchInFlight() throws Exception {
        String fifo = client.createQueue("ordered.fifo", Map.of("FifoQueue", "true"));
        cluster.sendBatchDelayMs = 30;
        try (BatchingProducer p = BatchingProducer.builder(client).lingerMs(0).maxBatchEntries(2).maxInFlightBatches(8).build()) {
            List<CompletableFuture<SendResult>> fs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                fs.add(p.send(fifo, SendMessageBatchRequestEntry.newBuilder().setMessageBody("m" + i).setMessageGroupId("g").build()));
            }
            CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).get(10, TimeUnit.SECONDS);
        }
        assertEquals(1, cluster.maxConcurrentBatches.get());
        List<String> bodies = cluster.queues.get("ordered.fifo").visible.stream().map(m -> m.getBody()).toList();
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"), bodies);
    }

    @Test
    void builderValidates() {
        assertThrows(IllegalArgumentException.class, () -> BatchingProducer.builder(client).maxBatchEntries(11).build());
        assertThrows(IllegalArgumentException.class, () -> BatchingProducer.builder(client).maxBatchBytes(2 * 1024 * 1024).build());
        assertThrows(IllegalArgumentException.class, () -> BatchingProducer.builder(client).maxInFlightBatches(0).build());
        assertThrows(IllegalArgumentException.class, () -> BatchingProducer.builder(client).lingerMs(-1).build());
    }
}
