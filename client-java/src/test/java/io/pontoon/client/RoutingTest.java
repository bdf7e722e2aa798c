package io.pontoon.client;

import io.grpc.Status;
import io.pontoon.api.AwsErrorCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class RoutingTest {
    FakeCluster cluster;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new FakeCluster(3);
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    @Test
    void sendsQueueRequestsToThePartitionLeader() {
        cluster.leaderId = "n2";
        try (PontoonClient client = cluster.clientBuilder().build()) {
            String url = client.createQueue("orders");
            assertEquals("pontoon://queue/orders", url);
            for (int i = 0; i < 5; i++) client.sendMessage(url, "m" + i);
            assertEquals(5, cluster.node(2).calls("SendMessage"));
            assertEquals(0, cluster.node(0).calls("SendMessage"));
            assertEquals(1, cluster.node(2).calls("CreateQueue"), "controller partition leader gets CreateQueue");
            int lookups = cluster.node(0).calls("LookupQueue") + cluster.node(1).calls("LookupQueue") + cluster.node(2).calls("LookupQueue");
            assertEquals(1, lookups, "queue -> partition is cached");
        }
    }

    @Test
    void failsOverToAnotherNodeWhenLeaderIsUnavailable() {
        cluster.leaderId = "n1";
        try (PontoonClient client = cluster.clientBuilder().maxAttempts(4).build()) {
            String url = client.createQueue("q1");
            client.sendMessage(url, "warm-up"); // caches q1 -> p1
            cluster.node(1).failWith = Status.UNAVAILABLE.withDescription("leader gone");
            client.sendMessage(url, "hello");
            assertEquals(2, cluster.node(1).calls("SendMessage"));
            assertEquals(1, cluster.node(0).calls("SendMessage") + cluster.node(2).calls("SendMessage"));
            assertEquals(2, cluster.queues.get("q1").visible.size());
        }
    }

    @Test
    void survivesBootstrapNodeDownIfAnotherBootstrapAnswers() {
        cluster.node(0).failWith = Status.UNAVAILABLE;
        cluster.leaderId = "n2";
        try (PontoonClient client = cluster.clientBuilder()
                .bootstrap(cluster.node(0).address, cluster.node(1).address).build()) {
            assertEquals("pontoon://queue/q2", client.createQueue("q2"));
        }
    }

    @Test
    void givesUpAfterMaxAttempts() {
        for (FakeCluster.Node n : cluster.nodes) n.failWith = Status.UNAVAILABLE;
        try (PontoonClient client = cluster.clientBuilder().maxAttempts(3).build()) {
            PontoonException e = assertThrows(PontoonException.class, () -> client.sendMessage("pontoon://queue/x", "b"));
            assertEquals(Status.Code.UNAVAILABLE, e.statusCode());
            assertTrue(e.isRetryable());
            int calls = cluster.nodes.stream().mapToInt(n -> n.calls("SendMessage")).sum();
            assertEquals(3, calls);
        }
    }

    @Test
    void doesNotRetryNonRetryableErrors() {
        try (PontoonClient client = cluster.clientBuilder().build()) {
            PontoonException e = assertThrows(PontoonException.class, () -> client.sendMessage("pontoon://queue/missing", "b"));
            assertEquals(AwsErrorCodes.NON_EXISTENT_QUEUE, e.awsCode());
            assertEquals(Status.Code.NOT_FOUND, e.statusCode());
            assertEquals(1, cluster.nodes.stream().mapToInt(n -> n.calls("SendMessage")).sum());

            client.createQueue("dup", java.util.Map.of("VisibilityTimeout", "10"));
            PontoonException exists = assertThrows(PontoonException.class,
                    () -> client.createQueue("dup", java.util.Map.of("VisibilityTimeout", "20")));
            assertEquals(AwsErrorCodes.QUEUE_ALREADY_EXISTS, exists.awsCode());
            assertEquals(Status.Code.ALREADY_EXISTS, exists.statusCode());
        }
    }

    @Test
    void invalidQueueUrlFailsLocally() {
        try (PontoonClient client = cluster.clientBuilder().build()) {
            PontoonException e = assertThrows(PontoonException.class, () -> client.sendMessage("https://sqs/q", "b"));
            assertEquals(AwsErrorCodes.INVALID_ADDRESS, e.awsCode());
            assertEquals(0, cluster.nodes.stream().mapToInt(n -> n.calls("SendMessage")).sum());
        }
    }

    @Test
    void queueManagementRoundTrip() {
        try (PontoonClient client = cluster.clientBuilder().build()) {
            String a = client.createQueue("alpha");
            client.createQueue("beta");
            assertEquals(java.util.List.of("pontoon://queue/alpha", "pontoon://queue/beta"), client.listQueues(""));
            assertEquals(java.util.List.of("pontoon://queue/alpha"), client.listQueues("al"));
            client.sendMessage(a, "x");
            assertEquals("1", client.getQueueAttributes(a).get("ApproximateNumberOfMessages"));
            client.purgeQueue(a);
            assertEquals("0", client.getQueueAttributes(a).get("ApproximateNumberOfMessages"));
            var got = client.receiveMessages(a, 10, 0);
            assertTrue(got.isEmpty());
            client.deleteQueue(a);
            assertEquals(java.util.List.of("pontoon://queue/beta"), client.listQueues(""));
            assertFalse(client.router().cachedQueuePartitions().containsKey("alpha"));
        }
    }
}
