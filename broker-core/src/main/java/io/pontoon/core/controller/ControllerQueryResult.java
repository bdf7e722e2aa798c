package io.pontoon.core.controller;

import io.pontoon.core.error.ErrorCode;

import java.util.List;

/** Answers to {@link ControllerQuery}. */
public sealed interface ControllerQueryResult {

    int typeId();

    record Error(ErrorCode code, String message) implements ControllerQueryResult {
        public static final int TYPE_ID = 1;
        public int typeId() { return TYPE_ID; }
    }

    record Found(QueuePlacement placement) implements ControllerQueryResult {
        public static final int TYPE_ID = 2;
        public int typeId() { return TYPE_ID; }
    }

    /** @param nextStartAfter pass as startAfter for the next page; null when there are no more */
    record PlacementList(List<QueuePlacement> placements, String nextStartAfter) implements ControllerQueryResult {
        public static final int TYPE_ID = 3;
        public PlacementList {
            placements = List.copyOf(placements);
        }
        public int typeId() { return TYPE_ID; }
    }

    /** @param count 0 until InitPartitions was applied */
    record PartitionCountResult(int count) implements ControllerQueryResult {
        public static final int TYPE_ID = 4;
        public int typeId() { return TYPE_ID; }
    }

    /** @param partitions the queue's shards; the first one answers queue-level reads */
    record QueuePlacement(String name, List<Integer> partitions) {
        public QueuePlacement {
            partitions = List.copyOf(partitions);
        }

        public int partitionId() {
            return partitions.get(0);
        }
    }

    record StreamFound(StreamTopology topology) implements ControllerQueryResult {
        public static final int TYPE_ID = 5;
        public int typeId() { return TYPE_ID; }
    }

    record StreamNames(List<String> names, boolean hasMore) implements ControllerQueryResult {
        public static final int TYPE_ID = 6;
        public StreamNames {
            names = List.copyOf(names);
        }
        public int typeId() { return TYPE_ID; }
    }
}
