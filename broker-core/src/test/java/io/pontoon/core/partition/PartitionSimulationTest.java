package io.pontoon.core.partition;

import io.pontoon.core.CoreConfig;
import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.queue.QueueAttributes;
import io.pontoon.core.queue.QueueCommand;
import io.pontoon.core.queue.QueueRecord;
import io.pontoon.core.queue.QueueResult;
import io.pontoon.core.stream.HashKeys;
import io.pontoon.core.topic.TopicCommand;
import io.pontoon.core.topic.TopicQuery;
import io.pontoon.core.topic.TopicQueryResult;
import io.pontoon.core.stream.Lease;
import io.pontoon.core.stream.SequenceNumbers;
import io.pontoon.core.stream.ShardRecord;
import io.pontoon.core.stream.StoredRecord;
import io.pontoon.core.stream.StreamCommand;
import io.pontoon.core.partition.memory.InMemoryPartitionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A seeded simulation of one partition, after Kafka's raft simulation and TigerBeetle's VOPR: three replicas (state
 * machines over in-memory stores) apply the same randomly generated log, holding commands of every model, under
 * leader times that jump forwards and now and then backwards; replicas take checkpoints and restart from them,
 * replaying the log from there, and replay entries they already applied. After every entry every replica must hold
 * the same state (byte for byte), have returned the same results, and satisfy every model's invariants.
 *
 * <p>CI runs {@code sim.seeds} seeds (default 40) from {@code sim.seed} (default 1); a failure names the seed that
 * reproduces it: {@code mvn -pl broker-core surefire:test -Dtest=PartitionSimulationTest -Dsim.seed=N -Dsim.seeds=1}.
 */
class PartitionSimulationTest {
    private static final int ENTRIES = Integer.getInteger("sim.entries", 250);
    private static final int REPLICAS = 3;
    private static final String[] QUEUES = {"q1", "q2", "q3.fifo"};
    private static final String[] TOPICS = {"t1", "t2", "t3.fifo"};

    @TempDir
    Path dir;

    @Test
    void replicasApplyingTheSameRandomLogStayIdenticalAndKeepEveryModelsInvariants() throws Exception {
        long first = Long.getLong("sim.seed", 1);
        int seeds = Integer.getInteger("sim.seeds", 40);
        for (long seed = first; seed < first + seeds; seed++) {
            try {
                new Run(seed, dir.resolve("seed-" + seed)).run();
            } catch (Throwable t) {
                throw new AssertionError("simulation failed with seed " + seed + " (reproduce with -Dsim.seed=" + seed + " -Dsim.seeds=1): " + t, t);
            }
        }
    }

    /** One seed's run. */
    private static final class Run {
        private final long seed;
        private final Random rnd;
        private final Path dir;
        private final List<List<PartitionCommand>> log = new ArrayList<>();
        private final List<Long> times = new ArrayList<>();
        private final Replica[] replicas = new Replica[REPLICAS];
        private final List<String> receipts = new ArrayList<>();
        private long nextLaneSeq = 1;
        private final Map<Long, Integer> shards = new HashMap<>(); // uid -> records put (for choosing)
        private long nextUid = 1;
        private long leaderTime = 1_700_000_000_000L;
        private int checkpoints;

        Run(long seed, Path dir) {
            this.seed = seed;
            this.rnd = new Random(seed);
            this.dir = dir;
            for (int i = 0; i < REPLICAS; i++) {
                replicas[i] = new Replica(new InMemoryPartitionStore());
            }
        }

        void run() throws Exception {
            for (int e = 0; e < ENTRIES; e++) {
                List<PartitionCommand> entry = new ArrayList<>();
                for (int c = 1 + rnd.nextInt(4); c > 0; c--) {
                    entry.add(command());
                }
                leaderTime += rnd.nextInt(10) == 0 ? -rnd.nextInt(3_000) : rnd.nextInt(4_000);
                log.add(entry);
                times.add(leaderTime);
                byte[] expected = null;
                for (Replica r : replicas) {
                    byte[] results = PartitionCodec.encodeResults(r.applyThrough(log.size()));
                    if (expected == null) {
                        expected = results;
                        learn(PartitionCodec.decodeResults(results));
                    } else {
                        assertArrayEquals(expected, results, "results of entry " + log.size() + " differ between replicas");
                    }
                }
                byte[] state = replicas[0].store.stateBytes();
                for (int i = 1; i < REPLICAS; i++) {
                    assertArrayEquals(state, replicas[i].store.stateBytes(), "replica " + i + " diverged after entry " + log.size());
                }
                Invariants.check(replicas[0].store, "entry " + log.size());
                disturb();
            }
            assertTrue(log.size() == ENTRIES);
        }

        /** Now and then a replica checkpoints, restarts from its last checkpoint, or replays entries it already has. */
        private void disturb() throws Exception {
            Replica r = replicas[rnd.nextInt(REPLICAS)];
            switch (rnd.nextInt(12)) {
                case 0 -> r.checkpoint(dir.resolve("cp-" + checkpoints++));
                case 1 -> r.restartFromCheckpoint();
                case 2 -> r.replayFrom(Math.max(1, log.size() - 5));
                default -> {
                }
            }
        }

        private PartitionCommand command() {
            int k = rnd.nextInt(100);
            if (k < 5) {
                return new Tick();
            }
            return k < 40 ? queueCommand() : k < 70 ? streamCommand() : topicCommand();
        }

        /** Topic commands: topics with queue and HTTP subscriptions (some filtered), publishes, and settles of real deliveries. */
        private PartitionCommand topicCommand() {
            String t = TOPICS[rnd.nextInt(TOPICS.length)];
            int k = rnd.nextInt(100);
            boolean fifo = t.endsWith(".fifo");
            if (k < 8) {
                return new TopicCommand.CreateTopic(t, fifo ? Map.of("FifoTopic", "true", "ContentBasedDeduplication", "true") : Map.of(), Map.of());
            }
            if (k < 18) {
                boolean http = rnd.nextBoolean();
                Map<String, String> attrs = rnd.nextBoolean() ? Map.of("FilterPolicy", "{\"n\":[{\"numeric\":[\">\"," + rnd.nextInt(5) + "]}]}")
                        : Map.of("RedrivePolicy", "{\"deadLetterTargetArn\":\"arn:aws:sqs:pontoon:000000000000:dlq\"}");
                return http ? new TopicCommand.Subscribe(t, "http", "http://h" + rnd.nextInt(3) + "/", attrs, "tok" + rnd.nextInt(4))
                        : new TopicCommand.Subscribe(t, "sqs", "arn:aws:sqs:pontoon:000000000000:q" + rnd.nextInt(3) + (fifo ? ".fifo" : ""), attrs, null);
            }
            if (k < 24) {
                return new TopicCommand.ConfirmSubscription(t, "tok" + rnd.nextInt(4));
            }
            if (k < 60) {
                List<TopicCommand.PublishEntry> entries = new ArrayList<>();
                for (int i = 1 + rnd.nextInt(3); i > 0; i--) {
                    TreeMap<String, io.pontoon.core.topic.MessageAttribute> attrs = new TreeMap<>();
                    attrs.put("n", new io.pontoon.core.topic.MessageAttribute("Number", String.valueOf(rnd.nextInt(6)), null));
                    entries.add(new TopicCommand.PublishEntry("e" + i, "m" + rnd.nextInt(100), null, false, attrs, fifo ? "g" + rnd.nextInt(3) : null,
                            fifo && rnd.nextBoolean() ? "d" + rnd.nextInt(20) : null));
                }
                return new TopicCommand.Publish(t, entries);
            }
            if (k < 85) {
                return settleSome();
            }
            List<io.pontoon.core.topic.Subscription> subs = subscriptions(t);
            if (k < 93 && !subs.isEmpty()) {
                io.pontoon.core.topic.Subscription s = subs.get(rnd.nextInt(subs.size()));
                return rnd.nextBoolean() ? new TopicCommand.Unsubscribe(t, s.id()) : new TopicCommand.ForgetSubscription(t, s.id());
            }
            return new TopicCommand.DeleteTopic(t);
        }

        private List<io.pontoon.core.topic.Subscription> subscriptions(String topic) {
            try (StoreView v = replicas[0].store.view()) {
                QueryResult r = replicas[0].machine.query(v, new TopicQuery.ListSubscriptions(topic, null, 100, true), leaderTime);
                return ((TopicQueryResult.SubscriptionList) r).subscriptions();
            }
        }

        /** Settles some of the deliveries replica 0 holds: queue ones delivered, HTTP ones delivered or failed. */
        private PartitionCommand settleSome() {
            List<Long> queue = new ArrayList<>();
            List<TopicCommand.HttpOutcome> http = new ArrayList<>();
            try (StoreView v = replicas[0].store.view()) {
                QueryResult r = replicas[0].machine.query(v, new TopicQuery.ReadOrderedDeliveries(-1, 1 + rnd.nextInt(5), 1 << 20), leaderTime);
                ((TopicQueryResult.OrderedDeliveries) r).deliveries().forEach(d -> queue.add(d.seq()));
            }
            for (String t : TOPICS) {
                for (io.pontoon.core.topic.Subscription s : subscriptions(t)) {
                    if (s.isHttp()) {
                        try (StoreView v = replicas[0].store.view()) {
                            QueryResult r = replicas[0].machine.query(v, new TopicQuery.ReadHttpDeliveries(s.id(), -1, 2, 1 << 20), leaderTime);
                            ((TopicQueryResult.HttpDeliveries) r).deliveries().forEach(d -> http.add(new TopicCommand.HttpOutcome(s.id(), d.seq(), rnd.nextBoolean())));
                        }
                    }
                }
            }
            return rnd.nextInt(4) == 0 ? new TopicCommand.DeadLetterDeliveries(queue) : new TopicCommand.SettleDeliveries(queue, http);
        }

        private PartitionCommand queueCommand() {
            String q = QUEUES[rnd.nextInt(QUEUES.length)];
            boolean fifo = q.endsWith(".fifo");
            int k = rnd.nextInt(100);
            if (k < 8) {
                Map<String, String> attrs = fifo ? Map.of("FifoQueue", "true", "ContentBasedDeduplication", "true") : Map.of();
                return new QueueCommand.CreateQueue(q, io.pontoon.core.queue.QueueValidator.createQueueAttributes(q, attrs, Map.of()));
            }
            if (k < 40) {
                List<QueueCommand.SendEntry> entries = new ArrayList<>();
                for (int i = 1 + rnd.nextInt(3); i > 0; i--) {
                    entries.add(new QueueCommand.SendEntry("e" + i, "body-" + rnd.nextInt(50), new TreeMap<>(), fifo ? null : rnd.nextInt(3),
                            fifo ? "g" + rnd.nextInt(3) : null, null));
                }
                return new QueueCommand.SendMessages(q, entries);
            }
            if (k < 65) {
                return new QueueCommand.ReceiveMessages(q, 1 + rnd.nextInt(10), rnd.nextBoolean() ? null : rnd.nextInt(5));
            }
            if (k < 80 && !receipts.isEmpty()) {
                String handle = receipts.remove(rnd.nextInt(receipts.size()));
                return new QueueCommand.DeleteMessages(q, List.of(new QueueCommand.DeleteEntry("d", handle)));
            }
            if (k < 88 && !receipts.isEmpty()) {
                String handle = receipts.get(rnd.nextInt(receipts.size()));
                return new QueueCommand.ChangeMessageVisibility(q, List.of(new QueueCommand.VisibilityEntryChange("v", handle, rnd.nextInt(4))));
            }
            if (k < 91) {
                return new QueueCommand.SetQueueAttributes(q, Map.of("DelaySeconds", String.valueOf(rnd.nextInt(3)), "MessageRetentionPeriod", "60"));
            }
            if (k < 94) {
                return new QueueCommand.TagQueue(q, Map.of("t" + rnd.nextInt(3), "v"));
            }
            if (k < 97) {
                return new QueueCommand.PurgeQueue(q);
            }
            return new QueueCommand.DeleteQueue(q);
        }

        private PartitionCommand streamCommand() {
            int k = rnd.nextInt(100);
            if (shards.isEmpty() || k < 5) {
                long uid = nextUid++;
                shards.put(uid, 0);
                BigInteger[] range = HashKeys.uniformRange(rnd.nextInt(4), 4);
                return new StreamCommand.CreateShard(uid, "s", "shardId-" + String.format("%012d", uid), range[0], range[1]);
            }
            List<Long> uids = new ArrayList<>(shards.keySet());
            long uid = uids.get(rnd.nextInt(uids.size()));
            if (k < 60) {
                List<StreamCommand.RecordEntry> records = new ArrayList<>();
                for (int i = 1 + rnd.nextInt(5); i > 0; i--) {
                    byte[] data = new byte[rnd.nextInt(64)];
                    rnd.nextBytes(data);
                    records.add(new StreamCommand.RecordEntry("pk" + rnd.nextInt(10), data));
                }
                if (rnd.nextBoolean()) {
                    // a lane put, sometimes a resend of sequences already taken
                    List<Long> laneSeqs = new ArrayList<>();
                    long from = Math.max(1, nextLaneSeq - rnd.nextInt(4));
                    for (int i = 0; i < records.size(); i++) {
                        laneSeqs.add(from + i);
                    }
                    nextLaneSeq = Math.max(nextLaneSeq, from + records.size());
                    return new StreamCommand.PutLaneRecords(new StreamCommand.PutRecords(uid, records), rnd.nextInt(2), rnd.nextInt(3), laneSeqs);
                }
                return new StreamCommand.PutRecords(uid, records);
            }
            if (k < 68) {
                return new StreamCommand.CloseShard(uid);
            }
            if (k < 78) {
                return new StreamCommand.TrimShard(uid, leaderTime - rnd.nextInt(20_000));
            }
            if (k < 81) {
                shards.remove(uid);
                return new StreamCommand.DeleteShard(uid);
            }
            String owner = "w" + rnd.nextInt(3);
            String checkpoint = rnd.nextBoolean() ? null : rnd.nextBoolean() ? Lease.SHARD_END : SequenceNumbers.format(rnd.nextInt(1_000));
            return new StreamCommand.UpdateLease(uid, "app", rnd.nextBoolean() ? null : owner, rnd.nextInt(4), rnd.nextBoolean() ? owner : null,
                    rnd.nextInt(10_000), checkpoint);
        }

        /** Receipt handles of received messages, for later deletes and visibility changes. */
        private void learn(List<PartitionResult> results) {
            for (PartitionResult r : results) {
                if (r instanceof QueueResult.Received rec) {
                    rec.messages().forEach(m -> receipts.add(m.receiptHandle()));
                }
            }
            while (receipts.size() > 50) {
                receipts.remove(0);
            }
        }

        /** One replica: its store, its state machine, and the last checkpoint it took. */
        private final class Replica {
            InMemoryPartitionStore store;
            PartitionStateMachine machine = new PartitionStateMachine(3, CoreConfig.DEFAULTS);
            Path lastCheckpoint;

            Replica(InMemoryPartitionStore store) {
                this.store = store;
            }

            /** Applies entries up to {@code count} (1-based indexes); returns the results of the last one. */
            List<PartitionResult> applyThrough(int count) {
                List<PartitionResult> last = List.of();
                for (long i = store.meta().appliedIndex() + 1; i <= count; i++) {
                    last = machine.apply(store, log.get((int) i - 1), i, 1, times.get((int) i - 1));
                }
                return last;
            }

            void checkpoint(Path target) {
                store.checkpoint(target);
                lastCheckpoint = target;
            }

            /** A restart: a new state machine over the last checkpoint (or an empty store), catching up from the log. */
            void restartFromCheckpoint() {
                store = lastCheckpoint == null ? new InMemoryPartitionStore() : InMemoryPartitionStore.openCheckpoint(lastCheckpoint);
                machine = new PartitionStateMachine(3, CoreConfig.DEFAULTS);
                applyThrough(log.size());
            }

            /** Ratis replaying entries the store already holds (after a restart): each must be skipped, changing nothing. */
            void replayFrom(int fromIndex) {
                byte[] before = store.stateBytes();
                for (int i = fromIndex; i <= log.size(); i++) {
                    assertEquals(List.of(), machine.apply(store, log.get(i - 1), i, 1, times.get(i - 1)), "a replayed entry returns nothing");
                }
                assertArrayEquals(before, store.stateBytes(), "replaying applied entries changed the state");
            }
        }
    }

    /** Every model's invariants over a replica's committed state. */
    static final class Invariants {
        static void check(InMemoryPartitionStore store, String when) {
            try (StoreView v = store.view()) {
                for (QueueRecord q : v.queues("", "", 1_000)) {
                    List<MessageRecord> messages = v.messagesFrom(q.queueId(), 0, 100_000);
                    assertEquals(q.messageCount(), messages.size(), when + ": queue " + q.name() + "'s message count");
                    for (MessageRecord m : messages) {
                        assertTrue(v.payload(q.queueId(), m.seq()).isPresent(), when + ": message " + m.seq() + " has its content");
                    }
                }
                // Every pending delivery still has its message (the read fails otherwise).
                new io.pontoon.core.topic.TopicModel().query(v, new TopicQuery.ReadOrderedDeliveries(-1, 500, Long.MAX_VALUE), 0);
                for (ShardRecord s : v.shards(0, 10_000)) {
                    List<StoredRecord> records = v.records(s.uid(), 0, 100_000, Long.MAX_VALUE);
                    long prev = -1;
                    for (StoredRecord r : records) {
                        assertTrue(r.seq() > prev, when + ": sequences strictly increase in shard " + s.uid());
                        assertTrue(r.seq() >= s.trimmedBelowSeq(), when + ": no record below the trim horizon of shard " + s.uid());
                        assertTrue(r.seq() <= s.lastSeq(), when + ": no record past the last sequence of shard " + s.uid());
                        assertTrue(r.seq() >= s.startingSeq(), when + ": no record before the start of shard " + s.uid());
                        if (s.closed()) {
                            assertTrue(r.seq() <= s.endingSeq(), when + ": no record after the ending sequence of closed shard " + s.uid());
                        }
                        prev = r.seq();
                    }
                    if (!records.isEmpty()) {
                        StoredRecord newest = records.get(records.size() - 1);
                        assertEquals(s.lastSeq(), newest.seq(), when + ": the shard's last sequence is its newest record's");
                        assertTrue(Arrays.equals(newest.data(), newest.data()));
                        for (int i = 1; i < records.size(); i++) {
                            assertTrue(records.get(i).arrivalMs() >= records.get(i - 1).arrivalMs(), when + ": arrival times never decrease");
                        }
                    }
                }
            }
        }
    }
}
