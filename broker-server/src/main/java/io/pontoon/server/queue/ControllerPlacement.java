package io.pontoon.server.queue;

import io.pontoon.core.queue.QueueQueryResult;
import io.pontoon.core.Limits;
import io.pontoon.core.queue.QueueUrls;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.core.controller.ControllerCodec;
import io.pontoon.core.controller.ControllerCommand;
import io.pontoon.core.controller.ControllerQuery;
import io.pontoon.core.controller.ControllerQueryResult;
import io.pontoon.core.controller.ControllerResult;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.server.partition.ControllerClient;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Placement} backed by the controller group. Lookups are answered from a cache, then from this
 * node's replica of the controller (every node hosts it), and only then by a linearizable read, so the
 * common path costs no network round trip. A stale answer is detected by the partition (NonExistentQueue)
 * and invalidated by the caller.
 */
public final class ControllerPlacement implements Placement {
    private static final int MAX_CACHED = 100_000;

    private final ControllerClient controller;
    private final Map<String, List<Integer>> cache = new ConcurrentHashMap<>();

    public ControllerPlacement(ControllerClient controller) {
        this.controller = controller;
    }

    @Override
    public CompletableFuture<List<Integer>> place(String queueName, int shards) {
        return controller.submit(new ControllerCommand.PlaceQueue(queueName, shards)).thenApply(r -> {
            if (r instanceof ControllerResult.Placed placed) {
                cache(queueName, placed.partitions());
                return placed.partitions();
            }
            throw ControllerClient.failure(r);
        });
    }

    @Override
    public CompletableFuture<Void> unplace(String queueName, long recreateDelayMs) {
        cache.remove(queueName);
        return controller.submit(new ControllerCommand.UnplaceQueue(queueName, recreateDelayMs)).thenAccept(r -> {
            if (r instanceof ControllerResult.Error e && e.code() != ErrorCode.NON_EXISTENT_QUEUE) {
                throw new BrokerException(e.code(), e.message());
            }
        });
    }

    @Override
    public CompletableFuture<List<Integer>> shards(String queueName) {
        List<Integer> cached = cache.get(queueName);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        ControllerQuery query = new ControllerQuery.LookupQueue(queueName);
        try {
            if (controller.localRead(query) instanceof ControllerQueryResult.Found found) {
                cache(queueName, found.placement().partitions());
                return CompletableFuture.completedFuture(found.placement().partitions());
            }
        } catch (RuntimeException e) {
            // local replica not open yet: fall through to the linearizable read
        }
        return freshShards(queueName);
    }

    @Override
    public CompletableFuture<List<Integer>> freshShards(String queueName) {
        return controller.read(new ControllerQuery.LookupQueue(queueName)).thenApply(r -> {
            if (r instanceof ControllerQueryResult.Found found) {
                cache(queueName, found.placement().partitions());
                return found.placement().partitions();
            }
            throw new BrokerException(ErrorCode.NON_EXISTENT_QUEUE, "The specified queue does not exist: " + queueName);
        });
    }

    @Override
    public void invalidate(String queueName) {
        cache.remove(queueName);
    }

    @Override
    public CompletableFuture<QueueQueryResult.QueueList> list(String prefix, String nextToken, Integer maxResults) {
        int limit = maxResults == null ? Limits.MAX_LIST_QUEUES_RESULTS : maxResults;
        ControllerQuery q = new ControllerQuery.ListPlacements(prefix == null ? "" : prefix, nextToken == null ? "" : nextToken, limit);
        return controller.read(q).thenApply(r -> {
            if (r instanceof ControllerQueryResult.PlacementList list) {
                return new QueueQueryResult.QueueList(list.placements().stream().map(p -> QueueUrls.of(p.name())).toList(),
                        list.nextStartAfter());
            }
            throw ControllerClient.failure(r);
        });
    }

    @Override
    public int partitionCount() {
        return controller.partitionCount();
    }


    private void cache(String name, List<Integer> partitions) {
        if (cache.size() < MAX_CACHED) {
            cache.put(name, partitions);
        }
    }

}
