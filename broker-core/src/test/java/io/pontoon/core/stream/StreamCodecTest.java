package io.pontoon.core.stream;

import io.pontoon.core.partition.Model;
import io.pontoon.core.partition.PartitionCodec;
import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.core.partition.PartitionQuery;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.QueryResult;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The stream model's log encoding: every command, result and query round-trips; type ids are fixed. */
class StreamCodecTest {
    static final ShardRecord SHARD = new ShardRecord(7, "s", "shardId-000000000001", BigInteger.ONE, HashKeys.MAX, 1_000, 5, true, 9, 9, 1_500, 6);

    static List<PartitionCommand> commands() {
        return List.of(new StreamCommand.CreateShard(7, "s", "shardId-000000000001", BigInteger.ZERO, HashKeys.MAX),
                new StreamCommand.PutRecords(7, List.of(new StreamCommand.RecordEntry("k", new byte[] {1, 2}), new StreamCommand.RecordEntry("é", new byte[0]))),
                new StreamCommand.CloseShard(7),
                new StreamCommand.TrimShard(7, 123),
                new StreamCommand.DeleteShard(7),
                new StreamCommand.UpdateLease(7, "app", null, 0, "w", 10_000, null),
                new StreamCommand.UpdateLease(7, "app", "w", 3, null, 0, Lease.SHARD_END));
    }

    @Test
    void everyCommandResultQueryAndAnswerRoundTrips() {
        List<PartitionCommand> cmds = commands();
        assertEquals(cmds, PartitionCodec.decode(PartitionCodec.encode(cmds)));
        List<PartitionResult> results = List.of(new StreamResult.ShardCreated(5), new StreamResult.Put(List.of(5L, 6L), 99),
                new StreamResult.ShardClosed(9), new StreamResult.Trimmed(6),
                new StreamResult.LeaseUpdated(true, new Lease("app", 7, "w", 1, 10, null)),
                new StreamResult.LeaseUpdated(false, new Lease("app", 7, null, 0, 0, "100000000000000000005")));
        assertEquals(results, PartitionCodec.decodeResults(PartitionCodec.encodeResults(results)));
        List<PartitionQuery> queries = List.of(new StreamQuery.ShardState(7), new StreamQuery.ReadRecords(7, 5, 100, 1 << 20),
                new StreamQuery.SeqAtTime(7, 123), new StreamQuery.LocalShards(0, 10), new StreamQuery.Leases("app", List.of(1L, 2L)));
        for (PartitionQuery q : queries) {
            assertEquals(q, PartitionCodec.decodeQuery(PartitionCodec.encodeQuery(q)));
        }
        List<QueryResult> answers = List.of(new StreamQueryResult.ShardInfo(SHARD),
                new StreamQueryResult.Records(List.of(new StoredRecord(5, 1_000, "k", new byte[] {9})), 6, SHARD),
                new StreamQueryResult.SeqAt(6), new StreamQueryResult.Shards(List.of(SHARD, SHARD)),
                new StreamQueryResult.LeaseList(List.of(new Lease("app", 7, "w", 2, 5, null))));
        for (QueryResult a : answers) {
            assertEquals(a, PartitionCodec.decodeQueryResult(PartitionCodec.encodeQueryResult(a)));
        }
    }

    @Test
    void typeIdsAreFixedAndEveryOneIsUnderTheStreamModel() {
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 6), commands().stream().map(PartitionCommand::typeId).toList());
        assertTrue(commands().stream().allMatch(c -> c.model() == Model.STREAM));
        assertEquals(2, Model.STREAM.id());
        byte[] one = PartitionCodec.encodeOne(new StreamCommand.CloseShard(7));
        assertEquals(2, one[0], "the model id leads every encoded command");
        assertEquals(3, one[1]);
    }

    @Test
    void storedValuesRoundTrip() {
        assertEquals(SHARD, StreamCodec.decodeShard(StreamCodec.encodeShard(SHARD)));
        StoredRecord r = new StoredRecord(5, 1_000, "k", new byte[] {1, 2, 3});
        assertEquals(r, StreamCodec.decodeRecord(5, StreamCodec.encodeRecord(r)));
        Lease l = new Lease("app", 7, "w", 3, 99, Lease.TRIM_HORIZON);
        assertEquals(l, StreamCodec.decodeLease(StreamCodec.encodeLease(l)));
    }
}
