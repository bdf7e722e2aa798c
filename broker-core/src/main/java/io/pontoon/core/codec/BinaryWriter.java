package io.pontoon.core.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Big-endian writer for the log and result codecs, refusing to grow past a byte budget. */
public final class BinaryWriter {
    private final int maxBytes;
    private byte[] buf = new byte[256];
    private int size;

    public BinaryWriter(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    public BinaryWriter u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
        return this;
    }

    public BinaryWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    public BinaryWriter i32(int v) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (v >>> shift);
        }
        return this;
    }

    public BinaryWriter i64(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (v >>> shift);
        }
        return this;
    }

    public BinaryWriter bytes(byte[] v) {
        i32(v.length);
        ensure(v.length);
        System.arraycopy(v, 0, buf, size, v.length);
        size += v.length;
        return this;
    }

    /** Bytes as they are, without a length: for splicing pieces encoded elsewhere. */
    public BinaryWriter raw(byte[] v) {
        ensure(v.length);
        System.arraycopy(v, 0, buf, size, v.length);
        size += v.length;
        return this;
    }

    public BinaryWriter string(String v) {
        return bytes(v.getBytes(StandardCharsets.UTF_8));
    }

    public BinaryWriter nullableString(String v) {
        bool(v != null);
        return v == null ? this : string(v);
    }

    public BinaryWriter nullableInt(Integer v) {
        bool(v != null);
        return v == null ? this : i32(v);
    }

    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int n) {
        long needed = (long) size + n;
        if (needed > maxBytes) {
            throw new IllegalArgumentException("encoded form exceeds " + maxBytes + " bytes");
        }
        if (needed > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(maxBytes, Math.max(needed, 2L * buf.length)));
        }
    }
}
