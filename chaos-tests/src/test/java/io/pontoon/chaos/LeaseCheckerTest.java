package io.pontoon.chaos;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The lease checker on hand-made histories (visibility timeout 5 s, clock bound 250 ms). */
class LeaseCheckerTest {
    private static long s(double seconds) {
        return (long) (seconds * TimeUnit.SECONDS.toNanos(1));
    }

    private static Op op(double at, String process, String type, String f, Object value) {
        return new Op(s(at), process, type, f, value);
    }

    /** A receive of {@code deliveries} ("value|messageId|"), as the workload records it. */
    private static List<Op> receive(double invoke, double ok, String process, String... deliveries) {
        List<String> values = java.util.Arrays.stream(deliveries).map(d -> d.substring(0, d.indexOf('|'))).toList();
        return List.of(op(invoke, process, Op.INVOKE, "receive", null), op(ok, process, Op.OK, "receive", values),
                op(ok, process, Op.OK, "deliveries", List.of(deliveries)));
    }

    private static LeaseChecker.Result check(List<List<Op>> parts) {
        return LeaseChecker.check(parts.stream().flatMap(List::stream).sorted(java.util.Comparator.comparingLong(Op::time)).toList(), 5_000, 250);
    }

    @Test
    void aRedeliveryAfterTheLeaseRanOutIsFine() {
        assertTrue(check(List.of(receive(0, 0.1, "c0", "v|m1|"), receive(5.5, 5.6, "c1", "v|m1|"))).valid());
    }

    @Test
    void aRedeliveryWhileTheLeaseRunsIsAnOverlap() {
        LeaseChecker.Result r = check(List.of(receive(0, 0.1, "c0", "v|m1|"), receive(2, 2.1, "c1", "v|m1|")));
        assertEquals(1, r.overlaps().size(), r.toString());
    }

    @Test
    void aDeliveryAfterTheHoldersDeleteIsAViolation() {
        LeaseChecker.Result r = check(List.of(receive(0, 0.1, "c0", "v|m1|"),
                List.of(op(0.2, "c0", Op.INVOKE, "delete", List.of("v")), op(0.3, "c0", Op.OK, "delete", List.of("v"))),
                receive(6, 6.1, "c1", "v|m1|")));
        assertEquals(1, r.afterDelete().size(), r.toString());
        assertEquals(1, r.checkedDeletes());
    }

    @Test
    void aDeleteThatCompletedAfterTheHoldersLeaseRanOutDoesNotCount() {
        // CI, pause-followers: c0's delete took 7 s (both followers paused). c1's receive was in flight meanwhile and
        // came back ok with another message, but an earlier attempt of it, retried by the client, may have taken v
        // after c0's lease ran out (receive count 2, never seen): c0's delete then carried a stale handle.
        LeaseChecker.Result r = check(List.of(receive(0, 0.1, "c0", "v|m1||1"), receive(0.1, 7.3, "c1", "w|m2||1"),
                List.of(op(0.1, "c0", Op.INVOKE, "delete", List.of("v")), op(7.1, "c0", Op.OK, "delete", List.of("v"))),
                receive(11.8, 11.9, "c1", "v|m1||3")));
        assertTrue(r.valid(), r.toString());
        assertEquals(0, r.checkedDeletes());
    }

    @Test
    void aReceiveThatTimedOutEarlierMayStillBeAppliedBeforeALateDelete() {
        // c1's receive timed out before c0 even got v, but its Raft entry was committed later (after a
        // failover), once c0's lease had run out: c0's slow delete then carried a stale handle.
        LeaseChecker.Result r = check(List.of(List.of(op(0, "c1", Op.INVOKE, "receive", null), op(1, "c1", Op.INFO, "receive", null)),
                receive(2, 2.1, "c0", "v|m1|"),
                List.of(op(2.2, "c0", Op.INVOKE, "delete", List.of("v")), op(7.5, "c0", Op.OK, "delete", List.of("v"))),
                receive(12, 12.1, "c0", "v|m1|")));
        assertTrue(r.valid(), r.toString());
    }

    @Test
    void aDeleteInsideTheLeaseIsTrustedEvenWithReceivesOfUnknownOutcome() {
        // No receive could take v while c0's lease ran, so c0's delete removed it: seeing v again is a bug.
        LeaseChecker.Result r = check(List.of(List.of(op(0, "c1", Op.INVOKE, "receive", null), op(1, "c1", Op.INFO, "receive", null)),
                receive(2, 2.1, "c0", "v|m1|"),
                List.of(op(2.2, "c0", Op.INVOKE, "delete", List.of("v")), op(2.3, "c0", Op.OK, "delete", List.of("v"))),
                receive(12, 12.1, "c1", "v|m1|")));
        assertEquals(1, r.afterDelete().size(), r.toString());
    }

    @Test
    void aReceiveCountThatDoesNotGrowAfterAnEarlierDeliveryIsAStateRollback() {
        LeaseChecker.Result r = check(List.of(receive(0, 0.1, "c0", "v|m1||1"), receive(6, 6.1, "c1", "v|m1||2"),
                receive(12, 12.1, "c0", "v|m1||2")));
        assertEquals(1, r.countBackwards().size(), r.toString());
        assertTrue(check(List.of(receive(0, 0.1, "c0", "v|m1||1"), receive(6, 6.1, "c1", "v|m1||3"))).valid(),
                "a receive of unknown outcome in between may have counted one more");
    }

    @Test
    void receiveCountsOfDeliveriesThatOverlapInRealTimeAreNotOrdered() {
        // c1's receive began before c0's reply arrived (a slow reply): either may have been applied first.
        assertTrue(check(List.of(receive(0, 5.8, "c0", "v|m1||2"), receive(5.5, 5.6, "c1", "v|m1||1"))).countBackwards().isEmpty());
    }

    @Test
    void oneValueStoredAsTwoMessagesIsTwoLeases() {
        // A retried send stored "v" twice; one receive returning both is not an overlap.
        assertTrue(check(List.of(receive(0, 0.1, "c0", "v|m1|", "v|m2|"))).valid());
    }

    @Test
    void aStaleHandlesDeleteDoesNotCount() {
        // c0's lease ran out, c1 got v, then c0's late delete (stale handle) "succeeded": v may come back.
        LeaseChecker.Result r = check(List.of(receive(0, 0.1, "c0", "v|m1|"), receive(5.5, 5.6, "c1", "v|m1|"),
                List.of(op(5.7, "c0", Op.INVOKE, "delete", List.of("v")), op(5.8, "c0", Op.OK, "delete", List.of("v"))),
                receive(11, 11.1, "c0", "v|m1|")));
        assertTrue(r.valid(), r.toString());
    }
}
