package io.pontoon.server.longpoll;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Parked long polls, by queue name. A parked receive costs no log write: it waits here until a send to its
 * queue is applied on this node ({@link #signal}) or its recheck timer fires, and only then does the caller
 * look at local state and propose a real receive.
 */
public final class LongPollWaiters {
    private final Map<String, Set<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final int maxWaiters;

    public LongPollWaiters(ScheduledExecutorService timer, int maxWaiters) {
        this.timer = timer;
        this.maxWaiters = maxWaiters;
    }

    /** Completes on the next {@link #signal} for {@code queue}, or after {@code timeoutMs}, whichever is first. */
    public CompletableFuture<Void> await(String queue, long timeoutMs) {
        CompletableFuture<Void> wake = new CompletableFuture<>();
        if (count() >= maxWaiters) {
            // Over the limit a long poll degrades to polling at the recheck interval: bounded memory, same answer.
            timer.schedule(() -> wake.complete(null), timeoutMs, TimeUnit.MILLISECONDS);
            return wake;
        }
        Set<CompletableFuture<Void>> set = waiters.computeIfAbsent(queue, q -> ConcurrentHashMap.newKeySet());
        set.add(wake);
        timer.schedule(() -> wake.complete(null), Math.max(0, timeoutMs), TimeUnit.MILLISECONDS);
        wake.whenComplete((v, e) -> {
            set.remove(wake);
            if (set.isEmpty()) {
                waiters.remove(queue, set);
            }
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
        int n = 0;
        for (Set<CompletableFuture<Void>> s : waiters.values()) {
            n += s.size();
        }
        return n;
    }
}
