package io.pontoon.core.partition.memory;

import io.pontoon.core.codec.BinaryReader;
import io.pontoon.core.codec.BinaryWriter;
import io.pontoon.core.partition.PartitionMeta;

import java.util.Map;
import java.util.TreeMap;

/** The tables of an {@link InMemoryPartitionStore}, and their canonical serialization. */
final class MemoryState {
    static final String FILE_NAME = "memory-state.bin";
    /** v2 appends the aux tables. */
    private static final int FORMAT_V2 = 2;
    /** v3 appends the message payloads. */
    private static final int FORMAT_V3 = 3;
    /** v4 appends the stream model's tables: shards, records, time marks, leases. */
    private static final int FORMAT_V4 = 4;

    record MsgKey(long queueId, long seq) implements Comparable<MsgKey> {
        public int compareTo(MsgKey o) {
            int c = Long.compare(queueId, o.queueId);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    record VisKey(long queueId, long visibleAtMs, long seq) implements Comparable<VisKey> {
        public int compareTo(VisKey o) {
            int c = Long.compare(queueId, o.queueId);
            if (c == 0) {
                c = Long.compare(visibleAtMs, o.visibleAtMs);
            }
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    /** An aux key: table id then the core's key bytes, ordered unsigned-lexicographically (as RocksDB orders them). */
    record AuxKey(int table, byte[] key) implements Comparable<AuxKey> {
        public int compareTo(AuxKey o) {
            int c = Integer.compare(table, o.table);
            return c != 0 ? c : java.util.Arrays.compareUnsigned(key, o.key);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AuxKey k && compareTo(k) == 0;
        }

        @Override
        public int hashCode() {
            return 31 * table + java.util.Arrays.hashCode(key);
        }
    }

    /** A lease key: shard uid, then application. */
    record LeaseKey(long uid, String application) implements Comparable<LeaseKey> {
        public int compareTo(LeaseKey o) {
            int c = Long.compare(uid, o.uid);
            return c != 0 ? c : application.compareTo(o.application);
        }
    }

    PartitionMeta meta;
    final TreeMap<String, byte[]> queues;
    final TreeMap<MsgKey, byte[]> messages;
    final TreeMap<MsgKey, byte[]> payloads;
    final TreeMap<VisKey, Boolean> visibility;
    final TreeMap<String, byte[]> registry;
    final TreeMap<AuxKey, byte[]> aux;
    final TreeMap<Long, byte[]> shards;
    /** (shard uid, seq) -> record. */
    final TreeMap<MsgKey, byte[]> records;
    /** (shard uid, arrival ms) -> first seq that arrived then. */
    final TreeMap<MsgKey, Long> timeMarks;
    final TreeMap<LeaseKey, byte[]> leases;

    private MemoryState(PartitionMeta meta, TreeMap<String, byte[]> queues, TreeMap<MsgKey, byte[]> messages,
                        TreeMap<MsgKey, byte[]> payloads, TreeMap<VisKey, Boolean> visibility, TreeMap<String, byte[]> registry,
                        TreeMap<AuxKey, byte[]> aux, TreeMap<Long, byte[]> shards, TreeMap<MsgKey, byte[]> records,
                        TreeMap<MsgKey, Long> timeMarks, TreeMap<LeaseKey, byte[]> leases) {
        this.aux = aux;
        this.shards = shards;
        this.records = records;
        this.timeMarks = timeMarks;
        this.leases = leases;
        this.payloads = payloads;
        this.meta = meta;
        this.queues = queues;
        this.messages = messages;
        this.visibility = visibility;
        this.registry = registry;
    }

    static MemoryState empty() {
        return new MemoryState(PartitionMeta.EMPTY, new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>(),
                new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
    }

    /** Values are never mutated in place (puts replace them), so sharing the byte arrays is safe. */
    MemoryState copy() {
        return new MemoryState(meta, new TreeMap<>(queues), new TreeMap<>(messages), new TreeMap<>(payloads), new TreeMap<>(visibility),
                new TreeMap<>(registry), new TreeMap<>(aux), new TreeMap<>(shards), new TreeMap<>(records), new TreeMap<>(timeMarks),
                new TreeMap<>(leases));
    }

    byte[] serialize() {
        BinaryWriter w = new BinaryWriter(Integer.MAX_VALUE - 16);
        w.u8(FORMAT_V4).i64(meta.appliedIndex()).i64(meta.appliedTerm()).i64(meta.effectiveNowMs()).i64(meta.nextSeq());
        writeStringTable(w, queues);
        w.i32(messages.size());
        messages.forEach((k, v) -> w.i64(k.queueId()).i64(k.seq()).bytes(v));
        w.i32(visibility.size());
        visibility.forEach((k, v) -> w.i64(k.queueId()).i64(k.visibleAtMs()).i64(k.seq()).bool(v));
        writeStringTable(w, registry);
        w.i32(aux.size());
        aux.forEach((k, v) -> w.i32(k.table()).bytes(k.key()).bytes(v));
        w.i32(payloads.size());
        payloads.forEach((k, v) -> w.i64(k.queueId()).i64(k.seq()).bytes(v));
        w.i32(shards.size());
        shards.forEach((k, v) -> w.i64(k).bytes(v));
        w.i32(records.size());
        records.forEach((k, v) -> w.i64(k.queueId()).i64(k.seq()).bytes(v));
        w.i32(timeMarks.size());
        timeMarks.forEach((k, v) -> w.i64(k.queueId()).i64(k.seq()).i64(v));
        w.i32(leases.size());
        leases.forEach((k, v) -> w.i64(k.uid()).string(k.application()).bytes(v));
        return w.toByteArray();
    }

    static MemoryState deserialize(byte[] bytes) {
        BinaryReader r = new BinaryReader(bytes);
        int format = r.u8();
        if (format < FORMAT_V2 || format > FORMAT_V4) {
            throw new IllegalArgumentException("unknown memory state format");
        }
        MemoryState s = empty();
        s.meta = new PartitionMeta(r.i64(), r.i64(), r.i64(), r.i64());
        readStringTable(r, s.queues);
        for (int i = 0, n = r.count(Integer.MAX_VALUE); i < n; i++) {
            s.messages.put(new MsgKey(r.i64(), r.i64()), r.bytes());
        }
        for (int i = 0, n = r.count(Integer.MAX_VALUE); i < n; i++) {
            s.visibility.put(new VisKey(r.i64(), r.i64(), r.i64()), r.bool());
        }
        readStringTable(r, s.registry);
        for (int i = 0, n = r.count(Integer.MAX_VALUE); i < n; i++) {
            s.aux.put(new AuxKey(r.i32(), r.bytes()), r.bytes());
        }
        for (int i = 0, n = format >= FORMAT_V3 ? r.count(Integer.MAX_VALUE) : 0; i < n; i++) {
            s.payloads.put(new MsgKey(r.i64(), r.i64()), r.bytes());
        }
        if (format >= FORMAT_V4) {
            for (int i = 0, n = r.count(Integer.MAX_VALUE); i < n; i++) {
                s.shards.put(r.i64(), r.bytes());
            }
            for (int i = 0, n = r.count(Integer.MAX_VALUE); i < n; i++) {
                s.records.put(new MsgKey(r.i64(), r.i64()), r.bytes());
            }
            for (int i = 0, n = r.count(Integer.MAX_VALUE); i < n; i++) {
                s.timeMarks.put(new MsgKey(r.i64(), r.i64()), r.i64());
            }
            for (int i = 0, n = r.count(Integer.MAX_VALUE); i < n; i++) {
                s.leases.put(new LeaseKey(r.i64(), r.string()), r.bytes());
            }
        }
        r.expectEnd();
        return s;
    }

    private static void writeStringTable(BinaryWriter w, TreeMap<String, byte[]> table) {
        w.i32(table.size());
        for (Map.Entry<String, byte[]> e : table.entrySet()) {
            w.string(e.getKey()).bytes(e.getValue());
        }
    }

    private static void readStringTable(BinaryReader r, TreeMap<String, byte[]> table) {
        for (int i = 0, n = r.count(Integer.MAX_VALUE); i < n; i++) {
            table.put(r.string(), r.bytes());
        }
    }
}
