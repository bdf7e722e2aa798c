package io.pontoon.raft;

import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Snapshots as checkpoint directories inside Ratis's state-machine dir ({@code <group>/sm}):
 * {@code checkpoint-<term>-<index>/}. The live state is kept elsewhere, because Ratis replaces the whole
 * state-machine dir when a follower installs a snapshot from the leader.
 *
 * <p>A checkpoint is written to {@code *.tmp} and renamed when complete, then the directory is fsynced,
 * so a listed checkpoint is always whole. Ratis's install writes a {@code .md5} file beside each received
 * file; those are not part of the state and are skipped.
 */
final class CheckpointStorage implements StateMachineStorage {
    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d+)-(\\d+)");
    private static final int MIN_RETAINED = 2;

    private volatile Path smDir;
    private volatile FileListSnapshotInfo latest;

    @Override
    public void init(RaftStorage raftStorage) throws IOException {
        smDir = raftStorage.getStorageDir().getStateMachineDir().toPath();
        Files.createDirectories(smDir);
        refresh();
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        return latest;
    }

    FileListSnapshotInfo latest() {
        return latest;
    }

    @Override
    public void format() {
    }

    /** Re-reads the directory: after a checkpoint was added, or after Ratis installed one from the leader. */
    void refresh() throws IOException {
        Optional<Path> newest = checkpoints().stream().findFirst();
        latest = newest.isEmpty() ? null : describe(newest.get());
    }

    Path dirFor(TermIndex ti) {
        return smDir.resolve("checkpoint-" + ti.getTerm() + "-" + ti.getIndex());
    }

    Path dirOf(SnapshotInfo info) {
        return dirFor(info.getTermIndex());
    }

    /** Publishes a checkpoint written into {@code tmp} as the snapshot at {@code ti}. */
    void publish(Path tmp, TermIndex ti) throws IOException {
        Path target = dirFor(ti);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        fsyncDirectory(smDir);
        refresh();
    }

    Path tmpDirFor(TermIndex ti) throws IOException {
        Path tmp = smDir.resolve(dirFor(ti).getFileName() + ".tmp");
        deleteRecursively(tmp);
        return tmp;
    }

    @Override
    public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
        int keep = Math.max(MIN_RETAINED, policy == null ? 0 : policy.getNumSnapshotsRetained());
        List<Path> all = checkpoints();
        for (int i = keep; i < all.size(); i++) {
            deleteRecursively(all.get(i));
        }
    }

    /** Removes the .md5 side files Ratis leaves beside installed files. */
    static void removeDigestFiles(Path checkpoint) throws IOException {
        try (Stream<Path> files = Files.walk(checkpoint)) {
            for (Path p : files.filter(p -> p.toString().endsWith(".md5")).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Complete checkpoints, newest (highest index) first. */
    private List<Path> checkpoints() throws IOException {
        if (smDir == null || !Files.isDirectory(smDir)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(smDir)) {
            return dirs.filter(p -> NAME.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p))
                    .sorted(Comparator.comparingLong(CheckpointStorage::indexOf).reversed())
                    .toList();
        }
    }

    private static long indexOf(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(p.toString());
        }
        return Long.parseLong(m.group(2));
    }

    private static FileListSnapshotInfo describe(Path dir) throws IOException {
        Matcher m = NAME.matcher(dir.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(dir.toString());
        }
        List<FileInfo> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".md5")).sorted().toList()) {
                files.add(new FileInfo(p, null));
            }
        }
        return new FileListSnapshotInfo(files, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
    }

    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
