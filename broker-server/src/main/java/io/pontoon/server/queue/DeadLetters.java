package io.pontoon.server.queue;

import io.pontoon.server.partition.PartitionAccess;
import io.pontoon.core.queue.QueueCommand;
import io.pontoon.core.queue.QueueResult;
import io.pontoon.core.queue.QueueQueryResult;
import io.pontoon.core.Limits;
import io.pontoon.core.queue.MoveTaskHandles;
import io.pontoon.core.queue.QueueUrls;
import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.core.queue.QueueQuery;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.queue.RedrivePolicy;
import io.pontoon.core.queue.QueueAttributeNames;
import io.pontoon.core.queue.RedrivePolicies;
import io.pontoon.core.queue.QueueValidator;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * The cross-queue parts of dead-letter queues, which no single partition can decide: whether a RedrivePolicy's
 * target exists and lets the source in, which queues use a DLQ (every partition is asked), and message move
 * tasks, which run in the DLQ's partition but are checked against other queues first. These checks read
 * other partitions before replicating, so they are as consistent as AWS's (not atomic with later changes).
 */
final class DeadLetters {
    private final Placement placement;
    private final PartitionAccess partitions;

    DeadLetters(Placement placement, PartitionAccess partitions) {
        this.placement = placement;
        this.partitions = partitions;
    }

    /** The target of a new RedrivePolicy must exist and its RedriveAllowPolicy must admit {@code source}. */
    CompletableFuture<Void> checkTarget(String source, RedrivePolicy policy) {
        if (policy == null) {
            return CompletableFuture.completedFuture(null);
        }
        String dlq = policy.deadLetterQueueName();
        QueueQuery.GetQueueAttributes q = new QueueQuery.GetQueueAttributes(dlq, List.of(QueueAttributeNames.REDRIVE_ALLOW_POLICY));
        return placement.lookup(dlq)
                .thenCompose(p -> partitions.read(p, q))
                .handle((r, e) -> {
                    if (e != null || !(r instanceof QueueQueryResult.Attributes a)) {
                        throw invalidPolicy("Dead-letter target " + dlq + " does not exist.");
                    }
                    String allow = a.attributes().get(QueueAttributeNames.REDRIVE_ALLOW_POLICY);
                    if (allow != null && !RedrivePolicies.allowPolicyOf(allow).allows(source)) {
                        throw invalidPolicy("The RedriveAllowPolicy of " + dlq + " does not allow " + source + " as a source queue.");
                    }
                    return null;
                });
    }

    /** Every partition is asked (a source may live anywhere); the union is paged by name. */
    CompletableFuture<QueueQueryResult.QueueList> sources(String dlq, String nextToken, Integer maxResults) {
        if (maxResults != null && (maxResults < 1 || maxResults > Limits.MAX_DEAD_LETTER_SOURCE_RESULTS)) {
            throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "Value " + maxResults + " for parameter MaxResults is invalid. Reason: must be between 1 and " + Limits.MAX_DEAD_LETTER_SOURCE_RESULTS + ".");
        }
        return placement.lookup(dlq).thenCompose(ignored -> allSources(dlq)).thenApply(all -> {
            List<String> names = new ArrayList<>(nextToken == null ? all : all.tailSet(nextToken, false));
            int limit = maxResults == null ? Limits.MAX_DEAD_LETTER_SOURCE_RESULTS : maxResults;
            List<String> page = names.subList(0, Math.min(limit, names.size()));
            String token = maxResults != null && names.size() > limit ? page.get(page.size() - 1) : null;
            return new QueueQueryResult.QueueList(page.stream().map(QueueUrls::of).toList(), token);
        });
    }

    CompletableFuture<String> startMoveTask(String sourceArn, String destinationArn, Integer maxPerSecond) {
        String source = RedrivePolicies.queueNameOfArn("SourceArn", sourceArn);
        String destination = destinationArn == null ? null : RedrivePolicies.queueNameOfArn("DestinationArn", destinationArn);
        QueueValidator.startMoveTask(source, destination, maxPerSecond);
        QueueCommand.StartMoveTask start = new QueueCommand.StartMoveTask(source, destination, maxPerSecond);
        return placement.shards(source)
                .thenApply(shards -> {
                    if (shards.size() > 1) {
                        throw new BrokerException(ErrorCode.UNSUPPORTED_OPERATION,
                                "Message move tasks from a queue spanning several partitions (high-throughput FIFO) are not supported yet.");
                    }
                    return shards.get(0);
                })
                .thenCompose(p -> allSources(source).thenCompose(sources -> {
                    if (sources.isEmpty()) {
                        throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE, "Source queue must be configured as a Dead Letter Queue.");
                    }
                    return destination == null ? CompletableFuture.completedFuture(p) : placement.lookup(destination).thenApply(d -> p);
                }))
                .thenCompose(p -> partitions.submit(p, start))
                .thenApply(r -> QueueService.expect(r, QueueResult.MoveTaskStarted.class).taskHandle());
    }

    CompletableFuture<Long> cancelMoveTask(String taskHandle) {
        MoveTaskHandles handle = MoveTaskHandles.parse(taskHandle);
        QueueCommand.CancelMoveTask cancel = new QueueCommand.CancelMoveTask(handle.queueName(), handle.taskId());
        return placement.lookup(handle.queueName())
                .thenCompose(p -> partitions.submit(p, cancel))
                .thenApply(r -> QueueService.expect(r, QueueResult.MoveTaskCancelled.class).approximateNumberOfMessagesMoved());
    }

    CompletableFuture<QueueQueryResult.MoveTasks> listMoveTasks(String sourceArn, int maxResults) {
        String source = RedrivePolicies.queueNameOfArn("SourceArn", sourceArn);
        QueueQuery.ListMoveTasks q = new QueueQuery.ListMoveTasks(source, maxResults);
        QueueValidator.validate(q);
        return placement.lookup(source).thenCompose(p -> partitions.read(p, q)).thenApply(r -> {
            if (r instanceof QueryResult.Error e) {
                throw new BrokerException(e.code(), e.message());
            }
            return (QueueQueryResult.MoveTasks) r;
        });
    }

    private CompletableFuture<TreeSet<String>> allSources(String dlq) {
        List<CompletableFuture<QueryResult>> reads = new ArrayList<>();
        for (int p = 0; p < partitions.partitions(); p++) {
            reads.add(partitions.read(p, new QueueQuery.DeadLetterSources(dlq)));
        }
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(v -> {
            TreeSet<String> all = new TreeSet<>();
            reads.forEach(r -> all.addAll(((QueueQueryResult.QueueNames) r.join()).names()));
            return all;
        });
    }

    private static BrokerException invalidPolicy(String reason) {
        return new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE, "Value for parameter RedrivePolicy is invalid. Reason: " + reason);
    }
}
