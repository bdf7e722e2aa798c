package io.pontoon.server.queue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Parked long polls, by queue name. A parked receive costs no log write: it waits here until a send to its
 * queue is applied on this node ({@link #signal}) or its recheck timer fires, and only then does the caller
 * look at local state and propose a real receive.
 *
 * <p>A waiter is added to and removed from its queue's set inside the map's per-key atomic {@code compute}, so a
 * set is never dropped from the map while a waiter is being added to it: no waiter can end up in a set that
 * {@link #signal} no longer sees.
 */
public final class LongPollWaiters {
    private final Map<String, Set<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final int maxWaiters;
    private final AtomicInteger count = new AtomicInteger();

    public LongPollWaiters(ScheduledExecutorService timer, int maxWaiters) {
        this.timer = timer;
        this.maxWaiters = maxWaiters;
    }

    /** Completes on the next {@link #signal} for {@code queue}, or after {@code timeoutMs}, whichever is first. */
    public CompletableFuture<Void> await(String queue, long timeoutMs) {
        CompletableFuture<Void> wake = new CompletableFuture<>();
        timer.schedule(() -> wake.complete(null), Math.max(0, timeoutMs), TimeUnit.MILLISECONDS);
        if (count.get() >= maxWaiters) {
            // Over the limit a long poll degrades to polling at the recheck interval: bounded memory, same answer.
            return wake;
        }
        count.incrementAndGet();
        waiters.compute(queue, (q, set) -> {
            Set<CompletableFuture<Void>> s = set != null ? set : ConcurrentHashMap.newKeySet();
            s.add(wake);
            return s;
        });
        wake.whenComplete((v, e) -> {
            waiters.computeIfPresent(queue, (q, set) -> {
                set.remove(wake);
                return set.isEmpty() ? null : set;
            });
            count.decrementAndGet();
        });
        return wake;
    }

    /**
     * Something may have become receivable in {@code queue}: wake everyone parked on it. Called on apply
     * threads, so the woken polls continue on the timer executor, never on the caller's thread.
     */
    public void signal(String queue) {
        Set<CompletableFuture<Void>> set = waiters.get(queue);
        if (set != null && !set.isEmpty()) {
            List<CompletableFuture<Void>> woken = List.copyOf(set);
            timer.execute(() -> woken.forEach(w -> w.complete(null)));
        }
    }

    public int count() {
        return count.get();
    }
}
