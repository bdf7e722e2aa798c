package io.pontoon.server.queue;

import io.pontoon.server.partition.ByteBudget;
import io.pontoon.server.partition.PartitionAccess;
import io.pontoon.core.queue.QueueResult;
import io.pontoon.core.Limits;
import io.pontoon.core.queue.Deliveries;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.server.partition.GroupCommitter.Applied;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Assembles a receive's answer. The log entry of a receive names the messages it took but not their content, so
 * its result stays small whatever the messages weigh; this reads the content from this node's replica once that
 * replica has applied the receive (at once on the leader; a forwarding follower may wait a moment), after
 * reserving the bytes in the node's response budget, so that many simultaneous receives of large messages wait
 * their turn instead of filling the heap.
 */
final class Deliverer {
    private final PartitionAccess partitions;
    private final ByteBudget responses;
    private final ScheduledExecutorService timer;
    private final long waitMs;

    /** @param waitMs how long a receive may wait for its replica to catch up, and then for room in the budget */
    Deliverer(PartitionAccess partitions, ByteBudget responses, ScheduledExecutorService timer, long waitMs) {
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
        return partitions.awaitApplied(partition, applied.index(), waitMs)
                .thenCompose(v -> responses.acquire(bytes, waitMs, timer))
                .thenApply(v -> {
                    try {
                        return new Delivery(partitions.readLocal(partition, view -> Deliveries.read(view, received)), () -> responses.release(bytes));
                    } catch (RuntimeException e) {
                        responses.release(bytes);
                        throw new BrokerException(ErrorCode.SERVICE_UNAVAILABLE, "this node's replica of partition " + partition
                                + " cannot be read right now (" + e.getMessage() + "); the messages become visible again after their visibility timeout");
                    }
                });
    }
}
