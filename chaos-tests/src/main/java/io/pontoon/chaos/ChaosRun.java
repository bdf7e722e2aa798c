package io.pontoon.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One chaos run: start a 3-node cluster, run workload W-Q (standard queue), W-F (FIFO queue), W-S (stream) or W-T
 * (topic) under one fault family for the fault phase, heal, drain, then check the history (total-queue; for W-F also
 * group order and deduplication; for W-S one order per shard that every reader sees; for W-T each acknowledged
 * publish in every subscription its filter matches, queues exactly once) and the nemesis evidence.
 *
 * <p>Verdict: INVALID if a safety or liveness anomaly was found (lost or unexpected values, a node that
 * exited on its own or did not recover, an incomplete drain); otherwise UNKNOWN if the run cannot vouch
 * for itself (a scheduled fault whose evidence is missing, no fault executed, or no acknowledged send);
 * otherwise VALID.
 */
public final class ChaosRun {
    /** Slack for the lease checker: the nodes and the harness share one host clock, so only scheduling noise. */
    static final long LEASE_CLOCK_BOUND_MS = 250;

    public enum Verdict { VALID, INVALID, UNKNOWN }

    /** Which workload a run drives: the queue workloads (W-Q, or W-F with FIFO settings), the stream (W-S) or the topic (W-T). */
    public enum Kind { QUEUE, STREAM, TOPIC }

    /**
     * One run's settings. {@code network}: namespaces where the harness may create them, or loopback with the
     * link proxy; {@code lyingDisks}: the power-loss red gate (the lossy disks' fsync keeps nothing).
     */
    public record Config(String family, long seed, Duration faultPhase, QueueWorkload.Settings workload, Kind kind,
                         int drainEmptyPolls, Duration drainQuiet, Duration drainDeadline, List<String> nodeArgs,
                         Path baseDir, boolean lyingDisks, Network.Preference network, boolean secure) {
        /** CI-sized defaults: 3 producers, 2 consumers, visibility 5 s, drain quiet 8 s, drain deadline 120 s. */
        public static Config of(String family, long seed, Duration faultPhase, Path baseDir) {
            return new Config(family, seed, faultPhase, new QueueWorkload.Settings(3, 2, 5, 5, false), Kind.QUEUE,
                    5, Duration.ofSeconds(8), Duration.ofSeconds(120), List.of(), baseDir, false, Network.Preference.NETNS_IF_ROOT, false);
        }

        /** Workload W-F instead of W-Q. */
        public Config withFifo() {
            return with(workload.withFifo(true), Kind.QUEUE, nodeArgs, lyingDisks, network);
        }

        /** Workload W-S (a stream resharded under the faults) instead of W-Q. */
        public Config withStream() {
            return with(workload, Kind.STREAM, nodeArgs, lyingDisks, network);
        }

        /** Workload W-T (a topic fanned out to queues, one with a filter policy, and to an HTTP endpoint) instead of W-Q. */
        public Config withTopic() {
            return with(workload, Kind.TOPIC, nodeArgs, lyingDisks, network);
        }

        public String workloadName() {
            return switch (kind) {
                case STREAM -> "W-S";
                case TOPIC -> "W-T";
                case QUEUE -> workload.fifo() ? "W-F" : "W-Q";
            };
        }

        public Config withNodeArgs(List<String> args) {
            return with(workload, kind, args, lyingDisks, network);
        }

        public Config withLyingDisks() {
            return with(workload, kind, nodeArgs, true, network);
        }

        public Config withNetwork(Network.Preference preference) {
            return with(workload, kind, nodeArgs, lyingDisks, preference);
        }

        /** TLS on every node port, mutual TLS between nodes, and auth.mode=sigv4 with signing clients (workload W-Q or W-F only). */
        public Config withTlsAndAuth() {
            if (kind != Kind.QUEUE) {
                throw new IllegalArgumentException("TLS and auth runs use the queue workloads (W-Q, W-F)");
            }
            return new Config(family, seed, faultPhase, workload, kind, drainEmptyPolls, drainQuiet, drainDeadline, nodeArgs, baseDir, lyingDisks,
                    network, true);
        }

        private Config with(QueueWorkload.Settings w, Kind k, List<String> args, boolean lying, Network.Preference net) {
            return new Config(family, seed, faultPhase, w, k, drainEmptyPolls, drainQuiet, drainDeadline, args, baseDir, lying, net, secure);
        }

        /** The workload's clients on a cluster that now serves its resource. */
        Workload open(Cluster cluster, History history, Consumer<String> log) {
            return switch (kind) {
                case STREAM -> StreamWorkload.open(cluster, history, StreamWorkload.Settings.defaults(seed), log);
                case TOPIC -> TopicWorkload.open(cluster, history, TopicWorkload.Settings.defaults(), log);
                case QUEUE -> QueueWorkload.open(cluster, history, workload, log);
            };
        }

        Cluster.Disks disks() {
            return !FaultSchedule.needsLossyDisks(family) ? Cluster.Disks.PLAIN : lyingDisks ? Cluster.Disks.LYING : Cluster.Disks.LOSSY;
        }
    }

    public record Result(Config config, String runId, Path runDir, int ops, TotalQueueChecker.Result check,
                         List<Nemesis.Event> events, List<FaultSchedule.Step> schedule, List<String> anomalies,
                         List<String> evidenceProblems, Verdict verdict, long elapsedMs, long maxAckGapMs, String networkMode) {
        public String summaryLine() {
            return String.format("chaos: workload=%s family=%s ops=%d acked=%d lost=%d (middle=%d) duplicates=%d unexpected=%d "
                            + "recovered=%d faults=%d max-ack-gap=%dms verdict=%s seed=%d run=%s",
                    config.workloadName(), config.family(), ops, check.acked(), check.lost().size(), check.lostMiddle().size(),
                    check.duplicates(), check.unexpected().size(), check.recovered().size(), events.size(), maxAckGapMs, verdict,
                    config.seed(), runDir);
        }

        /** Everything that made the verdict what it is. */
        public List<String> reasons() {
            List<String> r = new ArrayList<>(anomalies);
            r.addAll(evidenceProblems);
            return r;
        }
    }

    private ChaosRun() {
    }

    public static Result run(Config c, PrintStream out) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        String runId = switch (c.kind()) {
            case STREAM -> "stream-";
            case TOPIC -> "topic-";
            case QUEUE -> c.workload().fifo() ? "fifo-" : "";
        } + c.family() + "-" + c.seed() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
        Path runDir = c.baseDir().resolve(runId);
        Files.createDirectories(runDir);
        Path logFile = runDir.resolve("run.log");
        List<String> logLines = java.util.Collections.synchronizedList(new ArrayList<>());
        Consumer<String> log = line -> {
            String l = String.format("[%7.1fs] %s", (System.nanoTime() - t0) / 1e9, line);
            logLines.add(l);
            out.println(l);
        };
        List<FaultSchedule.Step> schedule = FaultSchedule.schedule(c.family(), c.seed(), c.faultPhase());
        log.accept("started at " + java.time.Instant.now() + " (wall clock; node logs carry the same clock)");
        log.accept("run " + runId + ": workload " + switch (c.kind()) {
                    case STREAM -> "W-S (stream: every acknowledged record read, one order per shard)";
                    case TOPIC -> "W-T (topic: every acknowledged publish in every matching queue exactly once and at the HTTP endpoint at least once)";
                    case QUEUE -> c.workload().fifo() ? "W-F (FIFO queue: total-queue, group order, dedup)" : "W-Q (standard queue, total-queue)";
                } + ", fault family " + c.family()
                + ", seed " + c.seed() + ", fault phase " + c.faultPhase().toSeconds() + " s" + (c.secure() ? ", TLS and auth on" : ""));
        if (!nodeArgs(c).isEmpty()) log.accept("node flags: " + nodeArgs(c));
        log.accept("schedule (" + schedule.size() + " steps drawn; execution stops at the end of the fault phase):");
        for (FaultSchedule.Step s : schedule) log.accept("  " + s);

        List<String> anomalies = new ArrayList<>();
        List<String> evidenceProblems = new ArrayList<>();
        Workload.Findings findings;
        java.util.Optional<Long> recoveryMs;
        ReplicaCheck.Result replicas = new ReplicaCheck.Result(List.of(), List.of("not checked"));
        List<Nemesis.Event> events = List.of();
        int ops;
        long maxAckGapMs;
        String networkMode;
        try (History history = new History(runDir.resolve("history.jsonl"));
             Cluster cluster = Cluster.start(runDir, Cluster.Profile.CHAOS, nodeArgs(c), c.disks(), c.network(), c.secure(), log)) {
            log.accept("mode: " + cluster.network().describe() + "; " + cluster.disksMode());
            networkMode = cluster.network().mode().name().toLowerCase(java.util.Locale.ROOT);
            boolean noLossyDisks = FaultSchedule.needsLossyDisks(c.family()) && !cluster.lossyDisks();
            if (noLossyDisks) {
                evidenceProblems.add("fault family " + c.family() + " needs lossy disks (FUSE), unavailable: "
                        + cluster.disksMode() + ": this run tested nothing");
            }
            List<FaultSchedule.Step> steps = noLossyDisks ? List.of() : schedule;
            Workload workload = c.open(cluster, history, log);
            Nemesis nemesis = new Nemesis(cluster, history, workload.partition(), log);
            try {
                workload.start();
                long faultEnd = System.nanoTime() + c.faultPhase().toNanos();
                Thread nem = Thread.ofPlatform().name("chaos-nemesis").start(() -> nemesis.run(steps, faultEnd));
                Nemesis.sleepUntil(faultEnd);
                log.accept("fault phase over; stopping producers");
                workload.stopProducers();
                if (!nem.join(Duration.ofSeconds(120))) anomalies.add("nemesis did not finish its last step within 120 s");
                events = nemesis.events();
                anomalies.addAll(nemesis.failures());
                log.accept("healing: resume paused nodes, restart dead ones, wait for /health on all");
                try {
                    cluster.heal(Duration.ofSeconds(90));
                    history.add("nemesis", Op.INFO, "healed", null);
                } catch (RuntimeException e) {
                    anomalies.add("heal failed (a node did not recover): " + e.getMessage());
                }
                log.accept("final drain: " + c.drainEmptyPolls() + "+ empty polls and " + c.drainQuiet().toSeconds()
                        + " s without a message, deadline " + c.drainDeadline().toSeconds() + " s");
                if (!workload.drain(c.drainEmptyPolls(), c.drainQuiet(), c.drainDeadline())) {
                    anomalies.add("final drain did not complete within " + c.drainDeadline().toSeconds()
                            + " s (liveness: the readers kept finding new data or failing)");
                }
                workload.stopConsumers();
                replicas = ReplicaCheck.check(cluster.admin(), workload.checkedPartitions(), cluster.nodeIds().size(),
                        Duration.ofSeconds(30));
                anomalies.addAll(replicas.anomalies());
            } finally {
                workload.close();
            }
            anomalies.addAll(cluster.unexpectedExits());
            int leaked = cluster.network().unidentifiedConnections();
            if (leaked > 0 && FaultSchedule.needsPartitions(c.family())) {
                evidenceProblems.add("the link proxy let " + leaked + " connections through without knowing their node: "
                        + "a partition may have leaked");
            }
            List<Op> ops0 = history.ops();
            ops = (int) ops0.stream().filter(o -> Op.INVOKE.equals(o.type())).count();
            findings = workload.check(ops0, LEASE_CLOCK_BOUND_MS + FaultSchedule.clockBoundMs(c.family()));
            maxAckGapMs = maxAckGapMs(findings.sendsAndReceives());
            RecoveryCheck.anomaly(findings.sendsAndReceives()).ifPresent(anomalies::add);
            recoveryMs = RecoveryCheck.recoveryMs(findings.sendsAndReceives());
        }
        TotalQueueChecker.Result check = findings.total();
        if (!check.lost().isEmpty()) {
            anomalies.add("lost " + check.lost().size() + " acknowledged messages (prefix " + check.lostPrefix().size()
                    + ", middle " + check.lostMiddle().size() + ", postfix " + check.lostPostfix().size() + "): "
                    + abbreviate(check.lost()));
        }
        anomalies.addAll(findings.anomalies());
        if (!check.unexpected().isEmpty()) {
            anomalies.add("unexpected values (received, never sent): " + abbreviate(check.unexpected()));
        }
        for (Nemesis.Event e : events) {
            if (!e.evidenceOk()) evidenceProblems.add("no evidence that fault step #" + e.step().index() + " happened: " + e);
        }
        if (!c.family().equals("none") && events.isEmpty()) evidenceProblems.add("no fault was executed during the fault phase");
        if (check.acked() == 0) evidenceProblems.add("no send was acknowledged: the run proves nothing");

        Verdict verdict = !anomalies.isEmpty() ? Verdict.INVALID : !evidenceProblems.isEmpty() ? Verdict.UNKNOWN : Verdict.VALID;
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        Result result = new Result(c, runId, runDir, ops, check, events, schedule, anomalies, evidenceProblems, verdict, elapsed, maxAckGapMs, networkMode);
        log.accept("faults executed:");
        for (Nemesis.Event e : events) log.accept("  " + e);
        findings.report().forEach(log);
        log.accept(replicas.describe());
        log.accept("recovery: first successful receive " + recoveryMs.map(ms -> ms + " ms after the heal").orElse("NEVER after the heal")
                + " (bound " + RecoveryCheck.BOUND_MS + " ms)");
        log.accept("longest stretch without an acknowledged send during the faults (informational): " + result.maxAckGapMs() + " ms");
        if (!check.recovered().isEmpty()) log.accept("recovered (info sends later received): " + abbreviate(check.recovered()));
        for (String r : result.reasons()) log.accept("reason: " + r);
        writeTimeline(runDir, result, log);
        log.accept(result.summaryLine());
        Files.write(logFile, logLines);
        return result;
    }

    /** The run's picture (faults, throughput, latencies) beside its history; a failure to draw it is logged, not fatal. */
    private static void writeTimeline(Path runDir, Result result, Consumer<String> log) {
        try {
            Path file = runDir.resolve("timeline.svg");
            Files.writeString(file, Timeline.svg(result.config().workloadName() + " / " + result.config().family() + ", seed "
                    + result.config().seed() + ": " + result.verdict(), History.read(runDir.resolve("history.jsonl"))));
            log.accept("timeline: " + file);
        } catch (IOException | RuntimeException e) {
            log.accept("timeline not drawn: " + e);
        }
    }

    /** The family's own node flags, then the run's. */
    private static List<String> nodeArgs(Config c) {
        List<String> args = new ArrayList<>(FaultSchedule.nodeArgs(c.family()));
        args.addAll(c.nodeArgs());
        return args;
    }

    /** The longest time between consecutive ok sends, from the first to the last (a liveness indicator). */
    static long maxAckGapMs(List<Op> history) {
        long prev = -1;
        long max = 0;
        for (Op op : history) {
            if (!"send".equals(op.f()) || !Op.OK.equals(op.type())) continue;
            if (prev >= 0) max = Math.max(max, op.time() - prev);
            prev = op.time();
        }
        return TimeUnit.NANOSECONDS.toMillis(max);
    }

    static String abbreviate(List<String> values) {
        return values.size() <= 20 ? values.toString()
                : values.subList(0, 20) + " ... (" + (values.size() - 20) + " more)";
    }
}
