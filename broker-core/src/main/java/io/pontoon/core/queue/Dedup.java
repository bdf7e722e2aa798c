package io.pontoon.core.queue;

import io.pontoon.core.Limits;
import io.pontoon.core.codec.BinaryReader;
import io.pontoon.core.codec.BinaryWriter;
import io.pontoon.core.queue.FifoSettings;
import io.pontoon.core.queue.QueueRecord;
import io.pontoon.core.queue.AuxKeys;
import io.pontoon.core.partition.AuxTable;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * FIFO send deduplication: within 5 minutes of a send, a send with the same deduplication id (in the same
 * scope: the queue, or the message group) returns the first send's MessageId and SequenceNumber and stores
 * nothing, also after the first message was deleted (elasticmq#354). Replicated state, so it holds across
 * leader failover, restart and snapshot install.
 */
final class Dedup {
    private Dedup() {
    }

    record Hit(String messageId, String sequenceNumber) {
    }

    /** The dedup id a FIFO send uses: explicit, else the body's SHA-256 if the queue enables it, else null. */
    static String idOf(FifoSettings fifo, String explicitId, String body) {
        if (explicitId != null) {
            return explicitId;
        }
        return fifo.contentBasedDeduplication() ? sha256Hex(body) : null;
    }

    static Optional<Hit> find(QueueContext ctx, QueueRecord q, String groupId, String dedupId) {
        return ctx.txn().aux(AuxTable.DEDUP, key(q, groupId, dedupId))
                .filter(v -> Expiry.expiresAt(v) > ctx.nowMs())
                .map(v -> {
                    BinaryReader r = new BinaryReader(v);
                    r.i64();
                    return new Hit(r.string(), r.string());
                });
    }

    static void remember(QueueContext ctx, QueueRecord q, String groupId, String dedupId, String messageId, String sequenceNumber) {
        byte[] key = key(q, groupId, dedupId);
        long expiresAt = ctx.nowMs() + Limits.DEDUP_WINDOW_MS;
        Expiry.put(ctx.txn(), AuxTable.DEDUP, key, expiresAt,
                new BinaryWriter(Limits.MAX_ENCODED_ENTRY_BYTES).i64(expiresAt).string(messageId).string(sequenceNumber).toByteArray());
    }

    private static byte[] key(QueueRecord q, String groupId, String dedupId) {
        boolean perGroup = q.attributes().fifo().deduplicationScope() == FifoSettings.DeduplicationScope.MESSAGE_GROUP;
        return AuxKeys.dedup(q.queueId(), perGroup ? groupId : "", dedupId);
    }

    private static String sha256Hex(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
