package io.pontoon.chaos;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stream checker on hand-made histories: a clean one passes; each kind of anomaly is caught. */
class StreamCheckerTest {
    private static final String S0 = "shardId-000000000000";
    private static final String S1 = "shardId-000000000001";
    private static final String S2 = "shardId-000000000002";

    private final List<Op> ops = new ArrayList<>();
    private long time;

    private void op(String process, String type, String f, Object value) {
        ops.add(new Op(time += 10, process, type, f, value));
    }

    /** p0 puts value under key k, acknowledged at shard/seq. */
    private void put(String value, String key, String shard, long seq) {
        op("p0", Op.INVOKE, "put", List.of(value));
        op("p0", Op.OK, "put", List.of(value + "|" + key + "|" + shard + "|" + seq));
    }

    private static String at(String value, String shard, long seq) {
        return value + "|" + shard + "|" + seq;
    }

    /** S0 split into S1 and S2: S0 closed at 20. */
    private void shardsAtTheEnd() {
        op("checker", Op.OK, "shards", List.of(S0 + "|||1|20", S1 + "|" + S0 + "||21|", S2 + "|" + S0 + "||21|"));
    }

    /** A stream split once: records before the split in the parent, after it in the children, both readers agree. */
    private void cleanHistory() {
        put("p0-0", "k0", S0, 10);
        put("p0-1", "k1", S0, 11);
        put("p0-2", "k0", S1, 30);
        put("p0-3", "k1", S2, 31);
        for (String reader : List.of("c0", "c1")) {
            op(reader, Op.OK, "read", List.of(at("p0-0", S0, 10), at("p0-1", S0, 11)));
            op(reader, Op.OK, "read", List.of(at("p0-2", S1, 30)));
            op(reader, Op.OK, "read", List.of(at("p0-3", S2, 31)));
        }
        shardsAtTheEnd();
    }

    @Test
    void aHistoryWhereEveryReaderReadEveryAcknowledgedRecordInOrderIsValid() {
        cleanHistory();
        StreamChecker.Result r = StreamChecker.result(ops);
        assertEquals(List.of(), r.anomalies());
        assertEquals(4, r.total().acked());
        assertTrue(r.total().valid());
        assertEquals(2, r.readers());
    }

    @Test
    void anAcknowledgedRecordNoReaderFoundIsLost() {
        put("p0-0", "k0", S0, 10);
        put("p0-1", "k0", S0, 11);
        op("c0", Op.OK, "read", List.of(at("p0-1", S0, 11)));
        shardsAtTheEnd();
        StreamChecker.Result r = StreamChecker.result(ops);
        assertEquals(List.of("p0-0"), r.total().lost());
        assertEquals(1, r.misplaced().size(), r.misplaced().toString());
    }

    @Test
    void aRecordReadAtAnotherSequenceNumberThanAcknowledgedIsMisplaced() {
        put("p0-0", "k0", S0, 10);
        op("c0", Op.OK, "read", List.of(at("p0-0", S0, 12)));
        shardsAtTheEnd();
        StreamChecker.Result r = StreamChecker.result(ops);
        assertTrue(r.total().lost().isEmpty(), "the value was read, just not where it was acknowledged");
        assertEquals(1, r.misplaced().size());
    }

    @Test
    void aRetriedPutStoredTwiceIsAllowed() {
        op("p0", Op.INVOKE, "put", List.of("p0-0"));
        op("p0", Op.OK, "put", List.of("p0-0|k0|" + S0 + "|11"));
        op("c0", Op.OK, "read", List.of(at("p0-0", S0, 10), at("p0-0", S0, 11)));
        shardsAtTheEnd();
        StreamChecker.Result r = StreamChecker.result(ops);
        assertEquals(List.of(), r.anomalies());
        assertEquals(1, r.total().duplicates());
    }

    @Test
    void readersThatSeeOneShardDifferentlyDisagree() {
        put("p0-0", "k0", S0, 10);
        put("p0-1", "k0", S0, 11);
        op("c0", Op.OK, "read", List.of(at("p0-0", S0, 10), at("p0-1", S0, 11)));
        op("c1", Op.OK, "read", List.of(at("p0-1", S0, 11))); // c1 never saw p0-0: a hole only it has
        shardsAtTheEnd();
        StreamChecker.Result r = StreamChecker.result(ops);
        assertEquals(1, r.disagreements().size(), r.disagreements().toString());
        assertTrue(r.misplaced().stream().anyMatch(m -> m.startsWith("c1 read nothing")), r.misplaced().toString());
    }

    @Test
    void aSequenceNumberThatGoesBackwardsWithinAShardIsDisorder() {
        op("c0", Op.OK, "read", List.of(at("p0-1", S0, 11)));
        op("c0", Op.OK, "read", List.of(at("p0-0", S0, 10)));
        op("p0", Op.INVOKE, "put", List.of("p0-0", "p0-1"));
        shardsAtTheEnd();
        assertEquals(1, StreamChecker.result(ops).disorder().size());
    }

    @Test
    void aChildRecordNotAboveItsParentsOrAParentRecordBeyondItsEndBreaksLineage() {
        op("p0", Op.INVOKE, "put", List.of("p0-0", "p0-1", "p0-2"));
        op("c0", Op.OK, "read", List.of(at("p0-0", S0, 15), at("p0-1", S0, 25))); // 25 is beyond S0's end (20)
        op("c0", Op.OK, "read", List.of(at("p0-2", S1, 14))); // below its parent's records
        shardsAtTheEnd();
        assertEquals(2, StreamChecker.result(ops).lineage().size(), StreamChecker.result(ops).lineage().toString());
    }

    @Test
    void aPutBegunAfterAnAcknowledgementOfTheSameKeyMustGetAHigherSequenceNumber() {
        put("p0-0", "k0", S0, 12);
        put("p0-1", "k0", S1, 11); // later put, lower number: the key's order broke
        put("p0-2", "k1", S0, 10); // another key: no constraint against k0
        op("c0", Op.OK, "read", List.of(at("p0-2", S0, 10), at("p0-0", S0, 12)));
        op("c0", Op.OK, "read", List.of(at("p0-1", S1, 11)));
        StreamChecker.Result r = StreamChecker.result(ops);
        assertEquals(1, r.keyOrder().size(), r.keyOrder().toString());
        assertTrue(r.anomalies().stream().anyMatch(a -> a.contains("not recorded")), "no shards op: lineage unchecked is an anomaly");
    }

    @Test
    void putsAndTheFirstReadersReadsBecomeSendsAndReceivesForTheLivenessChecks() {
        cleanHistory();
        op("p0", Op.INVOKE, "put", List.of("p0-9"));
        ops.add(new Op(time += 10, "p0", Op.INFO, "put", List.of("p0-9"), "UNAVAILABLE"));
        List<Op> converted = StreamChecker.sendsAndReceives(ops);
        assertEquals(5, converted.stream().filter(o -> "send".equals(o.f()) && Op.INVOKE.equals(o.type())).count());
        assertEquals(1, converted.stream().filter(o -> "send".equals(o.f()) && Op.INFO.equals(o.type())).count());
        assertEquals(3, converted.stream().filter(o -> "receive".equals(o.f())).count(), "c0's three reads; c1's are left out");
    }
}
