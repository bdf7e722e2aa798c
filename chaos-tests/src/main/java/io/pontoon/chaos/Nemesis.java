package io.pontoon.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Fault injection against a {@link Cluster}, driven by a schedule drawn up front from a seeded
 * {@link Random}: the seed fixes the fault kinds, gaps, hold times and whether each step aims at the
 * leader; which node that is depends on the cluster at run time and is logged as it happens.
 *
 * <ul>
 *   <li>{@code kill}: SIGKILL one node (75% the leader of the workload queue's partition, else a random
 *       node), keep it down for the hold time, restart it with the same configuration, wait for /health.</li>
 *   <li>{@code pause}: SIGSTOP one node (leader-biased the same way) for the hold time, then SIGCONT.</li>
 *   <li>{@code pause-followers}: SIGSTOP both followers of the workload partition's leader (the leader
 *       keeps running but cannot commit), then SIGCONT both.</li>
 *   <li>{@code partition}: network partitions (needs {@link Network} namespaces): {@code isolate} cuts one
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
 *
 * Every executed step records <b>evidence</b> that the fault happened: for a kill, the OS no longer has
 * the pid; for a pause, /proc reports the process stopped ('T') and its /health stops answering; for a
 * partition, a TCP connect across each cut fails from inside the namespace, one across a kept link works,
 * and after healing the cut links connect again; for a transfer, the routing table names the new leader; for a
 * clock jump, the node's log shows the new offset and then 0 again; for a power loss, lossyfs reports the drop.
 */
public final class Nemesis {
    public static final List<String> FAMILIES = List.of("none", "kill", "pause", "pause-followers", "partition", "part-kill",
            "pause-kill", "snapshot", "transfer", "clock", "power-loss", "power-loss-all");
    /** How long a red-gate lying disk acknowledges without a durable Raft log before the power loss. */
    static final long LYING_MS = 3000;
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

    /** What a follower logs when it restores a checkpoint the leader sent it (PontoonStateMachine). */
    static final String INSTALLED = "reinitialized from installed checkpoint";

    /** Families whose steps cut the network (need namespaces). */
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

    /** What actually happened for one step. */
    public record Event(Step step, List<String> nodes, long startNanos, long endNanos, boolean evidenceOk,
                        String evidence) {
        @Override
        public String toString() {
            return step.kind() + " " + nodes + " (" + TimeUnit.NANOSECONDS.toMillis(endNanos - startNanos) + " ms): "
                    + (evidenceOk ? "evidence ok: " : "EVIDENCE MISSING: ") + evidence;
        }
    }

    /** A schedule covering at least {@code duration} of fault activity (execution stops at the deadline). */
    public static List<Step> schedule(String family, long seed, Duration duration) {
        if (!FAMILIES.contains(family)) throw new IllegalArgumentException("unknown fault family " + family + "; known: " + FAMILIES);
        List<Step> steps = new ArrayList<>();
        if (family.equals("none")) return steps;
        Random r = new Random(seed);
        long total = 0;
        // Over-provision: execution is bounded by the deadline, and restarts take extra time.
        while (total < duration.toMillis() * 2 || steps.size() < 2) {
            long gap;
            long hold;
            String kind = stepKind(family, r, steps.size());
            switch (kind) {
                case "isolate", "bridge" -> {
                    gap = 1500 + r.nextInt(2500);
                    hold = 2000 + r.nextInt(4000);
                }
                case "snapshot" -> {
                    gap = 2000 + r.nextInt(2000);
                    hold = 6000 + r.nextInt(3000);
                }
                case "kill" -> {
                    gap = 1500 + r.nextInt(2500);
                    hold = 1000 + r.nextInt(3000);
                }
                case "pause" -> {
                    gap = 1500 + r.nextInt(2500);
                    hold = 1500 + r.nextInt(4500);
                }
                case "transfer" -> {
                    gap = 2000 + r.nextInt(3000);
                    hold = 0;
                }
                case "clock" -> {
                    gap = 1500 + r.nextInt(2500);
                    hold = 2000 + r.nextInt(3000);
                }
                case "power-loss", "power-loss-all" -> {
                    gap = 3000 + r.nextInt(3000);
                    hold = 1000 + r.nextInt(2000);
                }
                default -> { // pause-followers
                    gap = 2000 + r.nextInt(2500);
                    hold = 1500 + r.nextInt(2500);
                }
            }
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

    private final Cluster cluster;
    private final History history;
    private final String partition;
    private final Consumer<String> log;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();

    public Nemesis(Cluster cluster, History history, String partition, Consumer<String> log) {
        this.cluster = cluster;
        this.history = history;
        this.partition = partition;
        this.log = log;
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    /** Liveness failures: a node that did not come back after its fault was healed. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** Runs the schedule; starts no new step after {@code deadlineNanos}. A step in progress is finished (healed). */
    public void run(List<Step> steps, long deadlineNanos) {
        for (Step step : steps) {
            long startAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(step.gapMs());
            if (startAt >= deadlineNanos) {
                sleepUntil(deadlineNanos);
                return;
            }
            sleepUntil(startAt);
            try {
                switch (step.kind()) {
                    case "kill" -> kill(step);
                    case "pause" -> pause(step);
                    case "pause-followers" -> pauseFollowers(step);
                    case "isolate", "bridge" -> partition(step);
                    case "snapshot" -> snapshotInstall(step);
                    case "transfer" -> transfer(step);
                    case "clock" -> clockJump(step);
                    case "power-loss" -> powerLoss(step, List.of(target(step)));
                    case "power-loss-all" -> powerLoss(step, cluster.nodeIds());
                    default -> throw new IllegalStateException(step.kind());
                }
            } catch (Exception e) {
                String msg = "step " + step + " failed: " + e;
                failures.add(msg);
                log.accept("NEMESIS FAILURE: " + msg);
                return;
            }
        }
    }

    /** The partition leader per the routing table, retried for up to 5 s (there is none during an election). */
    private Optional<String> leader() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            Optional<String> l = cluster.leaderOf(partition);
            if (l.isPresent() || System.nanoTime() > deadline) return l;
            Cluster.sleep(200);
        }
    }

    private String target(Step step) {
        if (step.targetLeader()) {
            Optional<String> leader = leader();
            if (leader.isPresent()) return leader.get();
            log.accept("step " + step.index() + ": leader of partition " + partition + " unknown for 5 s; using n" + (step.randomNode() + 1));
        }
        return cluster.nodeIds().get(step.randomNode());
    }

    private void kill(Step step) throws Exception {
        String id = target(step);
        long t0 = System.nanoTime();
        history.add("nemesis", Op.INFO, "kill", id);
        String evidence;
        boolean ok;
        try {
            evidence = cluster.kill(id);
            ok = !cluster.isAlive(id);
        } catch (IllegalStateException e) {
            evidence = e.getMessage();
            ok = false;
        }
        Cluster.sleep(step.holdMs());
        history.add("nemesis", Op.INFO, "restart", id);
        cluster.restart(id, Duration.ofSeconds(60));
        long t1 = System.nanoTime();
        history.add("nemesis", Op.INFO, "restarted", id);
        events.add(new Event(step, List.of(id), t0, t1, ok, evidence + "; restarted as pid " + cluster.pid(id) + ", /health 200"));
    }

    private void pause(Step step) throws Exception {
        String id = target(step);
        pauseNodes(step, List.of(id));
    }

    private void pauseFollowers(Step step) throws Exception {
        Optional<String> leader = leader();
        String l = leader.orElseGet(() -> {
            log.accept("step " + step.index() + ": leader of partition " + partition + " unknown for 5 s; treating n"
                    + (step.randomNode() + 1) + " as leader");
            return cluster.nodeIds().get(step.randomNode());
        });
        List<String> followers = cluster.nodeIds().stream().filter(n -> !n.equals(l)).toList();
        pauseNodes(step, followers);
    }

    private void pauseNodes(Step step, List<String> ids) throws Exception {
        long t0 = System.nanoTime();
        long holdUntil = t0 + TimeUnit.MILLISECONDS.toNanos(step.holdMs());
        StringBuilder evidence = new StringBuilder();
        boolean ok = true;
        try {
            for (String id : ids) {
                history.add("nemesis", Op.INFO, "pause", id);
                cluster.pause(id);
            }
            Cluster.sleep(200);
            for (String id : ids) {
                char state = cluster.procState(id);
                long p0 = System.nanoTime();
                boolean answered = cluster.healthy(id, 800);
                long probeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - p0);
                boolean stopped = state == 'T' && !answered;
                ok &= stopped;
                evidence.append(id).append(" pid ").append(cluster.pid(id)).append(" state=").append(state)
                        .append(answered ? " /health ANSWERED" : " /health silent for " + probeMs + " ms").append("; ");
            }
            sleepUntil(holdUntil);
        } finally {
            for (String id : ids) {
                if (cluster.isPaused(id)) {
                    cluster.resume(id);
                    history.add("nemesis", Op.INFO, "resume", id);
                }
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (String id : ids) cluster.awaitHealthy(id, deadline);
        long t1 = System.nanoTime();
        evidence.append("resumed, /health 200 again");
        events.add(new Event(step, ids, t0, t1, ok, evidence.toString()));
    }

    /** Cuts the links of the step's shape, checks the cut from inside the namespaces, holds, heals, checks again. */
    private void partition(Step step) throws Exception {
        Network net = cluster.network();
        List<String> ids = cluster.nodeIds();
        List<int[]> cuts = new ArrayList<>();
        int[] kept = null;
        String desc;
        if (step.kind().equals("isolate")) {
            int isolated = cluster.spec(target(step)).index();
            for (int i = 0; i < ids.size(); i++) {
                if (i != isolated) cuts.add(new int[]{isolated, i});
            }
            desc = ids.get(isolated) + " | " + ids.stream().filter(n -> !n.equals(ids.get(isolated))).toList();
        } else {
            int bridge = step.randomNode();
            List<Integer> ends = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                if (i != bridge) ends.add(i);
            }
            cuts.add(new int[]{ends.get(0), ends.get(1)});
            kept = new int[]{bridge, ends.get(0)};
            desc = ids.get(ends.get(0)) + " x " + ids.get(ends.get(1)) + ", both see " + ids.get(bridge);
        }
        long t0 = System.nanoTime();
        history.add("nemesis", Op.INFO, "partition", desc);
        log.accept("partition: " + desc);
        StringBuilder evidence = new StringBuilder();
        boolean ok = true;
        try {
            for (int[] c : cuts) net.cut(c[0], c[1]);
            for (int[] c : cuts) {
                boolean connected = connects(c[0], c[1]);
                ok &= !connected;
                evidence.append(ids.get(c[0])).append("->").append(ids.get(c[1])).append(connected ? " CONNECTED; " : " blocked; ");
            }
            if (kept != null) {
                boolean connected = connects(kept[0], kept[1]);
                ok &= connected;
                evidence.append(ids.get(kept[0])).append("->").append(ids.get(kept[1])).append(connected ? " open; " : " BLOCKED; ");
            }
            sleepUntil(t0 + TimeUnit.MILLISECONDS.toNanos(step.holdMs()));
        } finally {
            net.healAll();
            history.add("nemesis", Op.INFO, "heal-partition", desc);
            log.accept("healed partition: " + desc);
        }
        int[] probe = cuts.get(0);
        boolean back = connects(probe[0], probe[1]);
        ok &= back;
        evidence.append(back ? "healed: " + ids.get(probe[0]) + "->" + ids.get(probe[1]) + " connects again"
                : "NOT HEALED: " + ids.get(probe[0]) + "->" + ids.get(probe[1]) + " still blocked");
        events.add(new Event(step, cuts.stream().map(c -> ids.get(c[0]) + "-" + ids.get(c[1])).toList(), t0, System.nanoTime(), ok,
                evidence.toString()));
    }

    /** Hands the partition's leadership to a node other than its leader; evidence: the routing table agrees. */
    private void transfer(Step step) {
        String from = leader().orElse(null);
        List<String> others = cluster.nodeIds().stream().filter(n -> !n.equals(from)).toList();
        String to = others.get(step.randomNode() % others.size());
        long t0 = System.nanoTime();
        history.add("nemesis", Op.INFO, "transfer", partition + ":" + from + "->" + to);
        String evidence;
        boolean ok;
        try {
            cluster.admin().transferLeadership(partition, to);
            String now = cluster.leaderOf(partition).orElse("unknown");
            ok = now.equals(to);
            evidence = "partition " + partition + " leader " + from + " -> " + to + "; routing table now names " + now;
        } catch (RuntimeException e) {
            // A transfer can be refused (the target lagged, an election intervened); that is not a harness failure.
            ok = false;
            evidence = "transfer " + from + " -> " + to + " refused: " + e.getMessage();
        }
        log.accept("transfer: " + evidence);
        events.add(new Event(step, List.of(to), t0, System.nanoTime(), ok, evidence));
    }

    /** Moves one node's clock by the step's offset for the hold time, then back; evidence: the node logged both. */
    private void clockJump(Step step) throws Exception {
        String id = target(step);
        java.nio.file.Path nodeLog = cluster.spec(id).log();
        long t0 = System.nanoTime();
        long offset0 = java.nio.file.Files.size(nodeLog);
        history.add("nemesis", Op.INFO, "clock", id + ":" + step.offsetMs());
        cluster.setClockOffset(id, step.offsetMs());
        boolean jumped = awaitLog(nodeLog, offset0, "offset now " + step.offsetMs() + " ms", 3000);
        long offset1 = java.nio.file.Files.size(nodeLog);
        sleepUntil(t0 + TimeUnit.MILLISECONDS.toNanos(step.holdMs()));
        cluster.setClockOffset(id, 0);
        history.add("nemesis", Op.INFO, "clock", id + ":0");
        boolean back = awaitLog(nodeLog, offset1, "offset now 0 ms", 3000);
        events.add(new Event(step, List.of(id), t0, System.nanoTime(), jumped && back, id + "'s clock "
                + (jumped ? "jumped by " + step.offsetMs() + " ms (node log)" : "DID NOT JUMP (no log line)") + ", "
                + (back ? "then back to 0" : "NOT BACK to 0")));
    }

    /**
     * Kills the nodes, drops every write their disks had not fsynced, holds, restarts them. Evidence: each node's
     * process is gone and its lossyfs reported the drop.
     */
    private void powerLoss(Step step, List<String> ids) throws Exception {
        long t0 = System.nanoTime();
        StringBuilder evidence = new StringBuilder();
        if (cluster.disksLie()) { // red gate: acknowledge for a while without a durable Raft log, then lose power
            for (String id : ids) cluster.startLying(id);
            Cluster.sleep(LYING_MS);
            evidence.append("disks lied about the Raft log's fsync for ").append(LYING_MS).append(" ms; ");
        }
        for (String id : ids) {
            history.add("nemesis", Op.INFO, "power-loss", id);
            evidence.append(id).append(": killed (").append(cluster.kill(id)).append("); ");
        }
        for (String id : ids) evidence.append(id).append(" dropped unsynced writes: ").append(cluster.powerLoss(id)).append("; ");
        Cluster.sleep(step.holdMs());
        for (String id : ids) history.add("nemesis", Op.INFO, "restart", id);
        cluster.restartAll(ids, Duration.ofSeconds(90));
        for (String id : ids) history.add("nemesis", Op.INFO, "restarted", id);
        evidence.append("restarted, /health 200");
        events.add(new Event(step, ids, t0, System.nanoTime(), true, evidence.toString()));
    }

    private static boolean awaitLog(java.nio.file.Path log, long offset, String text, long timeoutMs) throws java.io.IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            if (logSince(log, offset).contains(text)) return true;
            if (System.nanoTime() > deadline) return false;
            Cluster.sleep(100);
        }
    }

    /**
     * Kills a follower, keeps it down while the leader snapshots and purges past it, restarts it, and waits
     * for its log to show it restored a checkpoint sent by the leader.
     */
    private void snapshotInstall(Step step) throws Exception {
        String leader = leader().orElse(null);
        String id = cluster.nodeIds().get(step.randomNode());
        if (id.equals(leader)) {
            id = cluster.nodeIds().get((step.randomNode() + 1) % cluster.nodeIds().size());
        }
        long t0 = System.nanoTime();
        history.add("nemesis", Op.INFO, "kill", id);
        String killed = cluster.kill(id);
        Cluster.sleep(step.holdMs());
        long logOffset = java.nio.file.Files.size(cluster.spec(id).log());
        history.add("nemesis", Op.INFO, "restart", id);
        cluster.restart(id, Duration.ofSeconds(60));
        boolean installed = awaitLog(cluster.spec(id).log(), logOffset, INSTALLED, 30_000);
        history.add("nemesis", Op.INFO, "restarted", id);
        events.add(new Event(step, List.of(id), t0, System.nanoTime(), installed, "follower " + id + " killed (" + killed
                + "), down " + step.holdMs() + " ms, restarted; " + (installed ? "its log shows \"" + INSTALLED + "\""
                : "NO snapshot install in its log within 30 s")));
    }

    private static String logSince(java.nio.file.Path log, long offset) throws java.io.IOException {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(log.toFile(), "r")) {
            long length = f.length();
            if (length <= offset) return "";
            byte[] bytes = new byte[(int) Math.min(length - offset, 16L << 20)];
            f.seek(offset);
            f.readFully(bytes);
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** A TCP connect from node {@code from}'s namespace to node {@code to}'s Raft port. */
    private boolean connects(int from, int to) throws Exception {
        Cluster.NodeSpec target = cluster.spec(cluster.nodeIds().get(to));
        return cluster.network().canConnect(from, target.host(), target.raftPort(), 1000);
    }

    static void sleepUntil(long nanos) {
        long ms = TimeUnit.NANOSECONDS.toMillis(nanos - System.nanoTime());
        if (ms > 0) Cluster.sleep(ms);
    }
}
