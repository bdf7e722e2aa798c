package io.pontoon.core.queue;

import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.QueryResult;


import io.pontoon.core.queue.QueueQuery;

import io.pontoon.core.queue.QueueCommand.ChangeMessageVisibility;
import io.pontoon.core.queue.QueueCommand.CreateQueue;
import io.pontoon.core.queue.QueueCommand.PurgeQueue;
import io.pontoon.core.queue.QueueCommand.ReceiveMessages;
import io.pontoon.core.queue.QueueCommand.SendEntry;
import io.pontoon.core.queue.QueueCommand.SendMessages;
import io.pontoon.core.queue.QueueCommand.SetQueueAttributes;
import io.pontoon.core.queue.QueueCommand.VisibilityEntryChange;

import io.pontoon.core.queue.DeliveredMessage;
import io.pontoon.core.queue.QueueResult.SendSuccess;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.queue.FifoSettings;
import io.pontoon.core.queue.QueueAttributes;
import io.pontoon.core.partition.AuxTable;
import io.pontoon.core.queue.QueueValidator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.pontoon.core.queue.Fixture.assertError;
import static io.pontoon.core.queue.Fixture.assertRejected;
import static io.pontoon.core.queue.Fixture.bodies;
import static io.pontoon.core.queue.Fixture.fifoEntry;
import static io.pontoon.core.queue.Fixture.pairs;
import static io.pontoon.core.queue.Fixture.stringAttr;
import static org.junit.jupiter.api.Assertions.*;

/** FIFO queues: creation rules, message groups, deduplication, receive request attempts. */
class FifoQueueRulesTest {
    private static final String Q = "orders.fifo";
    private final Fixture f = new Fixture();

    private static QueueAttributes createAttributes(String name, String... nameValuePairs) {
        return QueueValidator.createQueueAttributes(name, pairs(nameValuePairs), Map.of());
    }

    private static void validate(String queue, SendEntry... entries) {
        QueueValidator.sendMessages(new SendMessages(queue, List.of(entries)));
    }

    private List<DeliveredMessage> receiveAll(int vtSeconds) {
        return f.receive(Q, 10, vtSeconds);
    }

    // ------------------------------------------------------------------ creation and attribute validation

    @Test
    void aFifoNamedQueueNeedsFifoQueueTrueAtCreation() {
        assertRejected(() -> createAttributes(Q));
        assertRejected(() -> createAttributes(Q, "FifoQueue", "false"));
        assertRejected(() -> createAttributes(Q, "FifoQueue", "yes"));
        QueueAttributes a = createAttributes(Q, "FifoQueue", "true");
        assertTrue(a.isFifo());
        assertEquals(FifoSettings.DEFAULTS, a.fifo());
    }

    @Test
    void fifoQueueTrueNeedsAFifoName() {
        assertRejected(() -> createAttributes("orders", "FifoQueue", "true"));
        assertFalse(createAttributes("orders", "FifoQueue", "false").isFifo());
    }

    @Test
    void aTypedCreateQueueIsFifoExactlyWhenItsNameEndsInFifo() {
        assertRejected(() -> QueueValidator.validate(new CreateQueue(Q, QueueAttributes.DEFAULTS)));
        assertRejected(() -> QueueValidator.validate(new CreateQueue("orders", QueueAttributes.FIFO_DEFAULTS)));
        QueueValidator.validate(new CreateQueue(Q, QueueAttributes.FIFO_DEFAULTS));
        assertError(ErrorCode.INVALID_PARAMETER_VALUE, f.apply(new CreateQueue(Q, QueueAttributes.DEFAULTS)));
    }

    @Test
    void fifoQueueCanOnlyBeSetAtCreation() {
        assertRejected(() -> QueueValidator.validate(new SetQueueAttributes(Q, Map.of("FifoQueue", "true"))));
    }

    @Test
    void fifoOnlyAttributesAreRejectedOnStandardQueues() {
        for (Map.Entry<String, String> e : Map.of("ContentBasedDeduplication", "true", "DeduplicationScope", "messageGroup",
                "FifoThroughputLimit", "perQueue").entrySet()) {
            assertRejected(() -> createAttributes("orders", e.getKey(), e.getValue()));
            assertRejected(() -> QueueValidator.validate(new SetQueueAttributes("orders", Map.of(e.getKey(), e.getValue()))));
            createAttributes(Q, "FifoQueue", "true", e.getKey(), e.getValue());
            QueueValidator.validate(new SetQueueAttributes(Q, Map.of(e.getKey(), e.getValue())));
        }
    }

    @Test
    void fifoAttributeValuesAreChecked() {
        assertRejected(() -> createAttributes(Q, "FifoQueue", "true", "ContentBasedDeduplication", "yes"));
        assertRejected(() -> createAttributes(Q, "FifoQueue", "true", "DeduplicationScope", "group"));
        assertRejected(() -> createAttributes(Q, "FifoQueue", "true", "FifoThroughputLimit", "perGroup"));
    }

    @Test
    void perMessageGroupIdThroughputRequiresMessageGroupDeduplicationScope() {
        assertRejected(() -> createAttributes(Q, "FifoQueue", "true", "FifoThroughputLimit", "perMessageGroupId"));
        assertRejected(() -> createAttributes(Q, "FifoQueue", "true", "FifoThroughputLimit", "perMessageGroupId",
                "DeduplicationScope", "queue"));
        QueueAttributes a = createAttributes(Q, "FifoQueue", "true", "FifoThroughputLimit", "perMessageGroupId",
                "DeduplicationScope", "messageGroup");
        assertEquals(new FifoSettings(false, FifoSettings.DeduplicationScope.MESSAGE_GROUP,
                FifoSettings.FifoThroughputLimit.PER_MESSAGE_GROUP_ID), a.fifo());
        QueueValidator.validate(new SetQueueAttributes(Q, Map.of("FifoThroughputLimit", "perMessageGroupId",
                "DeduplicationScope", "messageGroup")));
    }

    @Test
    void settingPerMessageGroupIdAloneWorksWhenTheQueueAlreadyHasMessageGroupScope() {
        f.createFifoQueue(Q, "DeduplicationScope", "messageGroup");
        assertEquals(new PartitionResult.Ok(), f.apply(new SetQueueAttributes(Q, Map.of("FifoThroughputLimit", "perMessageGroupId"))));
        assertEquals("perMessageGroupId", f.attributes(Q, "FifoThroughputLimit").get("FifoThroughputLimit"));
    }

    @Test
    void settingQueueScopeOnAHighThroughputQueueIsAnErrorResultNotAnException() {
        f.createFifoQueue(Q, "DeduplicationScope", "messageGroup", "FifoThroughputLimit", "perMessageGroupId");
        PartitionResult r = assertDoesNotThrow(() -> f.apply(new SetQueueAttributes(Q, Map.of("DeduplicationScope", "queue"))));
        assertError(ErrorCode.INVALID_ATTRIBUTE_VALUE, r);
        assertEquals("messageGroup", f.attributes(Q, "DeduplicationScope").get("DeduplicationScope"));
    }

    @Test
    void aTypedCreateQueueWithPerMessageGroupIdAndQueueScopeIsRejected() {
        QueueAttributes bad = QueueAttributes.DEFAULTS.withFifo(new FifoSettings(false, FifoSettings.DeduplicationScope.QUEUE,
                FifoSettings.FifoThroughputLimit.PER_MESSAGE_GROUP_ID));
        assertRejected(() -> QueueValidator.validate(new CreateQueue(Q, bad)));
    }

    @Test
    void getQueueAttributesReportsTheFifoAttributes() {
        f.createFifoQueue(Q, "ContentBasedDeduplication", "true", "DeduplicationScope", "messageGroup",
                "FifoThroughputLimit", "perMessageGroupId");
        var a = f.attributes(Q, "All");
        assertEquals("true", a.get("FifoQueue"));
        assertEquals("true", a.get("ContentBasedDeduplication"));
        assertEquals("messageGroup", a.get("DeduplicationScope"));
        assertEquals("perMessageGroupId", a.get("FifoThroughputLimit"));
        f.createQueue("plain");
        assertFalse(f.attributes("plain", "All").containsKey("FifoQueue"));
    }

    @Test
    void fifoSendRequiresMessageGroupId() {
        assertEquals(ErrorCode.MISSING_PARAMETER, assertRejected(() -> validate(Q, fifoEntry("a", "b", null, "d"))).code());
        validate(Q, fifoEntry("a", "b", "g", "d"));
        validate("orders", new SendEntry("a", "b", new TreeMap<>(), null, "g", null)); // optional on standard queues
    }

    @Test
    void fifoSendRejectsPerMessageDelaySeconds() {
        assertRejected(() -> validate(Q, new SendEntry("a", "b", new TreeMap<>(), 0, "g", "d")));
        assertRejected(() -> validate(Q, new SendEntry("a", "b", new TreeMap<>(), 5, "g", "d")));
    }

    @Test
    void deduplicationIdIsRejectedOnStandardQueues() {
        assertRejected(() -> validate("orders", new SendEntry("a", "b", new TreeMap<>(), null, null, "d")));
    }

    @Test
    void fifoTokensAreOneTo128AlphanumericOrPunctuationCharacters() {
        validate(Q, fifoEntry("a", "b", "g-1_:.!", "x".repeat(128)));
        assertRejected(() -> validate(Q, fifoEntry("a", "b", "g".repeat(129), "d")));
        assertRejected(() -> validate(Q, fifoEntry("a", "b", "with space", "d")));
        assertRejected(() -> validate(Q, fifoEntry("a", "b", "", "d")));
        assertRejected(() -> validate(Q, fifoEntry("a", "b", "g", "x".repeat(129))));
        assertRejected(() -> QueueValidator.validate(new ReceiveMessages(Q, 1, null, "a b")));
        assertRejected(() -> QueueValidator.validate(new ReceiveMessages(Q, 1, null, "a".repeat(129))));
        QueueValidator.validate(new ReceiveMessages(Q, 1, null, "a".repeat(128)));
    }

    // ------------------------------------------------------------------ sends

    @Test
    void missingDeduplicationIdWithoutContentBasedDeduplicationFailsThatEntryOnly() {
        f.createFifoQueue(Q);
        QueueResult.Sent sent = f.sendBatch(Q, fifoEntry("ok", "a", "g", "d1"), fifoEntry("bad", "b", "g", null));
        assertEquals(List.of("ok"), sent.successful().stream().map(SendSuccess::id).toList());
        assertEquals("bad", sent.failed().get(0).id());
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, sent.failed().get(0).code());
        assertTrue(sent.failed().get(0).senderFault());
        assertEquals(List.of("a"), bodies(receiveAll(30)));
    }

    @Test
    void receivedFifoMessagesCarryGroupDeduplicationIdAndSequenceNumber() {
        f.createFifoQueue(Q);
        SendSuccess s = f.sendFifo(Q, "g", "d1", "a").successful().get(0);
        assertNotNull(s.sequenceNumber());
        DeliveredMessage m = receiveAll(30).get(0);
        assertEquals(s.messageId(), m.messageId());
        assertEquals(s.sequenceNumber(), m.sequenceNumber());
        assertEquals("g", m.groupId());
        assertEquals("d1", m.deduplicationId());
        assertNull(m.deadLetterSource());
        f.createQueue("plain");
        assertNull(f.send("plain", "x").successful().get(0).sequenceNumber());
        assertNull(f.receive("plain", 1).get(0).sequenceNumber());
    }

    @Test
    void sequenceNumbersIncreaseWithinAGroup() {
        f.createFifoQueue(Q);
        List<String> seqs = new ArrayList<>();
        seqs.addAll(f.sendFifoBatch(Q, "g", "a", "b", "c").successful().stream().map(SendSuccess::sequenceNumber).toList());
        f.sendFifo(Q, "other", "x", "x");
        seqs.add(f.sendFifo(Q, "g", "d", "d").successful().get(0).sequenceNumber());
        for (int i = 1; i < seqs.size(); i++) {
            assertTrue(new java.math.BigInteger(seqs.get(i)).compareTo(new java.math.BigInteger(seqs.get(i - 1))) > 0, seqs.toString());
            assertTrue(seqs.get(i).compareTo(seqs.get(i - 1)) > 0, "also in text order: " + seqs);
        }
    }

    // ------------------------------------------------------------------ ordering and group locks

    @Test
    void orderWithinAGroupIsSendOrderAlsoWithinOneBatch() {
        f.createFifoQueue(Q);
        f.sendFifoBatch(Q, "g", "a1", "a2", "a3");
        f.sendFifo(Q, "g", "a4", "a4");
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            DeliveredMessage m = f.receive(Q, 1).get(0);
            got.add(m.body());
            f.delete(Q, m.receiptHandle());
        }
        assertEquals(List.of("a1", "a2", "a3", "a4"), got);
        assertTrue(f.receive(Q, 10).isEmpty());
    }

    @Test
    void oneReceiveReturnsSeveralMessagesOfOneGroupInOrder() {
        f.createFifoQueue(Q);
        f.sendFifoBatch(Q, "g", "a1", "a2", "a3", "a4", "a5");
        assertEquals(List.of("a1", "a2", "a3"), bodies(f.receive(Q, 3)));
    }

    @Test
    void whileAGroupHasAMessageInFlightNoLaterMessageOfThatGroupIsDeliveredButAnotherGroupIs() {
        f.createFifoQueue(Q);
        f.sendFifoBatch(Q, "A", "a1", "a2");
        f.sendFifoBatch(Q, "B", "b1");
        assertEquals(List.of("a1"), bodies(f.receive(Q, 1)));
        assertEquals(List.of("b1"), bodies(f.receive(Q, 10)), "A is locked by a1; B is free");
        assertTrue(f.receive(Q, 10).isEmpty());
        f.advanceSeconds(29);
        assertTrue(f.receive(Q, 10).isEmpty(), "still locked just before a1's visibility timeout");
    }

    @Test
    void oneReceiveTakesFromSeveralGroupsEachInOrder() {
        f.createFifoQueue(Q);
        f.sendBatch(Q, fifoEntry("1", "a1", "A", "1"), fifoEntry("2", "b1", "B", "2"), fifoEntry("3", "a2", "A", "3"),
                fifoEntry("4", "b2", "B", "4"));
        List<String> got = bodies(receiveAll(30));
        assertEquals(4, got.size());
        assertTrue(got.indexOf("a1") < got.indexOf("a2"), got.toString());
        assertTrue(got.indexOf("b1") < got.indexOf("b2"), got.toString());
    }

    @Test
    void visibilityExpiryUnlocksTheGroupAndRedeliversFromTheHeadInOrder() {
        f.createFifoQueue(Q);
        f.sendFifoBatch(Q, "g", "a1", "a2", "a3");
        assertEquals(List.of("a1", "a2"), bodies(f.receive(Q, 2, 30)));
        assertTrue(f.receive(Q, 10).isEmpty());
        f.advanceSeconds(30);
        List<DeliveredMessage> again = receiveAll(30);
        assertEquals(List.of("a1", "a2", "a3"), bodies(again));
        assertEquals(List.of(2, 2, 1), again.stream().map(DeliveredMessage::approximateReceiveCount).toList());
    }

    @Test
    void deletingTheInFlightHeadUnlocksTheNextMessage() {
        f.createFifoQueue(Q);
        f.sendFifoBatch(Q, "g", "a1", "a2");
        DeliveredMessage head = f.receive(Q, 1).get(0);
        assertTrue(f.receive(Q, 1).isEmpty());
        f.delete(Q, head.receiptHandle());
        assertEquals(List.of("a2"), bodies(f.receive(Q, 10)));
    }

    @Test
    void deletingTheHeadWhileALaterMessageOfTheSameReceiveIsInFlightKeepsTheGroupLocked() {
        f.createFifoQueue(Q);
        f.sendFifoBatch(Q, "g", "a1", "a2", "a3");
        List<DeliveredMessage> got = f.receive(Q, 2, 30);
        f.delete(Q, got.get(0).receiptHandle());
        assertTrue(f.receive(Q, 10).isEmpty(), "a2 is still in flight");
        f.delete(Q, got.get(1).receiptHandle());
        assertEquals(List.of("a3"), bodies(f.receive(Q, 10)));
    }

    @Test
    void visibilityZeroOnTheHeadWhileALaterMessageOfTheSameReceiveIsInFlightKeepsTheGroupLocked() {
        f.createFifoQueue(Q);
        f.sendFifoBatch(Q, "g", "a1", "a2", "a3");
        List<DeliveredMessage> got = f.receive(Q, 2, 30);
        assertTrue(f.changeVisibility(Q, got.get(0).receiptHandle(), 0).failed().isEmpty());
        assertTrue(f.receive(Q, 10).isEmpty(), "a2 of the same receive is still in flight");
        f.advanceSeconds(30);
        assertEquals(List.of("a1", "a2", "a3"), bodies(receiveAll(30)), "redelivered from the head once a2 expires");
    }

    @Test
    void visibilityZeroOnAnInFlightHeadAloneUnlocksTheGroupAtOnce() {
        f.createFifoQueue(Q);
        f.sendFifoBatch(Q, "g", "a1", "a2");
        DeliveredMessage head = f.receive(Q, 1, 30).get(0);
        f.changeVisibility(Q, head.receiptHandle(), 0);
        assertEquals(List.of("a1", "a2"), bodies(receiveAll(30)));
    }

    @Test
    void extendingTheVisibilityOfALaterInFlightMessageExtendsTheGroupLock() {
        f.createFifoQueue(Q);
        f.sendFifoBatch(Q, "g", "a1", "a2", "a3");
        List<DeliveredMessage> got = f.receive(Q, 2, 30);
        f.apply(new ChangeMessageVisibility(Q, List.of(new VisibilityEntryChange("c", got.get(1).receiptHandle(), 100))));
        f.advanceSeconds(30);
        assertTrue(f.receive(Q, 10).isEmpty(), "a2 holds the group for 100 s");
        f.advanceSeconds(70);
        assertEquals(List.of("a1", "a2", "a3"), bodies(receiveAll(30)));
    }

    @Test
    void aDeepLockedGroupDoesNotHideOtherGroups() {
        f.createFifoQueue(Q);
        for (int batch = 0; batch < 20; batch++) {
            String[] bodies = new String[10];
            for (int i = 0; i < 10; i++) {
                bodies[i] = "a" + (batch * 10 + i);
            }
            f.sendFifoBatch(Q, "A", bodies);
        }
        assertEquals(List.of("a0"), bodies(f.receive(Q, 1, 300)));
        f.sendFifo(Q, "B", "b1", "b1");
        assertEquals(List.of("b1"), bodies(f.receive(Q, 10)));
        assertTrue(f.receive(Q, 10).isEmpty());
    }

    @Test
    void manyGroupsAreAllServed() {
        f.createFifoQueue(Q);
        for (int g = 0; g < 30; g++) {
            f.sendFifoBatch(Q, "G" + g, "m" + g + "-1", "m" + g + "-2");
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 6; i++) {
            List<DeliveredMessage> got = receiveAll(300);
            got.forEach(m -> assertTrue(seen.add(m.body()), "no duplicates while in flight: " + m.body()));
        }
        assertEquals(60, seen.size());
    }

    @Test
    void twoReceivesInOneLogEntryRespectTheGroupLock() {
        f.createFifoQueue(Q);
        f.sendFifoBatch(Q, "A", "a1", "a2");
        List<PartitionResult> rs = f.applyAll(new ReceiveMessages(Q, 1, null), new ReceiveMessages(Q, 1, null));
        assertEquals(List.of("a1"), bodies(f.delivered(rs.get(0))));
        assertTrue(assertInstanceOf(QueueResult.Received.class, rs.get(1)).messages().isEmpty());
    }

    @Test
    void aSendAndAReceiveInOneLogEntrySeeEachOther() {
        f.createFifoQueue(Q);
        List<PartitionResult> rs = f.applyAll(new SendMessages(Q, List.of(fifoEntry("1", "a1", "A", "1"))),
                new SendMessages(Q, List.of(fifoEntry("2", "a2", "A", "2"))), new ReceiveMessages(Q, 10, null));
        assertEquals(List.of("a1", "a2"), bodies(f.delivered(rs.get(2))));
    }

    @Test
    void receivableNowIsFalseWhileTheOnlyGroupIsLocked() {
        f.createFifoQueue(Q);
        assertFalse(f.stats(Q).receivableNow());
        f.sendFifoBatch(Q, "A", "a1", "a2");
        assertTrue(f.stats(Q).receivableNow());
        f.receive(Q, 1);
        assertFalse(f.stats(Q).receivableNow(), "a2 waits behind the in-flight a1");
        f.sendFifo(Q, "B", "b1", "b1");
        assertTrue(f.stats(Q).receivableNow());
    }

    @Test
    void theReceivableQueryAgreesWithTheGroupLocks() {
        f.createFifoQueue(Q);
        assertEquals(new QueueQueryResult.Flag(false), f.query(new QueueQuery.Receivable(Q)));
        f.sendFifoBatch(Q, "A", "a1", "a2");
        assertEquals(new QueueQueryResult.Flag(true), f.query(new QueueQuery.Receivable(Q)));
        f.receive(Q, 1);
        assertEquals(new QueueQueryResult.Flag(false), f.query(new QueueQuery.Receivable(Q)), "a2 waits behind the in-flight a1");
        assertInstanceOf(QueryResult.Error.class, f.query(new QueueQuery.Receivable("missing.fifo")));
    }

    @Test
    void queueDelaySecondsDelaysFifoMessages() {
        f.createFifoQueue(Q, "DelaySeconds", "10");
        f.sendFifo(Q, "g", "d", "a1");
        f.advanceSeconds(9);
        assertTrue(f.receive(Q, 10).isEmpty());
        f.advanceSeconds(1);
        assertEquals(List.of("a1"), bodies(f.receive(Q, 10)));
    }

    // ------------------------------------------------------------------ deduplication

    @Test
    void duplicateSendWithinFiveMinutesReturnsTheOriginalMessageIdAndSequenceNumberAndStoresNothing() {
        f.createFifoQueue(Q);
        SendSuccess first = f.sendFifo(Q, "g", "d1", "a").successful().get(0);
        f.advanceSeconds(299);
        SendSuccess again = f.sendFifo(Q, "g", "d1", "another body").successful().get(0);
        assertEquals(first.messageId(), again.messageId());
        assertEquals(first.sequenceNumber(), again.sequenceNumber());
        assertEquals(1, f.approximate(Q, "ApproximateNumberOfMessages"));
        assertEquals(List.of("a"), bodies(receiveAll(30)));
    }

    @Test
    void duplicateSendAfterTheOriginalWasDeletedIsStillDeduplicated() {
        f.createFifoQueue(Q);
        SendSuccess first = f.sendFifo(Q, "g", "d1", "a").successful().get(0);
        f.delete(Q, f.receive(Q, 1).get(0).receiptHandle());
        f.advanceSeconds(60);
        SendSuccess again = f.sendFifo(Q, "g", "d1", "a").successful().get(0);
        assertEquals(first.messageId(), again.messageId());
        assertEquals(first.sequenceNumber(), again.sequenceNumber());
        assertTrue(f.receive(Q, 10).isEmpty());
    }

    @Test
    void sendWithTheSameDeduplicationIdAfterFiveMinutesIsANewMessage() {
        f.createFifoQueue(Q);
        SendSuccess first = f.sendFifo(Q, "g", "d1", "a").successful().get(0);
        f.advanceSeconds(300);
        SendSuccess later = f.sendFifo(Q, "g", "d1", "a").successful().get(0);
        assertNotEquals(first.messageId(), later.messageId());
        assertNotEquals(first.sequenceNumber(), later.sequenceNumber());
        assertEquals(2, bodies(receiveAll(30)).size());
        // the new send starts a new window
        f.advanceSeconds(299);
        assertEquals(later.messageId(), f.sendFifo(Q, "g", "d1", "a").successful().get(0).messageId());
    }

    @Test
    void duplicateWithinOneBatchIsDeduplicated() {
        f.createFifoQueue(Q);
        QueueResult.Sent sent = f.sendBatch(Q, fifoEntry("1", "a", "g", "d"), fifoEntry("2", "b", "g", "d"));
        assertEquals(2, sent.successful().size());
        assertEquals(sent.successful().get(0).messageId(), sent.successful().get(1).messageId());
        assertEquals(List.of("a"), bodies(receiveAll(30)));
    }

    @Test
    void contentBasedDeduplicationUsesTheBodyOnly() {
        f.createFifoQueue(Q, "ContentBasedDeduplication", "true");
        SendSuccess first = f.sendFifo(Q, "g", null, "same").successful().get(0);
        SendSuccess withAttributes = f.sendBatch(Q, new SendEntry("e", "same", stringAttr("k", "v"), null, "g", null))
                .successful().get(0);
        assertEquals(first.messageId(), withAttributes.messageId(), "same body, other attributes: a duplicate");
        assertNotEquals(first.messageId(), f.sendFifo(Q, "g", null, "other").successful().get(0).messageId());
        assertNotEquals(first.messageId(), f.sendFifo(Q, "g", "explicit", "same").successful().get(0).messageId(),
                "an explicit id overrides the content hash");
        List<DeliveredMessage> got = receiveAll(30);
        assertEquals(List.of("same", "other", "same"), bodies(got));
        assertEquals(64, got.get(0).deduplicationId().length(), "the content-based id is the body's SHA-256");
        assertEquals("explicit", got.get(2).deduplicationId());
    }

    @Test
    void messageGroupDeduplicationScopeDeduplicatesPerGroup() {
        f.createFifoQueue(Q, "DeduplicationScope", "messageGroup");
        String a = f.sendFifo(Q, "A", "d", "x").successful().get(0).messageId();
        String b = f.sendFifo(Q, "B", "d", "x").successful().get(0).messageId();
        assertNotEquals(a, b);
        assertEquals(a, f.sendFifo(Q, "A", "d", "x").successful().get(0).messageId());
        assertEquals(2, f.approximate(Q, "ApproximateNumberOfMessages"));
    }

    @Test
    void queueDeduplicationScopeDeduplicatesAcrossGroups() {
        f.createFifoQueue(Q, "DeduplicationScope", "queue");
        String a = f.sendFifo(Q, "A", "d", "x").successful().get(0).messageId();
        assertEquals(a, f.sendFifo(Q, "B", "d", "x").successful().get(0).messageId());
        assertEquals(List.of("x"), bodies(receiveAll(30)));
    }

    @Test
    void tickSweepsExpiredDeduplicationAndReceiveAttemptRecords() {
        f.createFifoQueue(Q);
        f.sendFifoBatch(Q, "g", "a", "b");
        f.receiveWithAttempt(Q, 10, 30, "attempt");
        assertEquals(2, f.auxEntries(AuxTable.DEDUP).size());
        assertEquals(1, f.auxEntries(AuxTable.RECEIVE_ATTEMPT).size());
        f.advanceSeconds(299);
        f.tick();
        assertEquals(2, f.auxEntries(AuxTable.DEDUP).size(), "not yet expired");
        f.advanceSeconds(1);
        f.tick();
        assertTrue(f.auxEntries(AuxTable.DEDUP).isEmpty());
        assertTrue(f.auxEntries(AuxTable.RECEIVE_ATTEMPT).isEmpty());
        assertTrue(f.auxEntries(AuxTable.EXPIRY).isEmpty());
    }

    @Test
    void theSweepKeepsADeduplicationRecordRecreatedAfterItsFirstWindow() {
        f.createFifoQueue(Q);
        f.sendFifo(Q, "g", "d", "a");
        f.advanceSeconds(300);
        String second = f.sendFifo(Q, "g", "d", "a").successful().get(0).messageId(); // new window, old EXPIRY entry left
        f.tick();
        assertEquals(1, f.auxEntries(AuxTable.DEDUP).size(), "the re-created record outlives the old expiry entry");
        f.advanceSeconds(299);
        assertEquals(second, f.sendFifo(Q, "g", "d", "a").successful().get(0).messageId());
    }

    // ------------------------------------------------------------------ receive request attempts

    @Test
    void receiveRequestAttemptRetryWithinFiveMinutesReturnsTheSameMessagesAndReceiptHandles() {
        f.createFifoQueue(Q);
        f.sendFifoBatch(Q, "g", "a1", "a2", "a3");
        List<DeliveredMessage> first = f.receiveWithAttempt(Q, 2, 600, "attempt-1");
        f.sendFifo(Q, "h", "b1", "b1");
        f.advanceSeconds(200);
        List<DeliveredMessage> retry = f.receiveWithAttempt(Q, 2, 600, "attempt-1");
        assertEquals(first, retry);
        assertEquals(List.of(1, 1), retry.stream().map(DeliveredMessage::approximateReceiveCount).toList());
        assertEquals(List.of("b1"), bodies(f.receiveWithAttempt(Q, 10, 600, "attempt-2")), "another attempt id receives anew");
    }

    @Test
    void receiveRequestAttemptRetryAfterADeleteOfOneOfItsMessagesIsAFreshReceive() {
        f.createFifoQueue(Q);
        f.sendFifoBatch(Q, "g", "a1", "a2");
        List<DeliveredMessage> first = f.receiveWithAttempt(Q, 10, 600, "attempt-1");
        f.sendFifo(Q, "h", "b1", "b1");
        f.delete(Q, first.get(0).receiptHandle());
        List<DeliveredMessage> retry = f.receiveWithAttempt(Q, 10, 600, "attempt-1");
        assertEquals(List.of("b1"), bodies(retry), "a2 is still in flight; only the other group is receivable");
    }

    @Test
    void receiveRequestAttemptRetryAfterFiveMinutesIsAFreshReceive() {
        f.createFifoQueue(Q);
        f.sendFifo(Q, "g", "a1", "a1");
        assertEquals(List.of("a1"), bodies(f.receiveWithAttempt(Q, 10, 900, "attempt-1")));
        f.sendFifo(Q, "h", "b1", "b1");
        f.advanceSeconds(300);
        assertEquals(List.of("b1"), bodies(f.receiveWithAttempt(Q, 10, 900, "attempt-1")));
    }

    @Test
    void receiveRequestAttemptRetryAfterTheVisibilityTimeoutIsAFreshReceive() {
        f.createFifoQueue(Q);
        f.sendFifoBatch(Q, "g", "a1", "a2");
        List<DeliveredMessage> first = f.receiveWithAttempt(Q, 1, 30, "attempt-1");
        f.advanceSeconds(30);
        List<DeliveredMessage> retry = f.receiveWithAttempt(Q, 10, 30, "attempt-1");
        assertEquals(List.of("a1", "a2"), bodies(retry));
        assertNotEquals(first.get(0).receiptHandle(), retry.get(0).receiptHandle());
    }

    @Test
    void receiveRequestAttemptIdIsIgnoredOnStandardQueues() {
        f.createQueue("plain");
        f.send("plain", "a", "b");
        assertEquals(1, f.receiveWithAttempt("plain", 1, 30, "attempt").size());
        List<DeliveredMessage> second = f.receiveWithAttempt("plain", 1, 30, "attempt");
        assertEquals(List.of("b"), bodies(second));
    }

    // ------------------------------------------------------------------ retention and purge

    @Test
    void retentionExpiryOfAnInFlightFifoHeadByTickLetsTheGroupContinue() {
        f.createFifoQueue(Q, "MessageRetentionPeriod", "60");
        f.sendFifo(Q, "g", "a1", "a1");
        f.advanceSeconds(30);
        f.sendFifo(Q, "g", "a2", "a2");
        assertEquals(List.of("a1"), bodies(f.receive(Q, 1, 600)));
        f.advanceSeconds(30);
        assertEquals(1, f.tick().expired());
        assertEquals(List.of("a2"), bodies(receiveAll(30)));
    }

    @Test
    void retentionExpiredHeadIsSkippedByAReceiveWithoutATick() {
        f.createFifoQueue(Q, "MessageRetentionPeriod", "60");
        f.sendFifo(Q, "g", "a1", "a1");
        f.advanceSeconds(30);
        f.sendFifo(Q, "g", "a2", "a2");
        f.advanceSeconds(30);
        assertEquals(List.of("a2"), bodies(receiveAll(30)));
        assertEquals(1, f.messageCount(Q));
    }

    @Test
    void purgeQueueClearsGroupsSoNewSendsWork() {
        f.createFifoQueue(Q);
        f.sendFifoBatch(Q, "g", "a1", "a2");
        f.receive(Q, 1, 600);
        assertEquals(new PartitionResult.Ok(), f.apply(new PurgeQueue(Q)));
        assertTrue(f.auxEntries(AuxTable.GROUP_MEMBER).isEmpty());
        assertTrue(f.auxEntries(AuxTable.FIFO_GROUP).isEmpty());
        f.sendFifoBatch(Q, "g", "n1", "n2");
        assertEquals(List.of("n1", "n2"), bodies(receiveAll(30)));
    }

    @Test
    void deletedAndRecreatedFifoQueueStartsWithoutGroups() {
        f.createFifoQueue(Q);
        f.sendFifoBatch(Q, "g", "a1");
        f.receive(Q, 1, 600);
        f.apply(new io.pontoon.core.queue.QueueCommand.DeleteQueue(Q));
        f.createFifoQueue(Q);
        f.sendFifo(Q, "g", "n1", "n1");
        assertEquals(List.of("n1"), bodies(receiveAll(30)));
    }

    @Test
    void fifoApplyIsDeterministicAcrossReplicas() {
        Fixture other = new Fixture();
        for (Fixture x : List.of(f, other)) {
            x.createFifoQueue(Q, "ContentBasedDeduplication", "true");
            x.sendFifoBatch(Q, "A", "a1", "a2", "a3");
            x.sendFifoBatch(Q, "B", "b1");
            x.receiveWithAttempt(Q, 2, 30, "r");
            x.advanceSeconds(31);
            x.receive(Q, 10);
            x.tick();
        }
        assertArrayEquals(f.store.stateBytes(), other.store.stateBytes());
    }
}
