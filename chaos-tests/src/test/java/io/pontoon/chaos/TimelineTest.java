package io.pontoon.chaos;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run's timeline picture: faults as spans from start to end, a rate line per kind of operation, a latency point per operation. */
class TimelineTest {
    private static final long S = 1_000_000_000L;

    private static List<Op> history() {
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ops.add(new Op(i * S / 10, "p0", Op.INVOKE, "send", "p0-" + i));
            ops.add(new Op(i * S / 10 + 5_000_000, "p0", i == 50 ? Op.INFO : Op.OK, "send", "p0-" + i));
            ops.add(new Op(i * S / 10 + 1, "c0", Op.INVOKE, "receive", null));
            ops.add(new Op(i * S / 10 + 2_000_000, "c0", i == 70 ? Op.FAIL : Op.OK, "receive", List.of()));
        }
        ops.add(new Op(2 * S, "nemesis", Op.INFO, "kill", "n1"));
        ops.add(new Op(3 * S, "nemesis", Op.INFO, "restart", "n1"));
        ops.add(new Op(4 * S, "nemesis", Op.INFO, "restarted", "n1"));
        ops.add(new Op(5 * S, "nemesis", Op.INFO, "pause", "n2"));
        ops.add(new Op(6 * S, "nemesis", Op.INFO, "resume", "n2"));
        ops.add(new Op(7 * S, "nemesis", Op.INFO, "transfer", "p0:n1->n3"));
        ops.add(new Op(8 * S, "nemesis", Op.INFO, "partition", "isolate n3"));
        ops.sort(java.util.Comparator.comparingLong(Op::time));
        return ops;
    }

    @Test
    void faultsAreSpansFromTheirStartToTheirEndAndAnUnhealedOneRunsToTheEnd() {
        List<Timeline.Span> spans = Timeline.faultSpans(history(), 10 * S);
        assertEquals(List.of(new Timeline.Span("kill n1", 2 * S, 4 * S), new Timeline.Span("pause n2", 5 * S, 6 * S),
                new Timeline.Span("partition isolate n3", 8 * S, 10 * S)), spans);
    }

    @Test
    void thePictureIsWellFormedSvgWithSpansRateLinesAndAPointPerOperation() throws Exception {
        String svg = Timeline.svg("W-Q / kill <seed 1>", history());
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals(2, d.getElementsByTagName("polyline").getLength(), "a rate line for send and one for receive");
        assertEquals(200, d.getElementsByTagName("circle").getLength(), "a latency point per completed operation");
        assertTrue(svg.contains("fill=\"#d62728\""), "the failed receive is drawn in the failure colour");
        assertTrue(svg.contains("fill=\"#ff7f0e\""), "the indeterminate send in the info colour");
        assertTrue(svg.contains("<title>transfer p0:n1-&gt;n3</title>"), "other nemesis events are marks");
        assertTrue(svg.contains("W-Q / kill &lt;seed 1&gt;"));
    }

    @Test
    void aLongHistoryIsThinnedButKeepsEveryFailure() {
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < 3 * Timeline.MAX_POINTS; i++) {
            ops.add(new Op(i * 1_000_000L, "p0", Op.INVOKE, "send", i));
            ops.add(new Op(i * 1_000_000L + 500_000, "p0", i % 1000 == 0 ? Op.FAIL : Op.OK, "send", i));
        }
        String svg = Timeline.svg("long", ops);
        long circles = svg.lines().filter(l -> l.startsWith("<circle")).count();
        long failures = svg.lines().filter(l -> l.startsWith("<circle") && l.contains("#d62728")).count();
        assertTrue(circles <= Timeline.MAX_POINTS + 3 * Timeline.MAX_POINTS / 1000, "points are bounded: " + circles);
        assertEquals(3 * Timeline.MAX_POINTS / 1000, failures, "every failure is drawn");
    }
}
