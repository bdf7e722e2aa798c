package io.pontoon.core.topic;

import io.pontoon.core.Limits;
import io.pontoon.core.codec.BinaryReader;
import io.pontoon.core.codec.BinaryWriter;
import io.pontoon.core.partition.AuxEntry;
import io.pontoon.core.partition.AuxTable;
import io.pontoon.core.partition.StoreTxn;
import io.pontoon.core.partition.StoreView;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A FIFO topic's 5-minute deduplication: a publish whose deduplication id (given, or the SHA-256 of the message with
 * ContentBasedDeduplication) was seen on the same topic within the window answers the first publish's message id and
 * sequence number and delivers nothing. Keyed by the topic's incarnation, so a topic created again starts afresh.
 * Expired records are swept by the Tick, oldest first, a bounded number at a time.
 */
final class TopicDedup {
    private static final int V1 = 1;
    /** Request ids live beside deduplication ids; those are printable ASCII, so this prefix keeps them apart. */
    private static final String REQUEST = "\u0000request:";

    record Seen(long seq, String messageId) {
    }

    private TopicDedup() {
    }

    /** The answer given to an earlier Publish command with this request id, within the window. */
    static Optional<TopicResult.Published> findRequest(StoreView v, Topic t, String requestId, long nowMs) {
        return v.aux(AuxTable.TOPIC_DEDUP, key(t, REQUEST + requestId)).flatMap(value -> {
            BinaryReader r = new BinaryReader(value);
            io.pontoon.core.codec.CommonCodec.expectVersion(r, V1, "topic request");
            long expires = r.i64();
            return expires > nowMs ? Optional.of(TopicCodec.publishedOf(new BinaryReader(r.bytes()))) : Optional.empty();
        });
    }

    static void rememberRequest(StoreTxn txn, Topic t, String requestId, TopicResult.Published answer, long nowMs) {
        byte[] key = key(t, REQUEST + requestId);
        long expires = nowMs + Limits.DEDUP_WINDOW_MS;
        txn.putAux(AuxTable.TOPIC_DEDUP, key, new BinaryWriter(Limits.MAX_ENCODED_ENTRY_BYTES).u8(V1).i64(expires)
                .bytes(TopicCodec.publishedValue(answer)).toByteArray());
        txn.putAux(AuxTable.TOPIC_DEDUP_EXPIRY, expiryKey(expires, key), new byte[0]);
    }

    static Optional<Seen> find(StoreView v, Topic t, String deduplicationId, long nowMs) {
        return v.aux(AuxTable.TOPIC_DEDUP, key(t, deduplicationId)).flatMap(value -> {
            BinaryReader r = new BinaryReader(value);
            io.pontoon.core.codec.CommonCodec.expectVersion(r, V1, "topic dedup");
            Seen seen = new Seen(r.i64(), r.string());
            return r.i64() > nowMs ? Optional.of(seen) : Optional.empty();
        });
    }

    static void remember(StoreTxn txn, Topic t, String deduplicationId, long seq, String messageId, long nowMs) {
        byte[] key = key(t, deduplicationId);
        long expires = nowMs + Limits.DEDUP_WINDOW_MS;
        txn.aux(AuxTable.TOPIC_DEDUP, key).ifPresent(old -> txn.deleteAux(AuxTable.TOPIC_DEDUP_EXPIRY, expiryKey(expiresOf(old), key)));
        txn.putAux(AuxTable.TOPIC_DEDUP, key, new BinaryWriter(Limits.MAX_ENCODED_ENTRY_BYTES).u8(V1).i64(seq).string(messageId).i64(expires)
                .toByteArray());
        txn.putAux(AuxTable.TOPIC_DEDUP_EXPIRY, expiryKey(expires, key), new byte[0]);
    }

    /** Deletes up to {@code max} records whose window closed before {@code nowMs}; returns how many. */
    static int sweep(StoreTxn txn, long nowMs, int max) {
        List<AuxEntry> due = txn.auxRange(AuxTable.TOPIC_DEDUP_EXPIRY, new byte[0], null, max);
        int n = 0;
        for (AuxEntry e : due) {
            BinaryReader r = new BinaryReader(e.key());
            if (r.i64() > nowMs) {
                break;
            }
            byte[] key = r.raw(e.key().length - Long.BYTES);
            txn.deleteAux(AuxTable.TOPIC_DEDUP_EXPIRY, e.key());
            txn.deleteAux(AuxTable.TOPIC_DEDUP, key);
            n++;
        }
        return n;
    }

    /** ContentBasedDeduplication's id: the SHA-256 of the message, in hex. */
    static String contentId(String message) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(message.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long expiresOf(byte[] value) {
        BinaryReader r = new BinaryReader(value);
        r.u8();
        r.i64();
        r.string();
        return r.i64();
    }

    private static byte[] key(Topic t, String deduplicationId) {
        return new BinaryWriter(4_096).string(t.name()).i64(t.createdAtSeq()).string(deduplicationId).toByteArray();
    }

    private static byte[] expiryKey(long expiresAtMs, byte[] key) {
        return new BinaryWriter(4_200).i64(expiresAtMs).raw(key).toByteArray();
    }
}
