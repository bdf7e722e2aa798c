package io.pontoon.server.queue;

import io.pontoon.core.Limits;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.core.queue.DeliveredMessage;
import io.pontoon.core.queue.Deliveries;
import io.pontoon.core.queue.MessagePayload;
import io.pontoon.core.queue.QueueQuery;
import io.pontoon.core.queue.QueueQueryResult;
import io.pontoon.core.queue.QueueResult;
import io.pontoon.server.partition.ByteBudget;
import io.pontoon.server.partition.GroupCommitter.Applied;
import io.pontoon.server.partition.ReplicaReads;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Assembles a receive's answer. The log entry of a receive names the messages it took but not their content, so
 * its result stays small whatever the messages weigh; the content comes from this node's replica once that replica
 * has applied the receive (at once on the leader; a forwarding follower usually within milliseconds), or, if the
 * replica lags further (catching up after a restart, a slow disk), from the leader by a linearizable read. The
 * bytes are reserved in the node's response budget first, so that many simultaneous receives of large messages
 * wait their turn instead of filling the heap.
 */
final class Deliverer {
    /** How long a follower waits for its own replica before it asks the leader for the content instead. */
    static final long REPLICA_WAIT_MS = 1_000;

    private final ReplicaReads partitions;
    private final ByteBudget responses;
    private final ScheduledExecutorService timer;
    private final long waitMs;

    /** @param waitMs how long a receive may wait for room in the response budget */
    Deliverer(ReplicaReads partitions, ByteBudget responses, ScheduledExecutorService timer, long waitMs) {
        this.partitions = partitions;
        this.responses = responses;
        this.timer = timer;
        this.waitMs = waitMs;
    }

    CompletableFuture<Delivery> deliver(int partition, Applied<PartitionResult> applied, QueueResult.Received received) {
        if (received.messages().isEmpty()) {
            return CompletableFuture.completedFuture(Delivery.EMPTY);
        }
        long bytes = received.messages().stream().mapToLong(m -> (long) m.payloadBytes() + Limits.DELIVERY_OVERHEAD_BYTES).sum();
        return partitions.awaitApplied(partition, applied.index(), Math.min(REPLICA_WAIT_MS, waitMs))
                .handle((v, e) -> e == null)
                .thenCompose(caughtUp -> responses.acquire(bytes, waitMs, timer)
                        .thenCompose(v -> read(partition, received, caughtUp)
                                .whenComplete((messages, e) -> {
                                    if (e != null) {
                                        responses.release(bytes);
                                    }
                                }))
                        .thenApply(messages -> new Delivery(messages, () -> responses.release(bytes))));
    }

    private CompletableFuture<List<DeliveredMessage>> read(int partition, QueueResult.Received received, boolean caughtUp) {
        if (caughtUp) {
            try {
                return CompletableFuture.completedFuture(partitions.readLocal(partition, view -> Deliveries.read(view, received)));
            } catch (RuntimeException e) {
                // this replica cannot be read right now (closing, restoring a snapshot): the leader can
            }
        }
        return fromLeader(partition, received);
    }

    /** Reads the content at the leader, in groups that each fit one reply. */
    private CompletableFuture<List<DeliveredMessage>> fromLeader(int partition, QueueResult.Received received) {
        CompletableFuture<Map<Long, MessagePayload>> all = CompletableFuture.completedFuture(new HashMap<>());
        for (List<Long> seqs : Deliveries.readGroups(received, Limits.MAX_READ_REPLY_BYTES)) {
            all = all.thenCompose(found -> partitions.read(partition, new QueueQuery.ReadPayloads(received.queueId(), seqs))
                    .thenApply(r -> {
                        found.putAll(payloads(r));
                        return found;
                    }));
        }
        return all.thenApply(found -> Deliveries.assemble(received, found))
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(new BrokerException(ErrorCode.SERVICE_UNAVAILABLE,
                        "the content of the received messages could not be read on partition " + partition + " ("
                                + e.getMessage() + "); they become visible again after their visibility timeout")));
    }

    private static Map<Long, MessagePayload> payloads(QueryResult r) {
        if (r instanceof QueueQueryResult.Payloads p) {
            return p.bySeq();
        }
        throw new IllegalStateException("unexpected answer to a payload read: " + r);
    }
}
