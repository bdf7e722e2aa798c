package io.pontoon.client.cluster;

import io.pontoon.client.PontoonClient;
import io.pontoon.client.cli.PontoonCli;
import io.pontoon.server.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.pontoon.client.cluster.CliRun.cli;
import static org.junit.jupiter.api.Assertions.*;

/** The CLI's FIFO, dead-letter and stream commands against a real (one-node) cluster: what a user types works. */
class CliOnRealClusterTest {
    @TempDir
    Path dir;


    private static CliRun ok(String endpoint, String... args) {
        CliRun r = cli(endpoint, args);
        assertEquals(PontoonCli.EXIT_OK, r.code(), () -> String.join(" ", args) + ": " + r.err());
        return r;
    }

    @Test
    void fifoSendsDeduplicateAndARedrivePolicySendsAPoisonMessageToItsDlqAndBack() throws Exception {
        try (TestCluster cluster = new TestCluster(dir, 1, 1, Map.of("tick.interval.ms", "100"))) {
            cluster.awaitLeaders(1, 30_000);
            String e = cluster.clientAddress("n1");
            ok(e, "create-queue", "orders.fifo", "--attr", "FifoQueue=true");
            CliRun first = ok(e, "send", "orders.fifo", "pay", "--group", "acct-1", "--dedup-id", "tx-1");
            CliRun again = ok(e, "send", "orders.fifo", "pay", "--group", "acct-1", "--dedup-id", "tx-1");
            assertTrue(first.out().contains("SequenceNumber: "), first.out());
            assertEquals(first.out(), again.out(), "the duplicate returns the original MessageId and SequenceNumber");
            assertTrue(ok(e, "attributes", "orders.fifo").out().contains("ApproximateNumberOfMessages: 1"));

            ok(e, "create-queue", "jobs-dlq");
            ok(e, "create-queue", "jobs", "--attr", "VisibilityTimeout=0");
            ok(e, "set-attributes", "jobs", "--attr",
                    "RedrivePolicy={\"deadLetterTargetArn\":\"arn:aws:sqs:pontoon:000000000000:jobs-dlq\",\"maxReceiveCount\":\"1\"}");
            ok(e, "send", "jobs", "poison");
            assertTrue(ok(e, "receive", "jobs").out().contains("Body: poison"));
            assertTrue(ok(e, "receive", "jobs").out().contains("(no messages)"), "the second receive dead-letters it");
            try (PontoonClient client = PontoonClient.builder().bootstrap(e).build()) {
                TestCluster.await(() -> "1".equals(client.getQueueAttributes("pontoon://queue/jobs-dlq", "ApproximateNumberOfMessages")
                        .get("ApproximateNumberOfMessages")), 10_000, "the message in the DLQ");
                String redrive = ok(e, "redrive", "jobs-dlq", "--rate", "10", "--wait").out();
                assertTrue(redrive.startsWith("TaskHandle: mt1."), redrive);
                assertTrue(redrive.strip().endsWith("COMPLETED moved 1 of 1 (100%)"), "--wait shows progress until the end: " + redrive);
                assertTrue(cli(e, "move-tasks", "jobs-dlq").out().startsWith("COMPLETED moved 1 of 1"));
                assertTrue(ok(e, "receive", "jobs", "--wait", "2").out().contains("Body: poison"), "back at its source");
            }
            assertEquals(PontoonCli.EXIT_USAGE, cli(e, "redrive", "jobs-dlq", "--rate", "501").code());
            assertEquals(PontoonCli.EXIT_ERROR, cli(e, "send", "orders.fifo", "no group").code(), "MessageGroupId is required");
        }
    }

    @Test
    void topicCommandsFanOutAPublishToTheQueuesWhoseFilterMatches() throws Exception {
        try (TestCluster cluster = new TestCluster(dir, 1, 1, Map.of("tick.interval.ms", "100"))) {
            cluster.awaitLeaders(1, 30_000);
            String e = cluster.clientAddress("n1");
            String arn = ok(e, "topic", "create", "alerts").out().trim();
            assertEquals("arn:aws:sns:us-east-1:000000000000:alerts", arn, "in the default region and account");
            assertTrue(ok(e, "topic", "list").out().contains(arn));
            ok(e, "create-queue", "all-alerts");
            ok(e, "create-queue", "page-alerts");
            ok(e, "topic", "subscribe", "alerts", "--queue", "all-alerts", "--raw");
            String paged = ok(e, "topic", "subscribe", "alerts", "--queue", "page-alerts", "--filter", "{\"severity\":[\"page\"]}").out().trim();
            assertTrue(ok(e, "topic", "subscriptions", "alerts").out().contains(paged + " sqs arn:aws:sqs:us-east-1:000000000000:page-alerts"));
            ok(e, "topic", "publish", "alerts", "disk full", "--attribute", "severity=page");
            ok(e, "topic", "publish", "alerts", "disk at 80%", "--attribute", "severity=info");

            try (PontoonClient client = PontoonClient.builder().bootstrap(e).build()) {
                TestCluster.await(() -> "2".equals(client.getQueueAttributes("pontoon://queue/all-alerts", "ApproximateNumberOfMessages")
                        .get("ApproximateNumberOfMessages")), 10_000, "both alerts in all-alerts");
                TestCluster.await(() -> "1".equals(client.getQueueAttributes("pontoon://queue/page-alerts", "ApproximateNumberOfMessages")
                        .get("ApproximateNumberOfMessages")), 10_000, "the page in page-alerts");
            }
            String page = ok(e, "receive", "page-alerts").out();
            assertTrue(page.contains("\"Type\":\"Notification\"") && page.contains("\"Message\":\"disk full\""), page);
            assertTrue(ok(e, "topic", "attributes", "alerts", "--set", "DisplayName=Alerts").out().contains("DisplayName=Alerts"));
            ok(e, "topic", "unsubscribe", paged);
            ok(e, "topic", "delete", "alerts");
            assertFalse(ok(e, "topic", "list").out().contains(arn));
        }
    }

    @Test
    void streamCommandsCreatePutReadSplitAndDeleteAStream() throws Exception {
        try (TestCluster cluster = new TestCluster(dir, 1, 1, Map.of("tick.interval.ms", "100"))) {
            cluster.awaitLeaders(1, 30_000);
            String e = cluster.clientAddress("n1");
            ok(e, "stream", "create", "clicks", "--shards", "2");
            assertTrue(ok(e, "stream", "list").out().contains("clicks"));
            CliRun put = ok(e, "stream", "put", "clicks", "user-1", "hello");
            String shard = put.out().lines().filter(l -> l.startsWith("ShardId: ")).findFirst().orElseThrow().substring(9);
            String seq = put.out().lines().filter(l -> l.startsWith("SequenceNumber: ")).findFirst().orElseThrow().substring(16);
            assertTrue(ok(e, "stream", "get", "clicks", shard).out().contains(seq + " [user-1] hello"));
            assertTrue(ok(e, "stream", "get", "clicks", shard, "--from", "AFTER_SEQUENCE_NUMBER:" + seq).out().contains("(no records)"));

            ok(e, "stream", "split", "clicks", shard);
            TestCluster.await(() -> cli(e, "stream", "describe", "clicks").out().startsWith("clicks ACTIVE, 3 open shards"), 20_000,
                    "the split to finish");
            String described = ok(e, "stream", "describe", "clicks").out();
            assertTrue(described.contains(shard + " closed"), described);
            assertTrue(described.contains("parent " + shard), described);

            assertEquals(PontoonCli.EXIT_ERROR, cli(e, "stream", "put", "nowhere", "k", "x").code(), "ResourceNotFoundException");
            assertEquals(PontoonCli.EXIT_USAGE, cli(e, "stream", "create", "clicks2").code(), "--shards is required");
            ok(e, "stream", "delete", "clicks");
            TestCluster.await(() -> cli(e, "stream", "list").out().contains("(no streams)"), 20_000, "the stream to be deleted");
        }
    }
}
