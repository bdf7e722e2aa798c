package io.pontoon.storage.rocksdb;

import io.pontoon.core.CoreConfig;
import io.pontoon.core.partition.PartitionCodec;
import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.core.partition.PartitionQuery;
import io.pontoon.core.partition.PartitionStateMachine;
import io.pontoon.core.partition.PartitionStore;
import io.pontoon.core.partition.StoreView;
import io.pontoon.core.partition.memory.InMemoryPartitionStore;
import io.pontoon.core.stream.HashKeys;
import io.pontoon.core.stream.StreamCommand;
import io.pontoon.core.stream.StreamQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The stream model's storage port on RocksDB answers exactly as the in-memory reference: the same random log of
 * stream commands (puts, closes, trims by time, deletes, leases) applied to both through the state machine gives the
 * same results, and every read (records from any sequence, seeks by time, shards, leases) the same answer; also after
 * a checkpoint is restored and the store reopened.
 */
class StreamTablesTest {
    @TempDir
    Path tmp;

    @Test
    void rocksDbAnswersEveryStreamReadAsTheInMemoryReferenceDoes() throws Exception {
        long seed = Long.getLong("stream.seed", 42);
        Random rnd = new Random(seed);
        try (RocksResources resources = new RocksResources(Fixtures.SMALL)) {
            PartitionStore rocks = RocksPartitionStore.open(tmp.resolve("db"), resources);
            InMemoryPartitionStore memory = new InMemoryPartitionStore();
            PartitionStateMachine a = new PartitionStateMachine(1, CoreConfig.DEFAULTS), b = new PartitionStateMachine(1, CoreConfig.DEFAULTS);
            long now = 1_700_000_000_000L;
            for (long index = 1; index <= 400; index++) {
                now += rnd.nextInt(3_000);
                List<PartitionCommand> entry = new ArrayList<>();
                for (int c = 1 + rnd.nextInt(3); c > 0; c--) {
                    entry.add(command(rnd, now));
                }
                assertArrayEquals(PartitionCodec.encodeResults(b.apply(memory, entry, index, 1, now)),
                        PartitionCodec.encodeResults(a.apply(rocks, entry, index, 1, now)), "seed " + seed + ", entry " + index);
                if (index % 25 == 0) {
                    compareReads(a, rocks, b, memory, rnd, now, seed);
                }
                if (index == 200) {
                    Path cp = tmp.resolve("cp");
                    rocks.checkpoint(cp);
                    rocks.close();
                    rocks = RocksPartitionStore.restoreFrom(cp, tmp.resolve("db"), resources);
                }
            }
            compareReads(a, rocks, b, memory, rnd, now, seed);
            rocks.close();
        }
    }

    private static PartitionCommand command(Random rnd, long now) {
        long uid = 1 + rnd.nextInt(4);
        int k = rnd.nextInt(100);
        if (k < 10) {
            BigInteger[] range = HashKeys.uniformRange((int) uid - 1, 4);
            return new StreamCommand.CreateShard(uid, "s", "shardId-00000000000" + uid, range[0], range[1]);
        }
        if (k < 70) {
            List<StreamCommand.RecordEntry> records = new ArrayList<>();
            for (int i = 1 + rnd.nextInt(8); i > 0; i--) {
                byte[] data = new byte[rnd.nextInt(200)];
                rnd.nextBytes(data);
                records.add(new StreamCommand.RecordEntry("pk" + rnd.nextInt(100), data));
            }
            return new StreamCommand.PutRecords(uid, records);
        }
        if (k < 75) {
            return new StreamCommand.CloseShard(uid);
        }
        if (k < 85) {
            return new StreamCommand.TrimShard(uid, now - rnd.nextInt(60_000));
        }
        if (k < 88) {
            return new StreamCommand.DeleteShard(uid);
        }
        return new StreamCommand.UpdateLease(uid, "app" + rnd.nextInt(2), rnd.nextBoolean() ? null : "w1", rnd.nextInt(3),
                rnd.nextBoolean() ? "w1" : "w2", 5_000, null);
    }

    private static void compareReads(PartitionStateMachine a, PartitionStore rocks, PartitionStateMachine b, PartitionStore memory, Random rnd,
                                     long now, long seed) {
        List<PartitionQuery> queries = new ArrayList<>();
        queries.add(new StreamQuery.LocalShards(0, 100));
        for (long uid = 1; uid <= 4; uid++) {
            queries.add(new StreamQuery.ShardState(uid));
            queries.add(new StreamQuery.ReadRecords(uid, 0, 10_000, 10 << 20));
            queries.add(new StreamQuery.ReadRecords(uid, rnd.nextInt(2_000), 1 + rnd.nextInt(50), 1 + rnd.nextInt(5_000)));
            queries.add(new StreamQuery.SeqAtTime(uid, now - rnd.nextInt(120_000)));
            queries.add(new StreamQuery.Leases("app0", List.of(uid)));
        }
        try (StoreView x = rocks.view(); StoreView y = memory.view()) {
            for (PartitionQuery q : queries) {
                assertEquals(b.query(y, q, now), a.query(x, q, now), "seed " + seed + ": " + q);
            }
        }
    }
}
