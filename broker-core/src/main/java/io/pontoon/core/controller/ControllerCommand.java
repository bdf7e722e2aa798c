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

    /**
     * Removes the placement and leaves a tombstone that blocks the name for {@code recreateDelayMs} (AWS: 60 s): the
     * proposing node's setting, carried in the command so that every replica keeps the same tombstone.
     */
    record UnplaceQueue(String name, long recreateDelayMs) implements ControllerCommand {
        public static final int TYPE_ID = 3;
        public UnplaceQueue(String name) {
            this(name, io.pontoon.core.Limits.DEFAULT_QUEUE_RECREATE_DELAY_MS);
        }
        public int typeId() { return TYPE_ID; }
    }

    /** Housekeeping: removes a bounded number of expired tombstones. */
    record Tick() implements ControllerCommand {
        public static final int TYPE_ID = 4;
        public int typeId() { return TYPE_ID; }
    }
}
