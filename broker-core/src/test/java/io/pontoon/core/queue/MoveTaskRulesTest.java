package io.pontoon.core.queue;

import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.core.Limits;
import io.pontoon.core.queue.QueueCommand.CancelMoveTask;
import io.pontoon.core.queue.QueueCommand.DeleteQueue;
import io.pontoon.core.queue.QueueCommand.MovedMessage;
import io.pontoon.core.queue.QueueCommand.PurgeQueue;
import io.pontoon.core.queue.QueueCommand.StartMoveTask;
import io.pontoon.core.queue.QueueQuery;

import io.pontoon.core.queue.DeliveredMessage;

import io.pontoon.core.queue.QueueQueryResult.MoveTaskInfo;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.partition.AuxTable;
import io.pontoon.core.queue.QueueValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeMap;

import static io.pontoon.core.queue.Fixture.assertError;
import static io.pontoon.core.queue.Fixture.assertRejected;
import static io.pontoon.core.queue.Fixture.bodies;
import static io.pontoon.core.queue.Fixture.pairs;
import static io.pontoon.core.queue.Fixture.redrivePolicy;
import static org.junit.jupiter.api.Assertions.*;

/** StartMessageMoveTask / CancelMessageMoveTask / ListMessageMoveTasks, stepped by Ticks. */
class MoveTaskRulesTest {
    /** The partition the dead-lettered messages of these tests came from (another one than {@code f}'s). */
    private static final int ELSEWHERE = 99;

    private final Fixture f = new Fixture();
    private long nextOutboxSeq = 1;

    /** Puts {@code n} messages into {@code dlq} as if dead-lettered from {@code source} (receive count 3). */
    private List<String> deadLetter(String dlq, String source, int n) {
        return deadLetter(f, dlq, source, null, n);
    }

    private List<String> deadLetter(Fixture x, String dlq, String source, String groupId, int n) {
        List<MovedMessage> batch = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long seq = nextOutboxSeq++;
            bodies.add("m" + seq);
            batch.add(new MovedMessage(seq, dlq, source, true, null, "mid-" + seq, "m" + seq, new TreeMap<>(), x.nowMs, 3,
                    x.nowMs, groupId, groupId == null ? null : "d" + seq));
        }
        assertEquals(new QueueResult.Ingested(n, 0), x.ingest(ELSEWHERE, batch));
        return bodies;
    }

    private QueueResult.MoveTaskStarted start(String dlq, String destination, Integer maxPerSecond) {
        return assertInstanceOf(QueueResult.MoveTaskStarted.class, f.apply(new StartMoveTask(dlq, destination, maxPerSecond)));
    }

    private MoveTaskInfo onlyTask(String queue) {
        List<MoveTaskInfo> tasks = f.moveTasks(queue);
        assertEquals(1, tasks.size(), tasks.toString());
        return tasks.get(0);
    }

    private void tickAfterSeconds(double seconds) {
        f.nowMs += (long) (seconds * 1000);
        f.tick();
    }

    private int outboxSize() {
        return f.readOutbox().size();
    }

    // ------------------------------------------------------------------ where messages go

    @Test
    void withoutDestinationEachMessageGoesBackToItsDeadLetterSourceWithItsReceiveCountReset() {
        f.createQueue("dlq");
        f.createQueue("src1");
        f.createQueue("src2");
        List<String> from1 = deadLetter("dlq", "src1", 2);
        List<String> from2 = deadLetter("dlq", "src2", 1);
        List<String> ids = f.receive("dlq", 10, 0).stream().map(DeliveredMessage::messageId).toList();
        start("dlq", null, null);
        tickAfterSeconds(1);
        List<MovedMessage> outbox = f.readOutbox();
        assertEquals(List.of("src1", "src1", "src2"), outbox.stream().map(MovedMessage::queueName).toList());
        outbox.forEach(m -> {
            assertEquals("dlq", m.fromQueue());
            assertFalse(m.deadLettered());
            assertEquals(0, m.receiveCount());
        });
        assertEquals(new QueueResult.Ingested(3, 0), f.forwardOutboxTo(f));
        assertEquals(0, f.messageCount("dlq"));
        List<DeliveredMessage> back1 = f.receive("src1", 10);
        assertEquals(from1, bodies(back1));
        assertEquals(from2, bodies(f.receive("src2", 10)));
        for (DeliveredMessage m : back1) {
            assertEquals(1, m.approximateReceiveCount(), "reset to 0 by the redrive; this is its first receive since");
            assertNull(m.deadLetterSource());
            assertTrue(ids.contains(m.messageId()), "the MessageId survives the round trip");
        }
    }

    @Test
    void withADestinationEveryMessageGoesThere() {
        f.createQueue("dlq");
        f.createQueue("target");
        List<String> moved = new ArrayList<>(deadLetter("dlq", "src1", 2));
        moved.addAll(deadLetter("dlq", "src2", 1));
        start("dlq", "target", null);
        tickAfterSeconds(1);
        assertTrue(f.readOutbox().stream().allMatch(m -> m.queueName().equals("target")));
        f.forwardOutboxTo(f);
        assertEquals(moved, bodies(f.receive("target", 10)));
    }

    @Test
    void aMessageWithoutDeadLetterSourceStaysWhenNoDestinationIsGiven() {
        f.createQueue("dlq");
        f.createQueue("src");
        f.send("dlq", "sent-directly");
        deadLetter("dlq", "src", 1);
        start("dlq", null, null);
        tickAfterSeconds(1);
        assertEquals(1, outboxSize());
        assertEquals(List.of("sent-directly"), bodies(f.receive("dlq", 10)));
        assertEquals("COMPLETED", onlyTask("dlq").status());
    }

    @Test
    void inFlightMessagesAreNotMoved() {
        f.createQueue("dlq");
        f.createQueue("src");
        deadLetter("dlq", "src", 2);
        DeliveredMessage held = f.receive("dlq", 1, 600).get(0);
        start("dlq", null, null);
        tickAfterSeconds(1);
        assertEquals(1, outboxSize());
        assertEquals(1, f.messageCount("dlq"));
        assertEquals(List.of("d"), f.delete("dlq", held.receiptHandle()).successfulIds());
        assertEquals(0, f.messageCount("dlq"), "its consumer still owns it and can delete it");
    }

    @Test
    void messagesDeadLetteredAfterTheTaskStartedAreNotMoved() {
        f.createQueue("dlq");
        f.createQueue("src");
        List<String> before = deadLetter("dlq", "src", 3);
        start("dlq", null, 10);
        List<String> after = deadLetter("dlq", "src", 2);
        tickAfterSeconds(1);
        tickAfterSeconds(1);
        assertEquals(before, f.readOutbox().stream().map(MovedMessage::body).toList());
        assertEquals(after, bodies(f.receive("dlq", 10)));
        MoveTaskInfo t = onlyTask("dlq");
        assertEquals("COMPLETED", t.status());
        assertEquals(3, t.moved());
        assertEquals(3, t.toMove());
    }

    @Test
    void aRedriveOfAFifoDeadLetterQueueKeepsGroupOrder() {
        f.createFifoQueue("dlq.fifo");
        f.createFifoQueue("src.fifo");
        List<String> a = new ArrayList<>(deadLetter(f, "dlq.fifo", "src.fifo", "A", 3));
        List<String> b = deadLetter(f, "dlq.fifo", "src.fifo", "B", 2);
        a.addAll(deadLetter(f, "dlq.fifo", "src.fifo", "A", 2));
        start("dlq.fifo", null, null);
        tickAfterSeconds(1);
        f.forwardOutboxTo(f);
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 10 && got.size() < 7; i++) {
            for (DeliveredMessage m : f.receive("src.fifo", 10)) {
                got.add(m.body());
                f.delete("src.fifo", m.receiptHandle());
            }
        }
        assertEquals(a, got.stream().filter(a::contains).toList());
        assertEquals(b, got.stream().filter(b::contains).toList());
    }

    @Test
    void anEntryReturnedBecauseItsSourceIsGoneComesBackToTheDeadLetterQueueWithItsSource() {
        f.createQueue("dlq");
        deadLetter("dlq", "gone", 1);
        start("dlq", null, null);
        tickAfterSeconds(1);
        MovedMessage m = f.readOutbox().get(0);
        assertEquals("gone", m.originDeadLetterSource());
        f.settle(List.of(), List.of(m.outboxSeq()));
        DeliveredMessage back = f.receive("dlq", 10).get(0);
        assertEquals(m.messageId(), back.messageId());
        assertEquals("gone", back.deadLetterSource());
    }

    // ------------------------------------------------------------------ rate

    @Test
    void theRateLimitHoldsAtTenPerSecondWithTicksOneSecondApart() {
        f.createQueue("dlq");
        f.createQueue("src");
        deadLetter("dlq", "src", 35);
        start("dlq", null, 10);
        f.tick();
        assertEquals(0, outboxSize(), "no time has passed since the start");
        int[] expected = {10, 20, 30, 35};
        for (int total : expected) {
            tickAfterSeconds(1);
            assertEquals(total, outboxSize());
        }
        MoveTaskInfo t = onlyTask("dlq");
        assertEquals("COMPLETED", t.status());
        assertEquals(35, t.moved());
    }

    @Test
    void theRateHoldsWhateverTheTickInterval() {
        f.createQueue("dlq");
        f.createQueue("src");
        deadLetter("dlq", "src", 100);
        start("dlq", null, 10);
        for (int i = 0; i < 10; i++) {
            tickAfterSeconds(0.25);
        }
        assertEquals(25, outboxSize(), "2.5 s at 10/s");
        tickAfterSeconds(0.05);
        assertEquals(25, outboxSize(), "half a message's worth is kept for later");
        tickAfterSeconds(0.05);
        assertEquals(26, outboxSize());
    }

    @Test
    void anIdleGapDoesNotBuildUpMoreThanOneSecondOfBudget() {
        f.createQueue("dlq");
        f.createQueue("src");
        deadLetter("dlq", "src", 100);
        start("dlq", null, 10);
        tickAfterSeconds(60);
        assertEquals(10, outboxSize());
        tickAfterSeconds(1);
        assertEquals(20, outboxSize());
    }

    @Test
    void withoutMaxPerSecondTheRateIs500AndTheTaskListsNoRate() {
        f.createQueue("dlq");
        f.createQueue("src");
        deadLetter("dlq", "src", 400);
        deadLetter("dlq", "src", 200);
        start("dlq", null, null);
        assertEquals(0, onlyTask("dlq").maxPerSecond(), "SQS lists no MaxNumberOfMessagesPerSecond when none was given");
        tickAfterSeconds(1);
        assertEquals(500, outboxSize());
        assertEquals(100, f.messageCount("dlq"));
    }

    // ------------------------------------------------------------------ lifecycle and listing

    @Test
    void listMoveTasksShowsARunningTaskWithItsHandleAndACompletedOneWithout() {
        f.createQueue("dlq");
        f.createQueue("target");
        deadLetter("dlq", "src", 15);
        long startedAt = f.nowMs;
        String handle = start("dlq", "target", 10).taskHandle();
        assertEquals(new MoveTaskInfo(handle, "RUNNING", "dlq", "target", 10, 0, 15, null, startedAt), onlyTask("dlq"));
        tickAfterSeconds(1);
        assertEquals(new MoveTaskInfo(handle, "RUNNING", "dlq", "target", 10, 10, 15, null, startedAt), onlyTask("dlq"));
        tickAfterSeconds(1);
        assertEquals(new MoveTaskInfo(null, "COMPLETED", "dlq", "target", 10, 15, 15, null, startedAt), onlyTask("dlq"));
        assertEquals("dlq", MoveTaskHandles.parse(handle).queueName(), "the handle names its queue, for routing a cancel");
    }

    @Test
    void onlyOneTaskPerQueueRunsAtATime() {
        f.createQueue("dlq");
        f.createQueue("other-dlq");
        deadLetter("dlq", "src", 15);
        start("dlq", null, 10);
        assertError(ErrorCode.MOVE_TASK_ALREADY_RUNNING, f.apply(new StartMoveTask("dlq", null, 10)));
        start("other-dlq", null, 10); // another queue may have its own
        tickAfterSeconds(1);
        assertError(ErrorCode.MOVE_TASK_ALREADY_RUNNING, f.apply(new StartMoveTask("dlq", null, 10)));
        tickAfterSeconds(1);
        assertEquals("COMPLETED", onlyTask("dlq").status());
        start("dlq", null, 10);
        List<MoveTaskInfo> tasks = f.moveTasks("dlq");
        assertEquals(List.of("RUNNING", "COMPLETED"), tasks.stream().map(MoveTaskInfo::status).toList(), "newest first");
    }

    @Test
    void cancelStopsTheTask() {
        f.createQueue("dlq");
        f.createQueue("src");
        deadLetter("dlq", "src", 30);
        String handle = start("dlq", null, 10).taskHandle();
        tickAfterSeconds(1);
        long taskId = MoveTaskHandles.parse(handle).taskId();
        assertEquals(new QueueResult.MoveTaskCancelled(10), f.apply(new CancelMoveTask("dlq", taskId)));
        tickAfterSeconds(1);
        tickAfterSeconds(1);
        assertEquals(10, outboxSize());
        MoveTaskInfo t = onlyTask("dlq");
        assertEquals("CANCELLED", t.status());
        assertEquals(10, t.moved());
        assertNull(t.taskHandle());
        assertError(ErrorCode.RESOURCE_NOT_FOUND, f.apply(new CancelMoveTask("dlq", taskId)));
        start("dlq", null, 10); // a cancelled task no longer blocks a new one
    }

    @Test
    void cancellingAnUnknownTaskOrOnAMissingQueueIsResourceNotFound() {
        f.createQueue("dlq");
        assertError(ErrorCode.RESOURCE_NOT_FOUND, f.apply(new CancelMoveTask("dlq", 12345)));
        assertError(ErrorCode.RESOURCE_NOT_FOUND, f.apply(new CancelMoveTask("nope", 12345)));
        assertError(ErrorCode.NON_EXISTENT_QUEUE, f.apply(new StartMoveTask("nope", null, null)));
    }

    @Test
    void cancelWithANegativeTaskIdFromAForgedHandleIsAnErrorResult() {
        f.createQueue("dlq");
        String forged = "mt1." + Base64.getUrlEncoder().withoutPadding().encodeToString("-1:dlq".getBytes(StandardCharsets.UTF_8));
        assertEquals(ErrorCode.RESOURCE_NOT_FOUND,
                assertThrows(io.pontoon.core.error.BrokerException.class, () -> MoveTaskHandles.parse(forged)).code());
        PartitionResult r = assertDoesNotThrow(() -> f.apply(new CancelMoveTask("dlq", -1)));
        assertError(ErrorCode.RESOURCE_NOT_FOUND, r);
    }

    @Test
    void listMoveTasksKeepsTheTenNewest() {
        f.createQueue("dlq");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            long id = MoveTaskHandles.parse(start("dlq", null, i + 1).taskHandle()).taskId();
            ids.add(id);
            f.apply(new CancelMoveTask("dlq", id));
        }
        List<MoveTaskInfo> tasks = f.moveTasks("dlq");
        assertEquals(10, tasks.size());
        assertEquals(12, tasks.get(0).maxPerSecond(), "newest first");
        assertEquals(3, tasks.get(9).maxPerSecond());
        assertEquals(3, assertInstanceOf(QueueQueryResult.MoveTasks.class, f.query(new QueueQuery.ListMoveTasks("dlq", 3))).tasks().size());
    }

    @Test
    void aRunningTaskFailsWhenItsQueueIsPurged() {
        f.createQueue("dlq");
        f.createQueue("src");
        deadLetter("dlq", "src", 30);
        start("dlq", null, 10);
        tickAfterSeconds(1);
        f.apply(new PurgeQueue("dlq"));
        tickAfterSeconds(1);
        assertEquals(10, outboxSize(), "nothing moves after the purge");
        assertTrue(f.auxEntries(AuxTable.MOVE_TASK).stream().noneMatch(e -> e.key()[0] == 1), "no task is marked running");
        start("dlq", null, 10); // the purged incarnation's task does not block a new one
    }

    @Test
    void aTaskFailedByAPurgeIsStillListed() {
        f.createQueue("dlq");
        f.createQueue("src");
        deadLetter("dlq", "src", 30);
        start("dlq", null, 10);
        tickAfterSeconds(1);
        f.apply(new PurgeQueue("dlq"));
        tickAfterSeconds(1);
        MoveTaskInfo t = onlyTask("dlq");
        assertEquals("FAILED", t.status());
        assertEquals(10, t.moved());
        assertNotNull(t.failureReason());
    }

    @Test
    void aTaskContinuesOnANewReplicaAfterCheckpointAndRestore(@TempDir Path dir) {
        f.createQueue("dlq");
        f.createQueue("src");
        deadLetter("dlq", "src", 30);
        start("dlq", null, 10);
        tickAfterSeconds(1);
        Fixture replica = f.restoredFromCheckpoint(dir.resolve("cp"));
        replica.nowMs += 1_000;
        replica.tick();
        assertEquals(20, replica.readOutbox().size());
        replica.nowMs += 1_000;
        replica.tick();
        assertEquals(30, replica.readOutbox().size());
        QueueQueryResult.MoveTasks tasks = assertInstanceOf(QueueQueryResult.MoveTasks.class,
                replica.query(new QueueQuery.ListMoveTasks("dlq", 10)));
        assertEquals("COMPLETED", tasks.tasks().get(0).status());
        assertEquals(30, tasks.tasks().get(0).moved());
    }

    @Test
    void moveTasksAreDeterministicAcrossReplicas() {
        Fixture other = new Fixture();
        for (Fixture x : List.of(f, other)) {
            nextOutboxSeq = 1;
            x.createQueue("dlq");
            x.createQueue("src");
            deadLetter(x, "dlq", "src", null, 12);
            x.apply(new StartMoveTask("dlq", null, 5));
            for (int i = 0; i < 3; i++) {
                x.nowMs += 1_000;
                x.tick();
            }
            x.forwardOutboxTo(x);
        }
        assertArrayEquals(f.store.stateBytes(), other.store.stateBytes());
    }

    @Test
    void aDeletedSourceQueueEndsTheTask() {
        f.createQueue("dlq");
        f.createQueue("src");
        deadLetter("dlq", "src", 30);
        start("dlq", null, 10);
        f.apply(new DeleteQueue("dlq"));
        tickAfterSeconds(1);
        assertEquals(0, outboxSize());
        assertTrue(f.auxEntries(AuxTable.MOVE_TASK).stream().noneMatch(e -> e.key()[0] == 1), "no task is marked running");
    }

    // ------------------------------------------------------------------ validation

    @Test
    void maxPerSecondMustBeFrom1To500() {
        QueueValidator.validate(new StartMoveTask("dlq", null, 1));
        QueueValidator.validate(new StartMoveTask("dlq", null, 500));
        QueueValidator.validate(new StartMoveTask("dlq", null, null));
        assertRejected(() -> QueueValidator.validate(new StartMoveTask("dlq", null, 0)));
        assertRejected(() -> QueueValidator.validate(new StartMoveTask("dlq", null, 501)));
        f.createQueue("dlq");
        assertError(ErrorCode.INVALID_PARAMETER_VALUE, f.apply(new StartMoveTask("dlq", null, 0)));
        assertTrue(f.moveTasks("dlq").isEmpty());
    }

    @Test
    void theDestinationMustBeOfTheSourcesType() {
        assertRejected(() -> QueueValidator.validate(new StartMoveTask("dlq", "target.fifo", null)));
        assertRejected(() -> QueueValidator.validate(new StartMoveTask("dlq.fifo", "target", null)));
        assertRejected(() -> QueueValidator.validate(new StartMoveTask("dlq", "bad name", null)));
        QueueValidator.validate(new StartMoveTask("dlq.fifo", "target.fifo", null));
        QueueValidator.validate(new StartMoveTask("dlq", "target", null));
    }

    @Test
    void listMoveTasksMaxResultsIsFrom1To10() {
        f.createQueue("dlq");
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE,
                assertInstanceOf(QueryResult.Error.class, f.query(new QueueQuery.ListMoveTasks("dlq", 0))).code());
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE,
                assertInstanceOf(QueryResult.Error.class, f.query(new QueueQuery.ListMoveTasks("dlq", 11))).code());
        assertEquals(ErrorCode.NON_EXISTENT_QUEUE,
                assertInstanceOf(QueryResult.Error.class, f.query(new QueueQuery.ListMoveTasks("nope", 10))).code());
    }

    @Test
    void theEndToEndPathFromSourceToDeadLetterQueueAndBack() {
        f.createQueue("dlq");
        f.createQueue("src", pairs("RedrivePolicy", redrivePolicy("dlq", 1)));
        String id = f.send("src", "m").successful().get(0).messageId();
        f.receive("src", 10, 0);
        assertTrue(f.receive("src", 10, 0).isEmpty());
        f.forwardOutboxTo(f);
        start("dlq", null, null);
        tickAfterSeconds(1);
        f.forwardOutboxTo(f);
        DeliveredMessage back = f.receive("src", 10).get(0);
        assertEquals(id, back.messageId());
        assertEquals(1, back.approximateReceiveCount());
        assertNull(back.deadLetterSource());
        assertEquals(0, f.messageCount("dlq"));
    }
}
