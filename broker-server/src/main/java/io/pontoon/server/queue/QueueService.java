package io.pontoon.server.queue;

import io.pontoon.server.partition.ByteBudget;
import io.pontoon.server.partition.PartitionAccess;
import io.pontoon.core.queue.QueueCommand;
import io.pontoon.core.queue.QueueResult;
import io.pontoon.core.queue.QueueQueryResult;
import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.core.queue.QueueCommand.ChangeMessageVisibility;
import io.pontoon.core.queue.QueueCommand.DeleteMessages;
import io.pontoon.core.queue.QueueCommand.ReceiveMessages;
import io.pontoon.core.queue.QueueCommand.SendMessages;
import io.pontoon.core.queue.QueueQuery;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.queue.FifoSettings;
import io.pontoon.core.queue.QueueAttributes;
import io.pontoon.core.queue.RedrivePolicy;
import io.pontoon.core.queue.QueueAttributeNames;
import io.pontoon.core.queue.RedrivePolicies;
import io.pontoon.core.queue.QueueValidator;
import io.pontoon.server.queue.LongPollWaiters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.function.LongSupplier;

/**
 * The node's queue API, independent of gRPC: validates before anything is replicated, routes each queue
 * to its partition, and turns business outcomes into results or {@link BrokerException}s.
 *
 * <p>Placement can be stale: a queue deleted and created again may live on another partition now. A partition
 * answering NonExistentQueue makes the call look the queue up again, through the controller's leader, and try
 * once more where it lives now, so no node answers "no such queue" for a queue that exists.
 */
public final class QueueService {

    /**
     * This node's settings the queue API applies before the log.
     *
     * @param fifoShards        partitions a high-throughput FIFO queue spans (at most all partitions)
     * @param inFlightLimit     OverLimit threshold stamped into every receive (queue.max.in.flight)
     * @param recreateDelayMs   how long a deleted queue's name stays blocked (queue.recreate.delay.ms)
     * @param recheckMs         how often a parked long poll looks at its queue without a wake-up
     * @param deliveryWaitMs    how long a receive may wait for room in the response budget
     */
    public record Settings(int fifoShards, int inFlightLimit, long recreateDelayMs, long recheckMs, long deliveryWaitMs) {
    }

    private final Placement placement;
    private final PartitionAccess partitions;
    private final LongPollReceiver receiver;
    private final Settings settings;
    private final DeadLetters deadLetters;

    public QueueService(Placement placement, PartitionAccess partitions, LongPollWaiters waiters, LongSupplier clockMs,
                        ByteBudget responses, ScheduledExecutorService timer, Settings settings) {
        this.placement = placement;
        this.partitions = partitions;
        this.settings = settings;
        this.deadLetters = new DeadLetters(placement, partitions);
        Deliverer deliverer = new Deliverer(partitions, responses, timer, settings.deliveryWaitMs());
        this.receiver = new LongPollReceiver(LongPollReceiver.Partitions.of(partitions), deliverer::deliver, waiters, clockMs, settings.recheckMs(), this::expectOn);
    }

    public CompletableFuture<String> createQueue(String name, Map<String, String> attributes, Map<String, String> tags) {
        QueueValidator.queueName(name);
        QueueAttributes attrs = QueueValidator.createQueueAttributes(name, attributes, tags);
        QueueValidator.createQueue(name, attrs);
        QueueCommand.CreateQueue create = new QueueCommand.CreateQueue(name, attrs);
        return deadLetters.checkTarget(name, attrs.redrivePolicy())
                .thenCompose(v -> placement.place(name, shardsFor(attrs)))
                .thenCompose(shards -> all(shards.stream().map(p -> partitions.submit(p, create)).toList()))
                .thenApply(results -> results.stream().map(r -> expect(r, QueueResult.QueueCreated.class).queueUrl()).toList().get(0));
    }

    /**
     * A high-throughput FIFO queue (FifoThroughputLimit=perMessageGroupId at creation) spans several partitions,
     * so its throughput grows with its message groups; every other queue lives on one. Fixed at creation.
     */
    private int shardsFor(QueueAttributes attrs) {
        boolean highThroughput = attrs.isFifo() && attrs.fifo().fifoThroughputLimit() == FifoSettings.FifoThroughputLimit.PER_MESSAGE_GROUP_ID;
        return highThroughput ? settings.fifoShards() : 1;
    }

    public CompletableFuture<String> getQueueUrl(String name) {
        QueueValidator.queueName(name);
        return onShards(name, shards -> read(name, shards.get(0), new QueueQuery.GetQueueUrl(name), QueueQueryResult.QueueUrl.class))
                .thenApply(QueueQueryResult.QueueUrl::queueUrl);
    }

    public CompletableFuture<QueueQueryResult.QueueList> listQueues(String prefix, String nextToken, Integer maxResults) {
        QueueValidator.listQueues(prefix, maxResults);
        return placement.list(prefix, nextToken, maxResults);
    }

    public CompletableFuture<Map<String, String>> getQueueAttributes(String name, List<String> names) {
        QueueQuery.GetQueueAttributes q = new QueueQuery.GetQueueAttributes(name, names);
        QueueValidator.validate(q);
        return onShards(name, shards -> all(shards.stream().map(p -> read(name, p, q, QueueQueryResult.Attributes.class)).toList()))
                .thenApply(QueueService::sumCounts);
    }

    /** Attributes from the first shard, with the approximate counts summed over all shards. */
    private static Map<String, String> sumCounts(List<QueueQueryResult.Attributes> shards) {
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
        QueueCommand.SetQueueAttributes set = new QueueCommand.SetQueueAttributes(name, attributes);
        QueueValidator.validate(set);
        RedrivePolicy policy = RedrivePolicies.requested(name, attributes.get(QueueAttributeNames.REDRIVE_POLICY));
        return deadLetters.checkTarget(name, policy).thenCompose(v -> ok(name, set));
    }

    public CompletableFuture<Void> tagQueue(String name, Map<String, String> tags) {
        return ok(name, new QueueCommand.TagQueue(name, tags));
    }

    public CompletableFuture<Void> untagQueue(String name, List<String> tagKeys) {
        return ok(name, new QueueCommand.UntagQueue(name, tagKeys));
    }

    /** Every shard holds the same tags (TagQueue goes to all); the first shard answers. */
    public CompletableFuture<Map<String, String>> listQueueTags(String name) {
        QueueQuery.ListQueueTags q = new QueueQuery.ListQueueTags(name);
        QueueValidator.validate(q);
        return onShards(name, shards -> read(name, shards.get(0), q, QueueQueryResult.Tags.class)).thenApply(QueueQueryResult.Tags::tags);
    }

    public CompletableFuture<QueueQueryResult.QueueList> listDeadLetterSourceQueues(String deadLetterQueue, String nextToken, Integer maxResults) {
        QueueValidator.queueName(deadLetterQueue);
        return deadLetters.sources(deadLetterQueue, nextToken, maxResults);
    }

    public CompletableFuture<String> startMessageMoveTask(String sourceArn, String destinationArn, Integer maxPerSecond) {
        return deadLetters.startMoveTask(sourceArn, destinationArn, maxPerSecond);
    }

    public CompletableFuture<Long> cancelMessageMoveTask(String taskHandle) {
        return deadLetters.cancelMoveTask(taskHandle);
    }

    public CompletableFuture<QueueQueryResult.MoveTasks> listMessageMoveTasks(String sourceArn, int maxResults) {
        return deadLetters.listMoveTasks(sourceArn, maxResults);
    }

    public CompletableFuture<Void> purgeQueue(String name) {
        return ok(name, new QueueCommand.PurgeQueue(name));
    }

    public CompletableFuture<Void> deleteQueue(String name) {
        return ok(name, new QueueCommand.DeleteQueue(name)).thenCompose(v -> placement.unplace(name, settings.recreateDelayMs()));
    }

    /** SendMessage(Batch): entries that break a rule of their own fail alone, before replication (see {@link EntryChecks}). */
    public CompletableFuture<QueueResult.Sent> send(SendMessages send) {
        EntryChecks<SendMessages> checked = EntryChecks.send(send);
        return writeChecked(send.queueName(), checked.valid(), new QueueResult.Sent(List.of(), List.of()), checked::merge,
                QueueResult.Sent.class, (c, shards) -> ShardedCommands.sendByGroup((SendMessages) c, shards), ShardedCommands::mergeSent);
    }

    public CompletableFuture<QueueResult.BatchOutcome> delete(DeleteMessages delete) {
        EntryChecks<DeleteMessages> checked = EntryChecks.delete(delete);
        return writeChecked(delete.queueName(), checked.valid(), new QueueResult.BatchOutcome(List.of(), List.of()), checked::merge,
                QueueResult.BatchOutcome.class, (c, shards) -> ShardedCommands.deleteByHandle((DeleteMessages) c, shards),
                ShardedCommands::mergeOutcomes);
    }

    public CompletableFuture<QueueResult.BatchOutcome> changeVisibility(ChangeMessageVisibility change) {
        EntryChecks<ChangeMessageVisibility> checked = EntryChecks.visibility(change);
        return writeChecked(change.queueName(), checked.valid(), new QueueResult.BatchOutcome(List.of(), List.of()), checked::merge,
                QueueResult.BatchOutcome.class, (c, shards) -> ShardedCommands.visibilityByHandle((ChangeMessageVisibility) c, shards),
                ShardedCommands::mergeOutcomes);
    }

    /**
     * A batch whose entries were checked one by one: the valid ones (if any) are written, and the refused ones merged
     * into the answer; {@code none} is the outcome of writing nothing.
     */
    private <T extends PartitionResult> CompletableFuture<T> writeChecked(String queue, PartitionCommand valid, T none, UnaryOperator<T> withRefused,
                                                                        Class<T> type,
                                                                        BiFunction<PartitionCommand, List<Integer>, Map<Integer, PartitionCommand>> split,
                                                                        Function<List<PartitionResult>, T> merge) {
        if (valid == null) {
            return CompletableFuture.completedFuture(withRefused.apply(none));
        }
        return write(queue, valid, type, split, merge).thenApply(withRefused);
    }

    /**
     * ReceiveMessage with long polling; see {@link LongPollReceiver}. The answer holds its messages' bytes in the
     * node's response budget until {@link Delivery#close()}. This node's in-flight limit travels in the command.
     */
    public CompletableFuture<Delivery> receive(ReceiveMessages receive, Integer waitTimeSeconds) {
        QueueValidator.receive(receive.queueName(), receive.maxMessages(), waitTimeSeconds, receive.visibilityTimeoutSeconds());
        ReceiveMessages limited = receive.withInFlightLimit(settings.inFlightLimit());
        QueueValidator.validate(limited);
        return onShards(receive.queueName(), shards -> receiver.receive(shards, limited, waitTimeSeconds));
    }

    /** A queue-level command goes to every shard of the queue, and must succeed on each. */
    private CompletableFuture<Void> ok(String queue, QueueCommand command) {
        QueueValidator.validate(command);
        return onShards(queue, shards -> all(shards.stream().map(p -> partitions.submit(p, command)).toList())
                .thenAccept(results -> results.forEach(r -> expectOn(queue, r, PartitionResult.Ok.class))));
    }

    /**
     * A message-level command goes to its queue's partition, or, on a queue spanning several partitions, is
     * split per partition ({@link ShardedCommands}) and the results merged.
     */
    private <T extends PartitionResult> CompletableFuture<T> write(String queue, PartitionCommand command, Class<T> type,
                                                                 BiFunction<PartitionCommand, List<Integer>, Map<Integer, PartitionCommand>> split,
                                                                 Function<List<PartitionResult>, T> merge) {
        return onShards(queue, shards -> {
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

    /**
     * Runs {@code call} against the queue's partitions; if a partition says the queue is not there, looks the queue
     * up again through the controller's leader and, if it lives elsewhere now (deleted and created again), runs the
     * call once more there. A partition that says NonExistentQueue changed nothing, so the retry is safe.
     */
    private <T> CompletableFuture<T> onShards(String queue, Function<List<Integer>, CompletableFuture<T>> call) {
        return placement.shards(queue).thenCompose(shards -> call.apply(shards).exceptionallyCompose(e -> {
            if (!isNonExistentQueue(e)) {
                return CompletableFuture.failedFuture(e);
            }
            placement.invalidate(queue);
            return placement.freshShards(queue).thenCompose(fresh -> fresh.equals(shards) ? CompletableFuture.failedFuture(e) : call.apply(fresh));
        }));
    }

    private static boolean isNonExistentQueue(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof BrokerException b && b.code() == ErrorCode.NON_EXISTENT_QUEUE;
    }

    private static <T> CompletableFuture<List<T>> all(List<CompletableFuture<T>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenApply(v -> futures.stream().map(CompletableFuture::join).toList());
    }

    private <T extends QueryResult> CompletableFuture<T> read(String queue, int partition, QueueQuery query, Class<T> type) {
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
