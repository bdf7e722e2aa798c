package io.pontoon.core.queue;

import io.pontoon.core.partition.MessageIds;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.Tick;
import io.pontoon.core.CoreConfig;
import io.pontoon.core.queue.QueueCommand.*;

import io.pontoon.core.queue.DeliveredMessage;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.queue.QueueAttributes;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static io.pontoon.core.queue.Fixture.assertError;
import static io.pontoon.core.queue.Fixture.attrs;
import static org.junit.jupiter.api.Assertions.*;

class QueueSemanticsTest {
    private final Fixture f = new Fixture();

    @Test
    void sentMessageIsReceivedWithBodyAndIds() {
        f.createQueue("q");
        QueueResult.Sent sent = f.send("q", "hello");
        List<DeliveredMessage> got = f.receive("q", 10);
        assertEquals(1, got.size());
        DeliveredMessage m = got.get(0);
        assertEquals("hello", m.body());
        assertEquals(sent.successful().get(0).messageId(), m.messageId());
        assertEquals(1, m.approximateReceiveCount());
        assertEquals(f.nowMs, m.sentTimestampMs());
        assertEquals(f.nowMs, m.approximateFirstReceiveTimestampMs());
    }

    @Test
    void visibilityTimeoutExpiryMakesMessageReceivableAgain() {
        f.createQueue("q", attrs(30, 345_600, 0, 1_048_576));
        f.send("q", "m");
        assertEquals(1, f.receive("q", 1).size());
        f.advanceSeconds(29);
        assertTrue(f.receive("q", 1).isEmpty(), "still in flight before the timeout");
        f.advanceSeconds(1);
        assertEquals(1, f.receive("q", 1).size(), "visible again once the timeout elapsed");
    }

    @Test
    void perCallVisibilityTimeoutOverridesTheQueueDefault() {
        f.createQueue("q", attrs(30, 345_600, 0, 1_048_576));
        f.send("q", "m");
        f.receive("q", 1, 5);
        f.advanceSeconds(5);
        assertEquals(1, f.receive("q", 1).size());
    }

    @Test
    void visibilityTimeoutZeroMakesMessageImmediatelyVisible() {
        f.createQueue("q");
        f.send("q", "m");
        assertEquals(1, f.receive("q", 1, 0).size());
        assertEquals(1, f.receive("q", 1, 0).size());
    }

    @Test
    void delayedMessageIsNotReceivableBeforeItsDelay() {
        f.createQueue("q");
        f.sendDelayed("q", "m", 10);
        assertEquals(1, f.approximate("q", "ApproximateNumberOfMessagesDelayed"));
        f.advanceSeconds(9);
        assertTrue(f.receive("q", 1).isEmpty());
        f.advanceSeconds(1);
        assertEquals(1, f.receive("q", 1).size());
    }

    @Test
    void queueDelaySecondsAppliesWhenTheMessageHasNone() {
        f.createQueue("q", attrs(30, 345_600, 20, 1_048_576));
        f.send("q", "m");
        f.advanceSeconds(19);
        assertTrue(f.receive("q", 1).isEmpty());
        f.advanceSeconds(1);
        assertEquals(1, f.receive("q", 1).size());
    }

    @Test
    void retentionExpiryDropsOldMessages() {
        f.createQueue("q", attrs(30, 60, 0, 1_048_576));
        f.send("q", "old");
        f.advanceSeconds(30);
        f.send("q", "young");
        f.advanceSeconds(30);
        PartitionResult.Ticked t = assertInstanceOf(PartitionResult.Ticked.class, f.apply(new Tick()));
        assertEquals(1, t.expired());
        List<DeliveredMessage> got = f.receive("q", 10);
        assertEquals(List.of("young"), got.stream().map(DeliveredMessage::body).toList());
    }

    @Test
    void receiveSkipsAndDropsRetentionExpiredMessagesWithoutATick() {
        f.createQueue("q", attrs(30, 60, 0, 1_048_576));
        f.send("q", "old");
        f.advanceSeconds(60);
        assertTrue(f.receive("q", 10).isEmpty());
        assertEquals(0, f.approximate("q", "ApproximateNumberOfMessages"), "messageCount was decremented");
    }

    @Test
    void tickSweepIsBoundedByRetentionSweepBatch() {
        Fixture small = new Fixture(CoreConfig.DEFAULTS.withRetentionSweepBatch(3));
        small.createQueue("q", attrs(30, 60, 0, 1_048_576));
        for (int i = 0; i < 5; i++) {
            small.send("q", "m" + i);
        }
        small.advanceSeconds(61);
        assertEquals(3, ((PartitionResult.Ticked) small.apply(new Tick())).expired());
        assertEquals(2, ((PartitionResult.Ticked) small.apply(new Tick())).expired());
        assertEquals(0, ((PartitionResult.Ticked) small.apply(new Tick())).expired());
    }

    @Test
    void tickSweepsEveryQueue() {
        f.createQueue("a", attrs(30, 60, 0, 1_048_576));
        f.createQueue("b", attrs(30, 60, 0, 1_048_576));
        f.send("a", "x");
        f.send("b", "y");
        f.advanceSeconds(60);
        assertEquals(2, ((PartitionResult.Ticked) f.apply(new Tick())).expired());
    }

    @Test
    void receiveCountIncrementsOnEveryReceive() {
        f.createQueue("q");
        f.send("q", "m");
        long firstReceive = f.nowMs;
        for (int expected = 1; expected <= 3; expected++) {
            DeliveredMessage m = f.receive("q", 1, 0).get(0);
            assertEquals(expected, m.approximateReceiveCount());
            assertEquals(firstReceive, m.approximateFirstReceiveTimestampMs());
            f.advanceSeconds(1);
        }
    }

    @Test
    void everyReceiveIssuesANewReceiptHandle() {
        f.createQueue("q");
        f.send("q", "m");
        String h1 = f.receive("q", 1, 0).get(0).receiptHandle();
        String h2 = f.receive("q", 1, 0).get(0).receiptHandle();
        assertNotEquals(h1, h2);
    }

    @Test
    void deleteWithCurrentHandleDeletesTheMessage() {
        f.createQueue("q");
        f.send("q", "m");
        String h = f.receive("q", 1, 0).get(0).receiptHandle();
        assertEquals(List.of("d"), f.delete("q", h).successfulIds());
        assertTrue(f.receive("q", 1).isEmpty());
        assertEquals(0, f.approximate("q", "ApproximateNumberOfMessages"));
    }

    @Test
    void staleReceiptHandleDeleteSucceedsButDoesNotDelete() {
        f.createQueue("q");
        f.send("q", "m");
        String stale = f.receive("q", 1, 0).get(0).receiptHandle();
        String current = f.receive("q", 1, 30).get(0).receiptHandle();
        QueueResult.BatchOutcome out = f.delete("q", stale);
        assertEquals(List.of("d"), out.successfulIds());
        assertTrue(out.failed().isEmpty());
        assertEquals(1, f.approximate("q", "ApproximateNumberOfMessagesNotVisible"), "message was not deleted");
        f.delete("q", current);
        assertEquals(0, f.approximate("q", "ApproximateNumberOfMessagesNotVisible"));
    }

    @Test
    void deletingAnAlreadyDeletedMessageSucceeds() {
        f.createQueue("q");
        f.send("q", "m");
        String h = f.receive("q", 1).get(0).receiptHandle();
        f.delete("q", h);
        QueueResult.BatchOutcome again = f.delete("q", h);
        assertEquals(List.of("d"), again.successfulIds());
    }

    @Test
    void batchReportsPartialFailuresPerEntry() {
        f.createQueue("q", attrs(30, 345_600, 0, 1_024));
        PartitionResult r = f.apply(new SendMessages("q", List.of(
                new SendEntry("small", "ok", new TreeMap<>(), null),
                new SendEntry("big", "x".repeat(1_025), new TreeMap<>(), null),
                new SendEntry("small2", "ok2", new TreeMap<>(), null))));
        QueueResult.Sent sent = assertInstanceOf(QueueResult.Sent.class, r);
        assertEquals(List.of("small", "small2"), sent.successful().stream().map(QueueResult.SendSuccess::id).toList());
        assertEquals(1, sent.failed().size());
        assertEquals("big", sent.failed().get(0).id());
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, sent.failed().get(0).code());
        assertTrue(sent.failed().get(0).senderFault());
        assertEquals(2, f.approximate("q", "ApproximateNumberOfMessages"));
    }

    @Test
    void changeVisibilityBatchReportsPerEntryOutcomes() {
        f.createQueue("q");
        f.send("q", "a", "b");
        List<DeliveredMessage> got = f.receive("q", 2);
        PartitionResult r = f.apply(new ChangeMessageVisibility("q", List.of(
                new VisibilityEntryChange("ok", got.get(0).receiptHandle(), 60),
                new VisibilityEntryChange("gone", new ReceiptHandle(0, 999_999, 1, 1).encode(), 60))));
        QueueResult.BatchOutcome out = assertInstanceOf(QueueResult.BatchOutcome.class, r);
        assertEquals(List.of("ok"), out.successfulIds());
        assertEquals(ErrorCode.RECEIPT_HANDLE_IS_INVALID, out.failed().get(0).code());
    }

    @Test
    void changeVisibilityCountsFromTheCallAndIsNotRemembered() {
        f.createQueue("q", attrs(30, 345_600, 0, 1_048_576));
        f.send("q", "m");
        String h = f.receive("q", 1).get(0).receiptHandle();
        f.advanceSeconds(20);
        assertTrue(f.changeVisibility("q", h, 100).failed().isEmpty());
        f.advanceSeconds(99);
        assertTrue(f.receive("q", 1).isEmpty(), "extended to 100 s from the call");
        f.advanceSeconds(1);
        assertEquals(1, f.receive("q", 1).size());
        f.advanceSeconds(30);
        assertEquals(1, f.receive("q", 1).size(), "the next receive used the queue's 30 s again");
    }

    @Test
    void changeVisibilityToZeroMakesTheMessageVisible() {
        f.createQueue("q");
        f.send("q", "m");
        String h = f.receive("q", 1).get(0).receiptHandle();
        f.changeVisibility("q", h, 0);
        assertEquals(1, f.receive("q", 1).size());
    }

    @Test
    void changeVisibilityOfAMessageNotInFlightFails() {
        f.createQueue("q", attrs(30, 345_600, 0, 1_048_576));
        f.send("q", "m");
        String h = f.receive("q", 1).get(0).receiptHandle();
        f.advanceSeconds(30);
        assertEquals(ErrorCode.MESSAGE_NOT_INFLIGHT, f.changeVisibility("q", h, 10).failed().get(0).code());
    }

    @Test
    void changeVisibilityWithStaleHandleIsInvalid() {
        f.createQueue("q");
        f.send("q", "m");
        String stale = f.receive("q", 1, 0).get(0).receiptHandle();
        f.receive("q", 1, 30);
        assertEquals(ErrorCode.RECEIPT_HANDLE_IS_INVALID, f.changeVisibility("q", stale, 10).failed().get(0).code());
    }

    @Test
    void changeVisibilityBeyondTwelveHoursFromReceiveFails() {
        f.createQueue("q");
        f.send("q", "m");
        String h = f.receive("q", 1, 43_200).get(0).receiptHandle();
        f.advanceSeconds(100);
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, f.changeVisibility("q", h, 43_200).failed().get(0).code());
        assertTrue(f.changeVisibility("q", h, 43_100).failed().isEmpty(), "exactly 12 h from the receive is allowed");
    }

    @Test
    void inFlightLimitReturnsOverLimit() {
        f.createQueue("q");
        f.send("q", "a", "b", "c");
        assertEquals(2, f.delivered(f.apply(new ReceiveMessages("q", 2, null).withInFlightLimit(2))).size());
        assertError(ErrorCode.OVER_LIMIT, f.apply(new ReceiveMessages("q", 1, null).withInFlightLimit(2)));
        assertEquals(1, f.receive("q", 1).size(), "the limit is the receive command's own: this one carries the default");
        f.advanceSeconds(30);
        assertEquals(1, f.delivered(f.apply(new ReceiveMessages("q", 1, null).withInFlightLimit(2))).size(),
                "after visibility expiry in-flight drops again");
    }

    @Test
    void createQueueIsIdempotentOnlyWithIdenticalAttributes() {
        f.createQueue("q", attrs(30, 345_600, 0, 1_048_576));
        assertEquals(new QueueResult.QueueCreated("pontoon://queue/q"),
                f.apply(new CreateQueue("q", attrs(30, 345_600, 0, 1_048_576))));
        assertError(ErrorCode.QUEUE_ALREADY_EXISTS, f.apply(new CreateQueue("q", attrs(31, 345_600, 0, 1_048_576))));
    }

    @Test
    void createQueueOfAnExistingQueueWithOtherTagsReturnsItAndLeavesItsTags() {
        f.createQueue("q", new QueueAttributes(30, 345_600, 0, 0, 1_048_576, Map.of("team", "a")));
        QueueAttributes retagged = new QueueAttributes(30, 345_600, 0, 0, 1_048_576, Map.of("team", "b"));
        assertEquals(new QueueResult.QueueCreated("pontoon://queue/q"), f.apply(new CreateQueue("q", retagged)),
                "tags are not attributes: AWS compares only attributes");
        assertEquals(Map.of("team", "a"), f.tags("q"));
    }

    @Test
    void recreatedQueueDoesNotSeeOldMessagesOrHandles() {
        f.createQueue("q");
        f.send("q", "old");
        String h = f.receive("q", 1, 0).get(0).receiptHandle();
        assertEquals(new PartitionResult.Ok(), f.apply(new DeleteQueue("q")));
        f.createQueue("q");
        assertTrue(f.receive("q", 10).isEmpty());
        assertEquals(List.of("d"), f.delete("q", h).successfulIds(), "a handle of the old incarnation is a no-op success");
    }

    @Test
    void commandsOnAMissingQueueFailWithNonExistentQueue() {
        assertError(ErrorCode.NON_EXISTENT_QUEUE, f.apply(new SendMessages("nope", List.of(new SendEntry("a", "b", new TreeMap<>(), null)))));
        assertError(ErrorCode.NON_EXISTENT_QUEUE, f.apply(new ReceiveMessages("nope", 1, null)));
        assertError(ErrorCode.NON_EXISTENT_QUEUE, f.apply(new DeleteQueue("nope")));
        assertError(ErrorCode.NON_EXISTENT_QUEUE, f.apply(new PurgeQueue("nope")));
        assertError(ErrorCode.NON_EXISTENT_QUEUE, f.apply(new SetQueueAttributes("nope", Map.of("DelaySeconds", "1"))));
    }

    @Test
    void purgeTwiceWithin60sFails() {
        f.createQueue("q");
        assertEquals(new PartitionResult.Ok(), f.apply(new PurgeQueue("q")));
        f.advanceSeconds(59);
        assertError(ErrorCode.PURGE_QUEUE_IN_PROGRESS, f.apply(new PurgeQueue("q")));
        f.advanceSeconds(1);
        assertEquals(new PartitionResult.Ok(), f.apply(new PurgeQueue("q")));
    }

    @Test
    void purgeDropsMessagesAndInvalidatesHandles() {
        f.createQueue("q");
        f.send("q", "a", "b");
        String h = f.receive("q", 1).get(0).receiptHandle();
        f.apply(new PurgeQueue("q"));
        assertTrue(f.receive("q", 10).isEmpty());
        assertEquals(0, f.approximate("q", "ApproximateNumberOfMessages"));
        assertEquals(ErrorCode.RECEIPT_HANDLE_IS_INVALID, f.changeVisibility("q", h, 10).failed().get(0).code());
        f.send("q", "new");
        assertEquals(1, f.receive("q", 10).size());
    }

    @Test
    void setQueueAttributesChangesBehaviourAndLastModified() {
        f.createQueue("q");
        long created = f.nowMs / 1000;
        f.advanceSeconds(10);
        assertEquals(new PartitionResult.Ok(), f.apply(new SetQueueAttributes("q", Map.of("DelaySeconds", "5"))));
        var a = f.attributes("q", "All");
        assertEquals("5", a.get("DelaySeconds"));
        assertEquals(String.valueOf(created), a.get("CreatedTimestamp"));
        assertEquals(String.valueOf(created + 10), a.get("LastModifiedTimestamp"));
        f.send("q", "m");
        assertTrue(f.receive("q", 1).isEmpty());
    }

    @Test
    void invalidCommandThatBypassedValidationIsAnErrorResultAndChangesNothing() {
        PartitionResult r = f.sm.apply(f.store, List.of(new CreateQueue("bad name!", QueueAttributes.DEFAULTS)), 1, 1, f.nowMs).get(0);
        assertError(ErrorCode.INVALID_PARAMETER_VALUE, r);
        var list = (io.pontoon.core.queue.QueueQueryResult.QueueList) f.query(new io.pontoon.core.queue.QueueQuery.ListQueues("", null, null));
        assertTrue(list.queueUrls().isEmpty());
    }

    @Test
    void severalReceivesInOneEntryGetDistinctHandlesAndMessages() {
        f.createQueue("q");
        f.send("q", "a", "b");
        List<PartitionResult> rs = f.applyAll(new ReceiveMessages("q", 1, null), new ReceiveMessages("q", 1, null));
        QueueResult.ReceivedMessage m1 = ((QueueResult.Received) rs.get(0)).messages().get(0);
        QueueResult.ReceivedMessage m2 = ((QueueResult.Received) rs.get(1)).messages().get(0);
        assertNotEquals(m1.messageId(), m2.messageId());
        assertNotEquals(m1.receiptHandle(), m2.receiptHandle());
    }

    @Test
    void severalQueuesCreatedInOneEntryDoNotShareMessages() {
        f.applyAll(new CreateQueue("a", QueueAttributes.DEFAULTS), new CreateQueue("b", QueueAttributes.DEFAULTS));
        f.send("a", "for-a");
        assertTrue(f.receive("b", 10).isEmpty());
        assertEquals(1, f.receive("a", 10).size());
    }

    @Test
    void messageIdsDifferBetweenClustersCreatedAtDifferentTimes() {
        Fixture other = new Fixture();
        other.nowMs = f.nowMs + 1;
        f.createQueue("q");
        other.createQueue("q");
        assertNotEquals(f.send("q", "m").successful().get(0).messageId(), other.send("q", "m").successful().get(0).messageId(),
                "same partition, same seq, different first-entry time: ids must differ");
    }

    @Test
    void messageIdsAreUniqueAndDerivedFromTheLog() {
        f.createQueue("q");
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            ids.add(f.send("q", "m").successful().get(0).messageId());
        }
        assertEquals(50, ids.size());
        assertEquals(MessageIds.of(42, 7, 1), MessageIds.of(42, 7, 1));
        assertNotEquals(MessageIds.of(42, 7, 1), MessageIds.of(42, 8, 1), "partitions of one cluster never collide");
        assertNotEquals(MessageIds.of(42, 7, 1), MessageIds.of(43, 7, 1), "another cluster (another epoch) gets other ids");
        assertEquals(36, MessageIds.of(42, 7, 1).length());
        assertEquals('8', MessageIds.of(42, 7, 1).charAt(14), "UUID version 8");
    }
}
