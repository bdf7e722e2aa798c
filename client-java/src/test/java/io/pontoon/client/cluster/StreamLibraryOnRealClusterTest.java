package io.pontoon.client.cluster;

import io.pontoon.api.v1.PutRecordsResultEntry;
import io.pontoon.api.v1.Record;
import io.pontoon.client.PontoonClient;
import io.pontoon.client.stream.RecordProcessor;
import io.pontoon.client.stream.StreamConsumer;
import io.pontoon.client.stream.StreamProducer;
import io.pontoon.raft.ReplicaGroupId;
import io.pontoon.server.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The stream client library on a real 3-node cluster: the producer batches by shard and loses nothing across a leader
 * kill; consumer workers share a stream's shards through leases kept in Pontoon, and when one worker dies the others
 * take its shards and resume after its checkpoints, skipping no record and keeping each shard's order.
 */
class StreamLibraryOnRealClusterTest {
    private static final int PARTITIONS = 3;

    @TempDir
    Path dir;

    @Test
    void producerAndConsumersMoveEveryRecordAcrossALeaderKillAndAWorkerDeath() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3, PARTITIONS);
             PontoonClient client = PontoonClient.builder().bootstrap(cluster.allNodes().stream().map(cluster::clientAddress).toList()).build()) {
            cluster.awaitLeaders(PARTITIONS, 30_000);
            client.streams().createStream(io.pontoon.api.v1.CreateStreamRequest.newBuilder().setStreamName("lib").setShardCount(4)
                    .setEnforceShardLimits(false).build());

            Map<String, List<String>> seen = new ConcurrentHashMap<>(); // shard -> data in processing order
            Set<String> processed = ConcurrentHashMap.newKeySet();
            java.util.function.Function<String, RecordProcessor> processors = shard -> (records, checkpointer) -> {
                for (Record r : records) {
                    seen.computeIfAbsent(shard, s -> new CopyOnWriteArrayList<>()).add(r.getData().toStringUtf8());
                    processed.add(r.getData().toStringUtf8());
                }
                checkpointer.checkpoint();
            };
            StreamConsumer a = StreamConsumer.builder(client.streams(), "lib", "app", "worker-a", processors).leaseDurationMs(2_000).idlePollMs(50).build().start();
            StreamConsumer b = StreamConsumer.builder(client.streams(), "lib", "app", "worker-b", processors).leaseDurationMs(2_000).idlePollMs(50).build().start();
            TestCluster.await(() -> a.ownedShards().size() + b.ownedShards().size() == 4 && !a.ownedShards().isEmpty() && !b.ownedShards().isEmpty(),
                    30_000, "the two workers to share the four shards");

            List<String> acked = new ArrayList<>();
            // The claim here is that nothing acknowledged is lost, not how fast a failover is (the chaos harness measures that):
            // records may wait out a slow failover on a loaded 2-core CI machine instead of expiring after the default 30 s.
            try (StreamProducer producer = StreamProducer.builder(client.streams(), "lib").recordTtlMs(90_000).build()) {
                List<CompletableFuture<PutRecordsResultEntry>> futures = new ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    futures.add(producer.add("key-" + (i % 37), "r" + i));
                    if (i == 200) {
                        cluster.stop(cluster.leaderOf(ReplicaGroupId.partition(0)).orElseThrow());
                        a.abort(); // worker a dies holding its leases
                    }
                }
                for (int i = 0; i < futures.size(); i++) {
                    try {
                        assertFalse(futures.get(i).get(120, TimeUnit.SECONDS).getSequenceNumber().isEmpty());
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw new AssertionError("record r" + i + " was not put: " + e.getCause().getMessage() + cluster.describeGroups(), e);
                    }
                    acked.add("r" + i);
                }
            }
            TestCluster.await(() -> processed.containsAll(acked), 60_000, "worker b to take worker a's shards and process every record");
            assertEquals(4, b.ownedShards().size(), "worker b holds every shard once a's leases expired");
            for (List<String> order : seen.values()) {
                assertInOrderPerKey(order);
            }
            b.close();
        }
    }

    /** Within a shard, a partition key's records come in the order they were put (r<i> with increasing i); repeats allowed. */
    private static void assertInOrderPerKey(List<String> order) {
        Map<Integer, Integer> last = new ConcurrentHashMap<>();
        Set<String> first = ConcurrentHashMap.newKeySet();
        for (String d : order) {
            int i = Integer.parseInt(d.substring(1));
            if (!first.add(d)) {
                continue; // reprocessed after a failover (at least once): not an order violation
            }
            Integer prev = last.put(i % 37, i);
            assertTrue(prev == null || prev < i, "record " + d + " came after r" + prev + " of the same key");
        }
    }
}
