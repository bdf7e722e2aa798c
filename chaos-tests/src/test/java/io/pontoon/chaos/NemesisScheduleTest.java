package io.pontoon.chaos;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Fault schedules are drawn from the seed alone, and each family draws the steps it promises. */
class NemesisScheduleTest {
    private static List<Nemesis.Step> schedule(String family) {
        return Nemesis.schedule(family, 42, Duration.ofSeconds(60));
    }

    @Test
    void theSameSeedDrawsTheSameSchedule() {
        for (String family : Nemesis.FAMILIES) {
            assertEquals(schedule(family), schedule(family), family);
        }
    }

    @Test
    void pauseKillAlternatesPausesAndKills() {
        List<Nemesis.Step> steps = schedule("pause-kill");
        for (Nemesis.Step s : steps) {
            assertEquals(s.index() % 2 == 0 ? "kill" : "pause", s.kind(), s.toString());
        }
    }

    @Test
    void clockJumpsAreNonZeroAndWithinTheBoundTheLeaseCheckerAllows() {
        List<Nemesis.Step> steps = schedule("clock");
        assertTrue(steps.stream().anyMatch(s -> s.offsetMs() > 0) && steps.stream().anyMatch(s -> s.offsetMs() < 0), steps.toString());
        for (Nemesis.Step s : steps) {
            assertTrue(Math.abs(s.offsetMs()) >= 500 && Math.abs(s.offsetMs()) <= Nemesis.MAX_CLOCK_JUMP_MS, s.toString());
        }
        assertEquals(Nemesis.MAX_CLOCK_JUMP_MS, Nemesis.clockBoundMs("clock"));
        assertEquals(0, Nemesis.clockBoundMs("kill"));
    }

    @Test
    void onlyPowerLossFamiliesNeedLossyDisks() {
        assertTrue(Nemesis.needsLossyDisks("power-loss"));
        assertTrue(Nemesis.needsLossyDisks("power-loss-all"));
        assertFalse(Nemesis.needsLossyDisks("kill"));
        assertTrue(schedule("power-loss-all").stream().allMatch(s -> s.kind().equals("power-loss-all")));
    }
}
