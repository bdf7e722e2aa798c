package io.pontoon.gateway.kinesis;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The AWS event-stream message encoding (application/vnd.amazon.eventstream), in which SubscribeToShard delivers its
 * events: a prelude (total length, headers length, CRC32 of those 8 bytes), headers (name length, name, type 7 for a
 * string, value length, value), the payload, and a CRC32 of everything before it. All integers are big-endian.
 */
final class EventStreamMessages {
    private static final int PRELUDE_BYTES = 12;
    private static final int CRC_BYTES = 4;
    private static final byte STRING = 7;

    private EventStreamMessages() {
    }

    /** @param headers string-valued headers in the order written */
    static byte[] encode(Map<String, String> headers, byte[] payload) {
        byte[] encodedHeaders = headers(headers);
        int total = PRELUDE_BYTES + encodedHeaders.length + payload.length + CRC_BYTES;
        ByteBuffer out = ByteBuffer.allocate(total);
        out.putInt(total).putInt(encodedHeaders.length);
        out.putInt((int) crc(out.array(), 8));
        out.put(encodedHeaders).put(payload);
        out.putInt((int) crc(out.array(), total - CRC_BYTES));
        return out.array();
    }

    private static byte[] headers(Map<String, String> headers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        headers.forEach((name, value) -> {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            if (n.length > 255 || v.length > 65_535) {
                throw new IllegalArgumentException("event-stream header too long: " + name);
            }
            out.write(n.length);
            out.writeBytes(n);
            out.write(STRING);
            out.write(v.length >>> 8);
            out.write(v.length & 0xff);
            out.writeBytes(v);
        });
        return out.toByteArray();
    }

    private static long crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }
}
