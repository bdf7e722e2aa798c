package io.pontoon.core.apply;

import io.pontoon.core.MessageIds;
import io.pontoon.core.command.PartitionCommand.SendEntry;
import io.pontoon.core.command.PartitionCommand.SendMessages;
import io.pontoon.core.command.PartitionResult;
import io.pontoon.core.command.PartitionResult.EntryFailure;
import io.pontoon.core.command.PartitionResult.SendSuccess;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.queue.QueueRecord;
import io.pontoon.core.validation.RequestValidator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SendMessage(Batch). */
public final class MessageSend {
    private MessageSend() {
    }

    public static PartitionResult send(ApplyContext ctx, SendMessages cmd) {
        Optional<QueueRecord> found = ctx.txn().queue(cmd.queueName());
        if (found.isEmpty()) {
            return QueueAdmin.noSuchQueue();
        }
        QueueRecord q = found.get();
        List<SendSuccess> ok = new ArrayList<>();
        List<EntryFailure> failed = new ArrayList<>();
        for (SendEntry e : cmd.entries()) {
            // MaximumMessageSize is queue state, so it is checked here rather than before replication.
            long size = RequestValidator.messageSize(e.body(), e.attributes());
            if (size > q.attributes().maximumMessageSizeBytes()) {
                failed.add(new EntryFailure(e.id(), ErrorCode.INVALID_PARAMETER_VALUE,
                        "One or more parameters are invalid. Reason: Message must be shorter than "
                                + q.attributes().maximumMessageSizeBytes() + " bytes.", true));
                continue;
            }
            ok.add(store(ctx, q, e));
        }
        if (!ok.isEmpty()) {
            ctx.txn().putQueue(Messages.withMessageCount(q, q.messageCount() + ok.size()));
        }
        return new PartitionResult.Sent(ok, failed);
    }

    private static SendSuccess store(ApplyContext ctx, QueueRecord q, SendEntry e) {
        long seq = ctx.allocateSeq();
        String messageId = MessageIds.of(ctx.partitionEpoch(), ctx.partitionId(), seq);
        byte[] body = e.body().getBytes(StandardCharsets.UTF_8);
        int delaySeconds = e.delaySeconds() != null ? e.delaySeconds() : q.attributes().delaySeconds();
        long visibleAt = ctx.nowMs() + delaySeconds * 1000L;
        MessageRecord m = new MessageRecord(q.queueId(), seq, messageId, body, e.attributes(),
                ctx.nowMs(), visibleAt, 0, 0, 0, 0);
        ctx.txn().putMessage(m);
        ctx.txn().putVisibility(q.queueId(), Messages.indexEntry(m));
        return new SendSuccess(e.id(), messageId);
    }
}
