package io.pontoon.client.bench;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadToolTest {

    @Test
    void sentAtRoundTripsTheBodyPrefix() {
        long t = System.nanoTime();
        String body = String.format("%016x", t) + "x".repeat(100);
        assertEquals(t, LoadTool.sentAt(body));
        assertEquals(-1L, LoadTool.sentAt("ffffffffffffffff"));
        assertEquals(Long.MIN_VALUE, LoadTool.sentAt("short"));
        assertEquals(Long.MIN_VALUE, LoadTool.sentAt("zzzzzzzzzzzzzzzzzzzz"));
    }

    @Test
    void summaryJsonHasTheFigures() {
        LoadOptions o = LoadOptions.parse("--mode", "send-receive", "--producers", "2", "--queue", "q\"x".replace("\"", "_"));
        LoadTool.Stats s = new LoadTool.Stats();
        s.sentMsgs.add(1000);
        s.sendRequests.add(100);
        s.receivedMsgs.add(900);
        s.deletedMsgs.add(890);
        s.error("AWS.SimpleQueueService.NonExistentQueue", 3);
        s.error("ReceiptHandleIsInvalid", 2);
        for (int i = 1; i <= 100; i++) s.sendLatency.record(i * 1_000_000L);
        LoadTool.Summary sum = new LoadTool.Summary(o, s, 2.0, 110);
        String json = sum.toJson();
        assertTrue(json.contains("\"mode\": \"send-receive\""), json);
        assertTrue(json.contains("\"sent\": {\"messages\": 1000, \"requests\": 100, \"failed_messages\": 0, \"msgs_per_s\": 500.000}"), json);
        assertTrue(json.contains("\"p50\": 50."), json);
        assertTrue(json.contains("\"p99\": 99."), json);
        assertTrue(json.contains("\"max\": 100.000"), json);
        assertTrue(json.contains("\"errors\": {\"AWS.SimpleQueueService.NonExistentQueue\": 3, \"ReceiptHandleIsInvalid\": 2}"), json);
        assertTrue(json.contains("\"backlog_at_end\": 110"), json);
        assertEquals(5, sum.totalErrors());
        assertEquals("\"a\\\"b\\\\c\\n\"", LoadTool.Summary.str("a\"b\\c\n"));
    }
}
