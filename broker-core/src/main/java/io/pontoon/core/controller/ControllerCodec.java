package io.pontoon.core.controller;

import io.pontoon.core.Limits;
import io.pontoon.core.stream.HashKeys;
import io.pontoon.core.codec.BinaryReader;
import io.pontoon.core.codec.BinaryWriter;
import io.pontoon.core.controller.ControllerQueryResult.QueuePlacement;

import java.util.ArrayList;
import java.util.List;

import io.pontoon.core.codec.CommonCodec;

import static io.pontoon.core.codec.CommonCodec.*;

/** Binary codec of the controller log, results, queries and query results (same framing as QueueCodec). */
public final class ControllerCodec {
    private static final int V1 = 1;
    /** v2: PlaceQueue carries a shard count; placements carry a list of partitions. */
    private static final int V2 = 2;
    /** v3 (commands): UnplaceQueue carries the recreate delay. */
    private static final int COMMANDS_V3 = 3;

    private ControllerCodec() {
    }

    public static byte[] encode(List<ControllerCommand> commands) {
        return frame(commands.stream().map(ControllerCodec::encodeOne).toList());
    }

    /** One command as it appears inside an entry (see QueueCodec#encodeOne). */
    public static byte[] encodeOne(ControllerCommand c) {
        BinaryWriter w = new BinaryWriter(Limits.MAX_ENCODED_ENTRY_BYTES);
        w.u8(c.typeId());
        switch (c) {
            case ControllerCommand.InitPartitions i -> w.i32(i.count());
            case ControllerCommand.PlaceQueue p -> w.string(p.name()).i32(p.shards());
            case ControllerCommand.UnplaceQueue u -> w.string(u.name()).i64(u.recreateDelayMs());
            case ControllerCommand.PlaceTopic p -> w.string(p.name());
            case ControllerCommand.UnplaceTopic u -> w.string(u.name());
            case ControllerCommand.Tick t -> {
            }
            case ControllerCommand.CreateStream cs -> {
                w.string(cs.name()).i32(cs.shardCount()).i32(cs.retentionHours()).bool(cs.enforceLimits());
                writeStringMap(w, new java.util.TreeMap<>(cs.tags()));
            }
            case ControllerCommand.FinishStreamStep f -> {
                w.string(f.name()).i64(f.step()).i32(f.endingSeqs().size());
                new java.util.TreeMap<>(f.endingSeqs()).forEach((k, v) -> w.string(k).i64(v));
            }
            case ControllerCommand.ReshardStream r -> {
                w.string(r.name());
                switch (r.reshard()) {
                    case ControllerCommand.Reshard.Split sp -> w.u8(1).string(sp.shardId()).raw(HashKeys.toBytes(sp.newStartingHashKey()));
                    case ControllerCommand.Reshard.Merge m -> w.u8(2).string(m.shardId()).string(m.adjacentShardId());
                    case ControllerCommand.Reshard.Scale sc -> w.u8(3).i32(sc.targetShardCount());
                }
            }
            case ControllerCommand.DeleteStream d -> w.string(d.name()).bool(d.enforceConsumerDeletion());
            case ControllerCommand.ForgetStream f -> w.string(f.name());
            case ControllerCommand.UpdateStream u -> {
                w.string(u.name()).i32(u.retentionHours()).bool(u.increase());
                writeStringMap(w, new java.util.TreeMap<>(u.addTags()));
                writeStringList(w, u.removeTagKeys());
                w.u8(u.enforceLimits() == null ? 0 : u.enforceLimits() ? 2 : 1);
            }
            case ControllerCommand.RegisterConsumer rc -> w.string(rc.stream()).string(rc.consumer());
            case ControllerCommand.DeregisterConsumer dc -> w.string(dc.stream()).string(dc.consumer());
        }
        return w.toByteArray();
    }

    /** An entry of commands encoded with {@link #encodeOne}. */
    public static byte[] frame(List<byte[]> encodedCommands) {
        return CommonCodec.frame(COMMANDS_V3, encodedCommands);
    }

    public static List<ControllerCommand> decode(byte[] bytes) {
        BinaryReader r = new BinaryReader(bytes);
        int version = r.u8();
        if (version < V1 || version > COMMANDS_V3) {
            throw new IllegalArgumentException("unknown controller command list format version " + version);
        }
        int n = r.count(Limits.MAX_COMMANDS_PER_ENTRY);
        List<ControllerCommand> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int type = r.u8();
            out.add(switch (type) {
                case ControllerCommand.InitPartitions.TYPE_ID -> new ControllerCommand.InitPartitions(r.i32());
                case ControllerCommand.PlaceQueue.TYPE_ID -> new ControllerCommand.PlaceQueue(r.string(), version == V1 ? 1 : r.i32());
                case ControllerCommand.UnplaceQueue.TYPE_ID -> new ControllerCommand.UnplaceQueue(r.string(),
                        version >= COMMANDS_V3 ? r.i64() : Limits.DEFAULT_QUEUE_RECREATE_DELAY_MS);
                case ControllerCommand.Tick.TYPE_ID -> new ControllerCommand.Tick();
                case ControllerCommand.PlaceTopic.TYPE_ID -> new ControllerCommand.PlaceTopic(r.string());
                case ControllerCommand.UnplaceTopic.TYPE_ID -> new ControllerCommand.UnplaceTopic(r.string());
                case ControllerCommand.CreateStream.TYPE_ID -> new ControllerCommand.CreateStream(r.string(), r.i32(), r.i32(), r.bool(), readStringMap(r));
                case ControllerCommand.FinishStreamStep.TYPE_ID -> {
                    String name = r.string();
                    long step = r.i64();
                    java.util.Map<String, Long> ending = new java.util.TreeMap<>();
                    for (int k = 0, m = r.count(Limits.MAX_SHARDS_PER_STREAM); k < m; k++) {
                        ending.put(r.string(), r.i64());
                    }
                    yield new ControllerCommand.FinishStreamStep(name, step, ending);
                }
                case ControllerCommand.ReshardStream.TYPE_ID -> {
                    String name = r.string();
                    int kind = r.u8();
                    yield new ControllerCommand.ReshardStream(name, switch (kind) {
                        case 1 -> new ControllerCommand.Reshard.Split(r.string(), HashKeys.fromBytes(r.raw(16)));
                        case 2 -> new ControllerCommand.Reshard.Merge(r.string(), r.string());
                        case 3 -> new ControllerCommand.Reshard.Scale(r.i32());
                        default -> throw new IllegalArgumentException("unknown reshard kind " + kind);
                    });
                }
                case ControllerCommand.DeleteStream.TYPE_ID -> new ControllerCommand.DeleteStream(r.string(), r.bool());
                case ControllerCommand.ForgetStream.TYPE_ID -> new ControllerCommand.ForgetStream(r.string());
                case ControllerCommand.UpdateStream.TYPE_ID -> {
                    String name = r.string();
                    int hours = r.i32();
                    boolean increase = r.bool();
                    java.util.Map<String, String> add = readStringMap(r);
                    List<String> remove = readStringList(r);
                    int limits = r.u8();
                    yield new ControllerCommand.UpdateStream(name, hours, increase, add, remove, limits == 0 ? null : limits == 2);
                }
                case ControllerCommand.RegisterConsumer.TYPE_ID -> new ControllerCommand.RegisterConsumer(r.string(), r.string());
                case ControllerCommand.DeregisterConsumer.TYPE_ID -> new ControllerCommand.DeregisterConsumer(r.string(), r.string());
                default -> throw new IllegalArgumentException("unknown controller command type id " + type);
            });
        }
        r.expectEnd();
        return out;
    }

    public static byte[] encodeResults(List<ControllerResult> results) {
        BinaryWriter w = new BinaryWriter(Limits.MAX_ENCODED_ENTRY_BYTES);
        w.u8(V2).i32(results.size());
        for (ControllerResult res : results) {
            w.u8(res.typeId());
            switch (res) {
                case ControllerResult.Error e -> {
                    writeErrorCode(w, e.code());
                    w.string(e.message());
                }
                case ControllerResult.PartitionsInitialized p -> w.i32(p.count());
                case ControllerResult.Placed p -> writeInts(w.string(p.name()), p.partitions()).bool(p.newlyPlaced());
                case ControllerResult.Unplaced u -> writeInts(w.string(u.name()), u.partitions());
                case ControllerResult.Ticked t -> w.i32(t.tombstonesRemoved());
                case ControllerResult.StreamChanged c -> StreamTopology.write(w, c.topology());
            }
        }
        return w.toByteArray();
    }

    public static List<ControllerResult> decodeResults(byte[] bytes) {
        BinaryReader r = new BinaryReader(bytes);
        expectVersion(r, V2, "controller result list");
        int n = r.count(Limits.MAX_COMMANDS_PER_ENTRY);
        List<ControllerResult> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int type = r.u8();
            out.add(switch (type) {
                case ControllerResult.Error.TYPE_ID -> new ControllerResult.Error(readErrorCode(r), r.string());
                case ControllerResult.PartitionsInitialized.TYPE_ID -> new ControllerResult.PartitionsInitialized(r.i32());
                case ControllerResult.Placed.TYPE_ID -> new ControllerResult.Placed(r.string(), readInts(r), r.bool());
                case ControllerResult.Unplaced.TYPE_ID -> new ControllerResult.Unplaced(r.string(), readInts(r));
                case ControllerResult.Ticked.TYPE_ID -> new ControllerResult.Ticked(r.i32());
                case ControllerResult.StreamChanged.TYPE_ID -> new ControllerResult.StreamChanged(StreamTopology.read(r));
                default -> throw new IllegalArgumentException("unknown controller result type id " + type);
            });
        }
        r.expectEnd();
        return out;
    }

    private static BinaryWriter writeInts(BinaryWriter w, List<Integer> values) {
        w.i32(values.size());
        values.forEach(w::i32);
        return w;
    }

    private static List<Integer> readInts(BinaryReader r) {
        int n = r.count(Limits.MAX_PARTITIONS);
        List<Integer> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(r.i32());
        }
        return out;
    }

    public static byte[] encodeQuery(ControllerQuery query) {
        BinaryWriter w = new BinaryWriter(Limits.MAX_ENCODED_ENTRY_BYTES);
        w.u8(V1).u8(query.typeId());
        switch (query) {
            case ControllerQuery.LookupQueue l -> w.string(l.name());
            case ControllerQuery.ListPlacements l -> w.string(l.prefix()).string(l.startAfter()).i32(l.limit());
            case ControllerQuery.PartitionCount p -> {
            }
            case ControllerQuery.DescribeStream d -> w.string(d.name());
            case ControllerQuery.ListStreams l -> w.string(l.startAfter()).i32(l.limit());
            case ControllerQuery.LookupTopic l -> w.string(l.name());
            case ControllerQuery.ListTopics l -> w.string(l.startAfter()).i32(l.limit());
        }
        return w.toByteArray();
    }

    public static ControllerQuery decodeQuery(byte[] bytes) {
        BinaryReader r = new BinaryReader(bytes);
        expectVersion(r, V1, "controller query");
        int type = r.u8();
        ControllerQuery q = switch (type) {
            case ControllerQuery.LookupQueue.TYPE_ID -> new ControllerQuery.LookupQueue(r.string());
            case ControllerQuery.ListPlacements.TYPE_ID -> new ControllerQuery.ListPlacements(r.string(), r.string(), r.i32());
            case ControllerQuery.PartitionCount.TYPE_ID -> new ControllerQuery.PartitionCount();
            case ControllerQuery.DescribeStream.TYPE_ID -> new ControllerQuery.DescribeStream(r.string());
            case ControllerQuery.ListStreams.TYPE_ID -> new ControllerQuery.ListStreams(r.string(), r.i32());
            case ControllerQuery.LookupTopic.TYPE_ID -> new ControllerQuery.LookupTopic(r.string());
            case ControllerQuery.ListTopics.TYPE_ID -> new ControllerQuery.ListTopics(r.string(), r.i32());
            default -> throw new IllegalArgumentException("unknown controller query type id " + type);
        };
        r.expectEnd();
        return q;
    }

    public static byte[] encodeQueryResult(ControllerQueryResult result) {
        BinaryWriter w = new BinaryWriter(Limits.MAX_ENCODED_ENTRY_BYTES);
        w.u8(V2).u8(result.typeId());
        switch (result) {
            case ControllerQueryResult.Error e -> {
                writeErrorCode(w, e.code());
                w.string(e.message());
            }
            case ControllerQueryResult.Found f -> writeInts(w.string(f.placement().name()), f.placement().partitions());
            case ControllerQueryResult.PlacementList l -> {
                w.i32(l.placements().size());
                l.placements().forEach(p -> writeInts(w.string(p.name()), p.partitions()));
                w.nullableString(l.nextStartAfter());
            }
            case ControllerQueryResult.PartitionCountResult c -> w.i32(c.count());
            case ControllerQueryResult.StreamFound f -> StreamTopology.write(w, f.topology());
            case ControllerQueryResult.StreamNames n -> {
                writeStringList(w, n.names());
                w.bool(n.hasMore());
            }
        }
        return w.toByteArray();
    }

    public static ControllerQueryResult decodeQueryResult(byte[] bytes) {
        BinaryReader r = new BinaryReader(bytes);
        expectVersion(r, V2, "controller query result");
        int type = r.u8();
        ControllerQueryResult res = switch (type) {
            case ControllerQueryResult.Error.TYPE_ID -> new ControllerQueryResult.Error(readErrorCode(r), r.string());
            case ControllerQueryResult.Found.TYPE_ID -> new ControllerQueryResult.Found(new QueuePlacement(r.string(), readInts(r)));
            case ControllerQueryResult.PlacementList.TYPE_ID -> {
                int n = r.count(Limits.MAX_LIST_PLACEMENTS * 10);
                List<QueuePlacement> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(new QueuePlacement(r.string(), readInts(r)));
                }
                yield new ControllerQueryResult.PlacementList(list, r.nullableString());
            }
            case ControllerQueryResult.PartitionCountResult.TYPE_ID -> new ControllerQueryResult.PartitionCountResult(r.i32());
            case ControllerQueryResult.StreamFound.TYPE_ID -> new ControllerQueryResult.StreamFound(StreamTopology.read(r));
            case ControllerQueryResult.StreamNames.TYPE_ID -> new ControllerQueryResult.StreamNames(readStringList(r), r.bool());
            default -> throw new IllegalArgumentException("unknown controller query result type id " + type);
        };
        r.expectEnd();
        return res;
    }
}
