package io.pontoon.chaos;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Fault schedules are drawn from the seed alone, and each family draws the steps it promises. */
class FaultScheduleTest {
    private static List<FaultSchedule.Step> schedule(String family) {
        return FaultSchedule.schedule(family, 42, Duration.ofSeconds(60));
    }

    @Test
    void theSameSeedDrawsTheSameSchedule() {
        for (String family : FaultSchedule.FAMILIES) {
            assertEquals(schedule(family), schedule(family), family);
        }
    }

    @Test
    void pauseKillAlternatesPausesAndKills() {
        List<FaultSchedule.Step> steps = schedule("pause-kill");
        for (FaultSchedule.Step s : steps) {
            assertEquals(s.index() % 2 == 0 ? "kill" : "pause", s.kind(), s.toString());
        }
    }

    @Test
    void clockJumpsAreNonZeroAndWithinTheBoundTheLeaseCheckerAllows() {
        List<FaultSchedule.Step> steps = schedule("clock");
        assertTrue(steps.stream().anyMatch(s -> s.offsetMs() > 0) && steps.stream().anyMatch(s -> s.offsetMs() < 0), steps.toString());
        for (FaultSchedule.Step s : steps) {
            assertTrue(Math.abs(s.offsetMs()) >= 500 && Math.abs(s.offsetMs()) <= FaultSchedule.MAX_CLOCK_JUMP_MS, s.toString());
        }
        assertEquals(FaultSchedule.MAX_CLOCK_JUMP_MS, FaultSchedule.clockBoundMs("clock"));
        assertEquals(0, FaultSchedule.clockBoundMs("kill"));
    }

    @Test
    void onlyPowerLossFamiliesNeedLossyDisks() {
        assertTrue(FaultSchedule.needsLossyDisks("power-loss"));
        assertTrue(FaultSchedule.needsLossyDisks("power-loss-all"));
        assertFalse(FaultSchedule.needsLossyDisks("kill"));
        assertTrue(schedule("power-loss-all").stream().allMatch(s -> s.kind().equals("power-loss-all")));
    }
}
