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
     * Assigns the queue to the {@code shards} least loaded partitions (queues and shards; lowest id on ties; at most
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

    // ---------------------------------------------------------------- streams (the "stream" placement namespace)

    /** Creates the stream's topology: {@code shardCount} shards of equal hash ranges, spread over the partitions. */
    record CreateStream(String name, int shardCount, int retentionHours, boolean enforceLimits, java.util.Map<String, String> tags)
            implements ControllerCommand {
        public static final int TYPE_ID = 5;
        public CreateStream {
            tags = java.util.Map.copyOf(tags);
        }
        public int typeId() { return TYPE_ID; }
    }

    /**
     * The orchestrating node created the step's shards on their partitions and closed their parents there: the step is
     * done. A later step (UpdateShardCount) is planned at once. Finishing a step that is not the current one is a no-op.
     */
    record FinishStreamStep(String name, long step, java.util.Map<String, Long> endingSeqs) implements ControllerCommand {
        public static final int TYPE_ID = 6;
        public FinishStreamStep {
            endingSeqs = java.util.Map.copyOf(endingSeqs);
        }
        public FinishStreamStep(String name, long step) {
            this(name, step, java.util.Map.of());
        }
        public int typeId() { return TYPE_ID; }
    }

    /** SplitShard, MergeShards or UpdateShardCount on an ACTIVE stream: plans the (first) reshard step. */
    record ReshardStream(String name, Reshard reshard) implements ControllerCommand {
        public static final int TYPE_ID = 7;
        public int typeId() { return TYPE_ID; }
    }

    /** A reshard request. */
    sealed interface Reshard {
        record Split(String shardId, java.math.BigInteger newStartingHashKey) implements Reshard {
        }

        record Merge(String shardId, String adjacentShardId) implements Reshard {
        }

        record Scale(int targetShardCount) implements Reshard {
        }
    }

    /** Marks the stream DELETING (its shards are deleted on their partitions, then it is forgotten). */
    record DeleteStream(String name, boolean enforceConsumerDeletion) implements ControllerCommand {
        public static final int TYPE_ID = 8;
        public int typeId() { return TYPE_ID; }
    }

    /** Removes a DELETING stream whose shards are gone; its name is free at once (as in AWS). */
    record ForgetStream(String name) implements ControllerCommand {
        public static final int TYPE_ID = 9;
        public int typeId() { return TYPE_ID; }
    }

    /**
     * Changes a stream's settings: retention ({@code retentionHours} 0 = unchanged; {@code increase} says which way it
     * must go, as Increase/DecreaseStreamRetentionPeriod), tags, and whether shard throughput limits apply (null = unchanged).
     */
    record UpdateStream(String name, int retentionHours, boolean increase, java.util.Map<String, String> addTags,
                        java.util.List<String> removeTagKeys, Boolean enforceLimits) implements ControllerCommand {
        public static final int TYPE_ID = 10;
        public UpdateStream {
            addTags = java.util.Map.copyOf(addTags);
            removeTagKeys = java.util.List.copyOf(removeTagKeys);
        }
        public int typeId() { return TYPE_ID; }
    }

    record RegisterConsumer(String stream, String consumer) implements ControllerCommand {
        public static final int TYPE_ID = 11;
        public int typeId() { return TYPE_ID; }
    }

    record DeregisterConsumer(String stream, String consumer) implements ControllerCommand {
        public static final int TYPE_ID = 12;
        public int typeId() { return TYPE_ID; }
    }

    // ---------------------------------------------------------------- topics (the "topic" placement namespace)

    /** Places the topic on the least loaded partition (idempotent); at most {@code Limits.MAX_TOPICS} topics. */
    record PlaceTopic(String name) implements ControllerCommand {
        public static final int TYPE_ID = 13;
        public int typeId() { return TYPE_ID; }
    }

    /** Removes the topic's placement (no tombstone: SNS lets a name be used again at once). Not found is success. */
    record UnplaceTopic(String name) implements ControllerCommand {
        public static final int TYPE_ID = 14;
        public int typeId() { return TYPE_ID; }
    }
}
