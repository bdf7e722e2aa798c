package io.pontoon.core.queue;

import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.PartitionCodec;
import io.pontoon.core.Limits;
import io.pontoon.core.queue.QueueCodec;
import io.pontoon.core.queue.QueueCommand;
import io.pontoon.core.queue.QueueCommand.ReceiveMessages;
import io.pontoon.core.queue.QueueCommand.SendEntry;
import io.pontoon.core.queue.QueueCommand.StartMoveTask;
import io.pontoon.core.queue.QueueQuery;


import io.pontoon.core.queue.DeliveredMessage;
import io.pontoon.core.queue.QueueAttributes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.pontoon.core.queue.Fixture.pairs;
import static io.pontoon.core.queue.Fixture.redrivePolicy;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Nothing in apply may fail, or grow without bound, for a size reason: results name messages instead of carrying
 * them, moves through the outbox are bounded by bytes per log entry, outbox reads by bytes per round.
 */
class BoundedWorkRulesTest {
    private static final int BIG = 1_000_000;
    private final Fixture f = new Fixture();

    private static String body(int i, int bytes) {
        return (i + ":" + "x".repeat(bytes)).substring(0, bytes);
    }

    private void sendBig(String queue, int count) {
        for (int i = 0; i < count; i++) {
            f.sendBatch(queue, new SendEntry("e", body(i, BIG), new TreeMap<>(), null));
        }
    }

    @Test
    void aLogEntryOfManyReceivesOfLargeMessagesHasASmallResultThatAlwaysEncodes() {
        f.createQueue("q");
        sendBig("q", 40);
        List<QueueCommand> receives = new ArrayList<>();
        for (int i = 0; i < Limits.MAX_COMMANDS_PER_ENTRY; i++) {
            receives.add(new ReceiveMessages("q", 10, 30));
        }
        List<PartitionResult> results = f.applyAll(receives.toArray(QueueCommand[]::new));
        int taken = results.stream().mapToInt(r -> ((QueueResult.Received) r).messages().size()).sum();
        assertEquals(40, taken, "40 MB of messages taken by one entry");
        byte[] encoded = PartitionCodec.encodeResults(results);
        assertTrue(encoded.length < 64 * 1024, "the entry's result is " + encoded.length + " bytes: names, not bodies");
        List<DeliveredMessage> some = f.delivered(results.get(0));
        assertEquals(BIG, some.get(0).bodyBytes().length, "the answering node reads the content from its applied state");
    }

    @Test
    void aReceiveWithAZeroVisibilityTimeoutTakesEachMessageOnceEvenWhenItSkipsExpiredOnes() {
        f.createQueue("q", pairs("MessageRetentionPeriod", "60"));
        f.send("q", "old0", "old1", "old2", "old3", "old4");
        f.advanceSeconds(61);
        for (int i = 0; i < 10; i++) {
            f.send("q", "m" + i);
        }
        List<DeliveredMessage> got = f.receive("q", 10, 0);
        assertEquals(java.util.stream.IntStream.range(0, 10).mapToObj(i -> "m" + i).toList(), Fixture.bodies(got),
                "the expired ones removed, then ten messages, each once: a taken one is due again at once but not taken twice");
    }

    @Test
    void retentionExpiredMessagesAtTheHeadAreRemovedUpToTheSkipAllowancePerReceive() {
        f.createQueue("q", pairs("MessageRetentionPeriod", "60"));
        int expired = Limits.MAX_EXPIRED_SKIPPED_PER_RECEIVE + 40;
        for (int i = 0; i < expired; i++) {
            f.send("q", "old" + i);
        }
        f.advanceSeconds(61);
        f.send("q", "new0", "new1", "new2");

        assertTrue(f.receive("q", 10, 30).isEmpty(), "the first receive spends its allowance removing expired messages");
        assertEquals(expired + 3 - 10 - Limits.MAX_EXPIRED_SKIPPED_PER_RECEIVE, f.messageCount("q"));
        assertEquals(List.of("new0", "new1", "new2"), Fixture.bodies(f.receive("q", 10, 30)), "the next one reaches the live ones");
        assertEquals(3, f.messageCount("q"));
    }

    @Test
    void aDeliveryLeavesOutAMessageDeletedSinceItsReceive() {
        f.createQueue("q");
        f.send("q", "a", "b");
        PartitionResult received = f.apply(new ReceiveMessages("q", 10, 0));
        List<DeliveredMessage> first = f.delivered(received);
        f.delete("q", f.receive("q", 1).get(0).receiptHandle()); // another consumer took "a" again (visibility 0) and deleted it
        List<DeliveredMessage> late = f.delivered(received);
        assertEquals(2, first.size());
        assertEquals(1, late.size(), "a delivery assembled after the delete has only what is still stored");
        assertEquals("b", late.get(0).body());
    }

    @Test
    void deadLetterMovesOfOneLogEntryAreBoundedByBytesAndTheRestMoveWithLaterReceives() {
        f.createQueue("dlq");
        f.createQueue("src", pairs("RedrivePolicy", redrivePolicy("dlq", 1)));
        sendBig("src", 20);
        assertEquals(20, f.receive("src", 10, 600).size() + f.receive("src", 10, 600).size());
        f.advanceSeconds(600);
        assertTrue(f.receive("src", 10, 0).isEmpty(), "every message reached maxReceiveCount: none is delivered again");
        int movedFirst = f.readOutbox().size();
        assertTrue(movedFirst >= 1 && movedFirst <= Limits.MAX_MOVED_BYTES_PER_ENTRY / BIG,
                movedFirst + " messages of 1 MB moved by one entry, budget " + Limits.MAX_MOVED_BYTES_PER_ENTRY);
        for (int i = 0; i < 10 && f.messageCount("src") > 0; i++) {
            f.receive("src", 10, 0);
        }
        assertEquals(0, f.messageCount("src"));
        assertEquals(20, f.readOutbox().size(), "all moved, a budget's worth per entry; none lost, none delivered");
    }

    @Test
    void aMessageLargerThanTheMoveBudgetStillMovesAlone() {
        f.createQueue("dlq");
        f.createQueue("src", pairs("RedrivePolicy", redrivePolicy("dlq", 1)));
        assertTrue(Limits.MAX_MOVED_BYTES_PER_ENTRY > BIG, "this test's premise: one message fits; the budget only limits how many");
        sendBig("src", 1);
        f.receive("src", 1, 0);
        f.receive("src", 1, 0);
        assertEquals(1, f.readOutbox().size());
    }

    @Test
    void aMoveTaskStepMovesAtMostTheByteBudgetPerTickAndFinishesOverSeveralTicks() {
        f.createQueue("src");
        f.createQueue("dlq");
        f.apply(new QueueCommand.SetQueueAttributes("src", Map.of("RedrivePolicy", redrivePolicy("dlq", 1))));
        sendBig("dlq", 20);
        assertInstanceOf(QueueResult.MoveTaskStarted.class, f.apply(new StartMoveTask("dlq", "src", 500)));
        f.advanceSeconds(1);
        f.tick();
        int firstStep = f.readOutbox().size();
        assertTrue(firstStep >= 1 && firstStep <= Limits.MAX_MOVED_BYTES_PER_ENTRY / BIG, "first step moved " + firstStep);
        for (int i = 0; i < 10; i++) {
            f.advanceSeconds(1);
            f.tick();
        }
        assertEquals(20, f.readOutbox().size());
        assertEquals("COMPLETED", f.moveTasks("dlq").get(0).status());
    }

    @Test
    void anOutboxReadStopsAtItsByteBoundButAlwaysReturnsTheFirstEntry() {
        f.createQueue("dlq");
        f.createQueue("src", pairs("RedrivePolicy", redrivePolicy("dlq", 1)));
        sendBig("src", 5);
        f.receive("src", 10, 0);
        f.receive("src", 10, 0);
        assertEquals(5, f.readOutbox().size());
        var bounded = (QueueQueryResult.Outbox) f.query(new QueueQuery.ReadOutbox(Limits.MAX_OUTBOX_BATCH, 2L * BIG + 10_000));
        assertEquals(2, bounded.entries().size());
        var tiny = (QueueQueryResult.Outbox) f.query(new QueueQuery.ReadOutbox(Limits.MAX_OUTBOX_BATCH, 1));
        assertEquals(1, tiny.entries().size(), "a bound below one entry still returns it, or nothing would ever move");
        var size = (QueueQueryResult.OutboxSize) f.query(new QueueQuery.OutboxStats());
        assertEquals(5, size.entries());
        assertTrue(size.bytes() > 5L * BIG);
    }

    @Test
    void aQueueRecordIsRewrittenByReceivesWithoutItsMessagesContent() {
        f.createQueue("q", QueueAttributes.DEFAULTS);
        sendBig("q", 1);
        f.receive("q", 1, 0);
        var m = f.store.view().message(f.store.view().queue("q").orElseThrow().queueId(), 1).orElseThrow();
        assertEquals(1, m.receiveCount());
        assertEquals(BIG, m.payloadBytes(), "the state knows the content's size without holding it");
    }
}
