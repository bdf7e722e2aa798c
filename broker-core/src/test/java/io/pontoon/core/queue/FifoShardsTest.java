package io.pontoon.core.queue;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class FifoShardsTest {

    @Test
    void aGroupAlwaysMapsToTheSameShardInRange() {
        for (int shards = 1; shards <= 9; shards++) {
            for (int g = 0; g < 200; g++) {
                int s = FifoShards.shardOf("group-" + g, shards);
                assertTrue(s >= 0 && s < shards);
                assertEquals(s, FifoShards.shardOf("group-" + g, shards));
            }
        }
    }

    @Test
    void groupsSpreadOverEveryShard() {
        Set<Integer> used = new HashSet<>();
        for (int g = 0; g < 100; g++) {
            used.add(FifoShards.shardOf("g" + g, 3));
        }
        assertEquals(Set.of(0, 1, 2), used);
    }

    @Test
    void theMappingIsFixedAcrossVersions() {
        // Nodes of a cluster must agree forever: this pins CRC-32 mod n.
        assertEquals(0, FifoShards.shardOf("", 3));
        assertEquals((int) (0x352441C2L % 7), FifoShards.shardOf("abc", 7));
    }
}
