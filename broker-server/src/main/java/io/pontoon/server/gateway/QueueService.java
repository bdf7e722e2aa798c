package io.pontoon.server.gateway;

import io.pontoon.core.command.PartitionCommand;
import io.pontoon.core.command.PartitionCommand.ChangeMessageVisibility;
import io.pontoon.core.command.PartitionCommand.DeleteMessages;
import io.pontoon.core.command.PartitionCommand.ReceiveMessages;
import io.pontoon.core.command.PartitionCommand.SendMessages;
import io.pontoon.core.command.PartitionQuery;
import io.pontoon.core.command.PartitionResult;
import io.pontoon.core.command.QueryResult;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.queue.QueueAttributes;
import io.pontoon.core.validation.QueueAttributeNames;
import io.pontoon.core.validation.RequestValidator;
import io.pontoon.server.config.SeededBug;
import io.pontoon.server.longpoll.LongPollWaiters;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * The node's queue API, independent of gRPC: validates before anything is replicated, routes each queue
 * to its partition, and turns business outcomes into results or {@link BrokerException}s.
 */
public final class QueueService {
    private static final String WAIT_TIME_ATTRIBUTE = "ReceiveMessageWaitTimeSeconds";

    private final Placement placement;
    private final PartitionAccess partitions;
    private final LongPollWaiters waiters;
    private final LongSupplier clockMs;
    private final long recheckMs;
    private final SeededBug seededBug;
    private final java.util.concurrent.atomic.AtomicLong sends = new java.util.concurrent.atomic.AtomicLong();
    private final DeadLetters deadLetters;

    public QueueService(Placement placement, PartitionAccess partitions, LongPollWaiters waiters, LongSupplier clockMs, long recheckMs,
                        SeededBug seededBug) {
        this.seededBug = seededBug;
        this.placement = placement;
        this.partitions = partitions;
        this.waiters = waiters;
        this.clockMs = clockMs;
        this.recheckMs = recheckMs;
        this.deadLetters = new DeadLetters(placement, partitions);
    }

    public CompletableFuture<String> createQueue(String name, Map<String, String> attributes, Map<String, String> tags) {
        RequestValidator.queueName(name);
        QueueAttributes attrs = RequestValidator.createQueueAttributes(name, attributes, tags);
        RequestValidator.createQueue(name, attrs);
        return deadLetters.checkTarget(name, attrs.redrivePolicy())
                .thenCompose(v -> placement.place(name))
                .thenCompose(p -> partitions.submit(p, new PartitionCommand.CreateQueue(name, attrs)))
                .thenApply(r -> expect(r, PartitionResult.QueueCreated.class).queueUrl());
    }

    public CompletableFuture<String> getQueueUrl(String name) {
        RequestValidator.queueName(name);
        return read(name, new PartitionQuery.GetQueueUrl(name), QueryResult.QueueUrl.class).thenApply(QueryResult.QueueUrl::queueUrl);
    }

    public CompletableFuture<QueryResult.QueueList> listQueues(String prefix, String nextToken, Integer maxResults) {
        RequestValidator.listQueues(prefix, maxResults);
        return placement.list(prefix, nextToken, maxResults);
    }

    public CompletableFuture<Map<String, String>> getQueueAttributes(String name, List<String> names) {
        PartitionQuery.GetQueueAttributes q = new PartitionQuery.GetQueueAttributes(name, names);
        RequestValidator.validate(q);
        return read(name, q, QueryResult.Attributes.class).thenApply(QueryResult.Attributes::attributes);
    }

    public CompletableFuture<Void> setQueueAttributes(String name, Map<String, String> attributes) {
        PartitionCommand.SetQueueAttributes set = new PartitionCommand.SetQueueAttributes(name, attributes);
        RequestValidator.validate(set);
        QueueAttributes parsed = QueueAttributeNames.apply(name, QueueAttributes.defaultsFor(name), attributes, false);
        boolean newPolicy = attributes.containsKey(QueueAttributeNames.REDRIVE_POLICY);
        return deadLetters.checkTarget(name, newPolicy ? parsed.redrivePolicy() : null).thenCompose(v -> ok(name, set));
    }

    public CompletableFuture<QueryResult.QueueList> listDeadLetterSourceQueues(String deadLetterQueue, String nextToken, Integer maxResults) {
        RequestValidator.queueName(deadLetterQueue);
        return deadLetters.sources(deadLetterQueue, nextToken, maxResults);
    }

    public CompletableFuture<String> startMessageMoveTask(String sourceArn, String destinationArn, Integer maxPerSecond) {
        return deadLetters.startMoveTask(sourceArn, destinationArn, maxPerSecond);
    }

    public CompletableFuture<Long> cancelMessageMoveTask(String taskHandle) {
        return deadLetters.cancelMoveTask(taskHandle);
    }

    public CompletableFuture<QueryResult.MoveTasks> listMessageMoveTasks(String sourceArn, int maxResults) {
        return deadLetters.listMoveTasks(sourceArn, maxResults);
    }

    public CompletableFuture<Void> purgeQueue(String name) {
        return ok(name, new PartitionCommand.PurgeQueue(name));
    }

    public CompletableFuture<Void> deleteQueue(String name) {
        return ok(name, new PartitionCommand.DeleteQueue(name)).thenCompose(v -> placement.unplace(name));
    }

    public CompletableFuture<PartitionResult.Sent> send(SendMessages send) {
        if (seededBug == SeededBug.ACK_WITHOUT_REPLICATION && sends.incrementAndGet() % 50 == 0) {
            RequestValidator.validate(send);
            return CompletableFuture.completedFuture(new PartitionResult.Sent(send.entries().stream()
                    .map(e -> new PartitionResult.SendSuccess(e.id(), "seeded-bug-" + sends.get())).toList(), List.of()));
        }
        return write(send.queueName(), send, PartitionResult.Sent.class);
    }

    public CompletableFuture<PartitionResult.BatchOutcome> delete(DeleteMessages delete) {
        return write(delete.queueName(), delete, PartitionResult.BatchOutcome.class);
    }

    public CompletableFuture<PartitionResult.BatchOutcome> changeVisibility(ChangeMessageVisibility change) {
        return write(change.queueName(), change, PartitionResult.BatchOutcome.class);
    }

    /**
     * ReceiveMessage with long polling. An empty receive parks on {@link LongPollWaiters} and proposes
     * another receive only when local state shows a receivable message, so a waiting consumer does not
     * write to the log while its queue is empty.
     */
    public CompletableFuture<PartitionResult.Received> receive(ReceiveMessages receive, Integer waitTimeSeconds) {
        RequestValidator.receive(receive.queueName(), receive.maxMessages(), waitTimeSeconds, receive.visibilityTimeoutSeconds());
        RequestValidator.validate(receive);
        String queue = receive.queueName();
        return placement.lookup(queue).thenCompose(p -> waitSeconds(p, queue, waitTimeSeconds)
                .thenCompose(wait -> receiveUntil(p, receive, clockMs.getAsLong() + wait * 1000L)));
    }

    private CompletableFuture<PartitionResult.Received> receiveUntil(int partition, ReceiveMessages receive, long deadlineMs) {
        // Register before proposing, so a send applied while the receive is in flight still wakes us.
        CompletableFuture<Void> wake = waiters.await(receive.queueName(), Math.min(recheckMs, remaining(deadlineMs)));
        return partitions.submit(partition, receive).thenCompose(r -> {
            PartitionResult.Received received = expectOn(receive.queueName(), r, PartitionResult.Received.class);
            if (!received.messages().isEmpty() || remaining(deadlineMs) <= 0) {
                wake.complete(null);
                return CompletableFuture.completedFuture(received);
            }
            return parked(partition, receive, deadlineMs, wake, received);
        });
    }

    private CompletableFuture<PartitionResult.Received> parked(int partition, ReceiveMessages receive, long deadlineMs,
                                                              CompletableFuture<Void> wake, PartitionResult.Received empty) {
        return wake.thenCompose(v -> {
            if (remaining(deadlineMs) <= 0) {
                return CompletableFuture.completedFuture(empty);
            }
            if (locallyReceivable(partition, receive.queueName())) {
                return receiveUntil(partition, receive, deadlineMs);
            }
            CompletableFuture<Void> next = waiters.await(receive.queueName(), Math.min(recheckMs, remaining(deadlineMs)));
            return parked(partition, receive, deadlineMs, next, empty);
        });
    }

    private boolean locallyReceivable(int partition, String queue) {
        try {
            QueryResult r = partitions.localRead(partition, new PartitionQuery.QueueStats(queue));
            return !(r instanceof QueryResult.Stats stats) || stats.receivableNow();
        } catch (RuntimeException e) {
            return true; // cannot tell locally: let the replicated receive decide
        }
    }

    private CompletableFuture<Integer> waitSeconds(int partition, String queue, Integer requested) {
        if (requested != null) {
            return CompletableFuture.completedFuture(requested);
        }
        QueryResult r = partitions.localRead(partition, new PartitionQuery.GetQueueAttributes(queue, List.of(WAIT_TIME_ATTRIBUTE)));
        if (r instanceof QueryResult.Attributes a && a.attributes().containsKey(WAIT_TIME_ATTRIBUTE)) {
            return CompletableFuture.completedFuture(Integer.parseInt(a.attributes().get(WAIT_TIME_ATTRIBUTE)));
        }
        return CompletableFuture.completedFuture(0);
    }

    private long remaining(long deadlineMs) {
        return deadlineMs - clockMs.getAsLong();
    }

    private CompletableFuture<Void> ok(String queue, PartitionCommand command) {
        return write(queue, command, PartitionResult.Ok.class).thenApply(r -> null);
    }

    private <T extends PartitionResult> CompletableFuture<T> write(String queue, PartitionCommand command, Class<T> type) {
        RequestValidator.validate(command);
        return placement.lookup(queue)
                .thenCompose(p -> partitions.submit(p, command))
                .thenApply(r -> expectOn(queue, r, type));
    }

    private <T extends QueryResult> CompletableFuture<T> read(String queue, PartitionQuery query, Class<T> type) {
        return placement.lookup(queue)
                .thenCompose(p -> partitions.read(p, query))
                .thenApply(r -> {
                    if (r instanceof QueryResult.Error e) {
                        if (e.code() == ErrorCode.NON_EXISTENT_QUEUE) {
                            placement.invalidate(queue);
                        }
                        throw new BrokerException(e.code(), e.message());
                    }
                    return type.cast(r);
                });
    }

    private <T extends PartitionResult> T expectOn(String queue, PartitionResult r, Class<T> type) {
        if (r instanceof PartitionResult.Error e && e.code() == ErrorCode.NON_EXISTENT_QUEUE) {
            placement.invalidate(queue);
        }
        return expect(r, type);
    }

    static <T extends PartitionResult> T expect(PartitionResult r, Class<T> type) {
        if (r instanceof PartitionResult.Error e) {
            throw new BrokerException(e.code(), e.message());
        }
        if (!type.isInstance(r)) {
            throw new IllegalStateException("expected " + type.getSimpleName() + " but apply returned " + r);
        }
        return type.cast(r);
    }
}
