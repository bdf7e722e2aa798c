package io.pontoon.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The long chaos profile: {@code ChaosMain [--runs N] [--duration S] [--faults kill,pause,pause-followers]
 * [--seed S] [--workloads W-Q,W-F,W-S,W-T] [--network auto|loopback] [--tls-auth] [--out DIR] [--report FILE] [--seeded-bug NAME]}. Runs N
 * runs of each workload per fault family and writes a Markdown report table. Exit status 0 if every run is VALID, 1 otherwise, 2 on bad usage.
 */
public final class ChaosMain {
    /** The seeded bug of the lossy disks (power-loss families): fsync succeeds and keeps nothing. */
    static final String DISK_BUG = "disk-ignores-fsync";
    private ChaosMain() {
    }

    public static void main(String[] args) throws Exception {
        int runs = 1;
        int duration = 60;
        List<String> workloads = List.of("W-Q", "W-F", "W-S", "W-T");
        List<String> families = FaultSchedule.FAMILIES.subList(1, FaultSchedule.FAMILIES.size()); // all but "none"
        long seed = System.currentTimeMillis();
        Path out = Path.of("chaos-tests/target/chaos");
        Path report = Path.of("chaos-tests/target/chaos-report.md");
        List<String> nodeArgs = new ArrayList<>();
        boolean lyingDisks = false;
        boolean secure = false;
        Network.Preference network = Network.Preference.NETNS_IF_ROOT;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--runs" -> { runs = Integer.parseInt(need(a, v)); i++; }
                case "--duration" -> { duration = Integer.parseInt(need(a, v)); i++; }
                case "--faults" -> { families = List.of(need(a, v).split(",")); i++; }
                case "--seed" -> { seed = Long.parseLong(need(a, v)); i++; }
                case "--out" -> { out = Path.of(need(a, v)); i++; }
                case "--report" -> { report = Path.of(need(a, v)); i++; }
                case "--seeded-bug" -> {
                    // disk-ignores-fsync is a bug of the (FUSE) disk, not of the node
                    if (DISK_BUG.equals(need(a, v))) lyingDisks = true;
                    else nodeArgs.add("--test.seeded.bug=" + v);
                    i++;
                }
                case "--workloads" -> { workloads = List.of(need(a, v).split(",")); i++; }
                case "--tls-auth" -> secure = true;
                case "--network" -> {
                    switch (need(a, v)) {
                        case "auto" -> network = Network.Preference.NETNS_IF_ROOT;
                        case "loopback" -> network = Network.Preference.LOOPBACK;
                        default -> usage("--network is auto (namespaces when root) or loopback (link proxy)");
                    }
                    i++;
                }
                default -> usage("unknown argument " + a);
            }
        }
        for (String f : families) {
            if (!FaultSchedule.FAMILIES.contains(f)) usage("unknown fault family " + f + " (known: " + FaultSchedule.FAMILIES + ")");
        }
        for (String w : workloads) {
            if (!List.of("W-Q", "W-F", "W-S", "W-T").contains(w)) usage("unknown workload " + w + " (known: W-Q, W-F, W-S, W-T)");
        }
        if (runs < 1 || duration < 5) usage("--runs must be >= 1 and --duration >= 5");
        if (secure && workloads.stream().anyMatch(w -> w.equals("W-S") || w.equals("W-T"))) {
            usage("--tls-auth runs the queue workloads only: add --workloads W-Q,W-F");
        }

        System.out.println("chaos long profile: " + runs + " run(s) x " + duration + " s per family " + families
                + ", base seed " + seed + "; network " + (network == Network.Preference.LOOPBACK ? "loopback (link proxy)"
                : "netns when root, else loopback (link proxy)"));
        Map<String, List<ChaosRun.Result>> byFamily = new LinkedHashMap<>();
        Instant started = Instant.now();
        int n = 0;
        for (String workload : workloads) for (String family : families) {
            for (int r = 0; r < runs; r++) {
                long runSeed = seed + n++;
                ChaosRun.Config c0 = ChaosRun.Config.of(family, runSeed, Duration.ofSeconds(duration), out).withNodeArgs(nodeArgs)
                        .withNetwork(network);
                if (lyingDisks) c0 = c0.withLyingDisks();
                ChaosRun.Config c = switch (workload) {
                    case "W-F" -> c0.withFifo();
                    case "W-S" -> c0.withStream();
                    case "W-T" -> c0.withTopic();
                    default -> c0;
                };
                if (secure) c = c.withTlsAndAuth();
                ChaosRun.Result result;
                try {
                    result = ChaosRun.run(c, System.out);
                } catch (Exception e) {
                    System.out.println("chaos: family=" + family + " seed=" + runSeed + " run ERROR: " + e);
                    e.printStackTrace(System.out);
                    result = null;
                }
                byFamily.computeIfAbsent(workload + " / " + family, k -> new ArrayList<>()).add(result);
            }
        }
        String table = table(byFamily, started, duration, seed);
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, table);
        System.out.println();
        System.out.println(table);
        System.out.println("report: " + report.toAbsolutePath());
        boolean allValid = byFamily.values().stream().flatMap(List::stream)
                .allMatch(r -> r != null && r.verdict() == ChaosRun.Verdict.VALID);
        System.exit(allValid ? 0 : 1);
    }

    static String table(Map<String, List<ChaosRun.Result>> byFamily, Instant started, int duration, long seed) {
        StringBuilder b = new StringBuilder();
        b.append("# Chaos report\n\n");
        b.append("Started ").append(started).append("; workloads W-Q (standard queue, total-queue), W-F (FIFO queue: total-queue, per-group order, dedup across retries), W-S (stream resharded under the faults: every acknowledged record read where it was acknowledged, one order per shard for every reader, lineage and per-key order) and W-T (topic fanned out to three queues, one filtered, and an HTTP endpoint: every acknowledged publish in every matching subscription, queues exactly once, HTTP at least once, nothing past a filter; acked counts publishes); ")
                .append(duration).append(" s fault phase per run; base seed ").append(seed).append(".\n");
        b.append("Mode: 3 node JVMs; ").append(modes(byFamily)).append(".\n\n");
        b.append("| workload / fault family | runs | ops | acked | lost | duplicates | anomalies | verdict |\n");
        b.append("|---|---|---|---|---|---|---|---|\n");
        List<String> details = new ArrayList<>();
        for (Map.Entry<String, List<ChaosRun.Result>> e : byFamily.entrySet()) {
            int runs = e.getValue().size();
            long ops = 0;
            long acked = 0;
            long lost = 0;
            long dups = 0;
            long anomalies = 0;
            int valid = 0;
            int invalid = 0;
            int unknown = 0;
            for (ChaosRun.Result r : e.getValue()) {
                if (r == null) {
                    unknown++;
                    anomalies++;
                    continue;
                }
                ops += r.ops();
                acked += r.check().acked();
                lost += r.check().lost().size();
                dups += r.check().duplicates();
                anomalies += r.anomalies().size() + r.evidenceProblems().size();
                switch (r.verdict()) {
                    case VALID -> valid++;
                    case INVALID -> invalid++;
                    case UNKNOWN -> unknown++;
                }
                details.add("- " + r.summaryLine().replace("chaos: ", ""));
                for (String reason : r.reasons()) details.add("  - " + reason);
            }
            String verdict = invalid > 0 ? "INVALID (" + invalid + "/" + runs + ")"
                    : unknown > 0 ? "UNKNOWN (" + unknown + "/" + runs + ")" : "VALID (" + valid + "/" + runs + ")";
            b.append("| ").append(e.getKey()).append(" | ").append(runs).append(" | ").append(ops).append(" | ")
                    .append(acked).append(" | ").append(lost).append(" | ").append(dups).append(" | ")
                    .append(anomalies).append(" | ").append(verdict).append(" |\n");
        }
        b.append("\nRuns:\n\n");
        details.forEach(d -> b.append(d).append('\n'));
        return b.toString();
    }

    /** The network modes the runs used. */
    private static String modes(Map<String, List<ChaosRun.Result>> byFamily) {
        return byFamily.values().stream().flatMap(List::stream).filter(java.util.Objects::nonNull)
                .map(ChaosRun.Result::networkMode).distinct().sorted().collect(java.util.stream.Collectors.joining(", ", "network ", ""));
    }

    private static String need(String flag, String value) {
        if (value == null) usage(flag + " needs a value");
        return value;
    }

    private static void usage(String problem) {
        System.err.println("chaos: " + problem);
        System.err.println("usage: ChaosMain [--runs N] [--duration S] [--faults " + String.join(",", FaultSchedule.FAMILIES.subList(1, FaultSchedule.FAMILIES.size())) + "] [--seed S] "
                + "[--workloads W-Q,W-F,W-S,W-T] [--network auto|loopback] [--tls-auth] [--out DIR] [--report FILE] [--seeded-bug ack-without-replication|" + DISK_BUG + "]");
        System.exit(2);
    }

}
