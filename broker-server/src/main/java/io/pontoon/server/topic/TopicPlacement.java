package io.pontoon.server.topic;

import io.pontoon.core.controller.ControllerCommand;
import io.pontoon.core.controller.ControllerQuery;
import io.pontoon.core.controller.ControllerQueryResult;
import io.pontoon.core.controller.ControllerResult;
import io.pontoon.server.partition.ControllerClient;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Which partition hosts each topic: the controller's topic namespace, cached (at most {@link #MAX_CACHED} names). */
final class TopicPlacement {
    static final int MAX_CACHED = 100_000;
    private final ControllerClient controller;
    private final Map<String, Integer> cache = new ConcurrentHashMap<>();

    TopicPlacement(ControllerClient controller) {
        this.controller = controller;
    }

    CompletableFuture<Integer> place(String name) {
        return controller.submit(new ControllerCommand.PlaceTopic(name)).thenApply(r -> {
            if (!(r instanceof ControllerResult.Placed p)) {
                throw ControllerClient.failure(r);
            }
            remember(name, p.partitionId());
            return p.partitionId();
        });
    }

    CompletableFuture<Void> unplace(String name) {
        cache.remove(name);
        return controller.submit(new ControllerCommand.UnplaceTopic(name)).thenAccept(r -> {
            if (!(r instanceof ControllerResult.Unplaced)) {
                throw ControllerClient.failure(r);
            }
        });
    }

    /** The topic's partition: from the cache, this node's controller replica, or the controller's leader. NotFound if none. */
    CompletableFuture<Integer> lookup(String name) {
        Integer cached = cache.get(name);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        ControllerQueryResult local = controller.localRead(new ControllerQuery.LookupTopic(name));
        if (local instanceof ControllerQueryResult.Found f) {
            remember(name, f.placement().partitions().get(0));
            return CompletableFuture.completedFuture(f.placement().partitions().get(0));
        }
        return fresh(name);
    }

    /** The controller leader's answer, never a cache's. */
    CompletableFuture<Integer> fresh(String name) {
        return controller.read(new ControllerQuery.LookupTopic(name)).thenApply(r -> {
            if (!(r instanceof ControllerQueryResult.Found f)) {
                cache.remove(name);
                throw ControllerClient.failure(r);
            }
            remember(name, f.placement().partitions().get(0));
            return f.placement().partitions().get(0);
        });
    }

    CompletableFuture<ControllerQueryResult.PlacementList> list(String startAfter, int limit) {
        return controller.read(new ControllerQuery.ListTopics(startAfter, limit)).thenApply(r -> {
            if (!(r instanceof ControllerQueryResult.PlacementList l)) {
                throw ControllerClient.failure(r);
            }
            return l;
        });
    }

    private void remember(String name, int partition) {
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(name, partition);
    }
}
