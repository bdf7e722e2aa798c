package io.pontoon.core.queue;

import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.Limits;
import io.pontoon.core.queue.MoveTaskHandles;
import io.pontoon.core.codec.BinaryReader;
import io.pontoon.core.codec.BinaryWriter;
import io.pontoon.core.queue.QueueCommand.CancelMoveTask;
import io.pontoon.core.queue.QueueCommand.StartMoveTask;
import io.pontoon.core.queue.QueueResult;
import io.pontoon.core.queue.QueueQueryResult.MoveTaskInfo;
import io.pontoon.core.error.ErrorCode;
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
 * Message move tasks (StartMessageMoveTask): move the messages a dead-letter queue held when the task
 * started (seq below {@code endSeq}) to a destination, or each back to its dead-letter source, through the
 * outbox. Each Tick advances every running task by what its rate allows for the time elapsed since its last
 * step, so the rate holds whatever the tick interval, and a new leader simply continues from the stored
 * cursor. States: RUNNING -> COMPLETED | CANCELLED | FAILED; at most one RUNNING task per queue.
 */
public final class MoveTasks {
    public enum Status { RUNNING, COMPLETED, CANCELLED, FAILED }

    private static final byte[] EMPTY = new byte[0];

    private MoveTasks() {
    }

    /**
     * @param queueId    the source queue's incarnation; a purge or delete (a new or no incarnation) ends the task
     * @param endSeq     messages with a lower seq existed when the task started: those are the ones to move
     * @param cursorSeq  the next seq to look at
     * @param maxPerSecond the MaxNumberOfMessagesPerSecond given, 0 if none was
     * @param lastStepMs time up to which the rate budget has been spent
     */
    record Task(long taskId, long queueId, Status status, String sourceQueue, String destinationQueue, int maxPerSecond, long moved,
                long toMove, long endSeq, long cursorSeq, long lastStepMs, long startedMs, String failureReason) {

        /** Messages a second: the rate given, else the most (a task started without one stores 0). */
        int effectiveRate() {
            return maxPerSecond > 0 ? maxPerSecond : Limits.MAX_MOVE_MESSAGES_PER_SECOND;
        }

        Task with(Status newStatus, long newMoved, long newCursor, long newLastStepMs, String reason) {
            return new Task(taskId, queueId, newStatus, sourceQueue, destinationQueue, maxPerSecond, newMoved, toMove, endSeq,
                    newCursor, newLastStepMs, startedMs, reason);
        }
    }

    public static PartitionResult start(QueueContext ctx, StartMoveTask cmd) {
        Optional<QueueRecord> found = ctx.txn().queue(cmd.sourceQueue());
        if (found.isEmpty()) {
            return QueueAdmin.noSuchQueue();
        }
        QueueRecord q = found.get();
        if (!ctx.txn().auxRange(AuxTable.MOVE_TASK, AuxKeys.activeTasksOf(q.name()), null, 1).isEmpty()) {
            return new PartitionResult.Error(ErrorCode.MOVE_TASK_ALREADY_RUNNING,
                    "There is already a message move task running on " + q.name() + ".");
        }
        // 0 = no rate given: the task moves at the most, and lists no MaxNumberOfMessagesPerSecond (SQS)
        int rate = cmd.maxPerSecond() != null ? cmd.maxPerSecond() : 0;
        Task task = new Task(ctx.newIncarnationId(), q.queueId(), Status.RUNNING, q.name(), cmd.destinationQueue(), rate, 0,
                q.messageCount(), ctx.nextSeq(), 0, ctx.nowMs(), ctx.nowMs(), null);
        put(ctx, task);
        ctx.txn().putAux(AuxTable.MOVE_TASK, AuxKeys.activeTask(q.name(), task.taskId()), EMPTY);
        forgetOldTasks(ctx, q.name());
        return new QueueResult.MoveTaskStarted(new MoveTaskHandles(q.name(), task.taskId()).encode());
    }

    public static PartitionResult cancel(QueueContext ctx, CancelMoveTask cmd) {
        Optional<Task> task = get(ctx.txn(), cmd.sourceQueue(), cmd.taskId()).filter(t -> t.status() == Status.RUNNING);
        if (task.isEmpty()) {
            return new PartitionResult.Error(ErrorCode.RESOURCE_NOT_FOUND, "No running message move task with this handle.");
        }
        Task t = task.get();
        finish(ctx, t.with(Status.CANCELLED, t.moved(), t.cursorSeq(), t.lastStepMs(), null));
        return new QueueResult.MoveTaskCancelled(t.moved());
    }

    /** Advances running tasks (bounded per Tick); returns how many messages moved. */
    static int step(QueueContext ctx) {
        int moved = 0;
        for (AuxEntry marker : ctx.txn().auxRange(AuxTable.MOVE_TASK, AuxKeys.activeTasks(), null, Limits.MAX_MOVE_TASKS_PER_TICK)) {
            Task task = get(ctx.txn(), AuxKeys.activeTaskQueue(marker.key()), AuxKeys.activeTaskId(marker.key()))
                    .orElseThrow(() -> new IllegalStateException("active marker without task"));
            moved += stepOne(ctx, task);
        }
        return moved;
    }

    private static int stepOne(QueueContext ctx, Task t) {
        Optional<QueueRecord> found = ctx.txn().queue(t.sourceQueue()).filter(q -> q.queueId() == t.queueId());
        if (found.isEmpty()) {
            finish(ctx, t.with(Status.FAILED, t.moved(), t.cursorSeq(), t.lastStepMs(), "The source queue was deleted or purged."));
            return 0;
        }
        QueueRecord q = found.get();
        int rate = t.effectiveRate();
        long budget = Math.min(rate, (ctx.nowMs() - t.lastStepMs()) * rate / 1000);
        if (budget <= 0) {
            return 0;
        }
        int want = (int) budget + Limits.MAX_MOVE_SKIPPED_PER_STEP;
        List<MessageRecord> candidates = ctx.txn().messagesFrom(q.queueId(), t.cursorSeq(), want);
        long cursor = t.cursorSeq();
        int moved = 0;
        boolean done = candidates.size() < want;
        boolean outOfBytes = false;
        for (MessageRecord m : candidates) {
            if (m.seq() >= t.endSeq()) {
                done = true;
                break;
            }
            if (moved == budget) {
                done = false;
                break;
            }
            String destination = t.destinationQueue() != null ? t.destinationQueue() : m.deadLetterSource();
            if (destination == null || Messages.inFlight(m, ctx.nowMs())) {
                cursor = m.seq() + 1;
                continue; // in flight: its consumer still holds it; no origin: nowhere to go back to
            }
            if (!ctx.chargeMove(m.payloadBytes())) {
                done = false;
                outOfBytes = true;
                break; // this entry moved all the content it may; the rest moves with the next Tick
            }
            cursor = m.seq() + 1;
            Outbox.move(ctx, q, m, destination, false);
            moved++;
        }
        if (moved > 0) {
            ctx.txn().putQueue(Messages.withMessageCount(q, q.messageCount() - moved));
        }
        // Budget not spent is kept (fractions carry to the next Tick) but never beyond one second's worth; a step cut
        // short by the byte budget spends only what it moved, so the rate catches up in the next steps.
        long spent = outOfBytes ? moved : budget;
        long spentUntil = spent == rate ? ctx.nowMs() : t.lastStepMs() + spent * 1000 / rate;
        Task next = t.with(done ? Status.COMPLETED : Status.RUNNING, t.moved() + moved, cursor, spentUntil, null);
        if (done) {
            finish(ctx, next);
        } else {
            put(ctx, next);
        }
        return moved;
    }

    /** ListMessageMoveTasks: newest first. */
    public static List<MoveTaskInfo> list(StoreView view, String queueName, int maxResults) {
        List<Task> all = new ArrayList<>();
        view.auxRange(AuxTable.MOVE_TASK, AuxKeys.tasksOf(queueName), null, Limits.MOVE_TASKS_KEPT_PER_QUEUE + 1)
                .forEach(e -> all.add(decode(e.value())));
        List<MoveTaskInfo> out = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0 && out.size() < maxResults; i--) {
            Task t = all.get(i);
            String handle = t.status() == Status.RUNNING ? new MoveTaskHandles(queueName, t.taskId()).encode() : null;
            out.add(new MoveTaskInfo(handle, t.status().name(), t.sourceQueue(), t.destinationQueue(), t.maxPerSecond(),
                    t.moved(), t.toMove(), t.failureReason(), t.startedMs()));
        }
        return out;
    }

    private static void finish(QueueContext ctx, Task t) {
        put(ctx, t);
        ctx.txn().deleteAux(AuxTable.MOVE_TASK, AuxKeys.activeTask(t.sourceQueue(), t.taskId()));
    }

    /** DeleteQueue forgets the queue's tasks (a queue re-created under the name starts with none). */
    static void forget(QueueContext ctx, String queueName) {
        ctx.txn().dropAux(AuxTable.MOVE_TASK, AuxKeys.activeTasksOf(queueName));
        ctx.txn().dropAux(AuxTable.MOVE_TASK, AuxKeys.tasksOf(queueName));
    }

    /** Keeps the newest MOVE_TASKS_KEPT_PER_QUEUE; task ids grow with the log, so key order is age order. */
    private static void forgetOldTasks(QueueContext ctx, String queueName) {
        List<AuxEntry> tasks = ctx.txn().auxRange(AuxTable.MOVE_TASK, AuxKeys.tasksOf(queueName), null, Limits.MOVE_TASKS_KEPT_PER_QUEUE + 1);
        if (tasks.size() > Limits.MOVE_TASKS_KEPT_PER_QUEUE) {
            ctx.txn().deleteAux(AuxTable.MOVE_TASK, tasks.get(0).key()); // never the running one: only the newest runs
        }
    }

    private static Optional<Task> get(StoreView view, String queueName, long taskId) {
        return view.aux(AuxTable.MOVE_TASK, AuxKeys.task(queueName, taskId)).map(MoveTasks::decode);
    }

    private static void put(QueueContext ctx, Task t) {
        BinaryWriter w = new BinaryWriter(Limits.MAX_ENCODED_ENTRY_BYTES);
        w.i64(t.taskId()).i64(t.queueId()).u8(t.status().ordinal()).string(t.sourceQueue()).nullableString(t.destinationQueue())
                .i32(t.maxPerSecond()).i64(t.moved()).i64(t.toMove()).i64(t.endSeq()).i64(t.cursorSeq())
                .i64(t.lastStepMs()).i64(t.startedMs()).nullableString(t.failureReason());
        ctx.txn().putAux(AuxTable.MOVE_TASK, AuxKeys.task(t.sourceQueue(), t.taskId()), w.toByteArray());
    }

    private static Task decode(byte[] v) {
        BinaryReader r = new BinaryReader(v);
        return new Task(r.i64(), r.i64(), Status.values()[r.u8()], r.string(), r.nullableString(), r.i32(), r.i64(), r.i64(),
                r.i64(), r.i64(), r.i64(), r.i64(), r.nullableString());
    }
}
