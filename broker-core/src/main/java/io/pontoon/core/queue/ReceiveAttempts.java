package io.pontoon.core.queue;

import io.pontoon.core.Limits;
import io.pontoon.core.codec.BinaryReader;
import io.pontoon.core.codec.BinaryWriter;
import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.queue.QueueRecord;
import io.pontoon.core.queue.AuxKeys;
import io.pontoon.core.partition.AuxTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * FIFO ReceiveRequestAttemptId: a retried receive (say, after a timeout the client could not tell from a
 * failure) with the same id within 5 minutes returns the same messages and receipt handles, as long as none
 * of them was deleted, changed or received again since; otherwise it is an ordinary new receive.
 */
final class ReceiveAttempts {
    private ReceiveAttempts() {
    }

    /** One message the attempt returned: which message, and which receive of it (its receipt). */
    record Taken(long seq, long receiptSeq) {
    }

    /** The messages to return again, if the attempt is known, unexpired and all its messages are unchanged. */
    static Optional<List<MessageRecord>> replay(QueueContext ctx, QueueRecord q, String attemptId) {
        Optional<byte[]> stored = ctx.txn().aux(AuxTable.RECEIVE_ATTEMPT, AuxKeys.receiveAttempt(q.queueId(), attemptId))
                .filter(v -> Expiry.expiresAt(v) > ctx.nowMs());
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        BinaryReader r = new BinaryReader(stored.get());
        r.i64();
        int n = r.i32();
        List<MessageRecord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long seq = r.i64(), receiptSeq = r.i64();
            Optional<MessageRecord> m = ctx.txn().message(q.queueId(), seq)
                    .filter(x -> x.receiptSeq() == receiptSeq && Messages.inFlight(x, ctx.nowMs()));
            if (m.isEmpty()) {
                return Optional.empty();
            }
            out.add(m.get());
        }
        return Optional.of(out);
    }

    static void remember(QueueContext ctx, QueueRecord q, String attemptId, List<Taken> taken) {
        byte[] key = AuxKeys.receiveAttempt(q.queueId(), attemptId);
        long expiresAt = ctx.nowMs() + Limits.RECEIVE_ATTEMPT_WINDOW_MS;
        BinaryWriter w = new BinaryWriter(Limits.MAX_ENCODED_ENTRY_BYTES).i64(expiresAt).i32(taken.size());
        taken.forEach(t -> w.i64(t.seq()).i64(t.receiptSeq()));
        Expiry.put(ctx.txn(), AuxTable.RECEIVE_ATTEMPT, key, expiresAt, w.toByteArray());
    }
}
