package io.pontoon.core.controller;

import java.util.List;

import io.pontoon.core.error.ErrorCode;

/** Outcomes of {@link ControllerCommand}s: values, never exceptions. */
public sealed interface ControllerResult {

    int typeId();

    record Error(ErrorCode code, String message) implements ControllerResult {
        public static final int TYPE_ID = 1;
        public int typeId() { return TYPE_ID; }
    }

    record PartitionsInitialized(int count) implements ControllerResult {
        public static final int TYPE_ID = 2;
        public int typeId() { return TYPE_ID; }
    }

    /**
     * @param partitions  the queue's shards (one partition for all but high-throughput FIFO queues)
     * @param newlyPlaced false when the queue was already placed (idempotent repeat)
     */
    record Placed(String name, List<Integer> partitions, boolean newlyPlaced) implements ControllerResult {
        public static final int TYPE_ID = 3;
        public Placed {
            partitions = List.copyOf(partitions);
        }
        /** The first shard: the queue's only partition unless it is a high-throughput FIFO queue. */
        public int partitionId() {
            return partitions.get(0);
        }
        public int typeId() { return TYPE_ID; }
    }

    record Unplaced(String name, List<Integer> partitions) implements ControllerResult {
        public static final int TYPE_ID = 4;
        public Unplaced {
            partitions = List.copyOf(partitions);
        }
        public int typeId() { return TYPE_ID; }
    }

    record Ticked(int tombstonesRemoved) implements ControllerResult {
        public static final int TYPE_ID = 5;
        public int typeId() { return TYPE_ID; }
    }

    /** A stream command applied: the stream's topology as it now stands. */
    record StreamChanged(StreamTopology topology) implements ControllerResult {
        public static final int TYPE_ID = 6;
        public int typeId() { return TYPE_ID; }
    }
}
