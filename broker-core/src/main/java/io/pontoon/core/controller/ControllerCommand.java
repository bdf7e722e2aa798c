package io.pontoon.core.controller;

/** The closed set of commands of the controller (metadata) group's log, with fixed type ids. */
public sealed interface ControllerCommand {

    int typeId();

    /** Sets the partition count once; repeating it with the same count is a no-op. */
    record InitPartitions(int count) implements ControllerCommand {
        public static final int TYPE_ID = 1;
        public int typeId() { return TYPE_ID; }
    }

    /**
     * Assigns the queue to the {@code shards} partitions with the fewest queues (lowest id on ties; at most
     * all partitions); idempotent. Only a high-throughput FIFO queue has more than one shard.
     */
    record PlaceQueue(String name, int shards) implements ControllerCommand {
        public static final int TYPE_ID = 2;
        public PlaceQueue(String name) {
            this(name, 1);
        }
        public int typeId() { return TYPE_ID; }
    }

    /** Removes the placement and leaves a tombstone that blocks the name for deleteQueueRecreateDelayMs. */
    record UnplaceQueue(String name) implements ControllerCommand {
        public static final int TYPE_ID = 3;
        public int typeId() { return TYPE_ID; }
    }

    /** Housekeeping: removes a bounded number of expired tombstones. */
    record Tick() implements ControllerCommand {
        public static final int TYPE_ID = 4;
        public int typeId() { return TYPE_ID; }
    }
}
