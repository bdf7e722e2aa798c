package io.pontoon.core.queue;

import io.pontoon.core.queue.MessageAttribute;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;

/** The MD5 digests SQS returns, computed exactly as SQS (and the AWS SDKs that verify them) do. */
public final class Md5s {
    private static final byte STRING_TRANSPORT = 1;
    private static final byte BINARY_TRANSPORT = 2;

    private Md5s() {
    }

    public static String ofBody(String body) {
        return ofBody(body.getBytes(StandardCharsets.UTF_8));
    }

    public static String ofBody(byte[] utf8Body) {
        return hex(utf8Body);
    }

    /**
     * MD5OfMessageAttributes: attributes sorted by name; for each, length-prefixed (4-byte big-endian) name and
     * data type, then a transport byte (1 = String/Number, 2 = Binary) and the length-prefixed value.
     * Null when there are no attributes (SQS omits the field then).
     */
    public static String ofAttributes(SortedMap<String, MessageAttribute> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, MessageAttribute> e : attributes.entrySet()) {
            MessageAttribute a = e.getValue();
            writeLengthPrefixed(out, e.getKey().getBytes(StandardCharsets.UTF_8));
            writeLengthPrefixed(out, a.dataType().getBytes(StandardCharsets.UTF_8));
            if (a.stringValue() != null) {
                out.write(STRING_TRANSPORT);
                writeLengthPrefixed(out, a.stringValue().getBytes(StandardCharsets.UTF_8));
            } else {
                out.write(BINARY_TRANSPORT);
                writeLengthPrefixed(out, a.binaryValue());
            }
        }
        return hex(out.toByteArray());
    }

    private static void writeLengthPrefixed(ByteArrayOutputStream out, byte[] bytes) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }

    private static String hex(byte[] bytes) {
        return HEX.formatHex(MD5.get().digest(bytes));
    }

    private static final HexFormat HEX = HexFormat.of();

    /** One digest per thread: {@code MessageDigest.getInstance} showed up in apply-thread profiles. */
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships MD5", e);
        }
    });
}
