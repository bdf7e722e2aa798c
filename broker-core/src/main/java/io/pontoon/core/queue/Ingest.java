package io.pontoon.core.queue;

import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.Limits;
import io.pontoon.core.codec.BinaryReader;
import io.pontoon.core.codec.BinaryWriter;
import io.pontoon.core.queue.QueueCommand.IngestMessages;
import io.pontoon.core.queue.QueueCommand.MovedMessage;
import io.pontoon.core.queue.QueueResult;
import io.pontoon.core.queue.MessagePayload;
import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.queue.QueueRecord;
import io.pontoon.core.queue.AuxKeys;
import io.pontoon.core.partition.AuxTable;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The destination half of a move. Outbox seqs of one source partition only grow and the forwarder delivers
 * them in order, so one high-water mark per source partition makes a resend after a failover a no-op.
 * A message keeps its MessageId and SentTimestamp (retention counts from the original send, as in AWS).
 */
public final class Ingest {
    private Ingest() {
    }

    public static PartitionResult ingest(QueueContext ctx, IngestMessages cmd) {
        byte[] markKey = AuxKeys.inbox(cmd.sourcePartition());
        long highWater = ctx.txn().aux(AuxTable.INBOX, markKey).map(v -> new BinaryReader(v).i64()).orElse(0L);
        int accepted = 0, dropped = 0;
        Map<String, Long> added = new LinkedHashMap<>();
        for (MovedMessage m : cmd.messages()) {
            if (m.outboxSeq() <= highWater) {
                continue;
            }
            highWater = m.outboxSeq();
            Optional<QueueRecord> q = ctx.txn().queue(m.queueName());
            // The forwarder checked the queue exists; if it was deleted since, the message goes the way of the
            // queue's other messages. A FIFO queue cannot hold a message without a group.
            if (q.isEmpty() || (q.get().attributes().isFifo() && m.groupId() == null)) {
                dropped++;
                continue;
            }
            store(ctx, q.get(), m, m.deadLettered() ? m.fromQueue() : null);
            added.merge(m.queueName(), 1L, Long::sum);
            accepted++;
        }
        addToMessageCounts(ctx, added);
        ctx.txn().putAux(AuxTable.INBOX, markKey, new BinaryWriter(Limits.MAX_ENCODED_ENTRY_BYTES).i64(highWater).toByteArray());
        return new QueueResult.Ingested(accepted, dropped);
    }

    /** One queue-record write per queue for a batch of stored messages, not one per message. */
    static void addToMessageCounts(QueueContext ctx, Map<String, Long> added) {
        added.forEach((name, n) -> ctx.txn().queue(name)
                .ifPresent(q -> ctx.txn().putQueue(Messages.withMessageCount(q, q.messageCount() + n))));
    }

    /**
     * Stores a moved message as a new, visible message of {@code q}; the caller adds it to the queue's
     * messageCount ({@link #addToMessageCounts}). On a standard queue it keeps its
     * SentTimestamp, so retention counts from the original send; on a FIFO queue the enqueue time resets
     * (AWS), which also keeps a FIFO queue's send times in seq order.
     */
    static void store(QueueContext ctx, QueueRecord q, MovedMessage m, String deadLetterSource) {
        long seq = ctx.allocateSeq();
        boolean fifo = q.attributes().isFifo();
        MessagePayload payload = m.payload();
        MessageRecord record = new MessageRecord(q.queueId(), seq, m.messageId(), MessageRecord.payloadSize(payload),
                fifo ? ctx.nowMs() : m.sentMs(), ctx.nowMs(), m.receiveCount(), m.firstReceiveMs(), 0, 0,
                m.groupId(), m.deduplicationId(), deadLetterSource);
        Messages.insert(ctx, q, record, payload);
        // The sweep walks seqs oldest first, so a message much older than its seq needs a watch of its own; one sent
        // within the last second (a topic's fresh delivery) is reached in seq order about when it is due.
        if (record.sentMs() < ctx.nowMs() - Limits.MOVED_WATCH_SLACK_MS) {
            RetentionSweep.watchMoved(ctx, q, record);
        }
    }
}
