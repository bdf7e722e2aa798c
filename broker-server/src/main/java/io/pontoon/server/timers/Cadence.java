package io.pontoon.server.timers;

/**
 * "At most once per period" for a component's {@code poll(nowMs)}: the first poll is due, later ones once the period
 * has passed since the last due one. Not thread-safe: one poller.
 *
 * <p>Why a class for four lines: the obvious {@code nowMs - last < period} with {@code last = Long.MIN_VALUE}
 * overflows, so the first poll, and every later one, is never due; that silently disabled the stream orchestrator's
 * recovery of unfinished reshards and the retention trimmer.
 */
public final class Cadence {
    private final long periodMs;
    private boolean started;
    private long lastMs;

    public Cadence(long periodMs) {
        if (periodMs <= 0) {
            throw new IllegalArgumentException("periodMs must be > 0, got " + periodMs);
        }
        this.periodMs = periodMs;
    }

    /**
     * Whether a poll at {@code nowMs} should do its work; if so, the period starts again from {@code nowMs}. A clock
     * that stepped back (an NTP step, a clock offset) makes the poll due at once rather than silent until it catches up.
     */
    public boolean due(long nowMs) {
        if (started && nowMs >= lastMs && nowMs - lastMs < periodMs) {
            return false;
        }
        started = true;
        lastMs = nowMs;
        return true;
    }
}
