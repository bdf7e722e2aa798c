package io.pontoon.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One node's data directory on {@code lossyfs} (chaos-tests/src/main/c): a FUSE passthrough that keeps written
 * data volatile until it is fsynced. {@link #powerLoss()} drops everything not yet fsynced, as a power cut would;
 * the node must be dead (kill -9) when it is called and is restarted on the same mount afterwards. This is the
 * fault that made NATS JetStream lose acknowledged writes in Jepsen's 2025 analysis.
 */
final class LossyDisk implements AutoCloseable {
    private static final String READY = "LOSSYFS READY";
    private static final String POWER_LOSS = "LOSSYFS POWER-LOSS";

    private final Path mount;
    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private LossyDisk(Path mount, Process process, Consumer<String> log) {
        this.mount = mount;
        this.process = process;
        Thread.ofPlatform().daemon().name("lossyfs-" + mount.getFileName()).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("LOSSYFS WARN")) log.accept(mount.getFileName() + ": " + line);
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
    }

    /**
     * The lossyfs binary, built by {@code scripts/lossyfs-build} (libfuse3 comes from {@code scripts/setup};
     * nothing is installed here), or a one-line reason why there is none. Override with {@code -Dchaos.lossyfs=/path/to/lossyfs}.
     * Found once per JVM: building and probing again for every cluster would only repeat the answer.
     */
    static synchronized Availability locate() {
        if (located == null) located = find();
        return located;
    }

    private static Availability located;

    private static Availability find() {
        String explicit = System.getProperty("chaos.lossyfs");
        if (explicit != null && !explicit.isBlank()) return new Availability(Path.of(explicit), null);
        if (!Files.exists(Path.of("/dev/fuse"))) return new Availability(null, "no /dev/fuse on this machine");
        Path script = null;
        for (Path dir = Path.of("").toAbsolutePath(); dir != null && script == null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("scripts/lossyfs-build"))) script = dir.resolve("scripts/lossyfs-build");
        }
        if (script == null) return new Availability(null, "scripts/lossyfs-build not found above " + Path.of("").toAbsolutePath());
        try {
            Process p = new ProcessBuilder(script.toString()).redirectErrorStream(true).start();
            List<String> out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
                return new Availability(null, "scripts/lossyfs-build failed: " + (out.isEmpty() ? "no output" : out.get(out.size() - 1)));
            }
            return probe(Path.of(out.get(out.size() - 1).trim()));
        } catch (IOException e) {
            return new Availability(null, "cannot run scripts/lossyfs-build: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Availability(null, "interrupted while building lossyfs");
        }
    }

    /** A binary that builds is not enough (a container may refuse FUSE mounts): mount a scratch dir once. */
    private static Availability probe(Path binary) {
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("lossyfs-probe");
            try (LossyDisk disk = mount(binary, scratch.resolve("backing"), scratch.resolve("mnt"), false, line -> { })) {
                return new Availability(binary, null);
            }
        } catch (IOException | RuntimeException e) {
            return new Availability(null, "lossyfs cannot mount here: " + e.getMessage());
        } finally {
            if (scratch != null) deleteQuietly(scratch);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a scratch dir in /tmp
        }
    }

    /** Either a binary or the reason there is none. */
    record Availability(Path binary, String unavailableBecause) {
        boolean available() {
            return binary != null;
        }
    }

    /**
     * Mounts {@code backing} on {@code mount} (both created if missing) and waits until the mount serves.
     *
     * @param ignoreFsync the red gate's lying disk: once {@link #startLying()} is called, fsync of the Raft log's
     *                    open segment ({@code log_inprogress_*}) succeeds and keeps nothing until the next power
     *                    loss, so nodes acknowledge entries that are not durable (NATS JetStream's bug in Jepsen
     *                    2025) and a power loss of all nodes erases them
     */
    static LossyDisk mount(Path binary, Path backing, Path mount, boolean ignoreFsync, Consumer<String> log) throws IOException {
        Files.createDirectories(backing);
        Files.createDirectories(mount);
        ProcessBuilder pb = new ProcessBuilder(binary.toString(), backing.toString(), mount.toString()).redirectErrorStream(true);
        if (ignoreFsync) pb.environment().put("LOSSYFS_IGNORE_FSYNC", "log_inprogress");
        Process p = pb.start();
        LossyDisk disk = new LossyDisk(mount, p, log);
        if (disk.await(READY, 10) == null) {
            disk.close();
            throw new IOException("lossyfs did not mount " + mount + " within 10 s");
        }
        return disk;
    }

    /** Drops every write not yet fsynced; returns lossyfs's report ("files=N bytes=M"). */
    String powerLoss() throws IOException {
        lines.clear();
        Signals.send(process.pid(), "USR1");
        String line = await(POWER_LOSS, 10);
        if (line == null) throw new IOException("lossyfs on " + mount + " did not report the power loss within 10 s");
        return line.substring(POWER_LOSS.length()).trim();
    }

    /** A lying disk (mounted with ignoreFsync) starts lying: the Raft log's fsyncs keep nothing until the next power loss. */
    void startLying() throws IOException {
        lines.clear();
        Signals.send(process.pid(), "USR2");
        if (await("LOSSYFS LYING", 10) == null) throw new IOException("lossyfs on " + mount + " did not start lying within 10 s");
    }

    private String await(String prefix, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try {
            while (System.nanoTime() < deadline && process.isAlive()) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && line.startsWith(prefix)) return line;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    /** Unmounts (the node using it must be stopped first) and ends lossyfs. */
    @Override
    public void close() {
        try {
            new ProcessBuilder("fusermount3", "-u", "-z", mount.toString()).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // fall through: ending lossyfs unmounts too
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
