package io.pontoon.core.controller;

import java.nio.ByteBuffer;

/** Registry-table keys and value encodings of the controller state (each value starts with a version byte). */
final class ControllerKeys {
    static final String PARTITION_COUNT = "ctl/partition-count";
    static final String PLACEMENT_PREFIX = "ctl/queue/";
    static final String TOMBSTONE_PREFIX = "ctl/tomb/";
    static final String LOAD_PREFIX = "ctl/load/";
    private static final byte V1 = 1;

    private ControllerKeys() {
    }

    static String placement(String name) { return PLACEMENT_PREFIX + name; }

    static String tombstone(String name) { return TOMBSTONE_PREFIX + name; }

    /** Zero-padded so the keys sort by partition id. */
    static String loadKey(int partitionId) { return LOAD_PREFIX + String.format("%05d", partitionId); }

    static byte[] intValue(int v) {
        return ByteBuffer.allocate(5).put(V1).putInt(v).array();
    }

    static int intValue(byte[] b) {
        ByteBuffer buf = check(b, 5);
        return buf.getInt();
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
