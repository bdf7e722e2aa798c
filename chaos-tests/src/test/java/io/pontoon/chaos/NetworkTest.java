package io.pontoon.chaos;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The fallback when namespaces are not wanted or not possible: loopback, and partitions refuse loudly. */
class NetworkTest {

    @Test
    void loopbackModeCannotPartitionAndSaysSo() {
        String before = System.getProperty("chaos.network");
        System.setProperty("chaos.network", "loopback");
        try (Network n = Network.create(3, line -> { })) {
            assertEquals(Network.Mode.LOOPBACK, n.mode());
            assertFalse(n.canPartition());
            assertEquals("127.0.0.1", n.host(2));
            assertEquals(List.of(), n.launchPrefix(0));
            assertTrue(n.describe().contains("partitions need root"));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> n.cut(0, 1));
            assertTrue(e.getMessage().contains("LOOPBACK"), e.getMessage());
        } finally {
            if (before == null) System.clearProperty("chaos.network");
            else System.setProperty("chaos.network", before);
        }
    }

    @Test
    void familiesThatCutTheNetworkAreKnown() {
        assertTrue(Nemesis.needsPartitions("partition"));
        assertTrue(Nemesis.needsPartitions("part-kill"));
        assertFalse(Nemesis.needsPartitions("kill"));
        assertTrue(Nemesis.schedule("part-kill", 1, java.time.Duration.ofSeconds(20)).stream()
                .map(Nemesis.Step::kind).anyMatch("kill"::equals), "part-kill alternates kills with partitions");
    }
}
