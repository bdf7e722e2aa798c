package io.pontoon.core.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reader matching {@link BinaryWriter}. Every length is checked against the bytes left, so a corrupt
 * input fails with IllegalArgumentException instead of allocating wildly.
 */
public final class BinaryReader {
    private final byte[] buf;
    private int pos;

    public BinaryReader(byte[] buf) {
        this.buf = buf;
    }

    public int u8() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    /** The next byte, without consuming it. */
    public int peekU8() {
        need(1);
        return buf[pos] & 0xFF;
    }

    public boolean bool() {
        int v = u8();
        if (v > 1) {
            throw new IllegalArgumentException("bad boolean " + v);
        }
        return v == 1;
    }

    public int i32() {
        need(4);
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    public long i64() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    public byte[] bytes() {
        int len = i32();
        if (len < 0) {
            throw new IllegalArgumentException("negative length " + len);
        }
        need(len);
        byte[] v = Arrays.copyOfRange(buf, pos, pos + len);
        pos += len;
        return v;
    }

    /** Exactly {@code n} bytes, without a length prefix (fixed-size fields). */
    public byte[] raw(int n) {
        need(n);
        byte[] out = java.util.Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    public String string() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    public String nullableString() {
        return bool() ? string() : null;
    }

    public Integer nullableInt() {
        return bool() ? i32() : null;
    }

    /** A collection size, which must lie in [0, max]. */
    public int count(int max) {
        int n = i32();
        if (n < 0 || n > max) {
            throw new IllegalArgumentException("count " + n + " outside [0, " + max + "]");
        }
        return n;
    }

    public void expectEnd() {
        if (pos != buf.length) {
            throw new IllegalArgumentException((buf.length - pos) + " trailing bytes");
        }
    }

    private void need(int n) {
        if (n > buf.length - pos) {
            throw new IllegalArgumentException("truncated input: need " + n + " bytes at " + pos + " of " + buf.length);
        }
    }
}
