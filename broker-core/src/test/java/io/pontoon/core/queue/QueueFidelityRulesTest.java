package io.pontoon.core.queue;

import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.Limits;
import io.pontoon.core.queue.QueueCommand.ChangeMessageVisibility;
import io.pontoon.core.queue.QueueCommand.DeleteEntry;
import io.pontoon.core.queue.QueueCommand.DeleteMessages;
import io.pontoon.core.queue.QueueCommand.SendEntry;
import io.pontoon.core.queue.QueueCommand.SendMessages;
import io.pontoon.core.queue.QueueCommand.SetQueueAttributes;
import io.pontoon.core.queue.QueueCommand.TagQueue;
import io.pontoon.core.queue.QueueCommand.UntagQueue;
import io.pontoon.core.queue.QueueCommand.VisibilityEntryChange;

import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.queue.DeliveredMessage;
import io.pontoon.core.queue.MessageAttribute;
import io.pontoon.core.queue.QueueAttributes;
import io.pontoon.core.queue.QueueValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.pontoon.core.queue.Fixture.assertError;
import static io.pontoon.core.queue.Fixture.bodies;
import static io.pontoon.core.queue.Fixture.fifoEntry;
import static io.pontoon.core.queue.Fixture.stringAttr;
import static org.junit.jupiter.api.Assertions.*;

/** AWS SQS behaviours: queue tags, per-entry batch failures, the AWSTraceHeader system attribute, FIFO delays. */
class QueueFidelityRulesTest {
    @TempDir
    Path dir;
    private final Fixture f = new Fixture();

    // ------------------------------------------------------------------ tags

    @Test
    void tagQueueAddsAndOverwritesAndUntagQueueRemovesKeysIgnoringAbsentOnes() {
        f.createQueue("q", new QueueAttributes(30, 345_600, 0, 0, 1_048_576, Map.of("team", "a")));
        assertEquals(new PartitionResult.Ok(), f.apply(new TagQueue("q", Map.of("env", "prod", "team", "b"))));
        assertEquals(Map.of("env", "prod", "team", "b"), f.tags("q"));
        assertEquals(new PartitionResult.Ok(), f.apply(new UntagQueue("q", List.of("env", "absent"))));
        assertEquals(Map.of("team", "b"), f.tags("q"));
    }

    @Test
    void tagKeysAreCaseSensitive() {
        f.createQueue("q");
        f.apply(new TagQueue("q", Map.of("Team", "a", "team", "b")));
        assertEquals(Map.of("Team", "a", "team", "b"), f.tags("q"));
        f.apply(new UntagQueue("q", List.of("TEAM")));
        assertEquals(2, f.tags("q").size(), "TEAM is neither Team nor team");
    }

    @Test
    void aQueueHoldsAtMostFiftyTagsAndATagQueueThatWouldExceedThemChangesNothing() {
        f.createQueue("q");
        Map<String, String> fifty = new HashMap<>();
        for (int i = 0; i < 50; i++) {
            fifty.put("k" + i, "v");
        }
        assertEquals(new PartitionResult.Ok(), f.apply(new TagQueue("q", fifty)));
        assertEquals(new PartitionResult.Ok(), f.apply(new TagQueue("q", Map.of("k0", "overwritten"))), "overwriting adds no tag");
        assertError(ErrorCode.INVALID_PARAMETER_VALUE, f.apply(new TagQueue("q", Map.of("k50", "v"))));
        assertEquals(50, f.tags("q").size());
        assertEquals("overwritten", f.tags("q").get("k0"));
    }

    @Test
    void tagKeysAreOneTo128AndValuesZeroTo256CharactersAndTheAwsPrefixIsReserved() {
        QueueValidator.tags(Map.of("k".repeat(128), "v".repeat(256), "empty", ""));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, rejected(Map.of("k".repeat(129), "v")));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, rejected(Map.of("", "v")));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, rejected(Map.of("k", "v".repeat(257))));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, rejected(Map.of("aws:cost", "v")));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, rejected(Map.of("AWS:cost", "v")), "reserved in any case");
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, rejected(Map.of("a*b", "v")), "outside the AWS tag character set");
        QueueValidator.tags(Map.of("Ünïcode letters 1 _.:/=+-@", "ok"));
        Map<String, String> fiftyOne = new HashMap<>();
        for (int i = 0; i < 51; i++) {
            fiftyOne.put("k" + i, "v");
        }
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, rejected(fiftyOne));
        assertError(ErrorCode.INVALID_PARAMETER_VALUE, f.apply(new TagQueue("q", Map.of("aws:x", "v"))));
        assertError(ErrorCode.INVALID_PARAMETER_VALUE, f.apply(new UntagQueue("q", List.of())));
    }

    private static ErrorCode rejected(Map<String, String> tags) {
        return assertThrows(io.pontoon.core.error.BrokerException.class, () -> QueueValidator.tags(tags)).code();
    }

    @Test
    void tagsAreReplicatedStateThatACheckpointCarries() {
        f.createQueue("q");
        f.apply(new TagQueue("q", Map.of("team", "a")));
        assertEquals(Map.of("team", "a"), f.restoredFromCheckpoint(dir).tags("q"));
    }

    @Test
    void tagsOfAMissingQueueAreNonExistentQueue() {
        assertError(ErrorCode.NON_EXISTENT_QUEUE, f.apply(new TagQueue("nope", Map.of("k", "v"))));
        assertError(ErrorCode.NON_EXISTENT_QUEUE, f.apply(new UntagQueue("nope", List.of("k"))));
    }

    // ------------------------------------------------------------------ batches fail per entry

    @Test
    void aSendBatchStoresItsValidEntriesAndFailsEachInvalidOneWithItsIdAndCode() {
        f.createQueue("q");
        SortedAttrs badAttr = new SortedAttrs("AWS.reserved", "x");
        QueueResult.Sent sent = f.sendBatch("q",
                new SendEntry("ok1", "fine", new TreeMap<>(), null),
                new SendEntry("chars", "bad \u0000 char", new TreeMap<>(), null),
                new SendEntry("delay", "x", new TreeMap<>(), 901),
                new SendEntry("attr", "x", badAttr.map, null),
                new SendEntry("ok2", "also fine", new TreeMap<>(), 5));
        assertEquals(List.of("ok1", "ok2"), sent.successful().stream().map(QueueResult.SendSuccess::id).toList());
        Map<String, ErrorCode> failed = new HashMap<>();
        sent.failed().forEach(x -> {
            failed.put(x.id(), x.code());
            assertTrue(x.senderFault());
            assertFalse(x.message().isEmpty());
        });
        assertEquals(Map.of("chars", ErrorCode.INVALID_MESSAGE_CONTENTS, "delay", ErrorCode.INVALID_PARAMETER_VALUE,
                "attr", ErrorCode.INVALID_PARAMETER_VALUE), failed);
        assertEquals(List.of("fine"), bodies(f.receive("q", 10)), "ok2 is still delayed; nothing of the failed entries was stored");
    }

    /** A holder of one attribute, so a test reads as what it sends. */
    private record SortedAttrs(java.util.SortedMap<String, MessageAttribute> map) {
        SortedAttrs(String name, String value) {
            this(stringAttr(name, value));
        }
    }

    @Test
    void onlyBatchRulesFailAWholeSendBatch() {
        SendEntry invalid = new SendEntry("a", "", new TreeMap<>(), null);
        QueueValidator.sendBatch(new SendMessages("q", List.of(invalid)));
        assertEquals(ErrorCode.MISSING_PARAMETER, QueueValidator.sendEntryRefusal(invalid, false).code());
        assertEquals(ErrorCode.EMPTY_BATCH_REQUEST, batchCode(List.of()));
        assertEquals(ErrorCode.BATCH_ENTRY_IDS_NOT_DISTINCT, batchCode(List.of(entry("a", "x"), entry("a", "y"))));
        assertEquals(ErrorCode.INVALID_BATCH_ENTRY_ID, batchCode(List.of(entry("not valid!", "x"))));
        assertEquals(ErrorCode.BATCH_REQUEST_TOO_LONG, batchCode(List.of(entry("a", "x".repeat(600_000)), entry("b", "y".repeat(600_000)))));
    }

    private static SendEntry entry(String id, String body) {
        return new SendEntry(id, body, new TreeMap<>(), null);
    }

    private static ErrorCode batchCode(List<SendEntry> entries) {
        return assertThrows(io.pontoon.core.error.BrokerException.class,
                () -> QueueValidator.sendBatch(new SendMessages("q", entries))).code();
    }

    @Test
    void aBodyOverTheQueuesMaximumMessageSizeFailsAloneWithAMessageThatStatesTheLimitExactly() {
        f.createQueue("q", new QueueAttributes(30, 345_600, 0, 0, 1_024, Map.of()));
        QueueResult.Sent sent = f.sendBatch("q", entry("fits", "x".repeat(1_024)), entry("big", "x".repeat(1_025)));
        assertEquals(List.of("fits"), sent.successful().stream().map(QueueResult.SendSuccess::id).toList());
        assertTrue(sent.failed().get(0).message().contains("at most 1024 bytes"), sent.failed().get(0).message());
        var e = assertThrows(io.pontoon.core.error.BrokerException.class,
                () -> QueueValidator.sendMessages(new SendMessages("q", List.of(entry("a", "x".repeat(1_048_577))))));
        assertTrue(e.getMessage().contains("at most 1048576 bytes"), e.getMessage());
    }

    @Test
    void aDeleteBatchDeletesWithItsValidHandlesAndFailsAMalformedOne() {
        f.createQueue("q");
        f.send("q", "a", "b");
        List<DeliveredMessage> got = f.receive("q", 10);
        QueueResult.BatchOutcome out = assertInstanceOf(QueueResult.BatchOutcome.class, f.apply(new DeleteMessages("q", List.of(
                new DeleteEntry("1", got.get(0).receiptHandle()), new DeleteEntry("bad", "garbage"), new DeleteEntry("2", got.get(1).receiptHandle())))));
        assertEquals(List.of("1", "2"), out.successfulIds());
        assertEquals("bad", out.failed().get(0).id());
        assertEquals(ErrorCode.RECEIPT_HANDLE_IS_INVALID, out.failed().get(0).code());
        assertEquals(0, f.messageCount("q"));
    }

    @Test
    void aVisibilityBatchChangesValidEntriesAndFailsABadTimeoutOrStaleHandleAlone() {
        f.createQueue("q");
        f.send("q", "a", "b");
        List<DeliveredMessage> got = f.receive("q", 10, 30);
        String stale = got.get(1).receiptHandle();
        QueueResult.BatchOutcome out = assertInstanceOf(QueueResult.BatchOutcome.class, f.apply(new ChangeMessageVisibility("q", List.of(
                new VisibilityEntryChange("ok", got.get(0).receiptHandle(), 0),
                new VisibilityEntryChange("range", got.get(1).receiptHandle(), 43_201),
                new VisibilityEntryChange("bad", "garbage", 10)))));
        assertEquals(List.of("ok"), out.successfulIds());
        assertEquals(Map.of("range", ErrorCode.INVALID_PARAMETER_VALUE, "bad", ErrorCode.RECEIPT_HANDLE_IS_INVALID),
                Map.of(out.failed().get(0).id(), out.failed().get(0).code(), out.failed().get(1).id(), out.failed().get(1).code()));
        assertEquals(List.of("a"), bodies(f.receive("q", 10)), "a became visible; b is still in flight");
        f.advanceSeconds(31);
        f.receive("q", 10);
        assertEquals(ErrorCode.RECEIPT_HANDLE_IS_INVALID, f.changeVisibility("q", stale, 10).failed().get(0).code(), "a stale handle fails alone");
    }

    // ------------------------------------------------------------------ AWSTraceHeader

    @Test
    void theTraceHeaderIsStoredAndDeliveredAndSurvivesADeadLetterMove() {
        f.createQueue("dlq");
        f.createQueue("q", Fixture.pairs("RedrivePolicy", Fixture.redrivePolicy("dlq", 1)));
        f.sendBatch("q", SendEntry.withTraceHeader("e", "traced", new TreeMap<>(), null, null, null, "Root=1-5759e988-bd862e3fe1be46a994272793"));
        DeliveredMessage m = f.receive("q", 1, 0).get(0);
        assertEquals("Root=1-5759e988-bd862e3fe1be46a994272793", m.traceHeader());
        assertTrue(f.receive("q", 1).isEmpty(), "received once already: moved to the dead-letter queue");
        f.forwardOutboxTo(f);
        assertEquals("Root=1-5759e988-bd862e3fe1be46a994272793", f.receive("dlq", 1).get(0).traceHeader());
    }

    @Test
    void onlyAwsTraceHeaderOfTypeStringIsAMessageSystemAttribute() {
        QueueValidator.systemAttributes(Map.of("AWSTraceHeader", new MessageAttribute("String", "Root=1", null)));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, systemCode(Map.of("Other", new MessageAttribute("String", "x", null))));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, systemCode(Map.of("AWSTraceHeader", new MessageAttribute("Binary", null, new byte[]{1}))));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, systemCode(Map.of("AWSTraceHeader", new MessageAttribute("String", "", null))));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE,
                systemCode(Map.of("AWSTraceHeader", new MessageAttribute("String", "x".repeat(Limits.MAX_TRACE_HEADER_LENGTH + 1), null))));
    }

    private static ErrorCode systemCode(Map<String, MessageAttribute> attrs) {
        return assertThrows(io.pontoon.core.error.BrokerException.class, () -> QueueValidator.systemAttributes(attrs)).code();
    }

    @Test
    void theTraceHeaderDoesNotCountTowardsTheMessageSize() {
        f.createQueue("q", new QueueAttributes(30, 345_600, 0, 0, 1_024, Map.of()));
        QueueResult.Sent sent = f.sendBatch("q",
                SendEntry.withTraceHeader("e", "x".repeat(1_024), new TreeMap<>(), null, null, null, "Root=" + "1".repeat(500)));
        assertTrue(sent.failed().isEmpty(), sent.failed().toString());
    }

    // ------------------------------------------------------------------ delays

    @Test
    void aFifoQueuesDelayIsRetroactiveForMessagesAlreadyInIt() {
        f.createFifoQueue("q.fifo", "ContentBasedDeduplication", "true");
        f.sendFifo("q.fifo", "g", null, "early");
        f.apply(new SetQueueAttributes("q.fifo", Map.of("DelaySeconds", "60")));
        assertTrue(f.receive("q.fifo", 10).isEmpty(), "the new delay applies to the message already in the queue");
        assertEquals(0, f.stats("q.fifo").visible());
        assertFalse(f.stats("q.fifo").receivableNow());
        assertEquals(1, f.stats("q.fifo").delayed());
        f.advanceSeconds(60);
        assertEquals(List.of("early"), bodies(f.receive("q.fifo", 10)));
    }

    @Test
    void loweringAFifoQueuesDelayReleasesMessagesAlreadyWaiting() {
        f.createFifoQueue("q.fifo", "ContentBasedDeduplication", "true", "DelaySeconds", "900");
        f.sendFifo("q.fifo", "g", null, "waiting");
        assertTrue(f.receive("q.fifo", 10).isEmpty());
        f.apply(new SetQueueAttributes("q.fifo", Map.of("DelaySeconds", "0")));
        assertEquals(List.of("waiting"), bodies(f.receive("q.fifo", 10)));
    }

    @Test
    void aStandardQueuesDelayIsNotRetroactive() {
        f.createQueue("q");
        f.send("q", "immediate");
        f.apply(new SetQueueAttributes("q", Map.of("DelaySeconds", "60")));
        f.send("q", "delayed");
        assertEquals(List.of("immediate"), bodies(f.receive("q", 10, 600)), "the old message keeps the delay it was sent with");
        f.apply(new SetQueueAttributes("q", Map.of("DelaySeconds", "0")));
        assertTrue(f.receive("q", 10).isEmpty(), "the delayed one too");
        f.advanceSeconds(60);
        assertEquals(List.of("delayed"), bodies(f.receive("q", 10)));
    }

    @Test
    void aFifoMessageReceivedBeforeIsNotDelayedAgainWhenItBecomesVisible() {
        f.createFifoQueue("q.fifo", "ContentBasedDeduplication", "true");
        f.sendFifo("q.fifo", "g", null, "m");
        String handle = f.receive("q.fifo", 1).get(0).receiptHandle();
        f.apply(new SetQueueAttributes("q.fifo", Map.of("DelaySeconds", "60")));
        f.changeVisibility("q.fifo", handle, 0);
        assertEquals(List.of("m"), bodies(f.receive("q.fifo", 1)), "the delay holds back a message's first delivery only");
    }

    @Test
    void aFifoGroupBehindDelayedGroupsIsStillFoundByLongPollsAndReceives() {
        f.createFifoQueue("q.fifo", "ContentBasedDeduplication", "true");
        f.sendFifo("q.fifo", "held", null, "h");
        String handle = f.receive("q.fifo", 1, 5).get(0).receiptHandle();
        f.apply(new SetQueueAttributes("q.fifo", Map.of("DelaySeconds", "60")));
        for (int i = 0; i < 150; i++) {
            f.sendFifo("q.fifo", "fresh-" + i, null, "f" + i);
        }
        f.advanceSeconds(6);
        assertTrue(f.stats("q.fifo").receivableNow(), "the lease of 'held' ran out behind 150 delayed groups");
        assertEquals(List.of("h"), bodies(f.receive("q.fifo", 10)));
        assertNotNull(handle);
    }

    @Test
    void sendEntriesOfFifoQueuesKeepTheirOrderWithinABatchWhatEverTheDelay() {
        f.createFifoQueue("q.fifo", "DelaySeconds", "10");
        f.sendBatch("q.fifo", fifoEntry("1", "a", "g", "1"), fifoEntry("2", "b", "g", "2"));
        f.advanceSeconds(10);
        assertEquals(List.of("a", "b"), bodies(f.receive("q.fifo", 10)));
    }
}
