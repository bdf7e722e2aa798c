package io.pontoon.raft;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/** The Ratis adapter on a real single-node Ratis server: leader time, replies, checkpoints, restart. */
class RaftNodeTest {
    private static final ReplicaGroupId GROUP = ReplicaGroupId.partition(0);

    @TempDir
    Path dir;

    /** A tiny replicated application: a list of strings, persisted with its applied index on flush. */
    static final class ListApp implements ReplicaApplication {
        final List<String> items = new ArrayList<>();
        final List<Long> leaderTimes = new ArrayList<>();
        final List<Long> appliedIndexes = new ArrayList<>();
        final List<Boolean> repliesWanted = new ArrayList<>();
        final Path file;
        AppliedPosition position = AppliedPosition.NONE;

        ListApp(Path file) {
            this.file = file;
        }

        @Override
        public AppliedPosition open() {
            return position;
        }

        @Override
        public byte[] apply(byte[] command, long index, long term, long leaderTimeMs, boolean replyWanted) {
            if (index <= position.index()) {
                return new byte[0];
            }
            repliesWanted.add(replyWanted);
            items.add(new String(command, StandardCharsets.UTF_8));
            leaderTimes.add(leaderTimeMs);
            appliedIndexes.add(index);
            position = new AppliedPosition(term, index);
            return ("ok:" + items.size()).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] query(byte[] request, long nowMs) {
            return String.valueOf(items.size()).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public synchronized StateDigest digest() {
            return new StateDigest(position.index(), Integer.toHexString(items.hashCode()));
        }

        @Override
        public AppliedPosition flush() {
            return position;
        }

        @Override
        public void checkpoint(Path target) {
            try {
                Files.createDirectories(target);
                Files.write(target.resolve("state"), ByteBuffer.allocate(16).putLong(position.term()).putLong(position.index()).array());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public AppliedPosition restore(Path checkpointDir) {
            return position;
        }

        @Override
        public void close() {
        }
    }

    private RaftNode start(ListApp app, AtomicLong clock) throws IOException {
        RaftNodeConfig config = new RaftNodeConfig("n1", dir.resolve("raft"), List.of(new RaftNodeConfig.Peer("n1", "127.0.0.1", freePort())), 0,
                300, 600, 3_000, 16, 1 << 20, 64 * 1024, 1 << 20, 1, false);
        return RaftNode.start(config, List.of(GROUP), g -> app, GroupEvents.NONE, clock::get);
    }

    @Test
    void leaderClockIsStampedIntoEveryCommandAndRepliesComeFromApply() throws Exception {
        ListApp app = new ListApp(dir.resolve("app"));
        AtomicLong clock = new AtomicLong(1_000_000);
        try (RaftNode node = start(app, clock)) {
            Committed first = node.submit(GROUP, "a".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
            clock.set(2_000_000);
            Committed second = node.submit(GROUP, "b".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
            assertEquals("ok:1", new String(first.reply(), StandardCharsets.UTF_8));
            assertEquals("ok:2", new String(second.reply(), StandardCharsets.UTF_8));
            assertEquals(app.appliedIndexes, List.of(first.index(), second.index()), "a reply names its entry's index");
            assertEquals(List.of(true, true), app.repliesWanted, "the leader holding the request wants its reply");
            assertEquals(List.of("a", "b"), app.items);
            assertEquals(List.of(1_000_000L, 2_000_000L), app.leaderTimes, "apply sees the leader's clock, not its own");
            assertEquals("2", new String(node.read(GROUP, new byte[0]).get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        }
    }

    @Test
    void awaitAppliedCompletesAtOnceForAnAppliedIndexAndTimesOutForOneThatNeverComes() throws Exception {
        ListApp app = new ListApp(dir.resolve("app"));
        try (RaftNode node = start(app, new AtomicLong(1))) {
            Committed c = node.submit(GROUP, "a".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
            assertTrue(node.awaitApplied(GROUP, c.index(), 1_000).isDone());
            java.util.concurrent.CompletableFuture<Void> future = node.awaitApplied(GROUP, c.index() + 1_000, 200);
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> future.get(30, TimeUnit.SECONDS));
            assertInstanceOf(ReplicationException.class, e.getCause());
            Committed later = node.submit(GROUP, "b".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
            node.awaitApplied(GROUP, later.index(), 30_000).get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theLeadersRetryCacheForgetsRepliesItsOwnRequestsReceived() throws Exception {
        ListApp app = new ListApp(dir.resolve("app"));
        try (RaftNode node = start(app, new AtomicLong(1))) {
            for (int i = 0; i < 200; i++) {
                node.submit(GROUP, ("x" + i).getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
            }
            // each request tells Ratis which earlier replies arrived; without that all 200 stay for the expiry time
            assertTrue(node.retryCacheEntries(GROUP) <= 2, "retry cache holds " + node.retryCacheEntries(GROUP) + " replies");
        }
    }

    @Test
    void snapshotWritesAPublishedCheckpointAtTheDurableIndex() throws Exception {
        ListApp app = new ListApp(dir.resolve("app"));
        try (RaftNode node = start(app, new AtomicLong(1))) {
            for (int i = 0; i < 5; i++) {
                node.submit(GROUP, ("x" + i).getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
            }
            long index = node.takeSnapshot(GROUP);
            assertEquals(app.position.index(), index);
            try (var dirs = Files.walk(dir.resolve("raft"))) {
                List<Path> checkpoints = dirs.filter(p -> p.getFileName().toString().equals("checkpoint-" + app.position.term() + "-" + index)).toList();
                assertEquals(1, checkpoints.size(), "one published checkpoint directory named by term and index");
                assertTrue(Files.exists(checkpoints.get(0).resolve("state")));
            }
        }
    }

    @Test
    void envelopeRoundTripsAndRejectsUnknownVersions() {
        Envelope e = new Envelope(42, "cmd".getBytes(StandardCharsets.UTF_8));
        Envelope back = Envelope.decode(ByteBuffer.wrap(e.encode()));
        assertEquals(42, back.leaderTimeMs());
        assertArrayEquals(e.command(), back.command());
        byte[] bad = e.encode();
        bad[0] = 9;
        assertThrows(IllegalStateException.class, () -> Envelope.decode(ByteBuffer.wrap(bad)));
        assertThrows(IllegalStateException.class, () -> Envelope.decode(ByteBuffer.wrap(new byte[3])));
    }

    @Test
    void configRejectsANodeThatIsNotAPeer() {
        assertThrows(IllegalArgumentException.class, () -> new RaftNodeConfig("n9", dir, List.of(new RaftNodeConfig.Peer("n1", "127.0.0.1", 7000)), 0,
                300, 600, 3_000, 16, 1 << 20, 64 * 1024, 1 << 20, 1, false));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
