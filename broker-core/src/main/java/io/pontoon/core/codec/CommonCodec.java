package io.pontoon.core.codec;

import io.pontoon.core.Limits;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.queue.FifoSettings;
import io.pontoon.core.queue.MessageAttribute;
import io.pontoon.core.queue.RedriveAllowPolicy;
import io.pontoon.core.queue.RedrivePolicy;
import io.pontoon.core.queue.QueueAttributes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Encodings of value types shared by the command and controller codecs. Maps are written in key order. */
public final class CommonCodec {
    /** Bound on any map/list decoded from the log; real bounds are enforced by the validator. */
    public static final int MAX_COLLECTION = 1_000_000;

    private CommonCodec() {
    }

    public static void writeQueueAttributes(BinaryWriter w, QueueAttributes a) {
        w.i32(a.visibilityTimeoutSeconds()).i32(a.messageRetentionPeriodSeconds()).i32(a.delaySeconds())
                .i32(a.receiveMessageWaitTimeSeconds()).i32(a.maximumMessageSizeBytes());
        writeStringMap(w, a.tags());
    }

    public static QueueAttributes readQueueAttributes(BinaryReader r) {
        return new QueueAttributes(r.i32(), r.i32(), r.i32(), r.i32(), r.i32(), readStringMap(r));
    }

    /** The FIFO settings and redrive policies of a queue (command format v2); standard defaults when absent. */
    public static void writeQueueTypeAttributes(BinaryWriter w, QueueAttributes a) {
        FifoSettings f = a.fifo();
        w.bool(f != null);
        if (f != null) {
            w.bool(f.contentBasedDeduplication()).u8(f.deduplicationScope().ordinal()).u8(f.fifoThroughputLimit().ordinal());
        }
        RedrivePolicy p = a.redrivePolicy();
        w.bool(p != null);
        if (p != null) {
            w.string(p.deadLetterQueueName()).i32(p.maxReceiveCount());
        }
        w.u8(a.redriveAllowPolicy().permission().ordinal());
        writeStringList(w, List.copyOf(a.redriveAllowPolicy().sourceQueueNames()));
    }

    public static QueueAttributes readQueueTypeAttributes(BinaryReader r, QueueAttributes base) {
        FifoSettings f = r.bool() ? new FifoSettings(r.bool(), enumAt(FifoSettings.DeduplicationScope.values(), r.u8()),
                enumAt(FifoSettings.FifoThroughputLimit.values(), r.u8())) : null;
        RedrivePolicy p = r.bool() ? new RedrivePolicy(r.string(), r.i32()) : null;
        RedriveAllowPolicy allow = new RedriveAllowPolicy(enumAt(RedriveAllowPolicy.Permission.values(), r.u8()),
                new java.util.TreeSet<>(readStringList(r)));
        return new QueueAttributes(base.visibilityTimeoutSeconds(), base.messageRetentionPeriodSeconds(), base.delaySeconds(),
                base.receiveMessageWaitTimeSeconds(), base.maximumMessageSizeBytes(), base.tags(), f, p, allow);
    }

    private static <E> E enumAt(E[] values, int ordinal) {
        if (ordinal >= values.length) {
            throw new IllegalArgumentException("unknown enum ordinal " + ordinal);
        }
        return values[ordinal];
    }

    /**
     * A log entry framed from commands encoded one by one (each its type id and fields): the format version, the
     * count, then the commands. Both partition and controller logs use it, so group commit can size and batch
     * pre-encoded commands of either.
     */
    public static byte[] frame(int version, List<byte[]> encodedCommands) {
        if (encodedCommands.size() > io.pontoon.core.Limits.MAX_COMMANDS_PER_ENTRY) {
            throw new IllegalArgumentException(encodedCommands.size() + " commands exceed " + io.pontoon.core.Limits.MAX_COMMANDS_PER_ENTRY + " per entry");
        }
        BinaryWriter w = new BinaryWriter(io.pontoon.core.Limits.MAX_ENCODED_ENTRY_BYTES);
        w.u8(version).i32(encodedCommands.size());
        encodedCommands.forEach(w::raw);
        return w.toByteArray();
    }

    public static void writeStringMap(BinaryWriter w, Map<String, String> map) {
        w.i32(map.size());
        for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
            w.string(e.getKey()).string(e.getValue());
        }
    }

    public static Map<String, String> readStringMap(BinaryReader r) {
        int n = r.count(MAX_COLLECTION);
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < n; i++) {
            map.put(r.string(), r.string());
        }
        return map;
    }

    public static void writeStringList(BinaryWriter w, List<String> list) {
        w.i32(list.size());
        list.forEach(w::string);
    }

    public static List<String> readStringList(BinaryReader r) {
        int n = r.count(MAX_COLLECTION);
        List<String> list = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            list.add(r.string());
        }
        return list;
    }

    public static void writeMessageAttributes(BinaryWriter w, SortedMap<String, MessageAttribute> attrs) {
        w.i32(attrs.size());
        for (Map.Entry<String, MessageAttribute> e : attrs.entrySet()) {
            MessageAttribute a = e.getValue();
            w.string(e.getKey()).string(a.dataType()).nullableString(a.stringValue());
            w.bool(a.binaryValue() != null);
            if (a.binaryValue() != null) {
                w.bytes(a.binaryValue());
            }
        }
    }

    public static SortedMap<String, MessageAttribute> readMessageAttributes(BinaryReader r) {
        int n = r.count(Limits.MAX_MESSAGE_ATTRIBUTES * 100);
        SortedMap<String, MessageAttribute> attrs = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            String name = r.string();
            String type = r.string();
            String sv = r.nullableString();
            byte[] bv = r.bool() ? r.bytes() : null;
            attrs.put(name, new MessageAttribute(type, sv, bv));
        }
        return attrs;
    }

    /** Error codes travel by enum name: stable across reorderings of the enum. */
    public static void writeErrorCode(BinaryWriter w, ErrorCode code) {
        w.string(code.name());
    }

    public static ErrorCode readErrorCode(BinaryReader r) {
        String name = r.string();
        try {
            return ErrorCode.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown error code " + name, e);
        }
    }

    public static void expectVersion(BinaryReader r, int expected, String what) {
        int v = r.u8();
        if (v != expected) {
            throw new IllegalArgumentException("unknown " + what + " format version " + v);
        }
    }
}
