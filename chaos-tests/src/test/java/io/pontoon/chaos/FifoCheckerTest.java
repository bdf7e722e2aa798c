package io.pontoon.chaos;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The FIFO checker on hand-made histories: it passes what FIFO allows and catches what it forbids. */
class FifoCheckerTest {
    private static Op delivered(long time, String... deliveries) {
        return new Op(time, "c0", Op.OK, "deliveries", List.of(deliveries));
    }

    @Test
    void inOrderFirstDeliveriesAndRedeliveriesAreValid() {
        FifoChecker.Result r = FifoChecker.check(List.of(
                delivered(1, "p0-0|m0|001", "p0-1|m1|002"),
                delivered(2, "p0-1|m1|002", "p0-2|m2|003"), // p0-1 redelivered (same MessageId), then p0-2
                delivered(3, "p1-0|m3|004")));
        assertTrue(r.valid(), r.toString());
        assertEquals(5, r.deliveries());
        assertEquals(2, r.groups());
    }

    @Test
    void aLowerCounterDeliveredFirstAfterAHigherOneIsAnOrderViolation() {
        FifoChecker.Result r = FifoChecker.check(List.of(delivered(1, "p0-1|m1|002"), delivered(2, "p0-0|m0|001")));
        assertEquals(1, r.orderViolations().size(), r.toString());
    }

    @Test
    void aSequenceNumberThatDoesNotGrowIsAnOrderViolation() {
        FifoChecker.Result r = FifoChecker.check(List.of(delivered(1, "p0-0|m0|005", "p0-1|m1|004")));
        assertEquals(1, r.orderViolations().size(), r.toString());
    }

    @Test
    void oneValueUnderTwoMessageIdsIsADedupViolation() {
        FifoChecker.Result r = FifoChecker.check(List.of(delivered(1, "p0-0|m0|001"), delivered(2, "p0-0|m9|002")));
        assertEquals(1, r.dedupViolations().size(), r.toString());
        assertFalse(r.valid());
    }

    @Test
    void groupsAreCheckedIndependently() {
        FifoChecker.Result r = FifoChecker.check(List.of(delivered(1, "p1-5|m5|010", "p0-0|m0|011")));
        assertTrue(r.valid(), r.toString());
    }
}
