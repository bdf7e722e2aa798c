package io.pontoon.client;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.pontoon.api.v1.ClusterGrpc;
import io.pontoon.api.v1.GetRoutingTableRequest;
import io.pontoon.api.v1.GetRoutingTableResponse;
import io.pontoon.api.v1.LookupQueueRequest;
import io.pontoon.api.v1.NodeInfo;
import io.pontoon.api.v1.NotLeaderDetail;
import io.pontoon.api.v1.PartitionInfo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Routing state of a client: one channel per node address, the cached routing table and the
 * queue-name → partition cache. Thread-safe.
 */
final class Router implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Router.class.getName());
    /** Minimum spacing of forced refreshes, so a burst of failures does not storm the cluster. */
    static final long MIN_FORCED_REFRESH_INTERVAL_MS = 100;

    /** Immutable snapshot of the routing table. */
    record Table(Map<String, String> nodeAddresses, Map<String, PartitionInfo> partitions, long epoch,
                 String controllerPartitionId, long fetchedAtNanos) {
        static Table of(GetRoutingTableResponse r, long now) {
            Map<String, String> nodes = new HashMap<>();
            for (NodeInfo n : r.getNodesList()) {
                if (!n.getClientAddress().isEmpty()) nodes.put(n.getNodeId(), n.getClientAddress());
            }
            Map<String, PartitionInfo> parts = new HashMap<>();
            for (PartitionInfo p : r.getPartitionsList()) parts.put(p.getPartitionId(), p);
            return new Table(Map.copyOf(nodes), Map.copyOf(parts), r.getEpoch(), r.getControllerPartitionId(), now);
        }
    }

    private final ClientConfig config;
    private final Function<String, ManagedChannel> channelFactory;
    private final ConcurrentHashMap<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> queuePartitions = new ConcurrentHashMap<>();
    private final AtomicInteger roundRobin = new AtomicInteger();
    private final Object refreshLock = new Object();
    private volatile Table table;
    private volatile long lastRefreshAttemptNanos;
    private volatile boolean closed;

    Router(ClientConfig config, Function<String, ManagedChannel> channelFactory) {
        this.config = config;
        this.channelFactory = channelFactory;
    }

    ManagedChannel channel(String address) {
        if (closed) throw new IllegalStateException("client is closed");
        return channels.computeIfAbsent(address, channelFactory);
    }

    Table table() {
        return table;
    }

    /** All addresses known: the routing table's nodes, then the bootstrap endpoints. */
    List<String> knownAddresses() {
        LinkedHashSet<String> all = new LinkedHashSet<>();
        Table t = table;
        if (t != null) all.addAll(new java.util.TreeMap<>(t.nodeAddresses()).values());
        all.addAll(config.bootstrap());
        return new ArrayList<>(all);
    }

    /**
     * The address to send a request to: the leader of the route's partition when known and not in
     * {@code avoid}, else another known node (round robin, preferring ones not in {@code avoid}).
     */
    String pick(Route route, Set<String> avoid) {
        ensureFresh();
        String partition = switch (route.kind()) {
            case QUEUE -> partitionOf(route.queueName(), avoid);
            case PARTITION -> route.queueName();
            case CONTROLLER -> {
                Table t = table;
                yield t == null || t.controllerPartitionId().isEmpty() ? null : t.controllerPartitionId();
            }
            case ANY -> null;
        };
        String leader = leaderAddress(partition);
        if (leader != null && !avoid.contains(leader)) return leader;
        return pickAny(avoid);
    }

    String leaderAddress(String partitionId) {
        Table t = table;
        if (partitionId == null || t == null) return null;
        PartitionInfo p = t.partitions().get(partitionId);
        if (p == null || p.getLeaderNodeId().isEmpty()) return null;
        return t.nodeAddresses().get(p.getLeaderNodeId());
    }

    String pickAny(Collection<String> avoid) {
        List<String> all = knownAddresses();
        List<String> preferred = new ArrayList<>(all);
        preferred.removeAll(avoid);
        List<String> from = preferred.isEmpty() ? all : preferred;
        return from.get(Math.floorMod(roundRobin.getAndIncrement(), from.size()));
    }

    /** The cached partition of a queue, looked up (one attempt, any node) on a miss; null if unknown. */
    String partitionOf(String queueName, Set<String> avoid) {
        String cached = queuePartitions.get(queueName);
        if (cached != null) return cached;
        String address = pickAny(avoid);
        try {
            String partition = ClusterGrpc.newBlockingStub(channel(address))
                    .withDeadlineAfter(config.requestTimeoutMs(), TimeUnit.MILLISECONDS)
                    .lookupQueue(LookupQueueRequest.newBuilder().setQueueName(queueName).build())
                    .getPartitionId();
            if (partition.isEmpty()) return null;
            queuePartitions.put(queueName, partition);
            return partition;
        } catch (StatusRuntimeException e) {
            // Unknown queue or unreachable node: route to any node, which forwards or answers authoritatively.
            LOG.log(System.Logger.Level.DEBUG, "LookupQueue({0}) via {1} failed: {2}", queueName, address, e.getStatus());
            return null;
        }
    }

    void forgetQueue(String queueName) {
        if (queueName != null) queuePartitions.remove(queueName);
    }

    Map<String, String> cachedQueuePartitions() {
        return Collections.unmodifiableMap(queuePartitions);
    }

    private void ensureFresh() {
        Table t = table;
        if (t == null || System.nanoTime() - t.fetchedAtNanos() > TimeUnit.MILLISECONDS.toNanos(config.routingRefreshIntervalMs())) {
            refresh(false);
        }
    }

    /**
     * Fetches the routing table from the first node that answers. A forced refresh is skipped if one
     * was attempted in the last {@value #MIN_FORCED_REFRESH_INTERVAL_MS} ms. Never throws.
     *
     * @return true if a table was fetched
     */
    boolean refresh(boolean force) {
        synchronized (refreshLock) {
            long now = System.nanoTime();
            Table t = table;
            boolean fresh = t != null && now - t.fetchedAtNanos() <= TimeUnit.MILLISECONDS.toNanos(config.routingRefreshIntervalMs());
            if (!force && fresh) return false;
            if (lastRefreshAttemptNanos != 0
                    && now - lastRefreshAttemptNanos < TimeUnit.MILLISECONDS.toNanos(MIN_FORCED_REFRESH_INTERVAL_MS)) {
                return false;
            }
            lastRefreshAttemptNanos = now;
            List<String> candidates = knownAddresses();
            Collections.rotate(candidates, -Math.floorMod(roundRobin.getAndIncrement(), candidates.size()));
            long timeout = Math.min(config.requestTimeoutMs(), 5_000);
            for (String address : candidates) {
                if (closed) return false;
                try {
                    GetRoutingTableResponse r = ClusterGrpc.newBlockingStub(channel(address))
                            .withDeadlineAfter(timeout, TimeUnit.MILLISECONDS)
                            .getRoutingTable(GetRoutingTableRequest.getDefaultInstance());
                    Table current = table;
                    if (current == null || r.getEpoch() >= current.epoch()) {
                        table = Table.of(r, System.nanoTime());
                    } else {
                        // Stale answer (a lagging node): keep ours but count it as fresh.
                        table = new Table(current.nodeAddresses(), current.partitions(), current.epoch(),
                                current.controllerPartitionId(), System.nanoTime());
                    }
                    return true;
                } catch (StatusRuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "GetRoutingTable via {0} failed: {1}", address, e.getStatus());
                }
            }
            return false;
        }
    }

    /** Applies a server's not-leader hint to the cached table. */
    void onNotLeader(NotLeaderDetail hint) {
        if (hint == null || hint.getPartitionId().isEmpty()) return;
        synchronized (refreshLock) {
            Table t = table;
            if (t == null) return;
            PartitionInfo old = t.partitions().get(hint.getPartitionId());
            if (old != null && hint.getLeaderTerm() < old.getLeaderTerm()) return;
            PartitionInfo.Builder p = old == null
                    ? PartitionInfo.newBuilder().setPartitionId(hint.getPartitionId()) : old.toBuilder();
            p.setLeaderNodeId(hint.getLeaderNodeId()).setLeaderTerm(hint.getLeaderTerm());
            Map<String, PartitionInfo> parts = new HashMap<>(t.partitions());
            parts.put(hint.getPartitionId(), p.build());
            Map<String, String> nodes = t.nodeAddresses();
            if (!hint.getLeaderNodeId().isEmpty() && !hint.getLeaderClientAddress().isEmpty()) {
                nodes = new HashMap<>(nodes);
                nodes.put(hint.getLeaderNodeId(), hint.getLeaderClientAddress());
            }
            table = new Table(Map.copyOf(nodes), Map.copyOf(parts), t.epoch(), t.controllerPartitionId(), t.fetchedAtNanos());
        }
    }

    @Override
    public void close() {
        closed = true;
        for (ManagedChannel ch : channels.values()) ch.shutdown();
        for (ManagedChannel ch : channels.values()) {
            try {
                if (!ch.awaitTermination(2, TimeUnit.SECONDS)) ch.shutdownNow();
            } catch (InterruptedException e) {
                ch.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        channels.clear();
    }
}
