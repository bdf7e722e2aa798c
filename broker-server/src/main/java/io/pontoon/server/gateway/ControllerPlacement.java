package io.pontoon.server.gateway;

import io.pontoon.core.Limits;
import io.pontoon.core.QueueUrls;
import io.pontoon.core.command.QueryResult;
import io.pontoon.core.controller.ControllerCodec;
import io.pontoon.core.controller.ControllerCommand;
import io.pontoon.core.controller.ControllerQuery;
import io.pontoon.core.controller.ControllerQueryResult;
import io.pontoon.core.controller.ControllerResult;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.raft.RaftNode;
import io.pontoon.raft.ReplicaGroupId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger LOG = LoggerFactory.getLogger(ControllerPlacement.class);
    private static final int MAX_CACHED = 100_000;

    private final RaftNode node;
    private final int partitions;
    private final GroupCommitter<ControllerResult> committer;
    private final Map<String, List<Integer>> cache = new ConcurrentHashMap<>();
    private volatile boolean initialized;

    /** Controller commands are small and few (creates, deletes, ticks): modest fixed limits. */
    private static final GroupCommitter.Limits LIMITS = new GroupCommitter.Limits(256, 1 << 20, 2, 10_000, 4L << 20);

    public ControllerPlacement(RaftNode node, int partitions, ByteBudget requests) {
        this.node = node;
        this.partitions = partitions;
        this.committer = new GroupCommitter<>(batch -> node.submit(ReplicaGroupId.CONTROLLER, batch),
                ControllerCodec::frame, ControllerCodec::decodeResults, LIMITS, requests);
    }

    private CompletableFuture<ControllerResult> submit(ControllerCommand command) {
        return committer.submit(ControllerCodec.encodeOne(command)).thenApply(GroupCommitter.Applied::result);
    }

    /**
     * Records the partition count on first start (idempotent); a node configured with another count is
     * refused. The controller leader calls it on election, and {@link #place} calls it first, so the first
     * CreateQueue after a cold start does not race the leader's own initialization.
     */
    public CompletableFuture<Void> initialize() {
        if (initialized) {
            return CompletableFuture.completedFuture(null);
        }
        return submit(new ControllerCommand.InitPartitions(partitions)).thenAccept(r -> {
            if (r instanceof ControllerResult.Error e) {
                LOG.error("controller refused partitions={}: {} ({})", partitions, e.message(), e.code());
                throw new BrokerException(e.code(), e.message());
            }
            initialized = true;
        });
    }

    /** Proposes the controller's housekeeping tick (expiry of deleted-name tombstones). */
    public CompletableFuture<ControllerResult> tick() {
        return submit(new ControllerCommand.Tick());
    }

    @Override
    public CompletableFuture<List<Integer>> place(String queueName, int shards) {
        return initialize().thenCompose(v -> submit(new ControllerCommand.PlaceQueue(queueName, shards))).thenApply(r -> {
            if (r instanceof ControllerResult.Placed placed) {
                cache(queueName, placed.partitions());
                return placed.partitions();
            }
            throw failure(r);
        });
    }

    @Override
    public CompletableFuture<Void> unplace(String queueName, long recreateDelayMs) {
        cache.remove(queueName);
        return submit(new ControllerCommand.UnplaceQueue(queueName, recreateDelayMs)).thenAccept(r -> {
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
            if (ControllerCodec.decodeQueryResult(node.localRead(ReplicaGroupId.CONTROLLER, ControllerCodec.encodeQuery(query)))
                    instanceof ControllerQueryResult.Found found) {
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
        return read(new ControllerQuery.LookupQueue(queueName)).thenApply(r -> {
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
    public CompletableFuture<QueryResult.QueueList> list(String prefix, String nextToken, Integer maxResults) {
        int limit = maxResults == null ? Limits.MAX_LIST_QUEUES_RESULTS : maxResults;
        ControllerQuery q = new ControllerQuery.ListPlacements(prefix == null ? "" : prefix, nextToken == null ? "" : nextToken, limit);
        return read(q).thenApply(r -> {
            if (r instanceof ControllerQueryResult.PlacementList list) {
                return new QueryResult.QueueList(list.placements().stream().map(p -> QueueUrls.of(p.name())).toList(),
                        list.nextStartAfter());
            }
            throw failure(r);
        });
    }

    @Override
    public int partitionCount() {
        return partitions;
    }

    private CompletableFuture<ControllerQueryResult> read(ControllerQuery q) {
        return node.read(ReplicaGroupId.CONTROLLER, ControllerCodec.encodeQuery(q)).thenApply(ControllerCodec::decodeQueryResult);
    }

    private void cache(String name, List<Integer> partitions) {
        if (cache.size() < MAX_CACHED) {
            cache.put(name, partitions);
        }
    }

    private static BrokerException failure(Object r) {
        if (r instanceof ControllerResult.Error e) {
            return new BrokerException(e.code(), e.message());
        }
        if (r instanceof ControllerQueryResult.Error e) {
            return new BrokerException(e.code(), e.message());
        }
        return new BrokerException(ErrorCode.INTERNAL_ERROR, "unexpected controller answer " + r);
    }
}
