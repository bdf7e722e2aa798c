package io.pontoon.core.queue;

import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.Limits;
import io.pontoon.core.codec.BinaryReader;
import io.pontoon.core.codec.BinaryWriter;
import io.pontoon.core.queue.QueueCodec;
import io.pontoon.core.queue.QueueCommand.MovedMessage;
import io.pontoon.core.queue.QueueCommand.SettleOutbox;
import io.pontoon.core.queue.QueueResult;
import io.pontoon.core.queue.MessagePayload;
import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.queue.QueueRecord;
import io.pontoon.core.partition.AuxEntry;
import io.pontoon.core.queue.AuxKeys;
import io.pontoon.core.partition.AuxTable;
import io.pontoon.core.partition.StoreView;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The durable outbox of cross-queue moves (DESIGN.md, cross-partition work). A message leaves its queue and
 * enters the outbox in one txn, so it is always in exactly one of the two; the node's forwarder delivers
 * outbox entries with {@link Ingest} (idempotent at the destination) and then settles them here. Every move
 * takes this path, also when the destination lives on the same partition: one mechanism, always exercised.
 */
public final class Outbox {
    private Outbox() {
    }

    /**
     * Takes {@code m} out of {@code q} into the outbox, bound for {@code destination}; the caller adjusts messageCount
     * and has charged the move against the entry's budget ({@link QueueContext#chargeMove}).
     */
    static void move(QueueContext ctx, QueueRecord q, MessageRecord m, String destination, boolean deadLettered) {
        MessagePayload payload = Messages.payload(ctx, m);
        Messages.remove(ctx, q, m);
        long seq = ctx.allocateSeq();
        int receiveCount = deadLettered ? m.receiveCount() : 0;
        long firstReceive = deadLettered ? m.firstReceiveMs() : 0;
        MovedMessage moved = new MovedMessage(seq, destination, q.name(), deadLettered, m.deadLetterSource(), m.messageId(),
                payload.bodyText(), payload.attributes(), m.sentMs(), receiveCount, firstReceive,
                m.groupId(), m.deduplicationId(), payload.traceHeader());
        BinaryWriter w = new BinaryWriter(Limits.MAX_ENCODED_ENTRY_BYTES);
        QueueCodec.writeMoved(w, moved);
        ctx.txn().putAux(AuxTable.OUTBOX, AuxKeys.outbox(seq), w.toByteArray());
    }

    /**
     * The oldest entries first: the forwarder delivers in outbox order, which Ingest's idempotence relies on. At most
     * {@code limit} entries, and after the first no more than {@code maxBytes} of encoded entries, read a page at a time.
     */
    public static List<MovedMessage> read(StoreView view, int limit, long maxBytes) {
        List<MovedMessage> out = new ArrayList<>();
        long bytes = 0;
        byte[] after = null;
        int cap = Math.min(limit, Limits.MAX_OUTBOX_BATCH);
        while (out.size() < cap) {
            List<AuxEntry> page = view.auxRange(AuxTable.OUTBOX, new byte[0], after, Math.min(cap - out.size(), READ_PAGE));
            for (AuxEntry e : page) {
                bytes += e.value().length;
                if (!out.isEmpty() && bytes > maxBytes) {
                    return out;
                }
                out.add(QueueCodec.readMoved(new BinaryReader(e.value())));
            }
            if (page.size() < READ_PAGE) {
                return out;
            }
            after = page.get(page.size() - 1).key();
        }
        return out;
    }

    /** Entries and bytes in the outbox, counting at most {@code capEntries} entries. */
    public static io.pontoon.core.queue.QueueQueryResult.OutboxSize size(StoreView view, int capEntries) {
        long entries = 0, bytes = 0;
        byte[] after = null;
        while (entries < capEntries) {
            List<AuxEntry> page = view.auxRange(AuxTable.OUTBOX, new byte[0], after, READ_PAGE);
            for (AuxEntry e : page) {
                entries++;
                bytes += e.value().length;
            }
            if (page.size() < READ_PAGE) {
                return new io.pontoon.core.queue.QueueQueryResult.OutboxSize(entries, bytes, false);
            }
            after = page.get(page.size() - 1).key();
        }
        return new io.pontoon.core.queue.QueueQueryResult.OutboxSize(entries, bytes, true);
    }

    /** Outbox entries read per storage call: large entries are read a few at a time, not hundreds at once. */
    private static final int READ_PAGE = 8;

    /**
     * Delivered entries are forgotten; returned ones (no destination queue) go back to the queue they left,
     * as new messages at its end. An entry already settled is skipped, so a repeated settle is harmless.
     */
    public static PartitionResult settle(QueueContext ctx, SettleOutbox cmd) {
        cmd.delivered().forEach(seq -> ctx.txn().deleteAux(AuxTable.OUTBOX, AuxKeys.outbox(seq)));
        java.util.Map<String, Long> returned = new java.util.LinkedHashMap<>();
        for (long seq : cmd.returned()) {
            byte[] key = AuxKeys.outbox(seq);
            Optional<byte[]> entry = ctx.txn().aux(AuxTable.OUTBOX, key);
            if (entry.isPresent()) {
                MovedMessage m = QueueCodec.readMoved(new BinaryReader(entry.get()));
                ctx.txn().queue(m.fromQueue()).ifPresent(q -> {
                    Ingest.store(ctx, q, m, m.originDeadLetterSource());
                    returned.merge(q.name(), 1L, Long::sum);
                });
                ctx.txn().deleteAux(AuxTable.OUTBOX, key);
            }
        }
        Ingest.addToMessageCounts(ctx, returned);
        return new PartitionResult.Ok();
    }
}
