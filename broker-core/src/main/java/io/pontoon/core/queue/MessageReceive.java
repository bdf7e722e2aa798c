package io.pontoon.core.queue;

import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.Limits;
import io.pontoon.core.queue.ReceiptHandle;
import io.pontoon.core.queue.QueueCommand.ReceiveMessages;
import io.pontoon.core.queue.QueueResult;
import io.pontoon.core.queue.QueueResult.ReceivedMessage;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.queue.MessageRecord;
import io.pontoon.core.queue.QueueRecord;
import io.pontoon.core.queue.RedrivePolicy;
import io.pontoon.core.queue.NotVisibleCounts;
import io.pontoon.core.queue.VisibilityEntry;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * ReceiveMessage: takes due messages off the visibility index and makes them in flight. A message that was
 * already received maxReceiveCount times moves to the dead-letter queue instead of being delivered again.
 * On FIFO queues the index holds groups (see FifoGroups): each due group gives its messages in order.
 */
public final class MessageReceive {
    private MessageReceive() {
    }

    /** What one receive is doing: its output, and the work done besides delivering. */
    private static final class Pass {
        final List<ReceivedMessage> out = new ArrayList<>();
        final List<ReceiveAttempts.Taken> taken = new ArrayList<>();
        long removed;
        final int max;
        final int vtSeconds;

        Pass(int max, int vtSeconds) {
            this.max = max;
            this.vtSeconds = vtSeconds;
        }

        boolean full() {
            return out.size() >= max;
        }
    }

    public static PartitionResult receive(QueueContext ctx, ReceiveMessages cmd) {
        Optional<QueueRecord> found = ctx.txn().queue(cmd.queueName());
        if (found.isEmpty()) {
            return QueueAdmin.noSuchQueue();
        }
        QueueRecord q = found.get();
        boolean fifo = q.attributes().isFifo();
        String attemptId = fifo ? cmd.receiveRequestAttemptId() : null;
        if (attemptId != null) {
            Optional<List<MessageRecord>> again = ReceiveAttempts.replay(ctx, q, attemptId);
            if (again.isPresent()) {
                return new QueueResult.Received(q.queueId(), again.get().stream().map(m -> view(ctx.partitionId(), m)).toList());
            }
        }
        if (overInFlightLimit(ctx, q, cmd.inFlightLimit())) {
            return new PartitionResult.Error(ErrorCode.OVER_LIMIT,
                    "Too many messages in flight on queue " + q.name() + " (limit " + cmd.inFlightLimit() + ")");
        }
        int max = Math.min(Math.max(cmd.maxMessages(), 1), Limits.MAX_RECEIVE_MESSAGES);
        int vtSeconds = cmd.visibilityTimeoutSeconds() != null ? cmd.visibilityTimeoutSeconds() : q.attributes().visibilityTimeoutSeconds();
        Pass pass = new Pass(max, vtSeconds);
        // One bounded read: room for `max` messages (or groups) plus the ones we may have to skip.
        int scan = max + Limits.MAX_EXPIRED_SKIPPED_PER_RECEIVE;
        if (fifo) {
            receiveGroups(ctx, q, FifoGroups.due(ctx.txn(), q.queueId(), ctx.nowMs(), q.attributes().delaySeconds() * 1000L, scan), pass);
        } else {
            receiveDue(ctx, q, scan, pass);
        }
        if (pass.removed > 0) {
            ctx.txn().putQueue(Messages.withMessageCount(q, q.messageCount() - pass.removed));
        }
        if (attemptId != null && !pass.taken.isEmpty()) {
            // An empty answer is not remembered: a retry then receives whatever has arrived since.
            ReceiveAttempts.remember(ctx, q, attemptId, pass.taken);
        }
        return new QueueResult.Received(q.queueId(), pass.out);
    }

    /**
     * Standard queues: the first {@code scan} due entries in index order, read in steps of what the pass still
     * needs, so that a receive reads about {@code max} entries rather than {@code max} plus the skip allowance
     * (reading them was most of a receive's cost). An entry handled once is skipped when read again: a 0 s
     * visibility timeout makes a taken message due at once, and a dead-letter move that does not fit stays due.
     * Nothing else enters the index during a pass, so this examines exactly the entries one read of {@code scan}
     * would have, in the same order.
     */
    private static void receiveDue(QueueContext ctx, QueueRecord q, int scan, Pass pass) {
        Set<Long> handled = new HashSet<>();
        while (!pass.full() && handled.size() < scan) {
            int limit = Math.min(scan, handled.size() + pass.max - pass.out.size());
            List<VisibilityEntry> due = ctx.txn().dueUpTo(q.queueId(), ctx.nowMs(), limit);
            int fresh = 0;
            for (VisibilityEntry entry : due) {
                if (pass.full() || handled.size() >= scan) {
                    return;
                }
                if (handled.add(entry.seq())) {
                    fresh++;
                    consider(ctx, q, stored(ctx, q, entry.seq()), pass);
                }
            }
            if (due.size() < limit || fresh == 0) {
                return; // nothing more is due
            }
        }
    }

    /** Each due index entry is an unlocked group: take its messages in order while they are due. */
    private static void receiveGroups(QueueContext ctx, QueueRecord q, List<VisibilityEntry> due, Pass pass) {
        Set<String> visited = new HashSet<>();
        for (VisibilityEntry entry : due) {
            if (pass.full()) {
                return;
            }
            String group = stored(ctx, q, entry.seq()).groupId();
            if (!visited.add(group)) {
                continue;
            }
            // Read no more of the group than this receive can take: a deep group must not cost a deep read. A
            // retention-expired or dead-lettered message among them makes this receive return fewer.
            int room = pass.max - pass.out.size();
            for (MessageRecord m : FifoGroups.members(ctx.txn(), q.queueId(), group, room)) {
                if (pass.full() || Messages.dueAtMs(m, q) > ctx.nowMs() || !consider(ctx, q, m, pass)) {
                    break; // in flight (the group is locked), still delayed, or kept back: nothing after it may go first
                }
            }
        }
    }

    /**
     * Delivers {@code m}, or removes it: expired by retention, or received too often (to the DLQ). Returns false
     * when it must stay where it is for now: a dead-letter move that does not fit this entry's move budget
     * ({@link QueueContext#chargeMove}) waits for a later receive, and is not delivered meanwhile.
     */
    private static boolean consider(QueueContext ctx, QueueRecord q, MessageRecord m, Pass pass) {
        if (Messages.retentionExpired(m, q, ctx.nowMs())) {
            Messages.remove(ctx, q, m);
            pass.removed++;
            return true;
        }
        RedrivePolicy redrive = q.attributes().redrivePolicy();
        if (redrive != null && m.receiveCount() >= redrive.maxReceiveCount()) {
            if (!ctx.chargeMove(m.payloadBytes())) {
                return false;
            }
            Outbox.move(ctx, q, m, redrive.deadLetterQueueName(), true);
            pass.removed++;
            return true;
        }
        MessageRecord after = take(ctx, q, m, pass.vtSeconds);
        pass.out.add(view(ctx.partitionId(), after));
        pass.taken.add(new ReceiveAttempts.Taken(after.seq(), after.receiptSeq()));
        return true;
    }

    private static MessageRecord stored(QueueContext ctx, QueueRecord q, long seq) {
        return ctx.txn().message(q.queueId(), seq).orElseThrow(
                () -> new IllegalStateException("visibility index names missing message " + q.queueId() + "/" + seq));
    }

    /**
     * In flight can only reach the limit if the queue holds at least that many messages, so the common
     * case costs nothing; only deep queues pay for an index scan, itself capped (at twice the limit,
     * because the scan counts delayed entries too). If delayed messages exhaust the cap we under-count in
     * flight and allow the receive: erring towards delivering, never towards a false OverLimit.
     */
    private static boolean overInFlightLimit(QueueContext ctx, QueueRecord q, int limit) {
        if (q.messageCount() < limit) {
            return false;
        }
        NotVisibleCounts counts = ctx.txn().countNotVisible(q.queueId(), ctx.nowMs(), 2L * limit);
        return counts.inFlight() >= limit;
    }

    private static MessageRecord take(QueueContext ctx, QueueRecord q, MessageRecord m, int vtSeconds) {
        MessageRecord after = Messages.received(m, ctx.nowMs(), ctx.nowMs() + vtSeconds * 1000L, ctx.newReceiptSeq());
        Messages.replace(ctx, q, m, after);
        return after;
    }

    /** The message as the receive reports it (its content is read by the answering node); the handle names this receive. */
    private static ReceivedMessage view(int partitionId, MessageRecord m) {
        String handle = new ReceiptHandle(partitionId, m.queueId(), m.seq(), m.receiptSeq()).encode();
        return new ReceivedMessage(m.messageId(), handle, m.seq(), m.payloadBytes(), m.receiveCount(), m.sentMs(), m.firstReceiveMs(),
                // FIFO messages always carry a dedup id (explicit or content-based), standard ones never
                m.deduplicationId() != null ? m.sequenceNumber() : null,
                m.groupId(), m.deduplicationId(), m.deadLetterSource());
    }
}
