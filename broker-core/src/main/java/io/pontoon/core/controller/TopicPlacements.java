package io.pontoon.core.controller;

import io.pontoon.core.Limits;
import io.pontoon.core.controller.ControllerQueryResult.QueuePlacement;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.partition.StoreTxn;
import io.pontoon.core.partition.StoreView;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.pontoon.core.controller.ControllerKeys.*;

/**
 * The topic namespace of the controller: which partition hosts each topic. A topic's attributes and subscriptions
 * live on that partition (the topic model); the controller only knows names and places. Topics count toward a
 * partition's load like queues and shards.
 */
final class TopicPlacements {
    private TopicPlacements() {
    }

    static ControllerResult place(StoreTxn txn, String name) {
        Optional<byte[]> placed = txn.registryRecord(topic(name));
        if (placed.isPresent()) {
            return new ControllerResult.Placed(name, intsValue(placed.get()), false);
        }
        int count = ControllerStateMachine.partitionCount(txn);
        if (count == 0) {
            return new ControllerResult.Error(ErrorCode.SERVICE_UNAVAILABLE, "partitions are not initialized yet");
        }
        int topics = txn.registryRecord(TOPIC_COUNT).map(ControllerKeys::intValue).orElse(0);
        if (topics >= Limits.MAX_TOPICS) {
            return new ControllerResult.Error(ErrorCode.TOPIC_LIMIT_EXCEEDED,
                    "The cluster already has " + topics + " topics, the most it allows (" + Limits.MAX_TOPICS + ").");
        }
        List<Integer> target = ControllerStateMachine.leastLoaded(txn, count, 1);
        txn.putRegistryRecord(topic(name), intsValue(target));
        txn.putRegistryRecord(TOPIC_COUNT, intValue(topics + 1));
        int p = target.get(0);
        txn.putRegistryRecord(loadKey(p), intValue(ControllerStateMachine.load(txn, p) + 1));
        return new ControllerResult.Placed(name, target, true);
    }

    static ControllerResult unplace(StoreTxn txn, String name) {
        Optional<byte[]> placed = txn.registryRecord(topic(name));
        if (placed.isEmpty()) {
            return new ControllerResult.Unplaced(name, List.of());
        }
        List<Integer> partitions = intsValue(placed.get());
        txn.deleteRegistryRecord(topic(name));
        int topics = txn.registryRecord(TOPIC_COUNT).map(ControllerKeys::intValue).orElse(1);
        txn.putRegistryRecord(TOPIC_COUNT, intValue(Math.max(0, topics - 1)));
        partitions.forEach(p -> txn.putRegistryRecord(loadKey(p), intValue(Math.max(0, ControllerStateMachine.load(txn, p) - 1))));
        return new ControllerResult.Unplaced(name, partitions);
    }

    static ControllerQueryResult lookup(StoreView view, String name) {
        return view.registryRecord(topic(name))
                .<ControllerQueryResult>map(b -> new ControllerQueryResult.Found(new QueuePlacement(name, intsValue(b))))
                .orElseGet(() -> new ControllerQueryResult.Error(ErrorCode.NOT_FOUND, "Topic does not exist: " + name));
    }

    static ControllerQueryResult list(StoreView view, String startAfter, int limit) {
        int n = Math.max(1, Math.min(limit, Limits.MAX_LIST_PLACEMENTS));
        String after = startAfter == null || startAfter.isEmpty() ? "" : topic(startAfter);
        List<Map.Entry<String, byte[]>> rows = view.registryRecords(TOPIC_PREFIX, after, n + 1);
        List<QueuePlacement> out = new ArrayList<>();
        for (Map.Entry<String, byte[]> row : rows.subList(0, Math.min(n, rows.size()))) {
            out.add(new QueuePlacement(row.getKey().substring(TOPIC_PREFIX.length()), intsValue(row.getValue())));
        }
        return new ControllerQueryResult.PlacementList(out, rows.size() > n ? out.get(out.size() - 1).name() : null);
    }
}
