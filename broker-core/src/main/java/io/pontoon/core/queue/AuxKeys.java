package io.pontoon.core.queue;

import io.pontoon.core.partition.AuxTable;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The key encoder of the {@link AuxTable}s; layout in {@code AUX_KEYS.md} beside this file. Keys compare as
 * unsigned bytes, so numbers are big-endian (all are non-negative: ids, seqs, epoch milliseconds) and strings
 * carry a 2-byte length first, which keeps one group's or one queue's keys a contiguous prefix range.
 */
public final class AuxKeys {
    private static final int ACTIVE_TASK = 1;
    private static final int TASK = 2;

    private AuxKeys() {
    }

    /** Every key of a queue incarnation in GROUP_MEMBER, FIFO_GROUP, DEDUP, RECEIVE_ATTEMPT. */
    public static byte[] queuePrefix(long queueId) {
        return new Key().u64(queueId).bytes();
    }

    public static byte[] group(long queueId, String groupId) {
        return new Key().u64(queueId).str(groupId).bytes();
    }

    /** The members of one group share the group's key as prefix. */
    public static byte[] member(long queueId, String groupId, long seq) {
        return new Key().u64(queueId).str(groupId).u64(seq).bytes();
    }

    public static long memberSeq(byte[] memberKey) {
        return u64At(memberKey, memberKey.length - Long.BYTES);
    }

    /** @param scope the group id under DeduplicationScope=messageGroup, "" under queue scope */
    public static byte[] dedup(long queueId, String scope, String deduplicationId) {
        return new Key().u64(queueId).str(scope).str(deduplicationId).bytes();
    }

    public static byte[] receiveAttempt(long queueId, String attemptId) {
        return new Key().u64(queueId).str(attemptId).bytes();
    }

    /** Ordered by expiry time, then which record expires. */
    public static byte[] expiry(long expiresAtMs, AuxTable table, byte[] key) {
        return new Key().u64(expiresAtMs).u8(table.id()).raw(key).bytes();
    }

    public static long expiryTime(byte[] expiryKey) {
        return u64At(expiryKey, 0);
    }

    public static AuxTable expiryTable(byte[] expiryKey) {
        int id = expiryKey[Long.BYTES] & 0xFF;
        for (AuxTable t : AuxTable.values()) {
            if (t.id() == id) {
                return t;
            }
        }
        throw new IllegalStateException("expiry entry names unknown table " + id);
    }

    public static byte[] expiryTarget(byte[] expiryKey) {
        return java.util.Arrays.copyOfRange(expiryKey, Long.BYTES + 1, expiryKey.length);
    }

    public static byte[] movedMessage(String queueName, long queueId, long seq) {
        return new Key().str(queueName).u64(queueId).u64(seq).bytes();
    }

    /** (queueId, seq) of a MOVED_MESSAGE key; the queue name is read with {@link #movedMessageQueue}. */
    public static long[] movedMessageIds(byte[] key) {
        return new long[]{u64At(key, key.length - 2 * Long.BYTES), u64At(key, key.length - Long.BYTES)};
    }

    public static String movedMessageQueue(byte[] key) {
        int length = ((key[0] & 0xFF) << 8) | (key[1] & 0xFF);
        return new String(key, 2, length, StandardCharsets.UTF_8);
    }

    public static byte[] outbox(long outboxSeq) {
        return new Key().u64(outboxSeq).bytes();
    }

    public static long outboxSeq(byte[] outboxKey) {
        return u64At(outboxKey, 0);
    }

    public static byte[] inbox(int sourcePartition) {
        return new Key().u64(sourcePartition).bytes();
    }

    /**
     * A marker per RUNNING task, so a Tick finds running tasks without reading finished ones. Tasks are keyed by
     * queue name, not incarnation, so a task that a purge ended stays listed.
     */
    public static byte[] activeTask(String queueName, long taskId) {
        return new Key().u8(ACTIVE_TASK).str(queueName).u64(taskId).bytes();
    }

    public static byte[] activeTasks() {
        return new Key().u8(ACTIVE_TASK).bytes();
    }

    public static byte[] activeTasksOf(String queueName) {
        return new Key().u8(ACTIVE_TASK).str(queueName).bytes();
    }

    public static byte[] task(String queueName, long taskId) {
        return new Key().u8(TASK).str(queueName).u64(taskId).bytes();
    }

    public static byte[] tasksOf(String queueName) {
        return new Key().u8(TASK).str(queueName).bytes();
    }

    /** The queue name of an active-task marker (its task id is the last 8 bytes). */
    public static String activeTaskQueue(byte[] markerKey) {
        int length = ((markerKey[1] & 0xFF) << 8) | (markerKey[2] & 0xFF);
        return new String(markerKey, 3, length, StandardCharsets.UTF_8);
    }

    public static long activeTaskId(byte[] markerKey) {
        return u64At(markerKey, markerKey.length - Long.BYTES);
    }

    private static long u64At(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static final class Key {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(32);

        Key u8(int v) {
            out.write(v);
            return this;
        }

        Key u64(long v) {
            if (v < 0) {
                throw new IllegalArgumentException("aux key numbers are non-negative: " + v);
            }
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (v >>> shift));
            }
            return this;
        }

        Key str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (b.length > 0xFFFF) {
                throw new IllegalArgumentException("aux key string too long");
            }
            out.write(b.length >>> 8);
            out.write(b.length);
            out.write(b, 0, b.length);
            return this;
        }

        Key raw(byte[] b) {
            out.write(b, 0, b.length);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
