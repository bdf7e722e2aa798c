package io.pontoon.core.controller;

import java.nio.ByteBuffer;
import java.util.List;

/** Registry-table keys and value encodings of the controller state (each value starts with a version byte). */
final class ControllerKeys {
    static final String PARTITION_COUNT = "ctl/partition-count";
    static final String PLACEMENT_PREFIX = "ctl/queue/";
    static final String TOMBSTONE_PREFIX = "ctl/tomb/";
    static final String LOAD_PREFIX = "ctl/load/";
    /** The stream placement namespace: a stream's topology under its name (a queue and a stream may share a name). */
    static final String STREAM_PREFIX = "ctl/stream/";
    /** The topic placement namespace: a topic's partition under its name. */
    static final String TOPIC_PREFIX = "ctl/topic/";
    static final String TOPIC_COUNT = "ctl/topic-count";
    static final String NEXT_SHARD_UID = "ctl/next-shard-uid";
    private static final byte V1 = 1;
    private static final byte V2 = 2;

    private ControllerKeys() {
    }

    static String placement(String name) { return PLACEMENT_PREFIX + name; }

    static String tombstone(String name) { return TOMBSTONE_PREFIX + name; }

    static String stream(String name) { return STREAM_PREFIX + name; }

    static String topic(String name) { return TOPIC_PREFIX + name; }

    /** Zero-padded so the keys sort by partition id. */
    static String loadKey(int partitionId) { return LOAD_PREFIX + String.format("%05d", partitionId); }

    static byte[] intValue(int v) {
        return ByteBuffer.allocate(5).put(V1).putInt(v).array();
    }

    static int intValue(byte[] b) {
        ByteBuffer buf = check(b, 5);
        return buf.getInt();
    }

    /** A queue's shards: version 2, then the partition ids. Version 1 (one int) is read as one shard. */
    static byte[] intsValue(List<Integer> values) {
        ByteBuffer buf = ByteBuffer.allocate(1 + 4 * values.size()).put(V2);
        values.forEach(buf::putInt);
        return buf.array();
    }

    static List<Integer> intsValue(byte[] b) {
        if (b.length > 0 && b[0] == V1) {
            return List.of(intValue(b));
        }
        if (b.length < 5 || b[0] != V2 || (b.length - 1) % 4 != 0) {
            throw new IllegalStateException("corrupt controller record");
        }
        ByteBuffer buf = ByteBuffer.wrap(b, 1, b.length - 1);
        List<Integer> out = new java.util.ArrayList<>();
        while (buf.hasRemaining()) {
            out.add(buf.getInt());
        }
        return out;
    }

    static byte[] longValue(long v) {
        return ByteBuffer.allocate(9).put(V1).putLong(v).array();
    }

    static long longValue(byte[] b) {
        return check(b, 9).getLong();
    }

    private static ByteBuffer check(byte[] b, int len) {
        if (b.length != len || b[0] != V1) {
            throw new IllegalStateException("corrupt controller record");
        }
        return ByteBuffer.wrap(b, 1, len - 1);
    }
}
