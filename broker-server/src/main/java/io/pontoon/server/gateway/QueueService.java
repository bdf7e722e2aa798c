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
import io.pontoon.core.queue.FifoSettings;
import io.pontoon.core.queue.RedrivePolicy;
import io.pontoon.core.validation.QueueAttributeNames;
import io.pontoon.core.validation.RedrivePolicies;
import io.pontoon.core.validation.RequestValidator;
import io.pontoon.server.config.SeededBug;
import io.pontoon.server.longpoll.LongPollWaiters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The node's queue API, independent of gRPC: validates before anything is replicated, routes each queue
 * to its partition, and turns business outcomes into results or {@link BrokerException}s.
 */
public final class QueueService {

    private final Placement placement;
    private final PartitionAccess partitions;
    private final LongPollReceiver receiver;
    private final int fifoShards;
    private final SeededBug seededBug;
    private final java.util.concurrent.atomic.AtomicLong sends = new java.util.concurrent.atomic.AtomicLong();
    private final DeadLetters deadLetters;

    /** @param fifoShards partitions a high-throughput FIFO queue spans (at most all partitions) */
    public QueueService(Placement placement, PartitionAccess partitions, LongPollWaiters waiters, LongSupplier clockMs, long recheckMs,
                        SeededBug seededBug, int fifoShards) {
        this.seededBug = seededBug;
        this.placement = placement;
        this.partitions = partitions;
        this.fifoShards = fifoShards;
        this.deadLetters = new DeadLetters(placement, partitions);
        this.receiver = new LongPollReceiver(partitions, waiters, clockMs, recheckMs, this::expectOn);
    }

    public CompletableFuture<String> createQueue(String name, Map<String, String> attributes, Map<String, String> tags) {
        RequestValidator.queueName(name);
        QueueAttributes attrs = RequestValidator.createQueueAttributes(name, attributes, tags);
        RequestValidator.createQueue(name, attrs);
        PartitionCommand.CreateQueue create = new PartitionCommand.CreateQueue(name, attrs);
        return deadLetters.checkTarget(name, attrs.redrivePolicy())
                .thenCompose(v -> placement.place(name, shardsFor(attrs)))
                .thenCompose(shards -> all(shards.stream().map(p -> partitions.submit(p, create)).toList()))
                .thenApply(results -> results.stream().map(r -> expect(r, PartitionResult.QueueCreated.class).queueUrl()).toList().get(0));
    }

    /**
     * A high-throughput FIFO queue (FifoThroughputLimit=perMessageGroupId at creation) spans several partitions,
     * so its throughput grows with its message groups; every other queue lives on one. Fixed at creation.
     */
    private int shardsFor(QueueAttributes attrs) {
        boolean highThroughput = attrs.isFifo() && attrs.fifo().fifoThroughputLimit() == FifoSettings.FifoThroughputLimit.PER_MESSAGE_GROUP_ID;
        return highThroughput ? fifoShards : 1;
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
        return placement.shards(name)
                .thenCompose(shards -> all(shards.stream().map(p -> read(name, p, q, QueryResult.Attributes.class)).toList()))
                .thenApply(QueueService::sumCounts);
    }

    /** Attributes from the first shard, with the approximate counts summed over all shards. */
    private static Map<String, String> sumCounts(List<QueryResult.Attributes> shards) {
        Map<String, String> out = new java.util.TreeMap<>(shards.get(0).attributes());
        for (String count : List.of(QueueAttributeNames.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeNames.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, QueueAttributeNames.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)) {
            if (out.containsKey(count)) {
                out.put(count, String.valueOf(shards.stream().mapToLong(a -> Long.parseLong(a.attributes().get(count))).sum()));
            }
        }
        return out;
    }

    public CompletableFuture<Void> setQueueAttributes(String name, Map<String, String> attributes) {
        PartitionCommand.SetQueueAttributes set = new PartitionCommand.SetQueueAttributes(name, attributes);
        RequestValidator.validate(set);
        RedrivePolicy policy = RedrivePolicies.requested(name, attributes.get(QueueAttributeNames.REDRIVE_POLICY));
        return deadLetters.checkTarget(name, policy).thenCompose(v -> ok(name, set));
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
        return write(send.queueName(), send, PartitionResult.Sent.class,
                (c, shards) -> ShardedCommands.sendByGroup((SendMessages) c, shards), ShardedCommands::mergeSent);
    }

    public CompletableFuture<PartitionResult.BatchOutcome> delete(DeleteMessages delete) {
        return write(delete.queueName(), delete, PartitionResult.BatchOutcome.class,
                (c, shards) -> ShardedCommands.deleteByHandle((DeleteMessages) c, shards), ShardedCommands::mergeOutcomes);
    }

    public CompletableFuture<PartitionResult.BatchOutcome> changeVisibility(ChangeMessageVisibility change) {
        return write(change.queueName(), change, PartitionResult.BatchOutcome.class,
                (c, shards) -> ShardedCommands.visibilityByHandle((ChangeMessageVisibility) c, shards), ShardedCommands::mergeOutcomes);
    }

    /** ReceiveMessage with long polling; see {@link LongPollReceiver}. */
    public CompletableFuture<PartitionResult.Received> receive(ReceiveMessages receive, Integer waitTimeSeconds) {
        RequestValidator.receive(receive.queueName(), receive.maxMessages(), waitTimeSeconds, receive.visibilityTimeoutSeconds());
        RequestValidator.validate(receive);
        return placement.shards(receive.queueName()).thenCompose(shards -> receiver.receive(shards, receive, waitTimeSeconds));
    }

    /** A queue-level command goes to every shard of the queue, and must succeed on each. */
    private CompletableFuture<Void> ok(String queue, PartitionCommand command) {
        RequestValidator.validate(command);
        return placement.shards(queue)
                .thenCompose(shards -> all(shards.stream().map(p -> partitions.submit(p, command)).toList()))
                .thenAccept(results -> results.forEach(r -> expectOn(queue, r, PartitionResult.Ok.class)));
    }

    /**
     * A message-level command goes to its queue's partition, or, on a queue spanning several partitions, is
     * split per partition ({@link ShardedCommands}) and the results merged.
     */
    private <T extends PartitionResult> CompletableFuture<T> write(String queue, PartitionCommand command, Class<T> type,
                                                                 BiFunction<PartitionCommand, List<Integer>, Map<Integer, PartitionCommand>> split,
                                                                 Function<List<PartitionResult>, T> merge) {
        RequestValidator.validate(command);
        return placement.shards(queue).thenCompose(shards -> {
            if (shards.size() == 1) {
                return partitions.submit(shards.get(0), command).thenApply(r -> expectOn(queue, r, type));
            }
            List<CompletableFuture<PartitionResult>> parts = new ArrayList<>();
            split.apply(command, shards).forEach((p, part) -> parts.add(partitions.submit(p, part)));
            return all(parts).thenApply(results -> {
                results.forEach(r -> expectOn(queue, r, type));
                return merge.apply(results);
            });
        });
    }

    private static <T> CompletableFuture<List<T>> all(List<CompletableFuture<T>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenApply(v -> futures.stream().map(CompletableFuture::join).toList());
    }

    private <T extends QueryResult> CompletableFuture<T> read(String queue, PartitionQuery query, Class<T> type) {
        return placement.lookup(queue).thenCompose(p -> read(queue, p, query, type));
    }

    private <T extends QueryResult> CompletableFuture<T> read(String queue, int partition, PartitionQuery query, Class<T> type) {
        return partitions.read(partition, query)
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

    <T extends PartitionResult> T expectOn(String queue, PartitionResult r, Class<T> type) {
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
