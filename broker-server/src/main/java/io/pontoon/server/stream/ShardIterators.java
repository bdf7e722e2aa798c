package io.pontoon.server.stream;

import io.pontoon.core.Limits;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;

/**
 * Shard iterators: opaque, self-contained tokens naming a position in one shard (the next sequence to read) and when
 * they were issued. Nothing is stored per iterator, so any node can serve the next GetRecords; an iterator expires
 * {@link Limits#SHARD_ITERATOR_TTL_MS} after it was issued (ExpiredIteratorException), and a token that does not
 * decode, or whose checksum does not match, is InvalidArgumentException.
 */
public final class ShardIterators {
    private static final int VERSION = 1;

    private ShardIterators() {
    }

    /** @param nextSeq the next sequence to read (records at or after it) */
    public record Position(String streamName, String shardId, long uid, long nextSeq, long issuedAtMs) {
    }

    public static String encode(Position p) {
        byte[] stream = p.streamName().getBytes(StandardCharsets.UTF_8);
        byte[] shard = p.shardId().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + 2 + stream.length + 2 + shard.length + 3 * Long.BYTES + Integer.BYTES);
        b.put((byte) VERSION).putShort((short) stream.length).put(stream).putShort((short) shard.length).put(shard)
                .putLong(p.uid()).putLong(p.nextSeq()).putLong(p.issuedAtMs());
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    /** The position inside {@code iterator}, if it is valid and not expired at {@code nowMs}. */
    public static Position decode(String iterator, long nowMs) {
        Position p = parse(iterator);
        if (nowMs - p.issuedAtMs() > Limits.SHARD_ITERATOR_TTL_MS) {
            throw new BrokerException(ErrorCode.EXPIRED_ITERATOR, "Iterator expired: it was issued " + (nowMs - p.issuedAtMs())
                    + " ms ago, and iterators last " + Limits.SHARD_ITERATOR_TTL_MS + " ms. Get a new one from the last sequence number read.");
        }
        return p;
    }

    private static Position parse(String iterator) {
        if (iterator == null || iterator.isEmpty() || iterator.length() > 512) {
            throw invalid();
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(Base64.getUrlDecoder().decode(iterator));
            if (b.get() != VERSION) {
                throw invalid();
            }
            String stream = string(b);
            String shard = string(b);
            long uid = b.getLong(), seq = b.getLong(), issued = b.getLong();
            int end = b.position();
            int crc = b.getInt();
            CRC32 check = new CRC32();
            check.update(b.array(), 0, end);
            if ((int) check.getValue() != crc || b.hasRemaining()) {
                throw invalid();
            }
            return new Position(stream, shard, uid, seq, issued);
        } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
            throw invalid();
        }
    }

    private static String string(ByteBuffer b) {
        int n = b.getShort() & 0xFFFF;
        byte[] s = new byte[n];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static BrokerException invalid() {
        return new BrokerException(ErrorCode.INVALID_ARGUMENT, "ShardIterator is not a valid shard iterator.");
    }
}
