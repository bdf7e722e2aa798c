package io.pontoon.core;

/**
 * The core's tunable work bounds, for tests that want smaller ones. They shape apply's results, so every replica
 * of a group must use the same values: a node always runs {@link #DEFAULTS} (an architecture rule holds
 * broker-server to that), and anything a node's own settings decide reaches apply only inside a command.
 *
 * @param retentionSweepBatch         messages one Tick may delete for retention, across all queues
 * @param retentionQueuesPerTick      queues one Tick may visit (bounds the reads of a Tick on a partition with many empty queues)
 * @param statsScanCap                index entries a stats/attributes query counts before stopping (counts are approximate)
 */
public record CoreConfig(
        int retentionSweepBatch,
        int retentionQueuesPerTick,
        long statsScanCap) {

    public static final CoreConfig DEFAULTS = new CoreConfig(1_000, 100, 1_000_000);

    public CoreConfig {
        requireRange("retentionSweepBatch", retentionSweepBatch, 1, 100_000);
        requireRange("retentionQueuesPerTick", retentionQueuesPerTick, 1, 100_000);
        requireRange("statsScanCap", statsScanCap, 1, 1_000_000_000);
    }

    public CoreConfig withRetentionSweepBatch(int value) {
        return new CoreConfig(value, retentionQueuesPerTick, statsScanCap);
    }

    private static void requireRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
        }
    }
}
