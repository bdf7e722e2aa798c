package io.pontoon.server.queue;

import io.pontoon.core.CoreConfig;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.core.partition.PartitionQuery;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.PartitionStateMachine;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.core.partition.StoreView;
import io.pontoon.core.partition.memory.InMemoryPartitionStore;
import io.pontoon.core.queue.DeliveredMessage;
import io.pontoon.core.queue.QueueAttributes;
import io.pontoon.core.queue.QueueCommand;
import io.pontoon.core.queue.QueueQuery;
import io.pontoon.core.queue.QueueResult;
import io.pontoon.server.partition.ByteBudget;
import io.pontoon.server.partition.GroupCommitter.Applied;
import io.pontoon.server.partition.ReplicaReads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Where a receive's content comes from: this node's replica once it has applied the receive, else the leader.
 * The partition is the real core state machine over the in-memory store; the replica's lag is what is simulated.
 */
class DelivererTest {
    private static final int PARTITION = 0;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final InMemoryPartitionStore store = new InMemoryPartitionStore();
    private final PartitionStateMachine machine = new PartitionStateMachine(PARTITION, CoreConfig.DEFAULTS);
    private final ByteBudget responses = new ByteBudget("responses", 64L << 20);
    private long index;

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void aReplicaThatAppliedTheReceiveAnswersFromItsOwnState() {
        Replica replica = new Replica(true);
        Applied<PartitionResult> received = sendAndReceive("a", "b");

        try (Delivery d = deliverer(replica).deliver(PARTITION, received, (QueueResult.Received) received.result()).join()) {
            assertEquals(List.of("a", "b"), d.messages().stream().map(DeliveredMessage::body).toList());
        }
        assertEquals(List.of(), replica.leaderReads, "no leader read");
        assertEquals(0, responses.usedBytes(), "the budget is given back on close");
    }

    @Test
    void aReplicaThatLagsBehindTheReceiveGetsTheContentFromTheLeader() {
        Replica replica = new Replica(false);
        Applied<PartitionResult> received = sendAndReceive("a", "b", "c");

        try (Delivery d = deliverer(replica).deliver(PARTITION, received, (QueueResult.Received) received.result()).join()) {
            assertEquals(List.of("a", "b", "c"), d.messages().stream().map(DeliveredMessage::body).toList(), "in receive order, with content");
        }
        assertEquals(1, replica.leaderReads.size(), "one read for three small messages");
        assertInstanceOf(QueueQuery.ReadPayloads.class, replica.leaderReads.get(0));
        assertEquals(0, responses.usedBytes());
    }

    @Test
    void whenNeitherTheReplicaNorTheLeaderAnswersTheReceiveFailsAsUnavailableAndHoldsNoBudget() {
        Replica replica = new Replica(false);
        replica.leaderDown = true;
        Applied<PartitionResult> received = sendAndReceive("a");

        CompletionException e = assertThrows(CompletionException.class,
                () -> deliverer(replica).deliver(PARTITION, received, (QueueResult.Received) received.result()).join());
        BrokerException cause = assertInstanceOf(BrokerException.class, e.getCause());
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, cause.code());
        assertTrue(cause.getMessage().contains("visibility timeout"), cause.getMessage());
        assertEquals(0, responses.usedBytes(), "nothing held after a failure");
    }

    private Deliverer deliverer(ReplicaReads replica) {
        return new Deliverer(replica, responses, timer, 5_000);
    }

    private Applied<PartitionResult> sendAndReceive(String... bodies) {
        apply(new QueueCommand.CreateQueue("q", QueueAttributes.DEFAULTS));
        List<QueueCommand.SendEntry> entries = new ArrayList<>();
        for (int i = 0; i < bodies.length; i++) {
            entries.add(new QueueCommand.SendEntry("e" + i, bodies[i], new TreeMap<>(), null));
        }
        apply(new QueueCommand.SendMessages("q", entries));
        PartitionResult r = apply(new QueueCommand.ReceiveMessages("q", 10, 30, null));
        return new Applied<>(index, r);
    }

    private PartitionResult apply(PartitionCommand c) {
        return machine.apply(store, List.of(c), ++index, 1, 1_700_000_000_000L).get(0);
    }

    /** This node's replica: caught up or lagging forever; the leader answers from the partition's state. */
    private final class Replica implements ReplicaReads {
        private final boolean caughtUp;
        final List<PartitionQuery> leaderReads = new ArrayList<>();
        boolean leaderDown;

        Replica(boolean caughtUp) {
            this.caughtUp = caughtUp;
        }

        @Override
        public CompletableFuture<Void> awaitApplied(int partition, long index, long timeoutMs) {
            return caughtUp ? CompletableFuture.completedFuture(null)
                    : new CompletableFuture<Void>().orTimeout(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        @Override
        public <T> T readLocal(int partition, Function<StoreView, T> reader) {
            assertTrue(caughtUp, "a lagging replica must not be read for content");
            try (StoreView v = store.view()) {
                return reader.apply(v);
            }
        }

        @Override
        public CompletableFuture<QueryResult> read(int partition, PartitionQuery query) {
            leaderReads.add(query);
            if (leaderDown) {
                return CompletableFuture.failedFuture(new IllegalStateException("no leader"));
            }
            try (StoreView v = store.view()) {
                return CompletableFuture.completedFuture(machine.query(v, query, 1_700_000_000_000L));
            }
        }
    }
}
