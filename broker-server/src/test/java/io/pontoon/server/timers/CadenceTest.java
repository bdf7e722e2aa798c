package io.pontoon.server.timers;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CadenceTest {

    @Test
    void theFirstPollIsDueWhateverTheClockSays() {
        assertTrue(new Cadence(2_000).due(1_765_000_000_000L), "a wall-clock time");
        assertTrue(new Cadence(2_000).due(0));
        assertTrue(new Cadence(2_000).due(-5_000), "a clock offset into the past");
    }

    @Test
    void laterPollsAreDueOncePerPeriod() {
        Cadence c = new Cadence(2_000);
        long t = 1_765_000_000_000L;
        assertTrue(c.due(t));
        assertFalse(c.due(t + 1));
        assertFalse(c.due(t + 1_999));
        assertTrue(c.due(t + 2_000));
        assertFalse(c.due(t + 3_000));
        assertTrue(c.due(t + 10_000), "a late poll is due at once, and the period counts from it");
        assertFalse(c.due(t + 11_999));
    }

    @Test
    void aClockThatSteppedBackMakesThePollDueInsteadOfSilentUntilItCatchesUp() {
        Cadence c = new Cadence(30_000);
        long t = 1_765_000_000_000L;
        assertTrue(c.due(t));
        assertTrue(c.due(t - 2_000), "the clock jumped 2 s back");
        assertFalse(c.due(t - 1_000), "and the period counts from there");
        assertTrue(c.due(t + 28_000));
    }
}
