package io.pontoon.core.storage.memory;

import io.pontoon.core.codec.BinaryReader;
import io.pontoon.core.codec.BinaryWriter;
import io.pontoon.core.storage.PartitionMeta;

import java.util.Map;
import java.util.TreeMap;

/** The tables of an {@link InMemoryPartitionStore}, and their canonical serialization. */
final class MemoryState {
    static final String FILE_NAME = "memory-state.bin";
    private static final int FORMAT_V1 = 1;

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

    PartitionMeta meta;
    final TreeMap<String, byte[]> queues;
    final TreeMap<MsgKey, byte[]> messages;
    final TreeMap<VisKey, Boolean> visibility;
    final TreeMap<String, byte[]> registry;

    private MemoryState(PartitionMeta meta, TreeMap<String, byte[]> queues, TreeMap<MsgKey, byte[]> messages,
                        TreeMap<VisKey, Boolean> visibility, TreeMap<String, byte[]> registry) {
        this.meta = meta;
        this.queues = queues;
        this.messages = messages;
        this.visibility = visibility;
        this.registry = registry;
    }

    static MemoryState empty() {
        return new MemoryState(PartitionMeta.EMPTY, new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
    }

    /** Values are never mutated in place (puts replace them), so sharing the byte arrays is safe. */
    MemoryState copy() {
        return new MemoryState(meta, new TreeMap<>(queues), new TreeMap<>(messages), new TreeMap<>(visibility), new TreeMap<>(registry));
    }

    byte[] serialize() {
        BinaryWriter w = new BinaryWriter(Integer.MAX_VALUE - 16);
        w.u8(FORMAT_V1).i64(meta.appliedIndex()).i64(meta.appliedTerm()).i64(meta.effectiveNowMs()).i64(meta.nextSeq());
        writeStringTable(w, queues);
        w.i32(messages.size());
        messages.forEach((k, v) -> w.i64(k.queueId()).i64(k.seq()).bytes(v));
        w.i32(visibility.size());
        visibility.forEach((k, v) -> w.i64(k.queueId()).i64(k.visibleAtMs()).i64(k.seq()).bool(v));
        writeStringTable(w, registry);
        return w.toByteArray();
    }

    static MemoryState deserialize(byte[] bytes) {
        BinaryReader r = new BinaryReader(bytes);
        if (r.u8() != FORMAT_V1) {
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
