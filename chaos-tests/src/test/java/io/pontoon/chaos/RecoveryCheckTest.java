package io.pontoon.chaos;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Liveness after the heal: the cluster must serve a receive within the bound. */
class RecoveryCheckTest {
    private static Op at(double seconds, String process, String type, String f) {
        return new Op((long) (seconds * TimeUnit.SECONDS.toNanos(1)), process, type, f, null);
    }

    @Test
    void aReceiveSoonAfterTheHealIsRecovery() {
        List<Op> h = List.of(at(1, "c0", Op.OK, "receive"), at(10, "nemesis", Op.INFO, "healed"),
                at(11, "c0", Op.INFO, "receive"), at(14.5, "c1", Op.OK, "receive"));
        assertEquals(Optional.of(4500L), RecoveryCheck.recoveryMs(h));
        assertTrue(RecoveryCheck.anomaly(h).isEmpty());
    }

    @Test
    void noReceiveAfterTheHealOrOnlyALateOneIsALivenessFailure() {
        assertTrue(RecoveryCheck.anomaly(List.of(at(1, "c0", Op.OK, "receive"), at(10, "nemesis", Op.INFO, "healed"),
                at(12, "c0", Op.INFO, "receive"))).isPresent(), "receives before the heal do not count");
        assertTrue(RecoveryCheck.anomaly(List.of(at(10, "nemesis", Op.INFO, "healed"), at(41, "c0", Op.OK, "receive"))).isPresent());
    }
}
