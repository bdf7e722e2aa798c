package io.pontoon.core.stream;

import io.pontoon.core.CoreConfig;
import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.PartitionStateMachine;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.core.partition.StoreView;
import io.pontoon.core.partition.memory.InMemoryPartitionStore;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** A partition state machine over an in-memory store, with helpers for the stream model. */
final class StreamFixture {
    final InMemoryPartitionStore store = new InMemoryPartitionStore();
    final PartitionStateMachine sm = new PartitionStateMachine(1, CoreConfig.DEFAULTS);
    long index;
    long nowMs = 1_700_000_000_000L;

    List<PartitionResult> applyAll(PartitionCommand... commands) {
        return sm.apply(store, List.of(commands), ++index, 1, nowMs);
    }

    PartitionResult apply(PartitionCommand c) {
        return applyAll(c).get(0);
    }

    QueryResult query(StreamQuery q) {
        try (StoreView v = store.view()) {
            return sm.query(v, q, nowMs);
        }
    }

    /** Creates shard {@code uid} covering the whole hash key space; returns its starting sequence. */
    long createShard(long uid) {
        return createShard(uid, BigInteger.ZERO, HashKeys.MAX);
    }

    long createShard(long uid, BigInteger start, BigInteger end) {
        PartitionResult r = apply(new StreamCommand.CreateShard(uid, "s", "shardId-" + String.format("%012d", uid), start, end));
        return assertInstanceOf(StreamResult.ShardCreated.class, r).startingSeq();
    }

    StreamResult.Put put(long uid, String... bodies) {
        List<StreamCommand.RecordEntry> records = new ArrayList<>();
        for (String b : bodies) {
            records.add(new StreamCommand.RecordEntry("pk-" + b, b.getBytes(StandardCharsets.UTF_8)));
        }
        return assertInstanceOf(StreamResult.Put.class, apply(new StreamCommand.PutRecords(uid, records)));
    }

    StreamQueryResult.Records read(long uid, long fromSeq) {
        return assertInstanceOf(StreamQueryResult.Records.class, query(new StreamQuery.ReadRecords(uid, fromSeq, 10_000, 10 << 20)));
    }

    ShardRecord shard(long uid) {
        return assertInstanceOf(StreamQueryResult.ShardInfo.class, query(new StreamQuery.ShardState(uid))).shard();
    }

    static List<String> bodies(StreamQueryResult.Records r) {
        return r.records().stream().map(x -> new String(x.data(), StandardCharsets.UTF_8)).toList();
    }
}
