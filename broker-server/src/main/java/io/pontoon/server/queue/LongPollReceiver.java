package io.pontoon.server.queue;

import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.server.partition.GroupCommitter;
import io.pontoon.server.partition.PartitionAccess;
import io.pontoon.core.queue.QueueQueryResult;
import io.pontoon.core.queue.QueueCommand.ReceiveMessages;
import io.pontoon.core.queue.QueueQuery;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.queue.QueueResult.Received;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.server.queue.LongPollWaiters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * ReceiveMessage with long polling. An empty receive parks on {@link LongPollWaiters} and proposes another
 * receive only when local state shows a receivable message, so a waiting consumer does not write to the log
 * while its queue is empty. On a queue spanning several partitions the shards are tried in turn (from a
 * rotating start, so consumers spread over them), skipping those whose local state shows nothing receivable.
 *
 * <p>No wake-up is lost: a poll registers as a waiter before every look at the queue (the receive it proposes,
 * or the local check after a wake-up), so a message applied between the look and the registration still wakes it.
 */
final class LongPollReceiver {
    private static final String WAIT_TIME_ATTRIBUTE = "ReceiveMessageWaitTimeSeconds";

    /** Turns a partition's answer into the expected result or the client's error. */
    interface Expect {
        <T extends PartitionResult> T on(String queue, PartitionResult r, Class<T> type);
    }

    /** What a long poll needs of the partitions: propose a receive, look at this node's applied state. */
    interface Partitions {
        /** The partitions of this node, as a long poll uses them. */
        static Partitions of(PartitionAccess access) {
            return new Partitions() {
                @Override
                public CompletableFuture<GroupCommitter.Applied<PartitionResult>> submitApplied(int partition, PartitionCommand command) {
                    return access.submitApplied(partition, command);
                }

                @Override
                public QueryResult localRead(int partition, QueueQuery query) {
                    return access.localRead(partition, query);
                }
            };
        }

        CompletableFuture<GroupCommitter.Applied<PartitionResult>> submitApplied(int partition, io.pontoon.core.partition.PartitionCommand command);

        QueryResult localRead(int partition, QueueQuery query);
    }

    /** Turns the messages a receive took into its answer (see {@link Deliverer}). */
    interface Deliver {
        CompletableFuture<Delivery> deliver(int partition, GroupCommitter.Applied<PartitionResult> applied, Received received);
    }

    private final Partitions partitions;
    private final Deliver deliverer;
    private final LongPollWaiters waiters;
    private final LongSupplier clockMs;
    private final long recheckMs;
    private final Expect expect;
    private final AtomicInteger rotation = new AtomicInteger();

    LongPollReceiver(Partitions partitions, Deliver deliverer, LongPollWaiters waiters, LongSupplier clockMs, long recheckMs,
                     Expect expect) {
        this.partitions = partitions;
        this.deliverer = deliverer;
        this.waiters = waiters;
        this.clockMs = clockMs;
        this.recheckMs = recheckMs;
        this.expect = expect;
    }

    CompletableFuture<Delivery> receive(List<Integer> shards, ReceiveMessages receive, Integer waitTimeSeconds) {
        int wait = waitSeconds(shards.get(0), receive.queueName(), waitTimeSeconds);
        return receiveUntil(shards, receive, clockMs.getAsLong() + wait * 1000L);
    }

    private CompletableFuture<Delivery> receiveUntil(List<Integer> shards, ReceiveMessages receive, long deadlineMs) {
        // Register before proposing, so a send applied while the receive is in flight still wakes us.
        CompletableFuture<Void> wake = waiters.await(receive.queueName(), Math.min(recheckMs, remaining(deadlineMs)));
        return receiveFirst(candidates(shards, receive), 0, receive).thenCompose(delivery -> {
            if (!delivery.isEmpty() || remaining(deadlineMs) <= 0) {
                wake.complete(null);
                return CompletableFuture.completedFuture(delivery);
            }
            return parked(shards, receive, deadlineMs, wake);
        });
    }

    /** Tries the partitions in order until one returns messages. */
    private CompletableFuture<Delivery> receiveFirst(List<Integer> order, int i, ReceiveMessages receive) {
        int partition = order.get(i);
        return partitions.submitApplied(partition, receive).thenCompose(applied -> {
            Received received = expect.on(receive.queueName(), applied.result(), Received.class);
            if (!received.messages().isEmpty()) {
                return deliverer.deliver(partition, applied, received);
            }
            if (i + 1 >= order.size()) {
                return CompletableFuture.completedFuture(Delivery.EMPTY);
            }
            return receiveFirst(order, i + 1, receive);
        });
    }

    /**
     * The shards to try, in order. One shard: just it. Several: rotated (from the attempt id's hash when there is
     * one, so a retry retraces the first try), and, without an attempt id, only those locally receivable (at
     * least one, so an empty queue still answers through the log).
     */
    private List<Integer> candidates(List<Integer> shards, ReceiveMessages receive) {
        if (shards.size() == 1) {
            return shards;
        }
        String attempt = receive.receiveRequestAttemptId();
        int start = Math.floorMod(attempt != null ? attempt.hashCode() : rotation.getAndIncrement(), shards.size());
        List<Integer> rotated = new ArrayList<>(shards.size());
        for (int i = 0; i < shards.size(); i++) {
            rotated.add(shards.get((start + i) % shards.size()));
        }
        if (attempt != null) {
            return rotated;
        }
        List<Integer> receivable = rotated.stream().filter(p -> locallyReceivable(p, receive.queueName())).toList();
        return receivable.isEmpty() ? List.of(rotated.get(0)) : receivable;
    }

    /**
     * Waits for {@code wake}, then registers the next waiter before looking at local state: a send applied after the
     * look is then still seen, by the next wake-up, instead of waiting for the recheck timer.
     */
    private CompletableFuture<Delivery> parked(List<Integer> shards, ReceiveMessages receive, long deadlineMs, CompletableFuture<Void> wake) {
        return wake.thenCompose(v -> {
            if (remaining(deadlineMs) <= 0) {
                return CompletableFuture.completedFuture(Delivery.EMPTY);
            }
            CompletableFuture<Void> next = waiters.await(receive.queueName(), Math.min(recheckMs, remaining(deadlineMs)));
            if (shards.stream().anyMatch(p -> locallyReceivable(p, receive.queueName()))) {
                next.complete(null);
                return receiveUntil(shards, receive, deadlineMs);
            }
            return parked(shards, receive, deadlineMs, next);
        });
    }

    private boolean locallyReceivable(int partition, String queue) {
        try {
            QueryResult r = partitions.localRead(partition, new QueueQuery.Receivable(queue));
            return !(r instanceof QueueQueryResult.Flag flag) || flag.value();
        } catch (RuntimeException e) {
            return true; // cannot tell locally: let the replicated receive decide
        }
    }

    private int waitSeconds(int partition, String queue, Integer requested) {
        if (requested != null) {
            return requested;
        }
        try {
            QueryResult r = partitions.localRead(partition, new QueueQuery.GetQueueAttributes(queue, List.of(WAIT_TIME_ATTRIBUTE)));
            if (r instanceof QueueQueryResult.Attributes a && a.attributes().containsKey(WAIT_TIME_ATTRIBUTE)) {
                return Integer.parseInt(a.attributes().get(WAIT_TIME_ATTRIBUTE));
            }
        } catch (RuntimeException e) {
            // not readable locally: no wait
        }
        return 0;
    }

    private long remaining(long deadlineMs) {
        return deadlineMs - clockMs.getAsLong();
    }
}
