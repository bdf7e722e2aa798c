package io.pontoon.client.bench;

import io.pontoon.api.v1.Message;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FifoOrderCheckerTest {
    private static final String RUN = "abcdefghij";

    private static Message msg(String group, int producer, long seq, long sequenceNumber) {
        return msg(group, FifoMessages.dedupId(RUN, producer, seq), sequenceNumber);
    }

    private static Message msg(String group, String dedupId, long sequenceNumber) {
        return Message.newBuilder().setBody("x")
                .putAttributes("MessageGroupId", group)
                .putAttributes("MessageDeduplicationId", dedupId)
                .putAttributes("SequenceNumber", String.format("%020d", sequenceNumber))
                .build();
    }

    @Test
    void inOrderDeliveryHasNoViolations() {
        FifoOrderChecker c = new FifoOrderChecker(RUN);
        // two producers interleaved in one group, with gaps (failed sends); another group in between
        c.check("q", List.of(msg("g0", 0, 0, 1), msg("g0", 1, 0, 2), msg("g0", 0, 2, 5)));
        c.check("q", List.of(msg("g1", 0, 1, 3), msg("g0", 1, 7, 9)));
        c.check("q", List.of(msg("g1", 0, 3, 4), msg("g0", 0, 9, 10)));
        FifoOrderChecker.Result r = c.result();
        assertEquals(new FifoOrderChecker.Result(7, 0, 0, 0, 0, 2), r);
        assertEquals(0, r.orderViolations());
    }

    @Test
    void producerOrderViolation() {
        FifoOrderChecker c = new FifoOrderChecker(RUN);
        c.check("q", List.of(msg("g0", 0, 5, 1), msg("g0", 0, 4, 2), msg("g0", 0, 6, 3)));
        FifoOrderChecker.Result r = c.result();
        assertEquals(1, r.producerOrderViolations());
        assertEquals(0, r.sequenceNumberViolations());
        assertEquals(1, r.orderViolations());
        assertEquals(3, r.checked());
    }

    @Test
    void sequenceNumberViolationAcrossProducers() {
        FifoOrderChecker c = new FifoOrderChecker(RUN);
        c.check("q", List.of(msg("g0", 0, 0, 10)));
        c.check("q", List.of(msg("g0", 1, 0, 9)));
        assertEquals(new FifoOrderChecker.Result(2, 0, 0, 1, 0, 1), c.result());
        assertEquals(1, c.orderViolations());
    }

    @Test
    void redeliveryIsADuplicateNotAViolation() {
        FifoOrderChecker c = new FifoOrderChecker(RUN);
        c.check("q", List.of(msg("g0", 0, 0, 1), msg("g0", 0, 1, 2)));
        c.check("q", List.of(msg("g0", 0, 1, 2), msg("g0", 0, 2, 3)));
        assertEquals(new FifoOrderChecker.Result(3, 1, 0, 0, 0, 1), c.result());
    }

    @Test
    void groupsOfDifferentQueuesAreSeparate() {
        FifoOrderChecker c = new FifoOrderChecker(RUN);
        // producers 0 and 1 send to different queues; their own sequence numbers are per queue
        c.check("q-0", List.of(msg("g0", 0, 0, 100)));
        c.check("q-1", List.of(msg("g0", 1, 0, 1)));
        assertEquals(new FifoOrderChecker.Result(2, 0, 0, 0, 0, 2), c.result());
    }

    @Test
    void messagesOfOtherRunsAreIgnored() {
        FifoOrderChecker c = new FifoOrderChecker(RUN);
        c.check("q", List.of(msg("g0", FifoMessages.dedupId("otherrun00", 0, 5), 1),
                msg("g0", "not-ours", 2), Message.newBuilder().setBody("no attributes").build(),
                msg("g0", 0, 0, 3)));
        assertEquals(new FifoOrderChecker.Result(1, 0, 0, 0, 3, 1), c.result());
    }
}
