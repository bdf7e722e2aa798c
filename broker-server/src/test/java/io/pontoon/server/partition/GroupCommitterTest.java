package io.pontoon.server.partition;

import io.pontoon.raft.Committed;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.*;

/** Group commit rules, with a transport we complete by hand (no Raft needed). Commands are strings; a byte per char. */
class GroupCommitterTest {
    /** Records every batch sent; the test decides when each one is acknowledged. */
    private final List<List<String>> batches = new ArrayList<>();
    private final List<CompletableFuture<Committed>> inFlight = new ArrayList<>();
    private ByteBudget node = new ByteBudget("request bytes", 1 << 20);

    private GroupCommitter<String> committer(int maxCommands, int maxBytes, int maxInFlight, int maxQueued, long maxQueuedBytes) {
        return new GroupCommitter<>(bytes -> {
            batches.add(decode(bytes));
            CompletableFuture<Committed> f = new CompletableFuture<>();
            inFlight.add(f);
            return f;
        }, cmds -> String.join(",", cmds.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList()).getBytes(StandardCharsets.UTF_8),
                bytes -> decode(bytes).stream().map(c -> "ok:" + c).toList(),
                new GroupCommitter.Limits(maxCommands, maxBytes, maxInFlight, maxQueued, maxQueuedBytes), node);
    }

    private GroupCommitter<String> committer(int maxCommands, int maxBytes, int maxInFlight) {
        return committer(maxCommands, maxBytes, maxInFlight, 100, 1 << 20);
    }

    private static List<String> decode(byte[] bytes) {
        return Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split(","));
    }

    private static byte[] cmd(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Acknowledges the i-th batch by echoing its commands back, as log entry 100 + i. */
    private void ack(int i) {
        inFlight.get(i).complete(new Committed(100 + i, String.join(",", batches.get(i)).getBytes(StandardCharsets.UTF_8)));
    }

    private static String result(CompletableFuture<GroupCommitter.Applied<String>> f) {
        return f.join().result();
    }

    @Test
    void aLoneRequestIsSentAtOnce() {
        GroupCommitter<String> c = committer(100, 1 << 20, 1);
        var r = c.submit(cmd("a"));
        assertEquals(List.of(List.of("a")), batches);
        ack(0);
        assertEquals("ok:a", result(r));
        assertEquals(100, r.join().index(), "a result names the index of the entry that carried it");
    }

    @Test
    void requestsArrivingWhileAnEntryIsInFlightBecomeOneEntry() {
        GroupCommitter<String> c = committer(100, 1 << 20, 1);
        var first = c.submit(cmd("a"));
        var b = c.submit(cmd("b"));
        var d = c.submit(cmd("d"));
        assertEquals(1, batches.size(), "b and d wait while a is replicated");
        ack(0);
        assertEquals(List.of("b", "d"), batches.get(1), "everything that waited goes out as one entry");
        ack(1);
        assertEquals(List.of("ok:a", "ok:b", "ok:d"), List.of(result(first), result(b), result(d)));
    }

    @Test
    void entriesRespectTheCommandAndByteLimits() {
        GroupCommitter<String> c = committer(2, 6, 1);
        c.submit(cmd("x"));
        for (String s : List.of("aaa", "bbb", "c", "d", "e")) {
            c.submit(cmd(s));
        }
        ack(0);
        assertEquals(List.of("aaa", "bbb"), batches.get(1), "3 + 3 bytes fill the 6-byte limit");
        ack(1);
        assertEquals(List.of("c", "d"), batches.get(2), "at most 2 commands per entry");
        ack(2);
        assertEquals(List.of("e"), batches.get(3));
    }

    @Test
    void aCommandLargerThanAnEntryIsRefusedAndNothingIsSent() {
        GroupCommitter<String> c = committer(10, 4, 1);
        var r = c.submit(cmd("toolong"));
        assertInstanceOf(IllegalArgumentException.class, assertThrows(Exception.class, r::join).getCause());
        assertTrue(batches.isEmpty());
        assertEquals(0, node.usedBytes());
    }

    @Test
    void aFailedEntryFailsEveryRequestInItAndTheNextEntryStillGoes() {
        GroupCommitter<String> c = committer(100, 1 << 20, 1);
        var a = c.submit(cmd("a"));
        var b = c.submit(cmd("b"));
        inFlight.get(0).completeExceptionally(new IllegalStateException("no leader"));
        assertTrue(a.isCompletedExceptionally());
        assertEquals(List.of("b"), batches.get(1));
        ack(1);
        assertEquals("ok:b", result(b));
    }

    @Test
    void pastTheQueueLimitRequestsAreThrottled() {
        GroupCommitter<String> c = committer(100, 1 << 20, 1, 2, 1 << 20);
        c.submit(cmd("a"));
        c.submit(cmd("b"));
        c.submit(cmd("c"));
        var d = c.submit(cmd("d"));
        assertInstanceOf(ThrottledException.class, assertThrows(Exception.class, d::join).getCause());
    }

    @Test
    void pastThePartitionsQueuedBytesRequestsAreThrottledWhateverTheirCount() {
        GroupCommitter<String> c = committer(100, 1 << 20, 1, 1_000, 10);
        c.submit(cmd("in-flight"));
        assertFalse(c.submit(cmd("aaaaaa")).isDone());
        var tooMuch = c.submit(cmd("bbbbb"));
        assertInstanceOf(ThrottledException.class, assertThrows(Exception.class, tooMuch::join).getCause(),
                "6 + 5 queued bytes exceed the partition's 10");
        assertFalse(c.submit(cmd("cccc")).isDone(), "6 + 4 fit");
    }

    @Test
    void theNodesRequestBudgetIsSharedAndHeldUntilTheEntryIsApplied() {
        node = new ByteBudget("request bytes", 10);
        GroupCommitter<String> p0 = committer(100, 1 << 20, 1);
        GroupCommitter<String> p1 = committer(100, 1 << 20, 1);
        var a = p0.submit(cmd("aaaaaa"));
        var refused = p1.submit(cmd("bbbbb"));
        assertInstanceOf(ThrottledException.class, assertThrows(Exception.class, refused::join).getCause(),
                "another partition's 6 bytes leave 4 of the node's 10");
        assertEquals(6, node.usedBytes());
        ack(0);
        assertEquals("ok:aaaaaa", result(a));
        assertEquals(0, node.usedBytes(), "applied: the bytes are given back");
        assertFalse(p1.submit(cmd("bbbbb")).isCompletedExceptionally());
    }

    @Test
    void aResultCountMismatchFailsTheBatchInsteadOfMisroutingReplies() {
        GroupCommitter<String> c = new GroupCommitter<>(bytes -> CompletableFuture.completedFuture(new Committed(1, new byte[0])),
                cmds -> new byte[1], bytes -> List.of(), new GroupCommitter.Limits(10, 1 << 20, 1, 10, 1 << 20), node);
        assertThrows(Exception.class, () -> c.submit(cmd("a")).join());
        assertEquals(0, node.usedBytes());
    }
}
