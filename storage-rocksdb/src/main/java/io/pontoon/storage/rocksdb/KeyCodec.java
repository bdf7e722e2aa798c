package io.pontoon.storage.rocksdb;

import io.pontoon.core.partition.AuxTable;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Key encoding of the RocksDB partition store; the layout is documented in {@code storage-rocksdb/KEY_LAYOUT.md}.
 *
 * <p>Longs are 8 bytes big-endian with the sign bit flipped, so that the bytewise (unsigned lexicographic) order
 * RocksDB sorts by equals the numeric order of the longs, negative values included. Strings are strict UTF-8
 * (unpaired surrogates are rejected), whose byte order is Unicode code point order.
 */
public final class KeyCodec {
    public static final int LONG_BYTES = 8;
    public static final int MESSAGE_KEY_BYTES = 2 * LONG_BYTES;
    public static final int VISIBILITY_KEY_BYTES = 3 * LONG_BYTES;
    /** The single key of the meta column family. */
    public static final byte[] META_KEY = "meta".getBytes(StandardCharsets.US_ASCII);
    /** A byte string greater than every message or visibility key (all of which are at most 24 bytes long). */
    private static final byte[] ABOVE_ALL_QUEUE_KEYS = filled(VISIBILITY_KEY_BYTES + 1);

    private KeyCodec() {
    }

    // ---- longs ----

    public static void putLong(byte[] buf, int offset, long value) {
        long v = value ^ Long.MIN_VALUE;
        for (int i = LONG_BYTES - 1; i >= 0; i--) {
            buf[offset + i] = (byte) v;
            v >>>= 8;
        }
    }

    public static long getLong(byte[] buf, int offset) {
        long v = 0;
        for (int i = 0; i < LONG_BYTES; i++) {
            v = (v << 8) | (buf[offset + i] & 0xFF);
        }
        return v ^ Long.MIN_VALUE;
    }

    // ---- queue-scoped keys (messages and visibility column families) ----

    /** {@code [queueId]}: the 8-byte prefix shared by a queue incarnation's message and visibility keys. */
    public static byte[] queuePrefix(long queueId) {
        byte[] k = new byte[LONG_BYTES];
        putLong(k, 0, queueId);
        return k;
    }

    /** {@code [queueId][seq]}. */
    public static byte[] messageKey(long queueId, long seq) {
        byte[] k = new byte[MESSAGE_KEY_BYTES];
        putLong(k, 0, queueId);
        putLong(k, LONG_BYTES, seq);
        return k;
    }

    /** {@code [queueId][visibleAtMs][seq]}. */
    public static byte[] visibilityKey(long queueId, long visibleAtMs, long seq) {
        byte[] k = new byte[VISIBILITY_KEY_BYTES];
        putLong(k, 0, queueId);
        putLong(k, LONG_BYTES, visibleAtMs);
        putLong(k, 2 * LONG_BYTES, seq);
        return k;
    }

    /** {@code [queueId][visibleAtMs]}: prefix of the index entries of one instant. */
    public static byte[] visibilityPrefix(long queueId, long visibleAtMs) {
        byte[] k = new byte[MESSAGE_KEY_BYTES];
        putLong(k, 0, queueId);
        putLong(k, LONG_BYTES, visibleAtMs);
        return k;
    }

    public static long queueIdOf(byte[] key) {
        return getLong(key, 0);
    }

    public static long messageSeqOf(byte[] messageKey) {
        return getLong(messageKey, LONG_BYTES);
    }

    public static long visibleAtOf(byte[] visibilityKey) {
        return getLong(visibilityKey, LONG_BYTES);
    }

    public static long visibilitySeqOf(byte[] visibilityKey) {
        return getLong(visibilityKey, 2 * LONG_BYTES);
    }

    /** Exclusive end of the range holding every message and visibility key of {@code queueId}. */
    public static byte[] queueRangeEnd(long queueId) {
        byte[] end = successor(queuePrefix(queueId));
        return end != null ? end : ABOVE_ALL_QUEUE_KEYS.clone();
    }

    // ---- stream model (stream_records and stream_index column families) ----

    /** stream_index table bytes: shards, time marks, leases. */
    static final byte STREAM_SHARD = 1;
    static final byte STREAM_TIME = 2;
    static final byte STREAM_LEASE = 3;

    /** {@code [uid][seq]} in stream_records: a shard's log (the same layout as a message key). */
    public static byte[] recordKey(long uid, long seq) {
        return messageKey(uid, seq);
    }

    /** {@code [1][uid]}. */
    public static byte[] shardKey(long uid) {
        byte[] k = new byte[1 + LONG_BYTES];
        k[0] = STREAM_SHARD;
        putLong(k, 1, uid);
        return k;
    }

    /** {@code [2][uid][arrivalMs]} -> the first seq that arrived then (8 bytes). */
    public static byte[] timeMarkKey(long uid, long arrivalMs) {
        byte[] k = new byte[1 + 2 * LONG_BYTES];
        k[0] = STREAM_TIME;
        putLong(k, 1, uid);
        putLong(k, 1 + LONG_BYTES, arrivalMs);
        return k;
    }

    /** {@code [3][uid][utf8(application)]}. */
    public static byte[] leaseKey(long uid, String application) {
        byte[] app = utf8(application);
        byte[] k = new byte[1 + LONG_BYTES + app.length];
        k[0] = STREAM_LEASE;
        putLong(k, 1, uid);
        System.arraycopy(app, 0, k, 1 + LONG_BYTES, app.length);
        return k;
    }

    /** {@code [table][uid]}: the prefix of one shard's keys of a stream_index table. */
    public static byte[] shardTablePrefix(byte table, long uid) {
        byte[] k = new byte[1 + LONG_BYTES];
        k[0] = table;
        putLong(k, 1, uid);
        return k;
    }

    public static long uidOfShardKey(byte[] key) {
        return getLong(key, 1);
    }

    public static byte[] longValue(long v) {
        byte[] b = new byte[LONG_BYTES];
        putLong(b, 0, v);
        return b;
    }

    // ---- aux tables (aux column family) ----

    /**
     * {@code [tableId][key]}: the core's key behind one byte of table id, so that one column family holds every
     * aux table and a table (or a key prefix within it) is one contiguous range. Also the prefix of a range.
     */
    public static byte[] auxKey(AuxTable table, byte[] key) {
        byte[] k = new byte[1 + key.length];
        k[0] = tableByte(table);
        System.arraycopy(key, 0, k, 1, key.length);
        return k;
    }

    /**
     * Exclusive end of the range of {@code table} keys starting with {@code prefix}. Never null: the table byte
     * is below 0xFF, so an empty or all-0xFF prefix ends at {@code [tableId + 1]}, the start of the next table.
     */
    public static byte[] auxRangeEnd(AuxTable table, byte[] prefix) {
        return successor(auxKey(table, prefix));
    }

    /** The core's key of a physical aux key. */
    public static byte[] auxUserKey(byte[] auxKey) {
        return Arrays.copyOfRange(auxKey, 1, auxKey.length);
    }

    private static byte tableByte(AuxTable table) {
        int id = table.id();
        // 0xFF is excluded so that every table's range has an exclusive end (see auxRangeEnd)
        if (id < 0 || id >= 0xFF) {
            throw new IllegalArgumentException("aux table id must be in [0, 254], got " + id + " (" + table + ")");
        }
        return (byte) id;
    }

    // ---- visibility values ----

    public static byte[] visibilityValue(boolean received) {
        return new byte[] {received ? (byte) 1 : (byte) 0};
    }

    public static boolean receivedOf(byte[] visibilityValue) {
        if (visibilityValue.length != 1 || (visibilityValue[0] & 0xFE) != 0) {
            throw new IllegalStateException("corrupt visibility index value " + Arrays.toString(visibilityValue));
        }
        return visibilityValue[0] == 1;
    }

    // ---- strings (queue names, registry keys) ----

    public static byte[] utf8(String s) {
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not encodable as UTF-8 (unpaired surrogate?): " + s, e);
        }
    }

    public static String string(byte[] utf8) {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    // ---- byte-string helpers ----

    /**
     * The smallest byte string greater than every string starting with {@code prefix}, or {@code null} when there
     * is none (the prefix is empty or all 0xFF).
     */
    public static byte[] successor(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] s = Arrays.copyOf(prefix, i + 1);
                s[i]++;
                return s;
            }
        }
        return null;
    }

    public static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Bytewise unsigned comparison: the order of RocksDB's default comparator. */
    public static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    private static byte[] filled(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 0xFF);
        return b;
    }
}
