package io.pontoon.chaos;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The total-queue checker on hand-made histories. */
class TotalQueueCheckerTest {
    private final List<Op> h = new ArrayList<>();
    private long t;

    private void send(String v, String outcome) {
        String proc = v.substring(0, v.indexOf('-'));
        h.add(new Op(t++, proc, Op.INVOKE, "send", v));
        h.add(new Op(t++, proc, outcome, "send", v));
    }

    private void receive(String... values) {
        h.add(new Op(t++, "c0", Op.INVOKE, "receive", null));
        h.add(new Op(t++, "c0", Op.OK, "receive", List.of(values)));
    }

    @Test
    void everythingAckedAndReceivedIsValidAndDuplicatesAreCountedNotFatal() {
        send("p0-0", Op.OK);
        send("p0-1", Op.OK);
        send("p1-0", Op.OK);
        receive("p0-0", "p1-0");
        receive("p0-1", "p0-0");
        TotalQueueChecker.Result r = TotalQueueChecker.check(h);
        assertTrue(r.valid(), r.describe());
        assertEquals(3, r.acked());
        assertEquals(1, r.duplicates());
        assertEquals(1, r.extraDeliveries());
        assertEquals(4, r.deliveries());
    }

    @Test
    void lostValuesAreSplitByPositionPerProducer() {
        for (int i = 0; i < 6; i++) send("p0-" + i, Op.OK);
        send("p1-0", Op.OK);
        // p0: 0 lost (prefix), 2 lost (middle), 5 lost (postfix); p1: nothing received (prefix).
        receive("p0-1", "p0-3", "p0-4");
        TotalQueueChecker.Result r = TotalQueueChecker.check(h);
        assertFalse(r.valid());
        assertEquals(List.of("p0-0", "p0-2", "p0-5", "p1-0"), r.lost());
        assertEquals(List.of("p0-0", "p1-0"), r.lostPrefix());
        assertEquals(List.of("p0-2"), r.lostMiddle());
        assertEquals(List.of("p0-5"), r.lostPostfix());
    }

    @Test
    void lostMiddleOrdersCountersNumericallyNotAsStrings() {
        for (int i = 0; i < 12; i++) send("p2-" + i, Op.OK);
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 12; i++) if (i != 9) got.add("p2-" + i);
        receive(got.toArray(String[]::new));
        TotalQueueChecker.Result r = TotalQueueChecker.check(h);
        assertEquals(List.of("p2-9"), r.lostMiddle());
        assertTrue(r.lostPrefix().isEmpty() && r.lostPostfix().isEmpty());
    }

    @Test
    void infoSendsAreNeverLostAndAreRecoveredWhenReceived() {
        send("p0-0", Op.INFO);
        send("p0-1", Op.INFO);
        send("p0-2", Op.OK);
        receive("p0-0", "p0-2");
        TotalQueueChecker.Result r = TotalQueueChecker.check(h);
        assertTrue(r.valid(), r.describe());
        assertEquals(List.of("p0-0"), r.recovered());
        assertEquals(2, r.infoSends());
    }

    @Test
    void failedSendThatIsReceivedIsReportedButNotUnexpected() {
        send("p0-0", Op.FAIL);
        receive("p0-0");
        TotalQueueChecker.Result r = TotalQueueChecker.check(h);
        assertTrue(r.valid(), r.describe());
        assertEquals(List.of("p0-0"), r.failedButReceived());
    }

    @Test
    void receivedValueThatWasNeverSentIsUnexpected() {
        send("p0-0", Op.OK);
        receive("p0-0", "p7-3", "garbage");
        TotalQueueChecker.Result r = TotalQueueChecker.check(h);
        assertFalse(r.valid());
        assertEquals(List.of("garbage", "p7-3"), r.unexpected());
        assertTrue(r.lost().isEmpty());
    }

    @Test
    void onlyOkReceivesCountAsDeliveries() {
        send("p0-0", Op.OK);
        h.add(new Op(t++, "c0", Op.INVOKE, "receive", null));
        h.add(new Op(t++, "c0", Op.INFO, "receive", List.of("p0-0")));
        TotalQueueChecker.Result r = TotalQueueChecker.check(h);
        assertEquals(List.of("p0-0"), r.lost());
    }

    @Test
    void historyFileRoundTrips(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("history.jsonl");
        try (History history = new History(file)) {
            history.add("p0", Op.INVOKE, "send", "p0-0");
            history.add("p0", Op.INFO, "send", "p0-0", "DEADLINE_EXCEEDED \"quoted\"\nnewline");
            history.add("c0", Op.OK, "receive", List.of("p0-0", "p0-1"));
            history.add("c0", Op.OK, "receive", List.of());
            history.add("nemesis", Op.INFO, "kill", "n2");
        }
        List<Op> back = History.read(file);
        assertEquals(5, back.size());
        assertEquals("DEADLINE_EXCEEDED \"quoted\"\nnewline", back.get(1).error());
        assertEquals(List.of("p0-0", "p0-1"), back.get(2).values());
        assertEquals(List.of(), back.get(3).values());
        assertEquals("n2", back.get(4).value());
        assertTrue(Files.readAllLines(file).get(0).startsWith("{\"time\":"));
        TotalQueueChecker.Result r = TotalQueueChecker.check(back);
        assertEquals(List.of("p0-0"), r.recovered());
    }

    @Test
    void scheduleIsDeterministicPerSeed() {
        var a = FaultSchedule.schedule("kill", 42, java.time.Duration.ofSeconds(30));
        var b = FaultSchedule.schedule("kill", 42, java.time.Duration.ofSeconds(30));
        var c = FaultSchedule.schedule("kill", 43, java.time.Duration.ofSeconds(30));
        assertEquals(a, b);
        assertFalse(a.equals(c));
        assertTrue(FaultSchedule.schedule("none", 1, java.time.Duration.ofSeconds(30)).isEmpty());
    }
}
