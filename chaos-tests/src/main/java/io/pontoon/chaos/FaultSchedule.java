package io.pontoon.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The fault families and the schedule of one run, drawn up front from a seeded {@link Random}: the seed fixes
 * the fault kinds, gaps, hold times and whether each step aims at the leader ({@link Nemesis} runs it; which node
 * leads is decided at run time). Pure: no cluster, no clock.
 *
 * <ul>
 *   <li>{@code kill}: SIGKILL one node (75% the leader of the workload queue's partition, else a random
 *       node), keep it down for the hold time, restart it with the same configuration, wait for /health.</li>
 *   <li>{@code pause}: SIGSTOP one node (leader-biased the same way) for the hold time, then SIGCONT.</li>
 *   <li>{@code pause-followers}: SIGSTOP both followers of the workload partition's leader (the leader
 *       keeps running but cannot commit), then SIGCONT both.</li>
 *   <li>{@code partition}: network partitions ({@link Network}: namespaces or the loopback link proxy): {@code isolate} cuts one
 *       node (leader-biased) off from the other two; {@code bridge} cuts two nodes off from each other while
 *       both still reach the third (the non-transitive "majority ring" of three nodes). Healed after the hold.</li>
 *   <li>{@code part-kill}: partitions and kills, alternating (Jepsen's NATS schedule); {@code pause-kill}: pauses
 *       and kills, alternating.</li>
 *   <li>{@code transfer}: leadership transfer of the workload partition to another node (TransferLeadership).</li>
 *   <li>{@code clock}: the clock of one node (leader-biased) jumps by up to ±{@link #MAX_CLOCK_JUMP_MS} for the hold
 *       time, then back (a forward jump on the leader shortens leases by as much; the lease checker's clock bound
 *       grows by {@link #MAX_CLOCK_JUMP_MS} in this family).</li>
 *   <li>{@code power-loss}: kill -9 one node (leader-biased), drop every write its disk had not fsynced
 *       ({@link LossyDisk}), restart it; {@code power-loss-all}: the same on all three nodes at once.</li>
 *   <li>{@code snapshot}: snapshot churn. Nodes snapshot every 100 entries and purge their logs up to the
 *       snapshot; a follower is killed and kept down while traffic goes on, so that on restart the leader no
 *       longer has the entries it missed and must send it a snapshot (install-snapshot).</li>
 *   <li>{@code none}: no faults (baseline; used by the red gate).</li>
 * </ul>
 */
public final class FaultSchedule {
    public static final List<String> FAMILIES = List.of("none", "kill", "pause", "pause-followers", "partition", "part-kill",
            "pause-kill", "snapshot", "transfer", "clock", "power-loss", "power-loss-all");
    /** The largest clock jump of the {@code clock} family. */
    static final long MAX_CLOCK_JUMP_MS = 2000;

    /** How far the leader clock may run ahead of the harness's in this family (the lease checker's slack). */
    public static long clockBoundMs(String family) {
        return family.equals("clock") ? MAX_CLOCK_JUMP_MS : 0;
    }

    /** Families whose nodes must run on {@link LossyDisk}s. */
    public static boolean needsLossyDisks(String family) {
        return family.startsWith("power-loss");
    }

    /** Node flags a family needs: snapshot churn wants frequent snapshots, small log segments and purging. */
    public static List<String> nodeArgs(String family) {
        return family.equals("snapshot")
                ? List.of("--raft.snapshot.threshold.entries=100", "--raft.log.segment.bytes=65536",
                "--raft.log.cache.bytes=65536", "--raft.log.purge.gap=1", "--raft.log.purge.upto.snapshot=true")
                : List.of();
    }

    /** Families whose steps cut the network. */
    public static boolean needsPartitions(String family) {
        return family.equals("partition") || family.equals("part-kill");
    }
    static final double LEADER_BIAS = 0.75;

    /** One scheduled step; {@code targetLeader} false means node index {@code randomNode}; {@code offsetMs}: a clock jump. */
    public record Step(int index, String kind, long gapMs, long holdMs, boolean targetLeader, int randomNode, long offsetMs) {
        @Override
        public String toString() {
            String target = switch (kind) {
                case "pause-followers" -> "followers of the leader";
                case "snapshot" -> "a follower (n" + (randomNode + 1) + " unless it leads)";
                case "bridge" -> "the two nodes other than n" + (randomNode + 1) + " from each other";
                case "isolate" -> (targetLeader ? "the leader" : "n" + (randomNode + 1)) + " from the others";
                case "transfer" -> "leadership to another node";
                case "clock" -> (targetLeader ? "leader" : "n" + (randomNode + 1)) + " by " + offsetMs + " ms";
                case "power-loss-all" -> "all nodes";
                default -> targetLeader ? "leader" : "n" + (randomNode + 1);
            };
            return String.format("#%d after %d ms: %s %s for %d ms", index, gapMs, kind, target, holdMs);
        }
    }

    /** The gap before a step of a kind and how long it holds: the minimum plus a uniform draw below the spread. */
    private record Timing(int gapMinMs, int gapSpreadMs, int holdMinMs, int holdSpreadMs) {
    }

    private static final Timing PARTITION = new Timing(1500, 2500, 2000, 4000);
    private static final Timing POWER_LOSS = new Timing(3000, 3000, 1000, 2000);
    private static final Map<String, Timing> TIMINGS = Map.of(
            "isolate", PARTITION,
            "bridge", PARTITION,
            "snapshot", new Timing(2000, 2000, 6000, 3000), // down long enough for the leader to purge past it
            "kill", new Timing(1500, 2500, 1000, 3000),
            "pause", new Timing(1500, 2500, 1500, 4500), // often beyond the 1-2 s election timeout
            "pause-followers", new Timing(2000, 2500, 1500, 2500),
            "transfer", new Timing(2000, 3000, 0, 0),
            "clock", new Timing(1500, 2500, 2000, 3000),
            "power-loss", POWER_LOSS,
            "power-loss-all", POWER_LOSS);

    /** A schedule covering at least {@code duration} of fault activity (execution stops at the deadline). */
    public static List<Step> schedule(String family, long seed, Duration duration) {
        if (!FAMILIES.contains(family)) throw new IllegalArgumentException("unknown fault family " + family + "; known: " + FAMILIES);
        List<Step> steps = new ArrayList<>();
        if (family.equals("none")) return steps;
        Random r = new Random(seed);
        long total = 0;
        // Over-provision: execution is bounded by the deadline, and restarts take extra time.
        while (total < duration.toMillis() * 2 || steps.size() < 2) {
            String kind = stepKind(family, r, steps.size());
            Timing t = TIMINGS.get(kind);
            long gap = t.gapMinMs() + r.nextInt(t.gapSpreadMs());
            long hold = t.holdSpreadMs() == 0 ? t.holdMinMs() : t.holdMinMs() + r.nextInt(t.holdSpreadMs());
            boolean leader = r.nextDouble() < LEADER_BIAS;
            int node = r.nextInt(3);
            long offset = kind.equals("clock") ? (r.nextBoolean() ? 1 : -1) * (500 + r.nextLong(MAX_CLOCK_JUMP_MS - 499)) : 0;
            steps.add(new Step(steps.size() + 1, kind, gap, hold, leader, node, offset));
            total += gap + hold;
        }
        return steps;
    }

    /** The kind of step {@code index} of a family: the family itself, or for partitions a drawn shape. */
    private static String stepKind(String family, Random r, int index) {
        return switch (family) {
            case "partition" -> r.nextBoolean() ? "isolate" : "bridge";
            case "part-kill" -> index % 2 == 1 ? "kill" : (r.nextBoolean() ? "isolate" : "bridge");
            case "pause-kill" -> index % 2 == 1 ? "kill" : "pause";
            default -> family;
        };
    }

    private FaultSchedule() {
    }
}
