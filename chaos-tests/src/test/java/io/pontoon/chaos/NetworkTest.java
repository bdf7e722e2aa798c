package io.pontoon.chaos;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The loopback network: no namespaces, partitions made by the harness's link proxy. */
class NetworkTest {

    @Test
    void loopbackModeRunsEveryNodeOn127001AndProxiesRaftTraffic() {
        try (Network n = Network.create(3, Network.Preference.LOOPBACK, line -> { })) {
            assertEquals(Network.Mode.LOOPBACK, n.mode());
            assertTrue(n.proxiesRaft());
            assertEquals("127.0.0.1", n.host(2));
            assertEquals(List.of(), n.launchPrefix(0));
            assertTrue(n.describe().contains("link proxy"), n.describe());
        }
    }

    @Test
    void familiesThatCutTheNetworkAreKnown() {
        assertTrue(FaultSchedule.needsPartitions("partition"));
        assertTrue(FaultSchedule.needsPartitions("part-kill"));
        assertFalse(FaultSchedule.needsPartitions("kill"));
        assertTrue(FaultSchedule.schedule("part-kill", 1, java.time.Duration.ofSeconds(20)).stream()
                .map(FaultSchedule.Step::kind).anyMatch("kill"::equals), "part-kill alternates kills with partitions");
    }
}
