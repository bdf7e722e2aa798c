package io.pontoon.core.controller;

import io.pontoon.core.Limits;
import io.pontoon.core.controller.ControllerCommand.Reshard;
import io.pontoon.core.controller.StreamTopology.ConsumerInfo;
import io.pontoon.core.controller.StreamTopology.ShardInfo;
import io.pontoon.core.controller.StreamTopology.ShardState;
import io.pontoon.core.controller.StreamTopology.Status;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.partition.StoreTxn;
import io.pontoon.core.partition.StoreView;
import io.pontoon.core.stream.HashKeys;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import static io.pontoon.core.controller.ControllerKeys.*;

/**
 * The controller's stream namespace: streams' topologies, and the reshard steps that change them. Pure in (state,
 * command, leader time), as the rest of the controller. Shard uids come from a counter in the controller's state, and
 * each new shard goes to the partition with the least load (queues and shards placed there).
 */
final class StreamCatalog {
    private static final long DAY_MS = 86_400_000L;
    private static final int MAX_SCALINGS_PER_DAY = 10;

    private StreamCatalog() {
    }

    static ControllerResult apply(StoreTxn txn, ControllerCommand command, long now) {
        return switch (command) {
            case ControllerCommand.CreateStream c -> create(txn, c, now);
            case ControllerCommand.FinishStreamStep f -> withStream(txn, f.name(), t -> finish(txn, t, f.step(), f.endingSeqs()));
            case ControllerCommand.ReshardStream r -> withStream(txn, r.name(), t -> reshard(txn, t, r.reshard(), now));
            case ControllerCommand.DeleteStream d -> withStream(txn, d.name(), t -> delete(txn, t, d.enforceConsumerDeletion()));
            case ControllerCommand.ForgetStream f -> withStream(txn, f.name(), t -> forget(txn, t));
            case ControllerCommand.UpdateStream u -> withStream(txn, u.name(), t -> update(txn, t, u));
            case ControllerCommand.RegisterConsumer r -> withStream(txn, r.stream(), t -> register(txn, t, r.consumer(), now));
            case ControllerCommand.DeregisterConsumer d -> withStream(txn, d.stream(), t -> deregister(txn, t, d.consumer()));
            default -> throw new IllegalArgumentException("not a stream command: " + command);
        };
    }

    static ControllerQueryResult query(StoreView view, ControllerQuery query) {
        return switch (query) {
            case ControllerQuery.DescribeStream d -> view.registryRecord(stream(d.name()))
                    .<ControllerQueryResult>map(b -> new ControllerQueryResult.StreamFound(StreamTopology.decode(b)))
                    .orElseGet(() -> new ControllerQueryResult.Error(ErrorCode.RESOURCE_NOT_FOUND, notFound(d.name())));
            case ControllerQuery.ListStreams l -> {
                int limit = Math.max(1, Math.min(l.limit(), Limits.MAX_LIST_STREAMS_RESULTS));
                String after = l.startAfter() == null || l.startAfter().isEmpty() ? "" : stream(l.startAfter());
                List<Map.Entry<String, byte[]>> rows = view.registryRecords(STREAM_PREFIX, after, limit + 1);
                List<String> names = rows.stream().limit(limit).map(e -> e.getKey().substring(STREAM_PREFIX.length())).toList();
                yield new ControllerQueryResult.StreamNames(names, rows.size() > limit);
            }
            default -> throw new IllegalArgumentException("not a stream query: " + query);
        };
    }

    private interface Change {
        ControllerResult apply(StreamTopology t);
    }

    private static ControllerResult withStream(StoreTxn txn, String name, Change change) {
        Optional<byte[]> stored = txn.registryRecord(stream(name));
        if (stored.isEmpty()) {
            return new ControllerResult.Error(ErrorCode.RESOURCE_NOT_FOUND, notFound(name));
        }
        return change.apply(StreamTopology.decode(stored.get()));
    }

    private static ControllerResult save(StoreTxn txn, StreamTopology t) {
        txn.putRegistryRecord(stream(t.name()), StreamTopology.encode(t));
        return new ControllerResult.StreamChanged(t);
    }

    private static ControllerResult create(StoreTxn txn, ControllerCommand.CreateStream c, long now) {
        if (txn.registryRecord(stream(c.name())).isPresent()) {
            return new ControllerResult.Error(ErrorCode.RESOURCE_IN_USE, "Stream " + c.name() + " under account 000000000000 already exists.");
        }
        int partitions = ControllerStateMachine.partitionCount(txn);
        if (partitions == 0) {
            return new ControllerResult.Error(ErrorCode.SERVICE_UNAVAILABLE, "partitions are not initialized yet");
        }
        List<ShardInfo> shards = new ArrayList<>(c.shardCount());
        for (int i = 0; i < c.shardCount(); i++) {
            BigInteger[] range = HashKeys.uniformRange(i, c.shardCount());
            shards.add(newShard(txn, partitions, i, range[0], range[1], null, null));
        }
        StreamTopology t = new StreamTopology(c.name(), now, Status.CREATING, c.retentionHours(), c.enforceLimits(), c.shardCount(), shards,
                new TreeMap<>(c.tags()), List.of(), 0, List.of(), 1);
        return save(txn, t);
    }

    /** A new shard (CREATING) with the next uid, on the least loaded partition. */
    private static ShardInfo newShard(StoreTxn txn, int partitions, int index, BigInteger start, BigInteger end, String parent, String adjacent) {
        long uid = txn.registryRecord(NEXT_SHARD_UID).map(ControllerKeys::longValue).orElse(1L);
        txn.putRegistryRecord(NEXT_SHARD_UID, longValue(uid + 1));
        int partition = ControllerStateMachine.leastLoaded(txn, partitions, 1).get(0);
        txn.putRegistryRecord(loadKey(partition), intValue(ControllerStateMachine.load(txn, partition) + 1));
        return new ShardInfo(StreamTopology.shardId(index), uid, partition, start, end, parent, adjacent, ShardState.CREATING, -1);
    }

    /** @param endingSeqs the ending sequences of the step's closed parents, by shard id (they become their children's minSeq) */
    private static ControllerResult finish(StoreTxn txn, StreamTopology t, long step, Map<String, Long> endingSeqs) {
        if (step != t.step() || (t.status() != Status.CREATING && t.status() != Status.UPDATING)) {
            return new ControllerResult.StreamChanged(t); // an older step, or a retry: nothing to do
        }
        List<ShardInfo> shards = new ArrayList<>(t.shards().size());
        for (ShardInfo s : t.shards()) {
            shards.add(switch (s.state()) {
                case CREATING -> s.withState(ShardState.OPEN).withMinSeq(Math.max(endingSeqs.getOrDefault(nullToEmpty(s.parentShardId()), -1L),
                        endingSeqs.getOrDefault(nullToEmpty(s.adjacentParentShardId()), -1L)));
                case CLOSING -> s.withState(ShardState.CLOSED);
                default -> s;
            });
        }
        StreamTopology done = t.with(Status.ACTIVE, shards, t.nextShardIndex(), t.targetShardCount(), t.step());
        return save(txn, t.targetShardCount() > 0 ? planScaling(txn, done) : done);
    }

    private static ControllerResult reshard(StoreTxn txn, StreamTopology t, Reshard reshard, long now) {
        if (t.status() != Status.ACTIVE) {
            return new ControllerResult.Error(ErrorCode.RESOURCE_IN_USE, "Stream " + t.name() + " is " + t.status() + "; it must be ACTIVE.");
        }
        int partitions = ControllerStateMachine.partitionCount(txn);
        return switch (reshard) {
            case Reshard.Split s -> {
                Optional<ShardInfo> parent = t.shard(s.shardId()).filter(x -> x.state() == ShardState.OPEN);
                if (parent.isEmpty()) {
                    yield new ControllerResult.Error(ErrorCode.RESOURCE_NOT_FOUND, "Shard " + s.shardId() + " of stream " + t.name() + " is not open.");
                }
                ShardInfo p = parent.get();
                BigInteger k = s.newStartingHashKey();
                if (k.compareTo(p.startingHashKey()) <= 0 || k.compareTo(p.endingHashKey()) > 0) {
                    yield new ControllerResult.Error(ErrorCode.INVALID_ARGUMENT, "NewStartingHashKey must lie inside the shard's range ("
                            + p.startingHashKey() + ", " + p.endingHashKey() + "].");
                }
                if (t.openShards().size() + 1 > Limits.MAX_SHARDS_PER_STREAM || t.shards().size() + 2 > Limits.MAX_SHARDS_EVER_PER_STREAM) {
                    yield tooManyShards(t);
                }
                yield save(txn, split(txn, t, p, k, partitions));
            }
            case Reshard.Merge m -> {
                Optional<ShardInfo> a = t.shard(m.shardId()).filter(x -> x.state() == ShardState.OPEN);
                Optional<ShardInfo> b = t.shard(m.adjacentShardId()).filter(x -> x.state() == ShardState.OPEN);
                if (a.isEmpty() || b.isEmpty()) {
                    yield new ControllerResult.Error(ErrorCode.RESOURCE_NOT_FOUND, "Both shards to merge must be open shards of stream " + t.name() + ".");
                }
                if (!adjacent(a.get(), b.get())) {
                    yield new ControllerResult.Error(ErrorCode.INVALID_ARGUMENT, "Shards " + m.shardId() + " and " + m.adjacentShardId()
                            + " are not adjacent: only shards whose hash key ranges touch can be merged.");
                }
                if (t.shards().size() + 1 > Limits.MAX_SHARDS_EVER_PER_STREAM) {
                    yield tooManyShards(t);
                }
                yield save(txn, merge(txn, t, a.get(), b.get(), partitions));
            }
            case Reshard.Scale sc -> {
                int open = t.openShards().size();
                if (sc.targetShardCount() > open * Limits.MAX_SCALING_FACTOR || sc.targetShardCount() * Limits.MAX_SCALING_FACTOR < open) {
                    yield new ControllerResult.Error(ErrorCode.INVALID_ARGUMENT, "TargetShardCount must be between half and twice the "
                            + open + " open shards.");
                }
                List<Long> recent = t.scalingTimesMs().stream().filter(x -> x > now - DAY_MS).toList();
                if (recent.size() >= MAX_SCALINGS_PER_DAY) {
                    yield new ControllerResult.Error(ErrorCode.LIMIT_EXCEEDED, "A stream may be scaled at most " + MAX_SCALINGS_PER_DAY
                            + " times in 24 hours.");
                }
                if (t.shards().size() + 2 > Limits.MAX_SHARDS_EVER_PER_STREAM) {
                    yield tooManyShards(t); // checked before any write: a refused command changes nothing
                }
                List<Long> times = new ArrayList<>(recent);
                times.add(now);
                StreamTopology scaling = t.withScalingTimes(times).with(Status.ACTIVE, t.shards(), t.nextShardIndex(), sc.targetShardCount(), t.step());
                yield save(txn, planScaling(txn, scaling));
            }
        };
    }

    /**
     * The next step towards {@code targetShardCount} open shards of equal ranges, or ACTIVE when they are reached. The
     * first open shard (by hash key) that is not exactly a target range is split at the first target boundary inside
     * it, or, when none is, merged with its right neighbour; so each step is a split or merge of adjacent shards, as
     * AWS's uniform scaling does.
     */
    private static StreamTopology planScaling(StoreTxn txn, StreamTopology t) {
        int target = t.targetShardCount();
        if (t.shards().size() + 2 > Limits.MAX_SHARDS_EVER_PER_STREAM) {
            return t.with(Status.ACTIVE, t.shards(), t.nextShardIndex(), 0, t.step()); // the stream's life's shards are used up: stop here
        }
        List<BigInteger> starts = HashKeys.uniformStarts(target);
        List<ShardInfo> open = t.openShards();
        int partitions = ControllerStateMachine.partitionCount(txn);
        for (int i = 0; i < open.size(); i++) {
            ShardInfo s = open.get(i);
            int at = starts.indexOf(s.startingHashKey());
            BigInteger expectedEnd = at < 0 ? null : at + 1 < target ? starts.get(at + 1).subtract(BigInteger.ONE) : HashKeys.MAX;
            if (at >= 0 && s.endingHashKey().equals(expectedEnd)) {
                continue;
            }
            Optional<BigInteger> inside = starts.stream().filter(b -> b.compareTo(s.startingHashKey()) > 0 && b.compareTo(s.endingHashKey()) <= 0).findFirst();
            if (inside.isPresent()) {
                return split(txn, t, s, inside.get(), partitions);
            }
            if (i + 1 < open.size()) {
                return merge(txn, t, s, open.get(i + 1), partitions);
            }
            break; // the last shard always ends at the top of the space: unreachable, but never a wrong merge
        }
        return t.with(Status.ACTIVE, t.shards(), t.nextShardIndex(), 0, t.step());
    }

    private static StreamTopology split(StoreTxn txn, StreamTopology t, ShardInfo p, BigInteger k, int partitions) {
        List<ShardInfo> shards = replace(t.shards(), p.withState(ShardState.CLOSING));
        int next = t.nextShardIndex();
        shards.add(newShard(txn, partitions, next, p.startingHashKey(), k.subtract(BigInteger.ONE), p.shardId(), null));
        shards.add(newShard(txn, partitions, next + 1, k, p.endingHashKey(), p.shardId(), null));
        return t.with(Status.UPDATING, shards, next + 2, t.targetShardCount(), t.step() + 1);
    }

    private static StreamTopology merge(StoreTxn txn, StreamTopology t, ShardInfo a, ShardInfo b, int partitions) {
        List<ShardInfo> shards = replace(replace(t.shards(), a.withState(ShardState.CLOSING)), b.withState(ShardState.CLOSING));
        BigInteger start = a.startingHashKey().min(b.startingHashKey());
        BigInteger end = a.endingHashKey().max(b.endingHashKey());
        shards.add(newShard(txn, partitions, t.nextShardIndex(), start, end, a.shardId(), b.shardId()));
        return t.with(Status.UPDATING, shards, t.nextShardIndex() + 1, t.targetShardCount(), t.step() + 1);
    }

    private static boolean adjacent(ShardInfo a, ShardInfo b) {
        return a.endingHashKey().add(BigInteger.ONE).equals(b.startingHashKey()) || b.endingHashKey().add(BigInteger.ONE).equals(a.startingHashKey());
    }

    private static List<ShardInfo> replace(List<ShardInfo> shards, ShardInfo changed) {
        List<ShardInfo> out = new ArrayList<>(shards.size() + 2);
        for (ShardInfo s : shards) {
            out.add(s.shardId().equals(changed.shardId()) ? changed : s);
        }
        return out;
    }

    private static ControllerResult delete(StoreTxn txn, StreamTopology t, boolean enforceConsumerDeletion) {
        if (t.status() == Status.DELETING) {
            return new ControllerResult.StreamChanged(t); // a retry: the deletion is under way
        }
        if (t.status() != Status.ACTIVE) {
            return new ControllerResult.Error(ErrorCode.RESOURCE_IN_USE, "Stream " + t.name() + " is " + t.status() + "; it can be deleted once ACTIVE.");
        }
        if (!t.consumers().isEmpty() && !enforceConsumerDeletion) {
            return new ControllerResult.Error(ErrorCode.RESOURCE_IN_USE, "Stream " + t.name() + " has " + t.consumers().size()
                    + " registered consumers; deregister them or set EnforceConsumerDeletion.");
        }
        return save(txn, t.with(Status.DELETING, t.shards(), t.nextShardIndex(), 0, t.step() + 1).withConsumers(List.of()));
    }

    private static ControllerResult forget(StoreTxn txn, StreamTopology t) {
        if (t.status() != Status.DELETING) {
            return new ControllerResult.Error(ErrorCode.RESOURCE_IN_USE, "Stream " + t.name() + " is not being deleted.");
        }
        txn.deleteRegistryRecord(stream(t.name()));
        for (ShardInfo s : t.shards()) {
            txn.putRegistryRecord(loadKey(s.partition()), intValue(Math.max(0, ControllerStateMachine.load(txn, s.partition()) - 1)));
        }
        return new ControllerResult.StreamChanged(t);
    }

    private static ControllerResult update(StoreTxn txn, StreamTopology t, ControllerCommand.UpdateStream u) {
        if (t.status() == Status.DELETING) {
            return new ControllerResult.Error(ErrorCode.RESOURCE_NOT_FOUND, notFound(t.name()));
        }
        int retention = t.retentionHours();
        if (u.retentionHours() != 0) {
            if (u.increase() && u.retentionHours() < retention) {
                return new ControllerResult.Error(ErrorCode.INVALID_ARGUMENT, "The requested retention period (" + u.retentionHours()
                        + " hours) is shorter than the current one (" + retention + " hours): use DecreaseStreamRetentionPeriod.");
            }
            if (!u.increase() && u.retentionHours() > retention) {
                return new ControllerResult.Error(ErrorCode.INVALID_ARGUMENT, "The requested retention period (" + u.retentionHours()
                        + " hours) is longer than the current one (" + retention + " hours): use IncreaseStreamRetentionPeriod.");
            }
            retention = u.retentionHours();
        }
        SortedMap<String, String> tags = new TreeMap<>(t.tags());
        tags.putAll(u.addTags());
        u.removeTagKeys().forEach(tags::remove);
        if (tags.size() > Limits.MAX_TAGS) {
            return new ControllerResult.Error(ErrorCode.LIMIT_EXCEEDED, "A stream can have at most " + Limits.MAX_TAGS + " tags; this would make " + tags.size() + ".");
        }
        return save(txn, t.withSettings(retention, tags, u.enforceLimits() != null ? u.enforceLimits() : t.enforceLimits()));
    }

    private static ControllerResult register(StoreTxn txn, StreamTopology t, String consumer, long now) {
        if (t.status() == Status.DELETING) {
            return new ControllerResult.Error(ErrorCode.RESOURCE_NOT_FOUND, notFound(t.name()));
        }
        if (t.consumers().stream().anyMatch(c -> c.name().equals(consumer))) {
            return new ControllerResult.Error(ErrorCode.RESOURCE_IN_USE, "Consumer " + consumer + " is already registered with stream " + t.name() + ".");
        }
        if (t.consumers().size() >= Limits.MAX_STREAM_CONSUMERS) {
            return new ControllerResult.Error(ErrorCode.LIMIT_EXCEEDED, "A stream can have at most " + Limits.MAX_STREAM_CONSUMERS + " consumers.");
        }
        List<ConsumerInfo> consumers = new ArrayList<>(t.consumers());
        consumers.add(new ConsumerInfo(consumer, now));
        return save(txn, t.withConsumers(consumers));
    }

    private static ControllerResult deregister(StoreTxn txn, StreamTopology t, String consumer) {
        List<ConsumerInfo> consumers = t.consumers().stream().filter(c -> !c.name().equals(consumer)).toList();
        if (consumers.size() == t.consumers().size()) {
            return new ControllerResult.Error(ErrorCode.RESOURCE_NOT_FOUND, "Consumer " + consumer + " is not registered with stream " + t.name() + ".");
        }
        return save(txn, t.withConsumers(consumers));
    }

    private static ControllerResult tooManyShards(StreamTopology t) {
        return new ControllerResult.Error(ErrorCode.LIMIT_EXCEEDED, "Stream " + t.name() + " would have more than " + Limits.MAX_SHARDS_PER_STREAM
                + " open shards, or more than " + Limits.MAX_SHARDS_EVER_PER_STREAM + " shards in its life.");
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    static String notFound(String name) {
        return "Stream " + name + " under account 000000000000 not found.";
    }
}
