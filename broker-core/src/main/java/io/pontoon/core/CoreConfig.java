package io.pontoon.core;

/**
 * Limits a deployment may tune. Validated on construction so a bad config fails at startup, not in apply.
 * All replicas of a group must use the same values: they shape apply's results.
 *
 * @param maxInFlightPerQueue         receives beyond this many in-flight messages fail with OverLimit (AWS: ~120,000)
 * @param retentionSweepBatch         messages one Tick may delete for retention, across all queues
 * @param retentionQueuesPerTick      queues one Tick may visit (bounds the reads of a Tick on a partition with many empty queues)
 * @param deleteQueueRecreateDelayMs  a deleted queue's name is blocked this long (AWS QueueDeletedRecently: 60 s)
 * @param statsScanCap                index entries a stats/attributes query counts before stopping (counts are approximate)
 */
public record CoreConfig(
        int maxInFlightPerQueue,
        int retentionSweepBatch,
        int retentionQueuesPerTick,
        long deleteQueueRecreateDelayMs,
        long statsScanCap) {

    public static final CoreConfig DEFAULTS = new CoreConfig(120_000, 1_000, 100, 60_000, 1_000_000);

    public CoreConfig {
        requireRange("maxInFlightPerQueue", maxInFlightPerQueue, 1, 10_000_000);
        requireRange("retentionSweepBatch", retentionSweepBatch, 1, 100_000);
        requireRange("retentionQueuesPerTick", retentionQueuesPerTick, 1, 100_000);
        requireRange("deleteQueueRecreateDelayMs", deleteQueueRecreateDelayMs, 0, 86_400_000);
        requireRange("statsScanCap", statsScanCap, 1, 1_000_000_000);
    }

    public CoreConfig withMaxInFlightPerQueue(int value) {
        return new CoreConfig(value, retentionSweepBatch, retentionQueuesPerTick, deleteQueueRecreateDelayMs, statsScanCap);
    }

    public CoreConfig withRetentionSweepBatch(int value) {
        return new CoreConfig(maxInFlightPerQueue, value, retentionQueuesPerTick, deleteQueueRecreateDelayMs, statsScanCap);
    }

    private static void requireRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
        }
    }
}
