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

/**
 * Streams' topologies from the controller's "stream" namespace: proposals, and lookups answered from a cache, then
 * from this node's replica of the controller, and only then by a linearizable read. A stale answer shows itself (a
 * partition says the shard is closed or gone) and the caller asks for a {@link #fresh} one.
 */
public final class StreamTopologies {
    private static final int MAX_CACHED = 10_000;
    private final ControllerClient controller;
    private final Map<String, StreamTopology> cache = new ConcurrentHashMap<>();

    public StreamTopologies(ControllerClient controller) {
        this.controller = controller;
    }

    public CompletableFuture<StreamTopology> get(String name) {
        StreamTopology cached = cache.get(name);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        try {
            if (controller.localRead(new ControllerQuery.DescribeStream(name)) instanceof ControllerQueryResult.StreamFound f) {
                remember(f.topology());
                return CompletableFuture.completedFuture(f.topology());
            }
        } catch (RuntimeException e) {
            // the local replica is not open yet: ask the leader
        }
        return fresh(name);
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

    /** Proposes a stream command; the topology it leaves behind is cached. */
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

    private void remember(StreamTopology t) {
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.merge(t.name(), t, (old, now) -> now.step() >= old.step() ? now : old);
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
