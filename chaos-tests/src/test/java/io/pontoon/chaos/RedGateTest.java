package io.pontoon.chaos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The red gate: a harness that cannot fail proves nothing. The cluster runs with the seeded bug
 * {@code ack-without-replication} (every 50th send is acknowledged but never replicated); a no-fault
 * W-Q run must come out INVALID with lost acknowledged messages. And on disks that lie about the Raft log's
 * fsync for a few seconds before a power loss of all nodes, the run must come out INVALID too.
 */
// Alone: its cluster must not share the two cores with ChaosShortProfileTest's concurrent runs.
@org.junit.jupiter.api.parallel.Isolated
class RedGateTest {
    @Test
    @Timeout(300)
    void aRaftLogFsyncThatKeepsNothingIsCaughtByAPowerLoss() throws Exception {
        ChaosShortProfileTest.assumeLossyDisks();
        ChaosRun.Config c = ChaosRun.Config.of("power-loss-all", ChaosShortProfileTest.seed(7300), Duration.ofSeconds(12),
                ChaosShortProfileTest.baseDir()).withLyingDisks();
        ChaosRun.Result r = ChaosRun.run(c, System.out);
        assertEquals(ChaosRun.Verdict.INVALID, r.verdict(), r.summaryLine());
        assertTrue(r.reasons().stream().anyMatch(s -> s.startsWith("lost ") || s.contains("redeliveries after a delete")),
                "the acknowledged writes the power loss erased are reported: " + r.reasons());
    }

    @Test
    @Timeout(240)
    void seededLostWriteIsCaught() throws Exception {
        ChaosRun.Config c = ChaosRun.Config.of("none", ChaosShortProfileTest.seed(4004), Duration.ofSeconds(10),
                ChaosShortProfileTest.baseDir()).withNodeArgs(List.of("--test.seeded.bug=ack-without-replication"));
        ChaosRun.Result r = ChaosRun.run(c, System.out);
        assertEquals(ChaosRun.Verdict.INVALID, r.verdict(), r.summaryLine());
        assertTrue(r.check().lost().size() > 0, r.summaryLine());
        assertTrue(r.check().unexpected().isEmpty(), r.summaryLine());
        assertTrue(r.reasons().stream().anyMatch(s -> s.startsWith("lost ")), r.reasons().toString());
    }
}
