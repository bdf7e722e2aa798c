package io.pontoon.server.timers;

import io.pontoon.core.partition.Tick;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * Proposes the replicated {@code Tick} (retention expiry and other time-driven housekeeping) for every
 * partition this node leads, every {@code intervalMs}. At most one tick per partition is in flight, so a
 * slow partition is never flooded. Driven by {@link #poll(long)}; owns no thread or clock.
 */
public final class LeaderTicker {
    private final long intervalMs;
    private final IntFunction<CompletableFuture<?>> proposeTick;
    private final Map<Integer, Long> nextTickAtMs = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> inFlight = new ConcurrentHashMap<>();

    public LeaderTicker(long intervalMs, IntFunction<CompletableFuture<?>> proposeTick) {
        this.intervalMs = intervalMs;
        this.proposeTick = proposeTick;
    }

    public void leadershipChanged(int partition, boolean leader, long nowMs) {
        if (leader) {
            nextTickAtMs.put(partition, nowMs + intervalMs);
        } else {
            nextTickAtMs.remove(partition);
        }
    }

    /** Proposes the ticks that are due at {@code nowMs}; returns how many were proposed. */
    public int poll(long nowMs) {
        int proposed = 0;
        for (Map.Entry<Integer, Long> e : nextTickAtMs.entrySet()) {
            int partition = e.getKey();
            if (nowMs < e.getValue() || inFlight.putIfAbsent(partition, Boolean.TRUE) != null) {
                continue;
            }
            nextTickAtMs.computeIfPresent(partition, (p, at) -> nowMs + intervalMs);
            proposed++;
            CompletableFuture<?> f;
            try {
                f = proposeTick.apply(partition);
            } catch (RuntimeException ex) {
                f = CompletableFuture.failedFuture(ex);
            }
            f.whenComplete((r, err) -> inFlight.remove(partition));
        }
        return proposed;
    }

    public int leading() {
        return nextTickAtMs.size();
    }
}
