package io.pontoon.core.stream;

import io.pontoon.core.Limits;
import io.pontoon.core.codec.BinaryReader;
import io.pontoon.core.codec.BinaryWriter;
import io.pontoon.core.partition.ModelCodec;
import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.core.partition.PartitionQuery;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.core.stream.StreamCommand.RecordEntry;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The stream model's binary encoding: the fields of its commands, results, queries and query results after the
 * (model, type id) header that PartitionCodec writes, and the stored values of shards, records and leases (each with a
 * leading version byte). Field layout version 3 is the first (the partition codec's current command fields version).
 */
public final class StreamCodec implements ModelCodec {
    public static final StreamCodec INSTANCE = new StreamCodec();
    private static final int SHARD_V1 = 1;
    private static final int RECORD_V1 = 1;
    private static final int LEASE_V1 = 1;

    private StreamCodec() {
    }

    // ---------------------------------------------------------------- commands

    @Override
    public void writeCommand(BinaryWriter w, PartitionCommand command) {
        switch ((StreamCommand) command) {
            case StreamCommand.CreateShard c -> w.i64(c.uid()).string(c.streamName()).string(c.shardId())
                    .raw(HashKeys.toBytes(c.startingHashKey())).raw(HashKeys.toBytes(c.endingHashKey()));
            case StreamCommand.PutRecords p -> writePut(w, p);
            case StreamCommand.PutLaneRecords l -> {
                writePut(w, l.put());
                w.i32(l.lane()).i64(l.floor());
                l.laneSeqs().forEach(w::i64);
            }
            case StreamCommand.CloseShard c -> w.i64(c.uid());
            case StreamCommand.TrimShard t -> w.i64(t.uid()).i64(t.trimBeforeMs());
            case StreamCommand.DeleteShard d -> w.i64(d.uid());
            case StreamCommand.UpdateLease u -> w.i64(u.uid()).string(u.application()).nullableString(u.expectedOwner()).i64(u.expectedCounter())
                    .nullableString(u.newOwner()).i64(u.durationMs()).nullableString(u.checkpoint());
        }
    }

    @Override
    public PartitionCommand readCommand(BinaryReader r, int typeId, int fieldsVersion) {
        return switch (typeId) {
            case StreamCommand.CreateShard.TYPE_ID -> new StreamCommand.CreateShard(r.i64(), r.string(), r.string(), hashKey(r), hashKey(r));
            case StreamCommand.PutRecords.TYPE_ID -> readPut(r);
            case StreamCommand.PutLaneRecords.TYPE_ID -> {
                StreamCommand.PutRecords put = readPut(r);
                int lane = r.i32();
                long floor = r.i64();
                List<Long> laneSeqs = new ArrayList<>(put.records().size());
                for (int i = 0; i < put.records().size(); i++) {
                    laneSeqs.add(r.i64());
                }
                yield new StreamCommand.PutLaneRecords(put, lane, floor, laneSeqs);
            }
            case StreamCommand.CloseShard.TYPE_ID -> new StreamCommand.CloseShard(r.i64());
            case StreamCommand.TrimShard.TYPE_ID -> new StreamCommand.TrimShard(r.i64(), r.i64());
            case StreamCommand.DeleteShard.TYPE_ID -> new StreamCommand.DeleteShard(r.i64());
            case StreamCommand.UpdateLease.TYPE_ID -> new StreamCommand.UpdateLease(r.i64(), r.string(), r.nullableString(), r.i64(),
                    r.nullableString(), r.i64(), r.nullableString());
            default -> throw new IllegalArgumentException("unknown stream command type id " + typeId);
        };
    }

    private static void writePut(BinaryWriter w, StreamCommand.PutRecords p) {
        w.i64(p.uid()).i64(p.minSeq()).i32(p.records().size());
        for (RecordEntry r : p.records()) {
            w.string(r.partitionKey()).bytes(r.data());
        }
    }

    private static StreamCommand.PutRecords readPut(BinaryReader r) {
        long uid = r.i64();
        long minSeq = r.i64();
        int n = r.count(Limits.MAX_PUT_RECORDS_ENTRIES);
        List<RecordEntry> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            records.add(new RecordEntry(r.string(), r.bytes()));
        }
        return new StreamCommand.PutRecords(uid, records, minSeq);
    }

    // ---------------------------------------------------------------- results

    @Override
    public void writeResult(BinaryWriter w, PartitionResult result) {
        switch ((StreamResult) result) {
            case StreamResult.ShardCreated c -> w.i64(c.startingSeq());
            case StreamResult.Put p -> {
                w.i64(p.arrivalMs()).i32(p.seqs().size());
                p.seqs().forEach(w::i64);
            }
            case StreamResult.ShardClosed c -> w.i64(c.endingSeq());
            case StreamResult.Trimmed t -> w.i64(t.trimmedBelowSeq());
            case StreamResult.LeaseUpdated l -> {
                w.bool(l.applied());
                writeLease(w, l.lease());
            }
        }
    }

    @Override
    public PartitionResult readResult(BinaryReader r, int typeId) {
        return switch (typeId) {
            case StreamResult.ShardCreated.TYPE_ID -> new StreamResult.ShardCreated(r.i64());
            case StreamResult.Put.TYPE_ID -> {
                long arrival = r.i64();
                int n = r.count(Limits.MAX_PUT_RECORDS_ENTRIES);
                List<Long> seqs = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    seqs.add(r.i64());
                }
                yield new StreamResult.Put(seqs, arrival);
            }
            case StreamResult.ShardClosed.TYPE_ID -> new StreamResult.ShardClosed(r.i64());
            case StreamResult.Trimmed.TYPE_ID -> new StreamResult.Trimmed(r.i64());
            case StreamResult.LeaseUpdated.TYPE_ID -> new StreamResult.LeaseUpdated(r.bool(), readLease(r));
            default -> throw new IllegalArgumentException("unknown stream result type id " + typeId);
        };
    }

    // ---------------------------------------------------------------- queries

    @Override
    public void writeQuery(BinaryWriter w, PartitionQuery query) {
        switch ((StreamQuery) query) {
            case StreamQuery.ShardState s -> w.i64(s.uid());
            case StreamQuery.ReadRecords rr -> w.i64(rr.uid()).i64(rr.fromSeq()).i32(rr.limit()).i64(rr.maxBytes());
            case StreamQuery.SeqAtTime t -> w.i64(t.uid()).i64(t.timestampMs());
            case StreamQuery.LocalShards l -> w.i64(l.afterUid()).i32(l.limit());
            case StreamQuery.LaneMark m -> w.i64(m.uid()).i32(m.lane());
            case StreamQuery.Leases l -> {
                w.string(l.application()).i32(l.uids().size());
                l.uids().forEach(w::i64);
            }
        }
    }

    @Override
    public PartitionQuery readQuery(BinaryReader r, int typeId) {
        return switch (typeId) {
            case StreamQuery.ShardState.TYPE_ID -> new StreamQuery.ShardState(r.i64());
            case StreamQuery.ReadRecords.TYPE_ID -> new StreamQuery.ReadRecords(r.i64(), r.i64(), r.i32(), r.i64());
            case StreamQuery.SeqAtTime.TYPE_ID -> new StreamQuery.SeqAtTime(r.i64(), r.i64());
            case StreamQuery.LocalShards.TYPE_ID -> new StreamQuery.LocalShards(r.i64(), r.i32());
            case StreamQuery.LaneMark.TYPE_ID -> new StreamQuery.LaneMark(r.i64(), r.i32());
            case StreamQuery.Leases.TYPE_ID -> {
                String app = r.string();
                int n = r.count(Limits.MAX_SHARDS_PER_STREAM);
                List<Long> uids = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    uids.add(r.i64());
                }
                yield new StreamQuery.Leases(app, uids);
            }
            default -> throw new IllegalArgumentException("unknown stream query type id " + typeId);
        };
    }

    @Override
    public void writeQueryResult(BinaryWriter w, QueryResult result) {
        switch ((StreamQueryResult) result) {
            case StreamQueryResult.ShardInfo s -> writeShard(w, s.shard());
            case StreamQueryResult.Records rr -> {
                w.i64(rr.nextSeq());
                writeShard(w, rr.shard());
                w.i32(rr.records().size());
                for (StoredRecord rec : rr.records()) {
                    w.i64(rec.seq()).i64(rec.arrivalMs()).string(rec.partitionKey()).bytes(rec.data());
                }
            }
            case StreamQueryResult.SeqAt s -> w.i64(s.seq());
            case StreamQueryResult.Mark m -> w.i64(m.mark());
            case StreamQueryResult.Shards s -> {
                w.i32(s.shards().size());
                s.shards().forEach(x -> writeShard(w, x));
            }
            case StreamQueryResult.LeaseList l -> {
                w.i32(l.leases().size());
                l.leases().forEach(x -> writeLease(w, x));
            }
        }
    }

    @Override
    public QueryResult readQueryResult(BinaryReader r, int typeId) {
        return switch (typeId) {
            case StreamQueryResult.ShardInfo.TYPE_ID -> new StreamQueryResult.ShardInfo(readShard(r));
            case StreamQueryResult.Records.TYPE_ID -> {
                long next = r.i64();
                ShardRecord shard = readShard(r);
                int n = r.count(Limits.MAX_GET_RECORDS_LIMIT);
                List<StoredRecord> records = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    records.add(new StoredRecord(r.i64(), r.i64(), r.string(), r.bytes()));
                }
                yield new StreamQueryResult.Records(records, next, shard);
            }
            case StreamQueryResult.SeqAt.TYPE_ID -> new StreamQueryResult.SeqAt(r.i64());
            case StreamQueryResult.Mark.TYPE_ID -> new StreamQueryResult.Mark(r.i64());
            case StreamQueryResult.Shards.TYPE_ID -> {
                int n = r.count(Limits.MAX_LIST_SHARDS_REQUESTED);
                List<ShardRecord> shards = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    shards.add(readShard(r));
                }
                yield new StreamQueryResult.Shards(shards);
            }
            case StreamQueryResult.LeaseList.TYPE_ID -> {
                int n = r.count(Limits.MAX_SHARDS_PER_STREAM);
                List<Lease> leases = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    leases.add(readLease(r));
                }
                yield new StreamQueryResult.LeaseList(leases);
            }
            default -> throw new IllegalArgumentException("unknown stream query result type id " + typeId);
        };
    }

    // ---------------------------------------------------------------- stored values

    public static byte[] encodeShard(ShardRecord s) {
        BinaryWriter w = new BinaryWriter(1 << 12);
        w.u8(SHARD_V1);
        writeShard(w, s);
        return w.toByteArray();
    }

    public static ShardRecord decodeShard(byte[] bytes) {
        BinaryReader r = new BinaryReader(bytes);
        expect(r, SHARD_V1, "shard");
        ShardRecord s = readShard(r);
        r.expectEnd();
        return s;
    }

    /** A record's stored value; its sequence is in the key. */
    public static byte[] encodeRecord(StoredRecord rec) {
        BinaryWriter w = new BinaryWriter(Limits.MAX_RECORD_SIZE_BYTES + (1 << 12));
        w.u8(RECORD_V1).i64(rec.arrivalMs()).string(rec.partitionKey()).bytes(rec.data());
        return w.toByteArray();
    }

    public static StoredRecord decodeRecord(long seq, byte[] bytes) {
        BinaryReader r = new BinaryReader(bytes);
        expect(r, RECORD_V1, "stream record");
        StoredRecord rec = new StoredRecord(seq, r.i64(), r.string(), r.bytes());
        r.expectEnd();
        return rec;
    }

    public static byte[] encodeLease(Lease l) {
        BinaryWriter w = new BinaryWriter(1 << 12);
        w.u8(LEASE_V1);
        writeLease(w, l);
        return w.toByteArray();
    }

    public static Lease decodeLease(byte[] bytes) {
        BinaryReader r = new BinaryReader(bytes);
        expect(r, LEASE_V1, "lease");
        Lease l = readLease(r);
        r.expectEnd();
        return l;
    }

    private static void writeShard(BinaryWriter w, ShardRecord s) {
        w.i64(s.uid()).string(s.streamName()).string(s.shardId()).raw(HashKeys.toBytes(s.startingHashKey())).raw(HashKeys.toBytes(s.endingHashKey()))
                .i64(s.createdAtMs()).i64(s.startingSeq()).bool(s.closed()).i64(s.endingSeq()).i64(s.lastSeq()).i64(s.lastArrivalMs())
                .i64(s.trimmedBelowSeq());
    }

    private static ShardRecord readShard(BinaryReader r) {
        return new ShardRecord(r.i64(), r.string(), r.string(), hashKey(r), hashKey(r), r.i64(), r.i64(), r.bool(), r.i64(), r.i64(), r.i64(), r.i64());
    }

    private static void writeLease(BinaryWriter w, Lease l) {
        w.string(l.application()).i64(l.shardUid()).nullableString(l.owner()).i64(l.counter()).i64(l.expiresAtMs()).nullableString(l.checkpoint());
    }

    private static Lease readLease(BinaryReader r) {
        return new Lease(r.string(), r.i64(), r.nullableString(), r.i64(), r.i64(), r.nullableString());
    }

    private static BigInteger hashKey(BinaryReader r) {
        return HashKeys.fromBytes(r.raw(16));
    }

    private static void expect(BinaryReader r, int version, String what) {
        int v = r.u8();
        if (v != version) {
            throw new IllegalStateException("unknown " + what + " format version " + v);
        }
    }
}
