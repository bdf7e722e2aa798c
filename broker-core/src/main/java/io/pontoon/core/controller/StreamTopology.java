package io.pontoon.core.controller;

import io.pontoon.core.codec.BinaryReader;
import io.pontoon.core.codec.BinaryWriter;
import io.pontoon.core.stream.HashKeys;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A stream as the controller knows it: its shards (which partition hosts each, their hash ranges and lineage), its
 * settings, tags and enhanced fan-out consumers. Resharding happens in steps: a step adds child shards (CREATING) and
 * marks their parents CLOSING; once the node orchestrating it has created the children on their partitions and closed
 * the parents there, the step is finished (children OPEN, parents CLOSED). A shard's data never moves.
 *
 * @param targetShardCount UpdateShardCount's target while it is being reached step by step, else 0
 * @param scalingTimesMs   when UpdateShardCount was called within the last 24 hours (AWS allows 10)
 * @param step             increases with every reshard step; a finish names the step it finishes
 */
public record StreamTopology(String name, long createdAtMs, Status status, int retentionHours, boolean enforceLimits, int nextShardIndex,
                             List<ShardInfo> shards, SortedMap<String, String> tags, List<ConsumerInfo> consumers, int targetShardCount,
                             List<Long> scalingTimesMs, long step) {

    public enum Status { CREATING, ACTIVE, UPDATING, DELETING }

    public enum ShardState {
        /** Added by a step; may not exist on its partition yet. */
        CREATING,
        OPEN,
        /** A parent in a step: still takes records until its partition closes it. */
        CLOSING,
        /** Takes no more records; readable until its records expire. */
        CLOSED
    }

    /**
     * @param parentShardId the shard split or merged into this one (null for the first shards)
     * @param minSeq        the largest ending sequence of its parents once they are closed (-1 before, or without parents):
     *                      records put into this shard get larger sequences, so a key's sequences grow across a reshard
     */
    public record ShardInfo(String shardId, long uid, int partition, BigInteger startingHashKey, BigInteger endingHashKey,
                            String parentShardId, String adjacentParentShardId, ShardState state, long minSeq) {
        public boolean holds(BigInteger hashKey) {
            return hashKey.compareTo(startingHashKey) >= 0 && hashKey.compareTo(endingHashKey) <= 0;
        }

        ShardInfo withState(ShardState s) {
            return new ShardInfo(shardId, uid, partition, startingHashKey, endingHashKey, parentShardId, adjacentParentShardId, s, minSeq);
        }

        ShardInfo withMinSeq(long seq) {
            return new ShardInfo(shardId, uid, partition, startingHashKey, endingHashKey, parentShardId, adjacentParentShardId, state, seq);
        }

        public boolean isChildOf(String shardId) {
            return shardId.equals(parentShardId) || shardId.equals(adjacentParentShardId);
        }
    }

    public record ConsumerInfo(String name, long createdAtMs) {
    }

    public StreamTopology {
        shards = List.copyOf(shards);
        tags = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(tags));
        consumers = List.copyOf(consumers);
        scalingTimesMs = List.copyOf(scalingTimesMs);
    }

    public Optional<ShardInfo> shard(String shardId) {
        return shards.stream().filter(s -> s.shardId().equals(shardId)).findFirst();
    }

    /** Shards that take records now, or will once their step finishes, sorted by starting hash key. */
    public List<ShardInfo> openShards() {
        return shards.stream().filter(s -> s.state() == ShardState.OPEN).sorted((a, b) -> a.startingHashKey().compareTo(b.startingHashKey())).toList();
    }

    /**
     * The shard a record with {@code hashKey} goes to: the open one holding it; while a step is under way, the
     * closing parent (it takes records until its partition closes it, then the server retries in {@link #childFor}).
     */
    public Optional<ShardInfo> shardFor(BigInteger hashKey) {
        Optional<ShardInfo> open = shards.stream().filter(s -> s.state() == ShardState.OPEN && s.holds(hashKey)).findFirst();
        return open.isPresent() ? open : shards.stream().filter(s -> s.state() == ShardState.CLOSING && s.holds(hashKey)).findFirst();
    }

    /**
     * The child of {@code parent} that takes a record with {@code hashKey} once the parent's partition has closed it. A
     * split's child takes it at once (above the parent's ending sequence, which the close answered). A merge's child
     * takes it only once its step is finished: until then the other parent may still take records, with sequences
     * above the first parent's end, and only the finished step knows both ending sequences (the child's minSeq).
     * Empty while no child may take it: the record is refused, retriably.
     */
    public Optional<ShardInfo> childFor(String parent, BigInteger hashKey) {
        return shards.stream().filter(s -> s.isChildOf(parent) && s.holds(hashKey))
                .filter(s -> s.adjacentParentShardId() == null || s.state() != ShardState.CREATING).findFirst();
    }

    public List<ShardInfo> children(String parent) {
        return shards.stream().filter(s -> s.isChildOf(parent)).toList();
    }

    StreamTopology with(Status s, List<ShardInfo> newShards, int nextIndex, int target, long newStep) {
        return new StreamTopology(name, createdAtMs, s, retentionHours, enforceLimits, nextIndex, newShards, tags, consumers, target, scalingTimesMs, newStep);
    }

    StreamTopology withSettings(int retention, SortedMap<String, String> newTags, boolean limits) {
        return new StreamTopology(name, createdAtMs, status, retention, limits, nextShardIndex, shards, newTags, consumers, targetShardCount, scalingTimesMs, step);
    }

    StreamTopology withConsumers(List<ConsumerInfo> c) {
        return new StreamTopology(name, createdAtMs, status, retentionHours, enforceLimits, nextShardIndex, shards, tags, c, targetShardCount, scalingTimesMs, step);
    }

    StreamTopology withScalingTimes(List<Long> times) {
        return new StreamTopology(name, createdAtMs, status, retentionHours, enforceLimits, nextShardIndex, shards, tags, consumers, targetShardCount, times, step);
    }

    public static String shardId(int index) {
        return "shardId-" + String.format("%012d", index);
    }

    // ---------------------------------------------------------------- encoding (a registry value)

    private static final int V1 = 1;

    static byte[] encode(StreamTopology t) {
        BinaryWriter w = new BinaryWriter(16 << 20);
        w.u8(V1).string(t.name).i64(t.createdAtMs).u8(t.status.ordinal()).i32(t.retentionHours).bool(t.enforceLimits).i32(t.nextShardIndex);
        w.i32(t.shards.size());
        for (ShardInfo s : t.shards) {
            w.string(s.shardId()).i64(s.uid()).i32(s.partition()).raw(HashKeys.toBytes(s.startingHashKey())).raw(HashKeys.toBytes(s.endingHashKey()))
                    .nullableString(s.parentShardId()).nullableString(s.adjacentParentShardId()).u8(s.state().ordinal()).i64(s.minSeq());
        }
        w.i32(t.tags.size());
        t.tags.forEach((k, v) -> w.string(k).string(v));
        w.i32(t.consumers.size());
        t.consumers.forEach(c -> w.string(c.name()).i64(c.createdAtMs()));
        w.i32(t.targetShardCount).i32(t.scalingTimesMs.size());
        t.scalingTimesMs.forEach(w::i64);
        w.i64(t.step);
        return w.toByteArray();
    }

    static StreamTopology decode(byte[] bytes) {
        BinaryReader r = new BinaryReader(bytes);
        if (r.u8() != V1) {
            throw new IllegalStateException("unknown stream topology format");
        }
        String name = r.string();
        long created = r.i64();
        Status status = Status.values()[r.u8()];
        int retention = r.i32();
        boolean limits = r.bool();
        int nextIndex = r.i32();
        List<ShardInfo> shards = new ArrayList<>();
        for (int i = 0, n = r.count(100_000); i < n; i++) {
            shards.add(new ShardInfo(r.string(), r.i64(), r.i32(), HashKeys.fromBytes(r.raw(16)), HashKeys.fromBytes(r.raw(16)),
                    r.nullableString(), r.nullableString(), ShardState.values()[r.u8()], r.i64()));
        }
        SortedMap<String, String> tags = new TreeMap<>();
        for (int i = 0, n = r.count(1_000); i < n; i++) {
            tags.put(r.string(), r.string());
        }
        List<ConsumerInfo> consumers = new ArrayList<>();
        for (int i = 0, n = r.count(1_000); i < n; i++) {
            consumers.add(new ConsumerInfo(r.string(), r.i64()));
        }
        int target = r.i32();
        List<Long> times = new ArrayList<>();
        for (int i = 0, n = r.count(1_000); i < n; i++) {
            times.add(r.i64());
        }
        long step = r.i64();
        r.expectEnd();
        return new StreamTopology(name, created, status, retention, limits, nextIndex, shards, tags, consumers, target, times, step);
    }

    static void write(BinaryWriter w, StreamTopology t) {
        w.bytes(encode(t));
    }

    static StreamTopology read(BinaryReader r) {
        return decode(r.bytes());
    }
}
