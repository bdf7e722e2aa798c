package io.pontoon.core.apply;

import io.pontoon.core.Limits;
import io.pontoon.core.ReceiptHandle;
import io.pontoon.core.command.PartitionCommand.ReceiveMessages;
import io.pontoon.core.command.PartitionResult;
import io.pontoon.core.command.PartitionResult.ReceivedMessage;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.queue.QueueRecord;
import io.pontoon.core.storage.NotVisibleCounts;
import io.pontoon.core.storage.VisibilityEntry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** ReceiveMessage: takes due messages off the visibility index and makes them in flight. */
public final class MessageReceive {
    private MessageReceive() {
    }

    public static PartitionResult receive(ApplyContext ctx, ReceiveMessages cmd) {
        Optional<QueueRecord> found = ctx.txn().queue(cmd.queueName());
        if (found.isEmpty()) {
            return QueueAdmin.noSuchQueue();
        }
        QueueRecord q = found.get();
        if (overInFlightLimit(ctx, q)) {
            return new PartitionResult.Error(ErrorCode.OVER_LIMIT,
                    "Too many messages in flight on queue " + q.name() + " (limit " + ctx.config().maxInFlightPerQueue() + ")");
        }
        int max = Math.min(Math.max(cmd.maxMessages(), 1), Limits.MAX_RECEIVE_MESSAGES);
        int vtSeconds = cmd.visibilityTimeoutSeconds() != null ? cmd.visibilityTimeoutSeconds() : q.attributes().visibilityTimeoutSeconds();
        // One bounded read: room for `max` messages plus the retention-expired ones we may have to skip.
        List<VisibilityEntry> due = ctx.txn().dueUpTo(q.queueId(), ctx.nowMs(), max + Limits.MAX_EXPIRED_SKIPPED_PER_RECEIVE);
        List<ReceivedMessage> out = new ArrayList<>(max);
        long expired = 0;
        for (VisibilityEntry entry : due) {
            if (out.size() == max) {
                break;
            }
            Optional<MessageRecord> m = ctx.txn().message(q.queueId(), entry.seq());
            if (m.isEmpty()) {
                throw new IllegalStateException("visibility index names missing message " + q.queueId() + "/" + entry.seq());
            }
            if (Messages.retentionExpired(m.get(), q, ctx.nowMs())) {
                Messages.remove(ctx.txn(), m.get());
                expired++;
                continue;
            }
            out.add(take(ctx, m.get(), vtSeconds));
        }
        if (expired > 0) {
            ctx.txn().putQueue(Messages.withMessageCount(q, q.messageCount() - expired));
        }
        return new PartitionResult.Received(out);
    }

    /**
     * In flight can only reach the limit if the queue holds at least that many messages, so the common
     * case costs nothing; only deep queues pay for an index scan, itself capped (at twice the limit,
     * because the scan counts delayed entries too). If delayed messages exhaust the cap we under-count in
     * flight and allow the receive: erring towards delivering, never towards a false OverLimit.
     */
    private static boolean overInFlightLimit(ApplyContext ctx, QueueRecord q) {
        int limit = ctx.config().maxInFlightPerQueue();
        if (q.messageCount() < limit) {
            return false;
        }
        NotVisibleCounts counts = ctx.txn().countNotVisible(q.queueId(), ctx.nowMs(), 2L * limit);
        return counts.inFlight() >= limit;
    }

    private static ReceivedMessage take(ApplyContext ctx, MessageRecord m, int vtSeconds) {
        long receiptSeq = ctx.newReceiptSeq();
        MessageRecord after = Messages.received(m, ctx.nowMs(), ctx.nowMs() + vtSeconds * 1000L, receiptSeq);
        Messages.replace(ctx.txn(), m, after);
        String handle = new ReceiptHandle(m.queueId(), m.seq(), receiptSeq).encode();
        return new ReceivedMessage(after.messageId(), handle, new String(after.body(), StandardCharsets.UTF_8),
                after.attributes(), after.receiveCount(),
                after.sentMs(), after.firstReceiveMs());
    }
}
