package io.pontoon.server;

import io.pontoon.api.v1.CreateQueueRequest;
import io.pontoon.api.v1.ReceiveMessageRequest;
import io.pontoon.raft.ReplicaGroupId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A long poll on an empty queue parks without writing to the Raft log: only its first receive is
 * proposed, however many times it rechecks local state before the wait runs out.
 */
class LongPollLogWritesTest {
    private static final ReplicaGroupId PARTITION = ReplicaGroupId.partition(0);

    @TempDir
    Path dir;

    @Test
    void anIdleLongPollProposesOneReceiveNotOnePerRecheck() throws Exception {
        // Ticks far apart so that they cannot land in the measured window; rechecks every 100 ms.
        try (TestCluster cluster = new TestCluster(dir, 1, 1, Map.of("tick.interval.ms", "60000", "long.poll.recheck.ms", "100"))) {
            cluster.awaitLeaders(1, 30_000);
            String url = cluster.sqs("n1").createQueue(CreateQueueRequest.newBuilder().setQueueName("idle").build()).getQueueUrl();
            long before = cluster.node("n1").raft().status(PARTITION).commitIndex();

            var r = cluster.sqs("n1").receiveMessage(ReceiveMessageRequest.newBuilder().setQueueUrl(url).setWaitTimeSeconds(3).build());

            long written = cluster.node("n1").raft().status(PARTITION).commitIndex() - before;
            assertEquals(0, r.getMessagesCount());
            // One receive, plus at most a Ratis commit-metadata entry or two (Ratis logs the commit index after
            // commits). Proposing on every recheck would write ~30 receives and their metadata entries.
            assertTrue(written <= 3, "a 3 s idle long poll with 100 ms rechecks wrote " + written + " log entries");
        }
    }
}
