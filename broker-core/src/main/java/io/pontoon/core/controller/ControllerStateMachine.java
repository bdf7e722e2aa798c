package io.pontoon.core.controller;

import io.pontoon.core.partition.EntryFrame;
import io.pontoon.core.Limits;
import io.pontoon.core.controller.ControllerQueryResult.QueuePlacement;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.stream.HashKeys;
import io.pontoon.core.stream.StreamValidator;
import io.pontoon.core.partition.PartitionStore;
import io.pontoon.core.partition.StoreTxn;
import io.pontoon.core.partition.StoreView;
import io.pontoon.core.queue.QueueValidator;
import io.pontoon.core.topic.TopicValidator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.pontoon.core.controller.ControllerKeys.*;

/**
 * The controller group's deterministic state machine: the partition count, queue placement onto partitions, and the
 * stream namespace (StreamCatalog: topologies, shard placement, reshard steps, consumers). Same contract as
 * {@link io.pontoon.core.partition.PartitionStateMachine}: pure in (state, commands, index, leader time), one txn per
 * entry, replayed indexes ignored, effective time never runs backward. State lives in the registry table.
 */
public final class ControllerStateMachine {

    public List<ControllerResult> apply(PartitionStore store, List<ControllerCommand> commands, long index, long term, long leaderTimeMs) {
        return EntryFrame.apply(store, commands.size(), index, term, leaderTimeMs, (txn, before, now) -> {
            List<ControllerResult> results = new ArrayList<>(commands.size());
            for (ControllerCommand c : commands) {
                results.add(applyOne(txn, c, now));
            }
            return new EntryFrame.Applied<>(results, before.nextSeq());
        });
    }

    public ControllerQueryResult query(StoreView view, ControllerQuery query, long nowMs) {
        return switch (query) {
            case ControllerQuery.LookupQueue l -> view.registryRecord(placement(l.name()))
                    .<ControllerQueryResult>map(b -> new ControllerQueryResult.Found(new QueuePlacement(l.name(), intsValue(b))))
                    .orElseGet(() -> new ControllerQueryResult.Error(ErrorCode.NON_EXISTENT_QUEUE, "The specified queue does not exist."));
            case ControllerQuery.ListPlacements l -> list(view, l);
            case ControllerQuery.PartitionCount p -> new ControllerQueryResult.PartitionCountResult(partitionCount(view));
            case ControllerQuery.DescribeStream d -> StreamCatalog.query(view, d);
            case ControllerQuery.ListStreams l -> StreamCatalog.query(view, l);
            case ControllerQuery.LookupTopic l -> TopicPlacements.lookup(view, l.name());
            case ControllerQuery.ListTopics l -> TopicPlacements.list(view, l.startAfter(), l.limit());
        };
    }

    private ControllerResult applyOne(StoreTxn txn, ControllerCommand command, long now) {
        try {
            validate(command);
        } catch (BrokerException e) {
            return new ControllerResult.Error(e.code(), e.getMessage());
        }
        return switch (command) {
            case ControllerCommand.InitPartitions i -> init(txn, i.count());
            case ControllerCommand.PlaceQueue p -> place(txn, p.name(), p.shards(), now);
            case ControllerCommand.UnplaceQueue u -> unplace(txn, u.name(), u.recreateDelayMs(), now);
            case ControllerCommand.Tick t -> sweepTombstones(txn, now);
            case ControllerCommand.CreateStream c -> StreamCatalog.apply(txn, c, now);
            case ControllerCommand.FinishStreamStep f -> StreamCatalog.apply(txn, f, now);
            case ControllerCommand.ReshardStream r -> StreamCatalog.apply(txn, r, now);
            case ControllerCommand.DeleteStream d -> StreamCatalog.apply(txn, d, now);
            case ControllerCommand.ForgetStream f -> StreamCatalog.apply(txn, f, now);
            case ControllerCommand.UpdateStream u -> StreamCatalog.apply(txn, u, now);
            case ControllerCommand.RegisterConsumer r -> StreamCatalog.apply(txn, r, now);
            case ControllerCommand.DeregisterConsumer d -> StreamCatalog.apply(txn, d, now);
            case ControllerCommand.PlaceTopic p -> TopicPlacements.place(txn, p.name());
            case ControllerCommand.UnplaceTopic u -> TopicPlacements.unplace(txn, u.name());
        };
    }

    /** Stateless checks; the server runs them before replication, apply re-runs them. */
    public static void validate(ControllerCommand command) {
        switch (command) {
            case ControllerCommand.InitPartitions i -> {
                if (i.count() < 1 || i.count() > Limits.MAX_PARTITIONS) {
                    throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE, "partition count must be 1.." + Limits.MAX_PARTITIONS);
                }
            }
            case ControllerCommand.PlaceQueue p -> {
                QueueValidator.queueName(p.name());
                if (p.shards() < 1 || p.shards() > Limits.MAX_PARTITIONS) {
                    throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE, "shards must be 1.." + Limits.MAX_PARTITIONS);
                }
            }
            case ControllerCommand.UnplaceQueue u -> {
                QueueValidator.queueName(u.name());
                if (u.recreateDelayMs() < 0 || u.recreateDelayMs() > Limits.MAX_QUEUE_RECREATE_DELAY_MS) {
                    throw new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE, "recreate delay must be 0.." + Limits.MAX_QUEUE_RECREATE_DELAY_MS + " ms");
                }
            }
            case ControllerCommand.Tick t -> {
            }
            case ControllerCommand.CreateStream c -> {
                StreamValidator.streamName(c.name());
                if (c.shardCount() < 1 || c.shardCount() > Limits.MAX_SHARDS_PER_STREAM) {
                    throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "ShardCount must be 1 to " + Limits.MAX_SHARDS_PER_STREAM + ", got " + c.shardCount() + ".");
                }
                StreamValidator.retentionHours(c.retentionHours());
                StreamValidator.tags(c.tags());
            }
            case ControllerCommand.FinishStreamStep f -> StreamValidator.streamName(f.name());
            case ControllerCommand.ReshardStream r -> {
                StreamValidator.streamName(r.name());
                switch (r.reshard()) {
                    case ControllerCommand.Reshard.Split s -> {
                        StreamValidator.shardId(s.shardId());
                        if (s.newStartingHashKey().signum() < 0 || s.newStartingHashKey().compareTo(HashKeys.MAX) > 0) {
                            throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "NewStartingHashKey must be from 0 to 2^128 - 1.");
                        }
                    }
                    case ControllerCommand.Reshard.Merge m -> {
                        StreamValidator.shardId(m.shardId());
                        StreamValidator.shardId(m.adjacentShardId());
                    }
                    case ControllerCommand.Reshard.Scale sc -> {
                        if (sc.targetShardCount() < 1 || sc.targetShardCount() > Limits.MAX_SHARDS_PER_STREAM) {
                            throw new BrokerException(ErrorCode.INVALID_ARGUMENT, "TargetShardCount must be 1 to " + Limits.MAX_SHARDS_PER_STREAM + ".");
                        }
                    }
                }
            }
            case ControllerCommand.DeleteStream d -> StreamValidator.streamName(d.name());
            case ControllerCommand.ForgetStream f -> StreamValidator.streamName(f.name());
            case ControllerCommand.UpdateStream u -> {
                StreamValidator.streamName(u.name());
                if (u.retentionHours() != 0) {
                    StreamValidator.retentionHours(u.retentionHours());
                }
                StreamValidator.tags(u.addTags());
                if (!u.removeTagKeys().isEmpty()) {
                    StreamValidator.tagKeys(u.removeTagKeys());
                }
            }
            case ControllerCommand.RegisterConsumer r -> {
                StreamValidator.streamName(r.stream());
                StreamValidator.consumerName(r.consumer());
            }
            case ControllerCommand.DeregisterConsumer d -> {
                StreamValidator.streamName(d.stream());
                StreamValidator.consumerName(d.consumer());
            }
            case ControllerCommand.PlaceTopic p -> TopicValidator.topicName(p.name());
            case ControllerCommand.UnplaceTopic u -> TopicValidator.topicName(u.name());
        }
    }

    private ControllerResult init(StoreTxn txn, int count) {
        int existing = partitionCount(txn);
        if (existing == 0) {
            txn.putRegistryRecord(PARTITION_COUNT, intValue(count));
            return new ControllerResult.PartitionsInitialized(count);
        }
        return existing == count
                ? new ControllerResult.PartitionsInitialized(count)
                : new ControllerResult.Error(ErrorCode.INVALID_PARAMETER_VALUE,
                "partition count is already " + existing + " and cannot change to " + count);
    }

    private ControllerResult place(StoreTxn txn, String name, int shards, long now) {
        Optional<byte[]> placed = txn.registryRecord(placement(name));
        if (placed.isPresent()) {
            return new ControllerResult.Placed(name, intsValue(placed.get()), false);
        }
        Optional<byte[]> tomb = txn.registryRecord(tombstone(name));
        if (tomb.isPresent() && now < tombstoneExpiry(tomb.get())) {
            return new ControllerResult.Error(ErrorCode.QUEUE_DELETED_RECENTLY, "You must wait "
                    + (tombstoneExpiry(tomb.get()) - now + 999) / 1000 + " more seconds after deleting a queue before you can create another with the same name.");
        }
        int count = partitionCount(txn);
        if (count == 0) {
            return new ControllerResult.Error(ErrorCode.SERVICE_UNAVAILABLE, "partitions are not initialized yet");
        }
        tomb.ifPresent(t -> txn.deleteRegistryRecord(tombstone(name)));
        List<Integer> targets = leastLoaded(txn, count, Math.min(shards, count));
        txn.putRegistryRecord(placement(name), intsValue(targets));
        targets.forEach(p -> txn.putRegistryRecord(loadKey(p), intValue(load(txn, p) + 1)));
        return new ControllerResult.Placed(name, targets, true);
    }

    private ControllerResult unplace(StoreTxn txn, String name, long recreateDelayMs, long now) {
        Optional<byte[]> placed = txn.registryRecord(placement(name));
        if (placed.isEmpty()) {
            return new ControllerResult.Error(ErrorCode.NON_EXISTENT_QUEUE, "The specified queue does not exist.");
        }
        List<Integer> partitions = intsValue(placed.get());
        txn.deleteRegistryRecord(placement(name));
        partitions.forEach(p -> txn.putRegistryRecord(loadKey(p), intValue(Math.max(0, load(txn, p) - 1))));
        txn.putRegistryRecord(tombstone(name), java.nio.ByteBuffer.allocate(2 * Long.BYTES).putLong(now).putLong(recreateDelayMs).array());
        return new ControllerResult.Unplaced(name, partitions);
    }

    /**
     * When a tombstone stops blocking its name: (deletion time, delay), or only the deletion time in tombstones
     * written before the delay was carried by UnplaceQueue, which blocked for the default 60 s.
     */
    private static long tombstoneExpiry(byte[] value) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(value);
        long deletedAt = b.getLong();
        return deletedAt + (b.remaining() >= Long.BYTES ? b.getLong() : Limits.DEFAULT_QUEUE_RECREATE_DELAY_MS);
    }

    /** Scans from the first tombstone; live ones are skipped and expire within the recreate delay, so all are eventually removed. */
    private ControllerResult sweepTombstones(StoreTxn txn, long now) {
        int removed = 0;
        for (Map.Entry<String, byte[]> e : txn.registryRecords(TOMBSTONE_PREFIX, "", Limits.MAX_TOMBSTONES_SWEPT_PER_TICK)) {
            if (now >= tombstoneExpiry(e.getValue())) {
                txn.deleteRegistryRecord(e.getKey());
                removed++;
            }
        }
        return new ControllerResult.Ticked(removed);
    }

    /** The {@code n} least loaded partitions (queues and stream shards placed on each), lowest id first on ties. O(partitions) reads, bounded by Limits.MAX_PARTITIONS. */
    static List<Integer> leastLoaded(StoreView view, int count, int n) {
        List<int[]> loads = new ArrayList<>(count);
        for (int p = 0; p < count; p++) {
            loads.add(new int[]{load(view, p), p});
        }
        loads.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]));
        return loads.subList(0, n).stream().map(x -> x[1]).toList();
    }

    static int load(StoreView view, int partitionId) {
        return view.registryRecord(loadKey(partitionId)).map(ControllerKeys::intValue).orElse(0);
    }

    static int partitionCount(StoreView view) {
        return view.registryRecord(PARTITION_COUNT).map(ControllerKeys::intValue).orElse(0);
    }

    private static ControllerQueryResult list(StoreView view, ControllerQuery.ListPlacements l) {
        int limit = Math.max(1, Math.min(l.limit(), Limits.MAX_LIST_PLACEMENTS));
        String startAfter = l.startAfter() == null || l.startAfter().isEmpty() ? "" : placement(l.startAfter());
        String prefix = PLACEMENT_PREFIX + (l.prefix() == null ? "" : l.prefix());
        List<Map.Entry<String, byte[]>> rows = view.registryRecords(prefix, startAfter, limit + 1);
        List<QueuePlacement> out = new ArrayList<>();
        for (Map.Entry<String, byte[]> row : rows.subList(0, Math.min(limit, rows.size()))) {
            out.add(new QueuePlacement(row.getKey().substring(PLACEMENT_PREFIX.length()), intsValue(row.getValue())));
        }
        String next = rows.size() > limit ? out.get(out.size() - 1).name() : null;
        return new ControllerQueryResult.PlacementList(out, next);
    }
}
