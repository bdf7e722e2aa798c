package io.pontoon.core;

import java.util.UUID;

/**
 * Message ids derived from (partition, seq): replicas agree on them without randomness, and they are
 * unique in the cluster because seq is unique within a partition. The layout is a UUIDv8 (custom):
 * the partition id in the first 32 bits, the seq scrambled by a bijective mix so ids do not look sequential.
 */
public final class MessageIds {
    private MessageIds() {
    }

    public static String of(int partitionId, long seq) {
        long mixed = mix(seq);
        long msb = ((long) partitionId << 32) | ((mixed >>> 48) << 16) | 0x8000L | ((mixed >>> 36) & 0x0FFFL);
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
