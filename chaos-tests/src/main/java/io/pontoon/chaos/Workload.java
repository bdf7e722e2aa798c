package io.pontoon.chaos;

import java.time.Duration;
import java.util.List;

/**
 * A chaos workload: clients that write to and read from one resource while the nemesis works, recording every
 * operation in the {@link History}, and the checkers of what they recorded. {@link ChaosRun} drives any workload
 * the same way: start, fault phase, stop the writers, heal, drain, stop the readers, check.
 */
interface Workload extends AutoCloseable {
    /** The partition whose leader the nemesis aims at (its leader-biased faults). */
    String partition();

    /** The Raft groups whose replicas must agree at the end. */
    List<String> checkedPartitions();

    void start();

    /** Stops the writers (and anything else that changes the resource) and waits for their last operations. */
    void stopProducers() throws InterruptedException;

    /**
     * Lets the readers go on until they have read everything there is to read: {@code emptyPolls} consecutive
     * rounds that found nothing new and {@code quiet} without a new message or an error. False at the deadline.
     */
    boolean drain(int emptyPolls, Duration quiet, Duration deadline);

    void stopConsumers() throws InterruptedException;

    /** What the history says. {@code clockBoundMs}: how far node clocks may disagree with the harness's. */
    Findings check(List<Op> history, long clockBoundMs);

    @Override
    void close();

    /**
     * A workload's findings. {@code total}: Jepsen's total-queue over {@code sendsAndReceives} (acknowledged writes
     * against what was read), which the run's summary and its lost/unexpected verdict use; {@code sendsAndReceives}:
     * the history as plain {@code send}/{@code receive} ops, for the liveness checks; {@code anomalies}: the
     * workload's own safety violations; {@code report}: lines for the run log.
     */
    record Findings(TotalQueueChecker.Result total, List<Op> sendsAndReceives, List<String> anomalies, List<String> report) {
    }

    /** Waits for each of {@code threads} (its last operation is bounded by the client's deadlines); logs one that hangs. */
    static void joinAll(List<Thread> threads, java.util.function.Consumer<String> log) throws InterruptedException {
        for (Thread t : threads) {
            if (!t.join(Duration.ofSeconds(60))) {
                log.accept("WARNING: " + t.getName() + " did not stop");
            }
        }
    }

    /** Sleeps {@code ms}, keeping an interrupt for the caller's loop to see. */
    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
