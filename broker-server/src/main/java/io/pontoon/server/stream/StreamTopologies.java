package io.pontoon.server.stream;

import io.pontoon.core.controller.ControllerCommand;
import io.pontoon.core.controller.ControllerQuery;
import io.pontoon.core.controller.ControllerQueryResult;
import io.pontoon.core.controller.ControllerResult;
import io.pontoon.core.controller.StreamTopology;
import io.pontoon.core.error.BrokerException;
import io.pontoon.server.partition.ControllerClient;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Streams' topologies from the controller's "stream" namespace: proposals, and lookups answered from a short-lived
 * cache of ACTIVE topologies, else from this node's replica of the controller, else by a linearizable read. A stale
 * answer shows itself (a partition says the shard is closed or gone, or a shard or consumer is missing) and the caller
 * asks again with {@link #get(String, Predicate)} or {@link #fresh}. A stream that was deleted and created again is
 * told apart by its creation time.
 */
public final class StreamTopologies {
    private static final int MAX_CACHED = 10_000;
    private static final long TTL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private record Cached(StreamTopology topology, long atNanos) {
    }

    private final ControllerClient controller;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public StreamTopologies(ControllerClient controller) {
        this.controller = controller;
    }

    public CompletableFuture<StreamTopology> get(String name) {
        Cached c = cache.get(name);
        if (c != null && System.nanoTime() - c.atNanos() < TTL_NANOS) {
            return CompletableFuture.completedFuture(c.topology());
        }
        try {
            if (controller.localRead(new ControllerQuery.DescribeStream(name)) instanceof ControllerQueryResult.StreamFound f
                    && f.topology().status() == StreamTopology.Status.ACTIVE) {
                remember(f.topology());
                return CompletableFuture.completedFuture(f.topology());
            }
        } catch (RuntimeException e) {
            // the local replica is not open yet: ask the leader
        }
        return fresh(name);
    }

    /** As {@link #get(String)}, and when that answer does not satisfy {@code good} (it lacks a shard or consumer), the leader's. */
    public CompletableFuture<StreamTopology> get(String name, Predicate<StreamTopology> good) {
        return get(name).thenCompose(t -> good.test(t) ? CompletableFuture.completedFuture(t) : fresh(name));
    }

    /** The controller leader's current answer. */
    public CompletableFuture<StreamTopology> fresh(String name) {
        return controller.read(new ControllerQuery.DescribeStream(name)).thenApply(r -> {
            if (r instanceof ControllerQueryResult.StreamFound f) {
                remember(f.topology());
                return f.topology();
            }
            cache.remove(name);
            throw ControllerClient.failure(r);
        });
    }

    /** Proposes a stream command; the topology it leaves behind is remembered. */
    public CompletableFuture<StreamTopology> propose(ControllerCommand command) {
        return controller.submit(command).thenApply(r -> {
            if (r instanceof ControllerResult.StreamChanged c) {
                if (command instanceof ControllerCommand.ForgetStream) {
                    cache.remove(c.topology().name());
                } else {
                    remember(c.topology());
                }
                return c.topology();
            }
            throw ControllerClient.failure(r);
        });
    }

    public CompletableFuture<ControllerQueryResult.StreamNames> list(String startAfter, int limit) {
        return controller.read(new ControllerQuery.ListStreams(startAfter, limit)).thenApply(r -> {
            if (r instanceof ControllerQueryResult.StreamNames n) {
                return n;
            }
            throw ControllerClient.failure(r);
        });
    }

    /** This node's own replica's answer, without a round trip (pollers; may be behind). */
    public StreamTopology local(String name) {
        ControllerQueryResult r = controller.localRead(new ControllerQuery.DescribeStream(name));
        if (r instanceof ControllerQueryResult.StreamFound f) {
            return f.topology();
        }
        throw ControllerClient.failure(r);
    }

    public void invalidate(String name) {
        cache.remove(name);
    }

    /** Only ACTIVE topologies are cached (others change soon); a later one replaces an earlier, a recreated stream its predecessor. */
    private void remember(StreamTopology t) {
        if (t.status() != StreamTopology.Status.ACTIVE) {
            cache.remove(t.name());
            return;
        }
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.merge(t.name(), new Cached(t, System.nanoTime()), (old, now) -> newer(now.topology(), old.topology()) ? now : old);
    }

    private static boolean newer(StreamTopology a, StreamTopology b) {
        return a.createdAtMs() != b.createdAtMs() ? a.createdAtMs() > b.createdAtMs() : a.step() >= b.step();
    }

    /** Whether {@code e} (or its cause) is the controller saying the stream does not exist. */
    static boolean notFound(Throwable e) {
        Throwable c = e;
        while (c != null) {
            if (c instanceof BrokerException b && b.code() == io.pontoon.core.error.ErrorCode.RESOURCE_NOT_FOUND) {
                return true;
            }
            c = c.getCause();
        }
        return false;
    }
}
