package io.pontoon.server;

import io.pontoon.core.queue.QueueQueryResult;
import io.pontoon.core.partition.PartitionCodec;
import io.grpc.StatusRuntimeException;
import io.pontoon.api.v1.*;
import io.pontoon.core.queue.QueueCodec;
import io.pontoon.core.queue.QueueQuery;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.raft.ReplicaGroupId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Cluster behaviour under node loss, on a real 3-node cluster: no acknowledged message is lost when the
 * leader dies mid-traffic; a restarted node catches up; a follower whose disk was wiped rejoins through a
 * snapshot install.
 */
class ClusterFailureTest {
    private static final int PARTITIONS = 1;
    private static final ReplicaGroupId PARTITION = ReplicaGroupId.partition(0);
    @TempDir
    Path dir;
    TestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
            assertTrue(cluster.fatalErrors.isEmpty(), () -> "fatal apply errors: " + cluster.fatalErrors);
        }
    }

    @Test
    void aRestartedPreferredLeaderGetsItsGroupBackSoLeadersStaySpread() throws Exception {
        cluster = TestCluster.start(dir, 3, PARTITIONS);
        cluster.awaitLeaders(PARTITIONS, 30_000);
        String preferred = cluster.node("n1").raft().preferredLeader(PARTITION).orElseThrow();
        TestCluster.await(() -> cluster.leaderOf(PARTITION).equals(java.util.Optional.of(preferred)), 30_000,
                "the preferred node " + preferred + " to lead the partition", cluster::describeGroups);
        createQueue("keeps-ticking"); // the partition is written to (ticks, this queue) while leadership moves

        cluster.stop(preferred);
        TestCluster.await(() -> cluster.leaderOf(PARTITION).isPresent(), 30_000, "a new leader", cluster::describeGroups);
        cluster.start(preferred);

        TestCluster.await(() -> cluster.leaderOf(PARTITION).equals(java.util.Optional.of(preferred)), 40_000,
                "leadership back at the preferred node " + preferred, cluster::describeGroups);
    }

    @Test
    void leaderKilledMidTrafficLosesNoAcknowledgedMessage() throws Exception {
        cluster = TestCluster.start(dir, 3, PARTITIONS);
        cluster.awaitLeaders(PARTITIONS, 30_000);
        String url = createQueue("failover");
        cluster.sqs("n1").tagQueue(TagQueueRequest.newBuilder().setQueueUrl(url).putTags("team", "payments").build());
        String leader = cluster.leaderOf(PARTITION).orElseThrow();
        String survivor = cluster.allNodes().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();

        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService producers = Executors.newFixedThreadPool(2);
        Future<?> p1 = producers.submit(() -> produce(url, survivor, "a", acked, running));
        Future<?> p2 = producers.submit(() -> produce(url, survivor, "b", acked, running));
        TestCluster.await(() -> acked.size() >= 50, 30_000, "50 acknowledged sends before the kill");
        cluster.stop(leader);
        int ackedAtKill = acked.size();
        TestCluster.await(() -> acked.size() >= ackedAtKill + 50, 60_000, "50 more acknowledged sends after the leader died");
        running.set(false);
        p1.get(30, TimeUnit.SECONDS);
        p2.get(30, TimeUnit.SECONDS);
        producers.shutdown();

        Set<String> received = drain(url, survivor, acked.size());
        Set<String> lost = new HashSet<>(acked);
        lost.removeAll(received);
        assertTrue(lost.isEmpty(), () -> lost.size() + " acknowledged messages lost, e.g. " + lost.stream().limit(5).toList());
        assertEquals(Map.of("team", "payments"), cluster.sqs(survivor).listQueueTags(ListQueueTagsRequest.newBuilder().setQueueUrl(url).build())
                .getTagsMap(), "tags are replicated queue metadata: the new leader has them");

        // The killed leader comes back and catches up with the rest.
        cluster.start(leader);
        awaitCaughtUp(leader);
    }

    @Test
    void restartedFollowerCatchesUpOnMissedWrites() throws Exception {
        cluster = TestCluster.start(dir, 3, PARTITIONS);
        cluster.awaitLeaders(PARTITIONS, 30_000);
        String url = createQueue("catch-up");
        String leader = cluster.leaderOf(PARTITION).orElseThrow();
        String follower = cluster.allNodes().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
        cluster.stop(follower);
        for (int i = 0; i < 30; i++) {
            cluster.sqs(leader).sendMessage(SendMessageRequest.newBuilder().setQueueUrl(url).setMessageBody("m" + i).build());
        }
        cluster.start(follower);
        awaitCaughtUp(follower);
        assertEquals(30, localVisible(follower, "catch-up"), "the restarted follower's own state holds the missed messages");
    }

    @Test
    void wipedFollowerRejoinsThroughSnapshotInstall() throws Exception {
        cluster = new TestCluster(dir, 3, PARTITIONS, Map.of(
                "raft.snapshot.threshold.entries", "64",
                "raft.log.purge.gap", "8",
                "raft.log.segment.bytes", String.valueOf(64 * 1024),
                "raft.log.purge.upto.snapshot", "true"));
        cluster.awaitLeaders(PARTITIONS, 30_000);
        String url = createQueue("wiped");
        String leader = cluster.leaderOf(PARTITION).orElseThrow();
        String follower = cluster.allNodes().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
        cluster.stop(follower);
        cluster.wipe(follower);
        String padding = "x".repeat(1_000); // ~200 KiB of log: several closed 64 KiB segments to purge
        for (int i = 0; i < 200; i++) {
            cluster.sqs(leader).sendMessage(SendMessageRequest.newBuilder().setQueueUrl(url).setMessageBody("m" + i + padding).build());
        }
        TestCluster.await(() -> cluster.node(leader).raft().status(PARTITION).logStartIndex() > 1, 30_000,
                "the leader to checkpoint and purge its log");

        cluster.start(follower);
        awaitCaughtUp(follower);
        long followerLogStart = cluster.node(follower).raft().status(PARTITION).logStartIndex();
        assertTrue(followerLogStart > 1, "the wiped follower must have been seeded by a snapshot install, log starts at " + followerLogStart);
        assertEquals(200, localVisible(follower, "wiped"), "the installed snapshot plus the log suffix hold every message");
    }

    @Test
    void aNodeThatLostItsMajorityIsNotReady() throws Exception {
        cluster = TestCluster.start(dir, 3, PARTITIONS);
        TestCluster.await(() -> cluster.node("n1").ready(), 30_000, "n1 ready");
        cluster.stop("n2");
        cluster.stop("n3");
        TestCluster.await(() -> !cluster.node("n1").ready(), 30_000, "n1 to report not ready without a majority");
    }

    private String createQueue(String name) {
        return cluster.sqs(cluster.allNodes().get(0)).createQueue(CreateQueueRequest.newBuilder().setQueueName(name).build()).getQueueUrl();
    }

    /** Sends unique bodies until told to stop; records a body only once the cluster acknowledged it. */
    private void produce(String url, String via, String prefix, Set<String> acked, AtomicBoolean running) {
        int n = 0;
        while (running.get()) {
            String body = prefix + "-" + n;
            try {
                cluster.sqs(via).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .sendMessage(SendMessageRequest.newBuilder().setQueueUrl(url).setMessageBody(body).build());
                acked.add(body);
                n++;
            } catch (StatusRuntimeException e) {
                // not acknowledged: may or may not be stored (at-least-once); retry the same body
            }
        }
    }

    private Set<String> drain(String url, String via, int expectedAtLeast) {
        Set<String> received = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int emptyPolls = 0;
        while (System.nanoTime() < deadline && (received.size() < expectedAtLeast || emptyPolls < 2)) {
            ReceiveMessageResponse r;
            try {
                r = cluster.sqs(via).receiveMessage(ReceiveMessageRequest.newBuilder().setQueueUrl(url)
                        .setMaxNumberOfMessages(10).setWaitTimeSeconds(1).setVisibilityTimeout(300).build());
            } catch (StatusRuntimeException e) {
                continue;
            }
            emptyPolls = r.getMessagesCount() == 0 ? emptyPolls + 1 : 0;
            r.getMessagesList().forEach(m -> received.add(m.getBody()));
        }
        return received;
    }

    private void awaitCaughtUp(String nodeId) {
        TestCluster.await(() -> {
            String leader = cluster.leaderOf(PARTITION).orElse(null);
            if (leader == null || cluster.node(nodeId) == null) {
                return false;
            }
            long leaderCommit = cluster.node(leader).raft().status(PARTITION).commitIndex();
            return cluster.node(nodeId).raft().status(PARTITION).appliedIndex() >= leaderCommit;
        }, 60_000, nodeId + " to apply everything the leader committed");
    }

    private long localVisible(String nodeId, String queue) {
        byte[] answer = cluster.node(nodeId).raft().localRead(PARTITION, PartitionCodec.encodeQuery(new QueueQuery.QueueStats(queue)));
        QueueQueryResult.Stats stats = (QueueQueryResult.Stats) PartitionCodec.decodeQueryResult(answer);
        return stats.visible() + stats.inFlight() + stats.delayed();
    }
}
