package io.pontoon.server.gateway;

import io.pontoon.core.FifoShards;
import io.pontoon.core.Limits;
import io.pontoon.core.command.PartitionCommand.IngestMessages;
import io.pontoon.core.command.PartitionCommand.MovedMessage;
import io.pontoon.core.command.PartitionCommand.SettleOutbox;
import io.pontoon.core.command.PartitionQuery;
import io.pontoon.core.command.QueryResult;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Delivers a partition's outbox (DLQ moves, redrives) on the node that leads it: read the oldest entries from
 * applied state, ingest them at each destination partition, then settle them at the source. A crash or
 * leader change anywhere in between only causes a resend, which ingest skips (its high-water mark per source
 * partition); nothing is settled before its destination applied it, so nothing is lost.
 *
 * <p>Ingest's high-water mark requires that a destination never receives an entry before an earlier one of
 * the same source that is still pending for it. So a round sends each destination its entries in outbox
 * order, and gives up entirely if any destination cannot be resolved (a queue that does not exist is not
 * "unresolved": its entries are returned to the queue they left).
 */
public final class OutboxForwarder {
    private final Placement placement;
    private final PartitionAccess partitions;

    public OutboxForwarder(Placement placement, PartitionAccess partitions) {
        this.placement = placement;
        this.partitions = partitions;
    }

    /** One round for {@code source}; completes with the number of entries settled. */
    public CompletableFuture<Integer> forward(int source) {
        QueryResult read = partitions.localRead(source, new PartitionQuery.ReadOutbox(Limits.MAX_OUTBOX_BATCH));
        if (!(read instanceof QueryResult.Outbox outbox) || outbox.entries().isEmpty()) {
            return CompletableFuture.completedFuture(0);
        }
        return resolve(outbox.entries()).thenCompose(destinations -> {
            Map<Integer, List<MovedMessage>> byPartition = new LinkedHashMap<>();
            List<Long> returned = new ArrayList<>();
            for (MovedMessage m : outbox.entries()) {
                List<Integer> shards = destinations.get(m.queueName());
                if (shards == null) {
                    returned.add(m.outboxSeq());
                } else {
                    byPartition.computeIfAbsent(shardOf(m, shards), k -> new ArrayList<>()).add(m);
                }
            }
            List<CompletableFuture<List<Long>>> ingests = new ArrayList<>();
            byPartition.forEach((p, entries) -> ingests.add(partitions.submit(p, new IngestMessages(source, entries))
                    .thenApply(r -> entries.stream().map(MovedMessage::outboxSeq).toList())));
            return CompletableFuture.allOf(ingests.toArray(CompletableFuture[]::new)).thenCompose(v -> {
                List<Long> delivered = new ArrayList<>();
                ingests.forEach(f -> delivered.addAll(f.join()));
                return partitions.submit(source, new SettleOutbox(delivered, returned))
                        .thenApply(r -> delivered.size() + returned.size());
            });
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
