package io.pontoon.server.queue;

import io.pontoon.core.Limits;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.queue.FifoShards;
import io.pontoon.core.queue.QueueCommand.IngestMessages;
import io.pontoon.core.queue.QueueCommand.MovedMessage;
import io.pontoon.core.queue.QueueResult;
import io.pontoon.server.partition.PartitionAccess;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Puts messages from elsewhere into their queues exactly once: the destination half of every cross-partition move
 * (a partition's outbox of DLQ moves and redrives, a topic's fan-out). Each message carries a sequence of its lane
 * (the source), and each destination partition keeps one high-water mark per lane (core {@code Ingest}), so a resend
 * after a failover is a no-op provided a lane's messages reach each destination in sequence order: one call sends
 * each destination partition its messages in the order given, as one command, and fails as a whole if any
 * destination cannot be resolved (a queue that does not exist is not unresolved: it is reported as missing).
 */
public final class QueueIngestor {
    /** @param delivered the sequences applied at their destination; @param missing those whose queue does not exist */
    public record Outcome(List<Long> delivered, List<Long> missing) {
    }

    private final Placement placement;
    private final PartitionAccess partitions;

    public QueueIngestor(Placement placement, PartitionAccess partitions) {
        this.placement = placement;
        this.partitions = partitions;
    }

    /** @param lane the source's inbox lane: a partition id for its outbox, {@link IngestMessages#topicLane} for a topic fan-out */
    public CompletableFuture<Outcome> ingest(int lane, List<MovedMessage> messages) {
        return resolve(messages).thenCompose(destinations -> {
            Map<Integer, List<MovedMessage>> byPartition = new LinkedHashMap<>();
            List<Long> missing = new ArrayList<>();
            for (MovedMessage m : messages) {
                List<Integer> shards = destinations.get(m.queueName());
                if (shards == null) {
                    missing.add(m.outboxSeq());
                } else {
                    byPartition.computeIfAbsent(shardOf(m, shards), k -> new ArrayList<>()).add(m);
                }
            }
            List<CompletableFuture<List<Long>>> ingests = new ArrayList<>();
            byPartition.forEach((p, entries) -> ingests.add(inOrder(p, lane, entries, 0, new ArrayList<>())));
            return CompletableFuture.allOf(ingests.toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<Long> delivered = new ArrayList<>();
                ingests.forEach(f -> delivered.addAll(f.join()));
                return new Outcome(delivered, missing);
            });
        });
    }

    /**
     * One destination partition's messages, as commands of at most {@link Limits#MAX_OUTBOX_BATCH}, each sent once the
     * one before it applied: the high-water mark must never pass a message that did not make it.
     */
    private CompletableFuture<List<Long>> inOrder(int partition, int lane, List<MovedMessage> entries, int from, List<Long> done) {
        if (from >= entries.size()) {
            return CompletableFuture.completedFuture(done);
        }
        List<MovedMessage> chunk = entries.subList(from, Math.min(entries.size(), from + Limits.MAX_OUTBOX_BATCH));
        return partitions.submit(partition, new IngestMessages(lane, List.copyOf(chunk)))
                .thenApply(r -> QueueService.expect(r, QueueResult.Ingested.class))
                .thenCompose(r -> {
                    chunk.forEach(m -> done.add(m.outboxSeq()));
                    return inOrder(partition, lane, entries, from + chunk.size(), done);
                });
    }

    /** A destination spanning several partitions (high-throughput FIFO) takes each group on its own shard. */
    private static int shardOf(MovedMessage m, List<Integer> shards) {
        return shards.size() == 1 ? shards.get(0) : shards.get(FifoShards.shardOf(m.groupId() == null ? "" : m.groupId(), shards.size()));
    }

    /** Destination queue -> its partitions; null for a queue that does not exist. Fails if any lookup fails otherwise. */
    private CompletableFuture<Map<String, List<Integer>>> resolve(List<MovedMessage> entries) {
        Map<String, CompletableFuture<List<Integer>>> lookups = new HashMap<>();
        for (MovedMessage m : entries) {
            lookups.computeIfAbsent(m.queueName(), q -> placement.shards(q).handle((p, e) -> {
                if (e == null) {
                    return p;
                }
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (cause instanceof BrokerException b && b.code() == ErrorCode.NON_EXISTENT_QUEUE) {
                    return null;
                }
                throw new CompletionException(cause);
            }));
        }
        return CompletableFuture.allOf(lookups.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
            Map<String, List<Integer>> out = new HashMap<>();
            lookups.forEach((q, f) -> out.put(q, f.join()));
            return out;
        });
    }
}
