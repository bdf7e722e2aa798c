package io.pontoon.core.partition;

import io.pontoon.core.Limits;
import java.util.UUID;

/**
 * Message ids derived from (partition epoch, partition, seq): replicas agree on them without randomness.
 * They are unique in the cluster because (partition, seq) is, and differ between clusters because the
 * epoch (the leader time of the partition's first log entry) seeds both the high bits and the scrambling
 * of seq. The layout is a UUIDv8 (custom): 20 bits of epoch hash and the 12-bit partition id first, then
 * seq through a bijective mix so ids do not look sequential.
 */
public final class MessageIds {
    private MessageIds() {
    }

    public static String of(long partitionEpoch, int partitionId, long seq) {
        if (partitionId < 0 || partitionId >= Limits.MAX_PARTITIONS) {
            throw new IllegalArgumentException("partition id out of range: " + partitionId);
        }
        long epochHash = mix(partitionEpoch);
        long mixed = mix(seq + epochHash);
        long high32 = ((epochHash >>> 44) << 12) | partitionId;
        long msb = (high32 << 32) | ((mixed >>> 48) << 16) | 0x8000L | ((mixed >>> 36) & 0x0FFFL);
        long lsb = 0x8000_0000_0000_0000L | (mixed & 0x0000_000F_FFFF_FFFFL);
        return new UUID(msb, lsb).toString();
    }

    /** splitmix64 finalizer: a bijection on 64-bit values, so distinct seqs give distinct ids. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
