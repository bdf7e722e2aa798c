package io.pontoon.chaos;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The per-merge chaos gate: one short run of workload W-Q per fault family against a real 3-process
 * cluster. Seeds are fixed so a failure names its schedule; override with {@code -Dchaos.seed=N}.
 * Each run must be VALID: no lost acknowledged message, no unexpected value, every fault evidenced.
 * Two runs go side by side (junit-platform.properties caps it at two): each is three mostly idle node processes.
 */
@Execution(ExecutionMode.CONCURRENT)
class ChaosShortProfileTest {
    static final Duration FAULT_PHASE = Duration.ofSeconds(Long.getLong("chaos.short.seconds", 20));

    static Path baseDir() {
        return Path.of(System.getProperty("chaos.dir", "target/chaos"));
    }

    /** Skips the calling test, saying why, where lossyfs (FUSE) cannot be built or mounted. */
    static void assumeLossyDisks() {
        LossyDisk.Availability fuse = LossyDisk.locate();
        Assumptions.assumeTrue(fuse.available(), "lossyfs (FUSE) unavailable: " + fuse.unavailableBecause());
    }

    static long seed(long dflt) {
        return Long.getLong("chaos.seed", dflt);
    }

    private static void assertValid(String family, long seed) throws Exception {
        assertValid(ChaosRun.Config.of(family, seed(seed), FAULT_PHASE, baseDir()));
    }

    private static void assertValid(ChaosRun.Config config) throws Exception {
        ChaosRun.Result r = ChaosRun.run(config, System.out);
        assertEquals(ChaosRun.Verdict.VALID, r.verdict(), r.summaryLine() + "\nreasons: " + r.reasons());
    }

    /** Snapshot churn: a follower that missed purged entries must catch up by install-snapshot, losing nothing. */
    @Test
    @Timeout(240)
    void snapshotInstall() throws Exception {
        assertValid("snapshot", 12);
    }

    /** Workload W-Q on a secure cluster (TLS everywhere, mutual TLS between nodes, signed calls): nothing lost across leader kills. */
    @Test
    @Timeout(240)
    void killWithTlsAndAuth() throws Exception {
        assertValid(ChaosRun.Config.of("kill", seed(9009), FAULT_PHASE, baseDir()).withTlsAndAuth());
    }

    /** Workload W-F: a FIFO queue keeps each group's order and stores a retried send once, across leader kills. */
    @Test
    @Timeout(240)
    void fifoKill() throws Exception {
        assertValid(ChaosRun.Config.of("kill", seed(5005), FAULT_PHASE, baseDir()).withFifo());
    }

    /** Workload W-S: a stream resharded while leaders are killed keeps every acknowledged record, in one order per shard for every reader. */
    @Test
    @Timeout(240)
    void streamKill() throws Exception {
        assertValid(ChaosRun.Config.of("kill", seed(6006), FAULT_PHASE, baseDir()).withStream());
    }

    /**
     * Workload W-T: a topic fanned out to three queues (one behind a filter policy) and an HTTP endpoint while the
     * topic partition's leader is killed: every acknowledged publish reaches every matching queue exactly once and
     * the endpoint at least once, and nothing passes the filter.
     */
    @Test
    @Timeout(240)
    void topicKill() throws Exception {
        assertValid(ChaosRun.Config.of("kill", seed(8008), FAULT_PHASE, baseDir()).withTopic());
    }

    @Test
    @Timeout(240)
    void kill() throws Exception {
        assertValid("kill", 1001);
    }

    @Test
    @Timeout(240)
    void pause() throws Exception {
        assertValid("pause", 2002);
    }

    @Test
    @Timeout(240)
    void pauseFollowers() throws Exception {
        assertValid("pause-followers", 3003);
    }

    /** Power loss of all three nodes at once: every un-fsynced write dropped (lossyfs), nothing acknowledged lost. */
    @Test
    @Timeout(300)
    void powerLossAll() throws Exception {
        assumeLossyDisks();
        assertValid("power-loss-all", 7201);
    }

    /** Isolate and bridge partitions: real packet drops between network namespaces when root, else the loopback link proxy. */
    @Test
    @Timeout(240)
    void partition() throws Exception {
        assertValid("partition", 4002);
    }

    /** The same partitions made by the loopback link proxy (what a machine without root gets), run everywhere. */
    @Test
    @Timeout(240)
    void partitionOnLoopback() throws Exception {
        assertValid(ChaosRun.Config.of("partition", seed(4102), FAULT_PHASE, baseDir()).withNetwork(Network.Preference.LOOPBACK));
    }
}
