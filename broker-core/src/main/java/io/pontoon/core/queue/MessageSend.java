package io.pontoon.core.queue;

import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.MessageIds;
import io.pontoon.core.queue.QueueCommand.SendEntry;
import io.pontoon.core.queue.QueueCommand.SendMessages;
import io.pontoon.core.queue.QueueResult;
import io.pontoon.core.queue.QueueResult.EntryFailure;
import io.pontoon.core.queue.QueueResult.SendSuccess;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.queue.MessagePayload;
import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.queue.QueueAttributes;
import io.pontoon.core.queue.QueueRecord;
import io.pontoon.core.queue.QueueValidator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SendMessage(Batch). Entries are stored in request order, which is FIFO order within a group (elasticmq#267).
 * An entry that breaks a rule fails alone; the others are stored (AWS batch semantics).
 */
public final class MessageSend {
    private MessageSend() {
    }

    public static PartitionResult send(QueueContext ctx, SendMessages cmd) {
        Optional<QueueRecord> found = ctx.txn().queue(cmd.queueName());
        if (found.isEmpty()) {
            return QueueAdmin.noSuchQueue();
        }
        QueueRecord q = found.get();
        List<SendSuccess> ok = new ArrayList<>();
        List<EntryFailure> failed = new ArrayList<>();
        long stored = 0;
        for (SendEntry e : cmd.entries()) {
            EntryFailure failure = refusal(q, e);
            if (failure != null) {
                failed.add(failure);
                continue;
            }
            if (q.attributes().isFifo()) {
                String dedupId = Dedup.idOf(q.attributes().fifo(), e.deduplicationId(), e.body());
                Optional<Dedup.Hit> hit = Dedup.find(ctx, q, e.groupId(), dedupId);
                if (hit.isPresent()) {
                    ok.add(new SendSuccess(e.id(), hit.get().messageId(), hit.get().sequenceNumber()));
                    continue;
                }
                MessageRecord m = store(ctx, q, e, dedupId);
                Dedup.remember(ctx, q, e.groupId(), dedupId, m.messageId(), m.sequenceNumber());
                ok.add(new SendSuccess(e.id(), m.messageId(), m.sequenceNumber()));
            } else {
                ok.add(new SendSuccess(e.id(), store(ctx, q, e, null).messageId()));
            }
            stored++;
        }
        if (stored > 0) {
            ctx.txn().putQueue(Messages.withMessageCount(q, q.messageCount() + stored));
        }
        return new QueueResult.Sent(ok, failed);
    }

    /**
     * Why the entry is not stored: a stateless rule (checked again here, so an entry that bypassed the node's
     * checks fails alone instead of being stored) or one that depends on the queue's settings.
     */
    private static EntryFailure refusal(QueueRecord q, SendEntry e) {
        QueueAttributes a = q.attributes();
        EntryFailure invalid = QueueValidator.sendEntryRefusal(e, a.isFifo());
        if (invalid != null) {
            return invalid;
        }
        long size = QueueValidator.messageSize(e.body(), e.attributes());
        if (size > a.maximumMessageSizeBytes()) {
            return new EntryFailure(e.id(), ErrorCode.INVALID_PARAMETER_VALUE, "One or more parameters are invalid. Reason: Message must be at most "
                    + a.maximumMessageSizeBytes() + " bytes (the queue's MaximumMessageSize); it is " + size + " bytes.", true);
        }
        if (a.isFifo() && e.deduplicationId() == null && !a.fifo().contentBasedDeduplication()) {
            return new EntryFailure(e.id(), ErrorCode.INVALID_PARAMETER_VALUE,
                    "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly", true);
        }
        return null;
    }

    /**
     * A standard message waits its delay (its own, else the queue's at the time of sending). A FIFO message stores
     * its send time as its visibility and waits the queue's DelaySeconds as it is when receives look at it.
     */
    private static MessageRecord store(QueueContext ctx, QueueRecord q, SendEntry e, String dedupId) {
        long seq = ctx.allocateSeq();
        String messageId = MessageIds.of(ctx.partitionEpoch(), ctx.partitionId(), seq);
        int delaySeconds = q.attributes().isFifo() ? 0 : e.delaySeconds() != null ? e.delaySeconds() : q.attributes().delaySeconds();
        MessagePayload payload = new MessagePayload(e.body(), e.attributes(), e.traceHeader());
        MessageRecord m = MessageRecord.sent(q.queueId(), seq, messageId, payload, ctx.nowMs(), ctx.nowMs() + delaySeconds * 1000L,
                e.groupId(), dedupId);
        Messages.insert(ctx, q, m, payload);
        return m;
    }
}
