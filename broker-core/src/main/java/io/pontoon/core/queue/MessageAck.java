package io.pontoon.core.queue;

import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.Limits;
import io.pontoon.core.queue.ReceiptHandle;
import io.pontoon.core.queue.QueueCommand.ChangeMessageVisibility;
import io.pontoon.core.queue.QueueCommand.DeleteEntry;
import io.pontoon.core.queue.QueueCommand.DeleteMessages;
import io.pontoon.core.queue.QueueCommand.VisibilityEntryChange;
import io.pontoon.core.queue.QueueResult;
import io.pontoon.core.queue.QueueResult.EntryFailure;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.queue.QueueRecord;
import io.pontoon.core.queue.QueueValidator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** DeleteMessage(Batch) and ChangeMessageVisibility(Batch): the operations that present a receipt handle. */
public final class MessageAck {
    private MessageAck() {
    }

    /**
     * Every well-formed handle succeeds (AWS): a handle of an older incarnation or of a message already gone
     * is a no-op success, and a stale handle (the message was received again since) "succeeds but might not
     * delete" — we do not delete, so a consumer whose visibility lapsed cannot delete a message that another
     * consumer now holds.
     */
    public static PartitionResult delete(QueueContext ctx, DeleteMessages cmd) {
        Optional<QueueRecord> found = ctx.txn().queue(cmd.queueName());
        if (found.isEmpty()) {
            return QueueAdmin.noSuchQueue();
        }
        QueueRecord q = found.get();
        List<String> ok = new ArrayList<>();
        List<EntryFailure> failed = new ArrayList<>();
        long deleted = 0;
        for (DeleteEntry e : cmd.entries()) {
            EntryFailure malformed = QueueValidator.deleteEntryRefusal(e);
            if (malformed != null) {
                failed.add(malformed);
                continue;
            }
            Optional<MessageRecord> m = current(ctx, q, ReceiptHandle.parse(e.receiptHandle()));
            if (m.isPresent()) {
                Messages.remove(ctx, q, m.get());
                deleted++;
            }
            ok.add(e.id());
        }
        if (deleted > 0) {
            ctx.txn().putQueue(Messages.withMessageCount(q, q.messageCount() - deleted));
        }
        return new QueueResult.BatchOutcome(ok, failed);
    }

    /** The new timeout counts from this call; it is not remembered for the next receive. */
    public static PartitionResult changeVisibility(QueueContext ctx, ChangeMessageVisibility cmd) {
        Optional<QueueRecord> found = ctx.txn().queue(cmd.queueName());
        if (found.isEmpty()) {
            return QueueAdmin.noSuchQueue();
        }
        QueueRecord q = found.get();
        List<String> ok = new ArrayList<>();
        List<EntryFailure> failed = new ArrayList<>();
        for (VisibilityEntryChange e : cmd.entries()) {
            EntryFailure failure = changeOne(ctx, q, e);
            if (failure == null) {
                ok.add(e.id());
            } else {
                failed.add(failure);
            }
        }
        return new QueueResult.BatchOutcome(ok, failed);
    }

    private static EntryFailure changeOne(QueueContext ctx, QueueRecord q, VisibilityEntryChange e) {
        EntryFailure malformed = QueueValidator.visibilityEntryRefusal(e);
        if (malformed != null) {
            return malformed;
        }
        ReceiptHandle handle = ReceiptHandle.parse(e.receiptHandle());
        Optional<MessageRecord> found = current(ctx, q, handle);
        if (found.isEmpty()) {
            return new EntryFailure(e.id(), ErrorCode.RECEIPT_HANDLE_IS_INVALID,
                    "The input receipt handle \"" + e.receiptHandle() + "\" is not a valid receipt handle.", true);
        }
        MessageRecord m = found.get();
        if (m.receiveCount() == 0 || m.visibleAtMs() <= ctx.nowMs()) {
            return new EntryFailure(e.id(), ErrorCode.MESSAGE_NOT_INFLIGHT, "Message does not exist or is not available for visibility timeout change.", true);
        }
        long visibleAt = ctx.nowMs() + e.visibilityTimeoutSeconds() * 1000L;
        if (visibleAt - m.lastReceiveMs() > Limits.MAX_VISIBILITY_TIMEOUT_SECONDS * 1000L) {
            return new EntryFailure(e.id(), ErrorCode.INVALID_PARAMETER_VALUE,
                    "Value " + e.visibilityTimeoutSeconds() + " for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit ["
                            + Limits.MAX_VISIBILITY_TIMEOUT_SECONDS + " seconds]", true);
        }
        Messages.replace(ctx, q, m, Messages.withVisibleAt(m, visibleAt));
        return null;
    }

    /** The message the handle names, if it is of the current incarnation, still stored, and the handle is its latest. */
    private static Optional<MessageRecord> current(QueueContext ctx, QueueRecord q, ReceiptHandle handle) {
        if (handle.partitionId() != ctx.partitionId() || handle.queueId() != q.queueId()) {
            return Optional.empty();
        }
        return ctx.txn().message(q.queueId(), handle.seq()).filter(m -> m.receiptSeq() == handle.receiptSeq());
    }
}
