package io.pontoon.server.partition;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A node-wide budget of bytes held in memory on behalf of clients: requests queued or being replicated, or message
 * content read for responses. A request that does not fit is refused at once ({@link #tryAcquire}: the client
 * gets RequestThrottled and retries with backoff); a response waits its turn, first come first served, for a
 * bounded time ({@link #acquire}). Either way memory stays within the budget instead of growing until the heap
 * runs out.
 */
public final class ByteBudget {
    /** Responses waiting for room, at most; beyond it they are throttled at once. */
    private static final int MAX_WAITERS = 10_000;

    private record Waiter(long bytes, CompletableFuture<Void> granted) {
    }

    private final String name;
    private final long capacity;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private long used;

    public ByteBudget(String name, long capacityBytes) {
        if (capacityBytes <= 0) {
            throw new IllegalArgumentException(name + ": capacity must be positive");
        }
        this.name = name;
        this.capacity = capacityBytes;
    }

    /** Takes {@code bytes} if they fit now (and nobody waits before us); false otherwise. */
    public synchronized boolean tryAcquire(long bytes) {
        checkSize(bytes);
        if (!waiters.isEmpty() || used + bytes > capacity) {
            return false;
        }
        used += bytes;
        return true;
    }

    /**
     * Takes {@code bytes} as soon as they fit, after everyone who waited first; fails with
     * {@link ThrottledException} after {@code timeoutMs} (nothing is then held).
     */
    public CompletableFuture<Void> acquire(long bytes, long timeoutMs, ScheduledExecutorService timer) {
        checkSize(bytes);
        Waiter w;
        synchronized (this) {
            if (waiters.isEmpty() && used + bytes <= capacity) {
                used += bytes;
                return CompletableFuture.completedFuture(null);
            }
            if (waiters.size() >= MAX_WAITERS) {
                return CompletableFuture.failedFuture(throttled(bytes));
            }
            w = new Waiter(bytes, new CompletableFuture<>());
            waiters.add(w);
        }
        timer.schedule(() -> giveUp(w), timeoutMs, TimeUnit.MILLISECONDS);
        return w.granted();
    }

    public void release(long bytes) {
        java.util.List<CompletableFuture<Void>> granted = new java.util.ArrayList<>();
        synchronized (this) {
            used -= bytes;
            if (used < 0) {
                throw new IllegalStateException(name + ": released more than was held");
            }
            while (!waiters.isEmpty() && used + waiters.peek().bytes() <= capacity) {
                Waiter next = waiters.poll();
                used += next.bytes();
                granted.add(next.granted());
            }
        }
        granted.forEach(g -> g.complete(null));
    }

    private void giveUp(Waiter w) {
        synchronized (this) {
            if (!waiters.remove(w)) {
                return; // granted meanwhile
            }
        }
        w.granted().completeExceptionally(throttled(w.bytes()));
    }

    public synchronized long usedBytes() {
        return used;
    }

    public long capacityBytes() {
        return capacity;
    }

    public synchronized int waiting() {
        return waiters.size();
    }

    private void checkSize(long bytes) {
        if (bytes < 0 || bytes > capacity) {
            throw new IllegalArgumentException(name + ": " + bytes + " bytes can never fit in " + capacity);
        }
    }

    private ThrottledException throttled(long bytes) {
        return new ThrottledException("this node is holding " + name + " of " + (capacity >> 20) + " MiB; retry with backoff ("
                + bytes + " more bytes did not fit)");
    }
}
