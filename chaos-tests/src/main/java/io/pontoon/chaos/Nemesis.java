package io.pontoon.chaos;

import io.pontoon.chaos.FaultSchedule.Step;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a {@link FaultSchedule} against a {@link Cluster}: each step's fault, its heal, and the <b>evidence</b>
 * that the fault happened: for a kill, the OS no longer has the pid; for a pause, /proc reports the process
 * stopped ('T') and its /health stops answering; for a partition, a connection across each cut fails (from inside
 * the namespace, or through the link proxy as that node, which also counts the node connections it refused and
 * severed), one across a kept link works, and after healing the cut links connect again; for a transfer, the
 * routing table names the new leader; for a clock jump, the node's log shows the new offset and then 0 again; for
 * a power loss, lossyfs reports the drop; for snapshot churn, the restarted follower's log shows the install.
 * Which node "the leader" is gets decided at run time from the routing table and logged.
 */
public final class Nemesis {
    /** How long a red-gate lying disk acknowledges without a durable Raft log before the power loss. */
    static final long LYING_MS = 3000;
    /** What a follower logs when it restores a checkpoint the leader sent it (PontoonStateMachine). */
    static final String INSTALLED = "reinitialized from installed checkpoint";

    /** What actually happened for one step. */
    public record Event(Step step, List<String> nodes, long startNanos, long endNanos, boolean evidenceOk,
                        String evidence) {
        @Override
        public String toString() {
            return step.kind() + " " + nodes + " (" + TimeUnit.NANOSECONDS.toMillis(endNanos - startNanos) + " ms): "
                    + (evidenceOk ? "evidence ok: " : "EVIDENCE MISSING: ") + evidence;
        }
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
            // A snapshot step proves something only if the producers write while its follower is down (the leader must
            // snapshot and purge past it): one that would outlast the fault phase, when they stop, is not started.
            boolean outlasts = "snapshot".equals(step.kind()) && startAt + TimeUnit.MILLISECONDS.toNanos(step.holdMs()) >= deadlineNanos;
            if (startAt >= deadlineNanos || outlasts) {
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
        return leaderOnce(l -> true);
    }

    /**
     * The partition leader per the routing table once it satisfies {@code wanted}, else what the table says after
     * 5 s: there is none during an election, and the node answering may learn of a new leader a moment late.
     */
    private Optional<String> leaderOnce(java.util.function.Predicate<String> wanted) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            Optional<String> l = cluster.leaderOf(partition);
            if (l.filter(wanted).isPresent() || System.nanoTime() > deadline) return l;
            Cluster.sleep(100);
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
            sleepUntil(t0 + TimeUnit.MILLISECONDS.toNanos(step.holdMs()));
            for (int[] c : cuts) {
                String traffic = net.trafficOnLink(c[0], c[1]);
                if (!traffic.isEmpty()) evidence.append(ids.get(c[0])).append("-").append(ids.get(c[1])).append(": ").append(traffic).append("; ");
            }
            if (kept != null) {
                boolean connected = connects(kept[0], kept[1]);
                ok &= connected;
                evidence.append(ids.get(kept[0])).append("->").append(ids.get(kept[1])).append(connected ? " open; " : " BLOCKED; ");
            }
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
            String now = leaderOnce(to::equals).orElse("unknown");
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

    /** A connection from node {@code from} to node {@code to}'s Raft port, as the {@link Network} can make one. */
    private boolean connects(int from, int to) throws Exception {
        Cluster.NodeSpec target = cluster.spec(cluster.nodeIds().get(to));
        return cluster.network().canConnect(from, target.host(), target.raftPort(), 1000);
    }

    static void sleepUntil(long nanos) {
        long ms = TimeUnit.NANOSECONDS.toMillis(nanos - System.nanoTime());
        if (ms > 0) Cluster.sleep(ms);
    }
}
