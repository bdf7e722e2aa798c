package io.pontoon.core.stream;

import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.Tick;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The stream model's rules in one partition: logs, sequences, closing, retention and leases. */
class StreamRulesTest {
    private final StreamFixture f = new StreamFixture();

    @Test
    void recordsGetStrictlyIncreasingSequencesFromTheLogAndTheLeaderTimeAsArrival() {
        long start = f.createShard(1);
        StreamResult.Put a = f.put(1, "a", "b");
        f.nowMs += 5;
        StreamResult.Put c = f.put(1, "c");
        assertEquals(List.of(start, start + 1), a.seqs());
        assertTrue(c.seqs().get(0) > a.seqs().get(1));
        StreamQueryResult.Records all = f.read(1, 0);
        assertEquals(List.of("a", "b", "c"), StreamFixture.bodies(all));
        assertEquals(List.of(f.nowMs - 5, f.nowMs - 5, f.nowMs), all.records().stream().map(StoredRecord::arrivalMs).toList());
        assertEquals("pk-a", all.records().get(0).partitionKey());
    }

    @Test
    void shardsOnOnePartitionShareTheSequenceButEachShardsSequencesIncrease() {
        f.createShard(1);
        f.createShard(2);
        long s1 = f.put(1, "x").seqs().get(0);
        long s2 = f.put(2, "y").seqs().get(0);
        long s3 = f.put(1, "z").seqs().get(0);
        assertTrue(s1 < s2 && s2 < s3);
        assertEquals(List.of("x", "z"), StreamFixture.bodies(f.read(1, 0)));
    }

    @Test
    void aReadStartsAtItsSequenceAndStopsAtItsLimitAndByteBudget() {
        f.createShard(1);
        List<Long> seqs = f.put(1, "r0", "r1", "r2", "r3").seqs();
        assertEquals(List.of("r2", "r3"), StreamFixture.bodies(f.read(1, seqs.get(2))));
        StreamQueryResult.Records two = (StreamQueryResult.Records) f.query(new StreamQuery.ReadRecords(1, 0, 2, 10 << 20));
        assertEquals(List.of("r0", "r1"), StreamFixture.bodies(two));
        assertEquals(seqs.get(2), two.nextSeq(), "the next read continues after the last record returned");
        StreamQueryResult.Records one = (StreamQueryResult.Records) f.query(new StreamQuery.ReadRecords(1, 0, 100, 1));
        assertEquals(1, one.records().size(), "the first record is returned even when it alone exceeds the byte budget");
        StreamQueryResult.Records none = f.read(1, seqs.get(3) + 1);
        assertTrue(none.records().isEmpty());
        assertEquals(seqs.get(3) + 1, none.nextSeq(), "LATEST: after the newest record");
    }

    @Test
    void aClosedShardTakesNoRecordAndItsEndingSequenceIsItsLast() {
        f.createShard(1);
        long last = f.put(1, "a", "b").seqs().get(1);
        StreamResult.ShardClosed closed = assertInstanceOf(StreamResult.ShardClosed.class, f.apply(new StreamCommand.CloseShard(1)));
        assertEquals(last, closed.endingSeq());
        PartitionResult late = f.apply(new StreamCommand.PutRecords(1, List.of(new StreamCommand.RecordEntry("k", new byte[] {1}))));
        assertEquals(new StreamResult.ShardClosed(last), late, "nothing is appended to a closed shard");
        assertEquals(List.of("a", "b"), StreamFixture.bodies(f.read(1, 0)));
        assertEquals(closed, f.apply(new StreamCommand.CloseShard(1)), "closing again is a no-op");
        StreamQueryResult.Records end = f.read(1, last + 1);
        assertTrue(end.atShardEnd(), "a reader past the ending sequence of a closed shard is at its end");
        assertTrue(f.read(1, 0).atShardEnd(), "a read that returns the last records reaches the end too");
        StreamQueryResult.Records first = (StreamQueryResult.Records) f.query(new StreamQuery.ReadRecords(1, 0, 1, 10 << 20));
        assertFalse(first.atShardEnd(), "records remain after the first");
    }

    @Test
    void anEmptyShardClosesAtItsStartingSequence() {
        long start = f.createShard(1);
        assertEquals(new StreamResult.ShardClosed(start), f.apply(new StreamCommand.CloseShard(1)));
        assertTrue(f.read(1, 0).atShardEnd());
    }

    @Test
    void atTimestampFindsTheFirstRecordThatArrivedThenOrLater() {
        f.createShard(1);
        long t0 = f.nowMs;
        long a = f.put(1, "a").seqs().get(0);
        f.nowMs += 1_000;
        long b = f.put(1, "b", "c").seqs().get(0);
        f.nowMs += 1_000;
        long d = f.put(1, "d").seqs().get(0);
        assertEquals(a, seqAt(t0 - 10_000));
        assertEquals(a, seqAt(t0));
        assertEquals(b, seqAt(t0 + 1));
        assertEquals(b, seqAt(t0 + 1_000));
        assertEquals(d, seqAt(t0 + 1_500));
        assertEquals(d + 1, seqAt(t0 + 5_000), "after the newest record: where the next record will be");
    }

    @Test
    void trimmingDeletesRecordsThatArrivedBeforeTheCutAndTheyNeverComeBack() {
        f.createShard(1);
        long t0 = f.nowMs;
        f.put(1, "old1", "old2");
        f.nowMs += 60_000;
        long kept = f.put(1, "new").seqs().get(0);
        StreamResult.Trimmed trimmed = assertInstanceOf(StreamResult.Trimmed.class, f.apply(new StreamCommand.TrimShard(1, t0 + 1)));
        assertEquals(kept, trimmed.trimmedBelowSeq());
        assertEquals(List.of("new"), StreamFixture.bodies(f.read(1, 0)), "TRIM_HORIZON starts at the oldest record kept");
        assertEquals(kept, f.shard(1).trimmedBelowSeq());
        assertEquals(new StreamResult.Trimmed(kept), f.apply(new StreamCommand.TrimShard(1, t0 - 1)),
                "an earlier cut (a retention increase) does not bring trimmed records back");
        assertEquals(List.of("new"), StreamFixture.bodies(f.read(1, 0)));
        f.nowMs += 1;
        f.apply(new StreamCommand.TrimShard(1, f.nowMs));
        assertTrue(f.read(1, 0).records().isEmpty(), "a cut after the newest record trims everything");
        f.put(1, "later");
        assertEquals(List.of("later"), StreamFixture.bodies(f.read(1, 0)));
    }

    @Test
    void deletingAShardDeletesItsRecordsAndLeases() {
        f.createShard(1);
        f.put(1, "a");
        f.apply(new StreamCommand.UpdateLease(1, "app", null, 0, "w1", 10_000, null));
        assertEquals(new PartitionResult.Ok(), f.apply(new StreamCommand.DeleteShard(1)));
        assertEquals(ErrorCode.RESOURCE_NOT_FOUND, ((io.pontoon.core.partition.QueryResult.Error) f.query(new StreamQuery.ShardState(1))).code());
        f.createShard(1);
        assertTrue(f.read(1, 0).records().isEmpty(), "a shard created again under the uid starts empty");
        assertNull(((StreamQueryResult.LeaseList) f.query(new StreamQuery.Leases("app", List.of(1L)))).leases().get(0).owner());
    }

    @Test
    void commandsOnAMissingShardAreResourceNotFoundAndChangeNothing() {
        byte[] before = f.store.stateBytes();
        PartitionResult r = f.apply(new StreamCommand.PutRecords(9, List.of(new StreamCommand.RecordEntry("k", new byte[1]))));
        assertEquals(ErrorCode.RESOURCE_NOT_FOUND, ((PartitionResult.Error) r).code());
        assertEquals(ErrorCode.RESOURCE_NOT_FOUND, ((PartitionResult.Error) f.apply(new StreamCommand.CloseShard(9))).code());
        assertEquals(ErrorCode.RESOURCE_NOT_FOUND, ((PartitionResult.Error) f.apply(new StreamCommand.TrimShard(9, 1))).code());
        assertEquals(new PartitionResult.Ok(), f.apply(new StreamCommand.DeleteShard(9)), "deleting is idempotent");
        f.index = 0;
        assertEquals(before.length > 0, true);
    }

    @Test
    void creatingAShardAgainWithTheSameIdentityIsANoOpAndWithAnotherItIsRefused() {
        long start = f.createShard(1);
        f.put(1, "a");
        assertEquals(start, f.createShard(1), "the orchestrator's retry finds the same shard");
        PartitionResult other = f.apply(new StreamCommand.CreateShard(1, "other", "shardId-000000000001", BigInteger.ZERO, HashKeys.MAX));
        assertEquals(ErrorCode.RESOURCE_IN_USE, ((PartitionResult.Error) other).code());
        assertEquals(List.of("a"), StreamFixture.bodies(f.read(1, 0)));
    }

    @Test
    void aLeaseIsAConditionalWriteOnItsCounterAndHolder() {
        f.createShard(1);
        StreamResult.LeaseUpdated taken = (StreamResult.LeaseUpdated) f.apply(new StreamCommand.UpdateLease(1, "app", null, 0, "w1", 10_000, null));
        assertTrue(taken.applied());
        assertEquals(new Lease("app", 1, "w1", 1, f.nowMs + 10_000, null), taken.lease());
        StreamResult.LeaseUpdated rival = (StreamResult.LeaseUpdated) f.apply(new StreamCommand.UpdateLease(1, "app", null, 0, "w2", 10_000, null));
        assertFalse(rival.applied(), "a second taker with the old counter loses");
        assertEquals(taken.lease(), rival.lease());
        StreamResult.LeaseUpdated stealLive = (StreamResult.LeaseUpdated) f.apply(new StreamCommand.UpdateLease(1, "app", "nobody", 1, "w2", 10_000, null));
        assertFalse(stealLive.applied(), "a live lease goes only to who names its holder and counter");
        StreamResult.LeaseUpdated checkpoint = (StreamResult.LeaseUpdated) f.apply(new StreamCommand.UpdateLease(1, "app", "w1", 1, "w1", 10_000,
                SequenceNumbers.format(5)));
        assertTrue(checkpoint.applied());
        assertEquals(SequenceNumbers.format(5), checkpoint.lease().checkpoint());
        f.nowMs += 20_000;
        StreamResult.LeaseUpdated expiredTake = (StreamResult.LeaseUpdated) f.apply(new StreamCommand.UpdateLease(1, "app", null, 2, "w2", 10_000, null));
        assertTrue(expiredTake.applied(), "an expired lease is free to take");
        assertEquals("w2", expiredTake.lease().owner());
        assertEquals(SequenceNumbers.format(5), expiredTake.lease().checkpoint(), "the checkpoint stays with the lease");
        StreamResult.LeaseUpdated released = (StreamResult.LeaseUpdated) f.apply(new StreamCommand.UpdateLease(1, "app", "w2", 3, null, 0, null));
        assertTrue(released.applied());
        assertNull(released.lease().owner());
    }

    @Test
    void invalidCommandsAreErrorResultsThatChangeNothing() {
        f.createShard(1);
        byte[] before = f.store.stateBytes();
        f.index++;
        PartitionResult r = f.sm.apply(f.store, List.of(new StreamCommand.PutRecords(1, List.of(new StreamCommand.RecordEntry("", new byte[1])))),
                f.index, 1, f.nowMs).get(0);
        assertEquals(ErrorCode.INVALID_ARGUMENT, ((PartitionResult.Error) r).code());
        assertEquals(List.of(), StreamFixture.bodies(f.read(1, 0)));
        PartitionResult big = f.apply(new StreamCommand.PutRecords(1, List.of(new StreamCommand.RecordEntry("k", new byte[1_048_576]))));
        assertEquals(ErrorCode.INVALID_ARGUMENT, ((PartitionResult.Error) big).code(), "data plus partition key over 1 MiB");
        assertNotNull(before);
    }

    @Test
    void aTickHasNoStreamWork() {
        f.createShard(1);
        f.put(1, "a");
        assertEquals(new PartitionResult.Ticked(0), f.apply(new Tick()));
        assertEquals(List.of("a"), StreamFixture.bodies(f.read(1, 0)));
    }

    @Test
    void sequenceNumbersAreFixedWidthDecimalsThatCompareAsStringsAndAsNumbers() {
        assertEquals("100000000000000000000", SequenceNumbers.format(0));
        assertEquals("100000000000000000042", SequenceNumbers.format(42));
        assertEquals(42, SequenceNumbers.parse("100000000000000000042", "x"));
        assertTrue(SequenceNumbers.format(9).compareTo(SequenceNumbers.format(10)) < 0);
        for (String bad : new String[] {"", "0", "42", "200000000000000000042", "10000000000000000004x", "1000000000000000000420"}) {
            BrokerException e = assertThrows(BrokerException.class, () -> SequenceNumbers.parse(bad, "StartingSequenceNumber"));
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        }
    }

    @Test
    void aPutCarryingAMinimumSequenceGetsSequencesAboveItSoAKeysSequencesGrowAcrossAReshard() {
        f.createShard(1);
        long parentEnd = 5_000;
        StreamResult.Put p = (StreamResult.Put) f.apply(new StreamCommand.PutRecords(1, List.of(new StreamCommand.RecordEntry("k", new byte[] {1}),
                new StreamCommand.RecordEntry("k", new byte[] {2})), parentEnd));
        assertEquals(List.of(parentEnd + 1, parentEnd + 2), p.seqs());
        assertEquals(parentEnd + 3, f.put(1, "later").seqs().get(0), "the partition's sequence never goes back");
    }

    private long seqAt(long t) {
        return ((StreamQueryResult.SeqAt) f.query(new StreamQuery.SeqAtTime(1, t))).seq();
    }

    private StreamResult.Put putLane(long uid, int lane, long floor, long... laneSeqs) {
        List<StreamCommand.RecordEntry> records = new java.util.ArrayList<>();
        List<Long> seqs = new java.util.ArrayList<>();
        for (long l : laneSeqs) {
            records.add(new StreamCommand.RecordEntry("pk", ("r" + l).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            seqs.add(l);
        }
        return assertInstanceOf(StreamResult.Put.class, f.apply(new StreamCommand.PutLaneRecords(new StreamCommand.PutRecords(uid, records), lane,
                floor, seqs)));
    }

    @Test
    void aLanePutSkipsWhatTheShardAlreadyTookFromThatLaneAndBelowTheFloor() {
        f.createShard(1);
        putLane(1, 7, 0, 10, 11);
        StreamResult.Put resent = putLane(1, 7, 0, 10, 11, 12);
        assertEquals(-1L, resent.seqs().get(0), "a resent record is not appended again");
        assertEquals(-1L, resent.seqs().get(1));
        assertTrue(resent.seqs().get(2) > 0, "the new one is");
        assertTrue(putLane(1, 8, 0, 10).seqs().get(0) > 0, "each lane has its own mark");
        assertEquals(List.of(-1L, -1L), putLane(1, 9, 5, 4, 5).seqs(), "records at or below the floor (closed parents' marks) are skipped");
        assertEquals(List.of("r10", "r11", "r12", "r10"), StreamFixture.bodies(f.read(1, 0)));
        assertEquals(12L, ((StreamQueryResult.Mark) f.query(new StreamQuery.LaneMark(1, 7))).mark());
        f.apply(new StreamCommand.DeleteShard(1));
        assertEquals(0L, ((StreamQueryResult.Mark) f.query(new StreamQuery.LaneMark(1, 7))).mark(), "marks go with their shard");
    }
}
