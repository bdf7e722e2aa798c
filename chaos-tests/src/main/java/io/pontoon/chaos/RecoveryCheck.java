package io.pontoon.chaos;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Liveness after the faults: once everything is healed (the nemesis op {@code healed}), a consumer's receive must
 * succeed within {@link #BOUND_MS}. A successful receive, even an empty long poll, means the queue's partition has a
 * leader that serves it. Faults may stall the cluster while they last (that is {@code max-ack-gap}, informational);
 * a cluster that stays stuck after they are healed is a liveness failure.
 */
final class RecoveryCheck {
    /** Several election timeouts plus a node restart (a JVM start, RocksDB open, Raft log replay). */
    static final long BOUND_MS = 30_000;

    private RecoveryCheck() {
    }

    /** Milliseconds from the heal to the first successful receive after it; empty if there was none. */
    static Optional<Long> recoveryMs(List<Op> history) {
        Long healed = null;
        for (Op op : history) {
            if (healed == null) {
                if ("nemesis".equals(op.process()) && "healed".equals(op.f())) healed = op.time();
            } else if ("receive".equals(op.f()) && Op.OK.equals(op.type())) {
                return Optional.of(TimeUnit.NANOSECONDS.toMillis(op.time() - healed));
            }
        }
        return Optional.empty();
    }

    /** An anomaly if the cluster did not serve a receive within the bound after the heal; empty if it did. */
    static Optional<String> anomaly(List<Op> history) {
        Optional<Long> ms = recoveryMs(history);
        if (ms.isEmpty()) return Optional.of("liveness: no receive succeeded after the heal");
        if (ms.get() > BOUND_MS) {
            return Optional.of("liveness: the first receive after the heal succeeded only after " + ms.get() + " ms (bound " + BOUND_MS + " ms)");
        }
        return Optional.empty();
    }
}
