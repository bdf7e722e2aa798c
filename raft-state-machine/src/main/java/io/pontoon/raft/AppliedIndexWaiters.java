package io.pontoon.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Futures waiting for a group's applied index to reach a value. Completed by the apply thread, so callers must
 * continue elsewhere (RaftNode hands them its callback executor). Bounded: a caller never waits on an index more
 * than one in-flight command ahead, and every waiter carries a timeout set by the caller.
 */
final class AppliedIndexWaiters {
    private final TreeMap<Long, List<CompletableFuture<Void>>> waiting = new TreeMap<>();
    private long applied = -1;

    synchronized CompletableFuture<Void> await(long index) {
        if (index <= applied) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        waiting.computeIfAbsent(index, k -> new ArrayList<>()).add(f);
        f.whenComplete((v, e) -> forget(index, f));
        return f;
    }

    void applied(long index) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        synchronized (this) {
            applied = Math.max(applied, index);
            Map<Long, List<CompletableFuture<Void>>> due = waiting.headMap(index, true);
            due.values().forEach(done::addAll);
            due.clear();
        }
        done.forEach(f -> f.complete(null));
    }

    private synchronized void forget(long index, CompletableFuture<Void> f) {
        List<CompletableFuture<Void>> list = waiting.get(index);
        if (list != null && list.remove(f) && list.isEmpty()) {
            waiting.remove(index);
        }
    }
}
