package io.pontoon.server.gateway;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.*;

/** Group commit rules, with a transport we complete by hand (no Raft needed). */
class GroupCommitterTest {
    /** Records every batch sent; the test decides when each one is acknowledged. */
    private final List<List<String>> batches = new ArrayList<>();
    private final List<CompletableFuture<byte[]>> inFlight = new ArrayList<>();

    private GroupCommitter<String, String> committer(int maxCommands, int maxBytes, int maxInFlight, int maxQueued) {
        return new GroupCommitter<>(bytes -> {
            batches.add(decode(bytes));
            CompletableFuture<byte[]> f = new CompletableFuture<>();
            inFlight.add(f);
            return f;
        }, cmds -> String.join(",", cmds).getBytes(StandardCharsets.UTF_8),
                bytes -> decode(bytes).stream().map(c -> "ok:" + c).toList(),
                String::length, maxCommands, maxBytes, maxInFlight, maxQueued);
    }

    private static List<String> decode(byte[] bytes) {
        return Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split(","));
    }

    /** Acknowledges the i-th batch by echoing its commands back. */
    private void ack(int i) {
        inFlight.get(i).complete(String.join(",", batches.get(i)).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aLoneRequestIsSentAtOnce() {
        GroupCommitter<String, String> c = committer(100, 1 << 20, 1, 100);
        CompletableFuture<String> r = c.submit("a");
        assertEquals(List.of(List.of("a")), batches);
        ack(0);
        assertEquals("ok:a", r.join());
    }

    @Test
    void requestsArrivingWhileAnEntryIsInFlightBecomeOneEntry() {
        GroupCommitter<String, String> c = committer(100, 1 << 20, 1, 100);
        CompletableFuture<String> first = c.submit("a");
        CompletableFuture<String> b = c.submit("b");
        CompletableFuture<String> d = c.submit("d");
        assertEquals(1, batches.size(), "b and d wait while a is replicated");
        ack(0);
        assertEquals(List.of("b", "d"), batches.get(1), "everything that waited goes out as one entry");
        ack(1);
        assertEquals(List.of("ok:a", "ok:b", "ok:d"), List.of(first.join(), b.join(), d.join()));
    }

    @Test
    void entriesRespectTheCommandAndByteLimits() {
        GroupCommitter<String, String> c = committer(2, 6, 1, 100);
        c.submit("x");
        for (String s : List.of("aaa", "bbb", "c", "d", "e")) {
            c.submit(s);
        }
        ack(0);
        assertEquals(List.of("aaa", "bbb"), batches.get(1), "3 + 3 bytes fill the 6-byte limit");
        ack(1);
        assertEquals(List.of("c", "d"), batches.get(2), "at most 2 commands per entry");
        ack(2);
        assertEquals(List.of("e"), batches.get(3));
    }

    @Test
    void aFailedEntryFailsEveryRequestInItAndTheNextEntryStillGoes() {
        GroupCommitter<String, String> c = committer(100, 1 << 20, 1, 100);
        CompletableFuture<String> a = c.submit("a");
        CompletableFuture<String> b = c.submit("b");
        inFlight.get(0).completeExceptionally(new IllegalStateException("no leader"));
        assertTrue(a.isCompletedExceptionally());
        assertEquals(List.of("b"), batches.get(1));
        ack(1);
        assertEquals("ok:b", b.join());
    }

    @Test
    void pastTheQueueLimitRequestsFailFastWithOverloaded() {
        GroupCommitter<String, String> c = committer(100, 1 << 20, 1, 2);
        c.submit("a");
        c.submit("b");
        c.submit("c");
        CompletableFuture<String> d = c.submit("d");
        Exception e = assertThrows(Exception.class, d::join);
        assertInstanceOf(GroupCommitter.OverloadedException.class, e.getCause());
    }

    @Test
    void aResultCountMismatchFailsTheBatchInsteadOfMisroutingReplies() {
        GroupCommitter<String, String> c = new GroupCommitter<>(bytes -> CompletableFuture.completedFuture(new byte[0]),
                cmds -> new byte[1], bytes -> List.of(), String::length, 10, 1 << 20, 1, 10);
        assertThrows(Exception.class, () -> c.submit("a").join());
    }
}
