package io.pontoon.client.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        assertTrue(json.contains("\"max\": 100.0"), json); // HdrHistogram: within 0.1 % of the value recorded
        assertTrue(json.contains("\"errors\": {\"AWS.SimpleQueueService.NonExistentQueue\": 3, \"ReceiptHandleIsInvalid\": 2}"), json);
        assertTrue(json.contains("\"backlog_at_end\": 110"), json);
        assertEquals(5, sum.totalErrors());
        assertEquals("\"a\\\"b\\\\c\\n\"", LoadTool.Summary.str("a\"b\\c\n"));
    }

    @Test
    void summaryNamesTheQueueTypeAndReportsFifoOrder() {
        LoadOptions std = LoadOptions.parse("--mode", "send");
        LoadTool.Summary plain = new LoadTool.Summary(std, new LoadTool.Stats(), 1.0, 0);
        assertTrue(text(plain).contains("==== summary (send, standard, 1.0 s measured) ===="), text(plain));
        assertTrue(plain.toJson().contains("\"queue_type\": \"standard\", \"groups\": 0"), plain.toJson());
        assertTrue(plain.toJson().contains("\"fifo_order\": null"), plain.toJson());

        LoadOptions o = LoadOptions.parse("--mode", "send-receive", "--fifo", "--groups", "100", "--queue", "b");
        LoadTool.Summary ok = new LoadTool.Summary(o, new LoadTool.Stats(), 2.0, 0,
                new FifoOrderChecker.Result(5000, 3, 0, 0, 0, 100));
        String t = text(ok);
        assertTrue(t.contains("==== summary (send-receive, fifo, 100 groups, 2.0 s measured) ===="), t);
        assertTrue(t.contains("fifo order (whole run): 0 order violations (producer order 0, SequenceNumber order 0), "
                + "3 duplicates; 5,000 msgs checked in 100 groups"), t);
        assertTrue(ok.toJson().contains("\"queue\": \"b.fifo\", \"queues\": 1, \"queue_type\": \"fifo\", \"groups\": 100"), ok.toJson());
        assertTrue(ok.toJson().contains("\"fifo_order\": {\"order_violations\": 0, \"producer_order_violations\": 0, "
                + "\"sequence_number_violations\": 0, \"duplicates\": 3, \"checked_messages\": 5000, \"groups_seen\": 100, "
                + "\"foreign_messages\": 0}"), ok.toJson());
        assertFalse(ok.failed());

        LoadTool.Summary bad = new LoadTool.Summary(o, new LoadTool.Stats(), 2.0, 0,
                new FifoOrderChecker.Result(5000, 0, 2, 1, 7, 100));
        assertTrue(bad.failed(), "order violations fail the run");
        assertTrue(text(bad).contains("3 order violations (producer order 2, SequenceNumber order 1)"), text(bad));
        assertTrue(text(bad).contains("; 7 msgs of earlier runs ignored"), text(bad));
    }

    private static String text(LoadTool.Summary s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        s.print(new PrintStream(b, true, StandardCharsets.UTF_8));
        return b.toString(StandardCharsets.UTF_8);
    }
}
