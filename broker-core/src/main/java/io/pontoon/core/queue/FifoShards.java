package io.pontoon.core.queue;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Which shard (partition) of a high-throughput FIFO queue holds a message group: CRC-32 of the group id's
 * UTF-8 bytes modulo the shard count. Every node computes the same answer, and a group always maps to one
 * shard, so order within the group is the order of one Raft log. Dedup is per group in this mode
 * (DeduplicationScope=messageGroup is required), so it, too, never needs another shard.
 */
public final class FifoShards {
    private FifoShards() {
    }

    public static int shardOf(String groupId, int shardCount) {
        if (shardCount < 1) {
            throw new IllegalArgumentException("shardCount must be >= 1");
        }
        CRC32 crc = new CRC32();
        crc.update(groupId.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % shardCount);
    }
}
