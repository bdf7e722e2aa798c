package io.pontoon.core.queue;

import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.CoreConfig;
import io.pontoon.core.queue.QueueCommand.DeleteQueue;
import io.pontoon.core.queue.QueueCommand.MovedMessage;
import io.pontoon.core.queue.QueueCommand.SendEntry;
import io.pontoon.core.queue.QueueCommand.SetQueueAttributes;
import io.pontoon.core.queue.QueueQuery;

import io.pontoon.core.queue.DeliveredMessage;

import io.pontoon.core.queue.QueueAttributes;
import io.pontoon.core.queue.RedriveAllowPolicy;
import io.pontoon.core.queue.RedrivePolicy;
import io.pontoon.core.queue.QueueValidator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static io.pontoon.core.queue.Fixture.arn;
import static io.pontoon.core.queue.Fixture.assertRejected;
import static io.pontoon.core.queue.Fixture.bodies;
import static io.pontoon.core.queue.Fixture.fifoEntry;
import static io.pontoon.core.queue.Fixture.pairs;
import static io.pontoon.core.queue.Fixture.redrivePolicy;
import static io.pontoon.core.queue.Fixture.stringAttr;
import static org.junit.jupiter.api.Assertions.*;

/** RedrivePolicy / RedriveAllowPolicy, moving messages to a dead-letter queue through the outbox, and ingest. */
class DeadLetterRulesTest {
    private final Fixture f = new Fixture();

    private static QueueAttributes create(String name, String... nameValuePairs) {
        return QueueValidator.createQueueAttributes(name, pairs(nameValuePairs), Map.of());
    }

    private static void set(String name, String attribute, String value) {
        QueueValidator.validate(new SetQueueAttributes(name, Map.of(attribute, value)));
    }

    /** A source queue "src" whose dead-letter queue is "dlq" (both on {@code f}), with the given maxReceiveCount. */
    private void sourceAndDeadLetterQueue(int maxReceiveCount) {
        f.createQueue("dlq");
        f.createQueue("src", pairs("RedrivePolicy", redrivePolicy("dlq", maxReceiveCount)));
    }

    /** Receives every message of {@code queue} {@code times} times (visibility 0, so each receive sees them again). */
    private void receiveTimes(Fixture x, String queue, int times) {
        for (int i = 0; i < times; i++) {
            assertFalse(x.receive(queue, 10, 0).isEmpty(), "receive " + (i + 1));
        }
    }

    private static MovedMessage movedTo(String queue, long outboxSeq, String groupId) {
        return new MovedMessage(outboxSeq, queue, "src", true, null, "mid-" + outboxSeq, "body-" + outboxSeq, new TreeMap<>(),
                1_000L, 2, 500L, groupId, groupId == null ? null : "d" + outboxSeq);
    }

    // ------------------------------------------------------------------ RedrivePolicy validation

    @Test
    void aRedrivePolicyWithDeadLetterTargetArnAndMaxReceiveCountIsAccepted() {
        assertEquals(new RedrivePolicy("dlq", 5), create("src", "RedrivePolicy", redrivePolicy("dlq", 5)).redrivePolicy());
        assertEquals(new RedrivePolicy("dlq", 7), create("src", "RedrivePolicy",
                "{ \"maxReceiveCount\" : \"7\" , \"deadLetterTargetArn\" : \"" + arn("dlq") + "\" } ").redrivePolicy(),
                "any key order, whitespace, and a count given as a string");
        set("src", "RedrivePolicy", redrivePolicy("dlq", 5));
        assertNull(create("src").redrivePolicy());
    }

    @Test
    void aRedrivePolicyWithLeadingWhitespaceIsAccepted() {
        assertEquals(new RedrivePolicy("dlq", 5), create("src", "RedrivePolicy", " " + redrivePolicy("dlq", 5)).redrivePolicy());
        assertEquals(RedriveAllowPolicy.ALLOW_ALL, create("dlq", "RedriveAllowPolicy", "\n{\"redrivePermission\":\"allowAll\"}").redriveAllowPolicy());
    }

    @Test
    void aRedrivePolicyMissingAFieldOrWithAnExtraFieldIsRejected() {
        assertRejected(() -> set("src", "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + arn("dlq") + "\"}"));
        assertRejected(() -> set("src", "RedrivePolicy", "{\"maxReceiveCount\":5}"));
        assertRejected(() -> set("src", "RedrivePolicy", "{}"));
        assertRejected(() -> set("src", "RedrivePolicy",
                "{\"deadLetterTargetArn\":\"" + arn("dlq") + "\",\"maxReceiveCount\":5,\"extra\":\"x\"}"));
        assertRejected(() -> set("src", "RedrivePolicy", "not json"));
        assertRejected(() -> set("src", "RedrivePolicy", redrivePolicy("dlq", 5) + "x"));
        assertRejected(() -> set("src", "RedrivePolicy", "{\"deadLetterTargetArn\":[\"" + arn("dlq") + "\"],\"maxReceiveCount\":5}"));
    }

    @Test
    void maxReceiveCountMustBeAnIntegerFrom1To1000() {
        set("src", "RedrivePolicy", redrivePolicy("dlq", 1));
        set("src", "RedrivePolicy", redrivePolicy("dlq", 1000));
        assertRejected(() -> set("src", "RedrivePolicy", redrivePolicy("dlq", 0)));
        assertRejected(() -> set("src", "RedrivePolicy", redrivePolicy("dlq", 1001)));
        assertRejected(() -> set("src", "RedrivePolicy", redrivePolicy("dlq", -1)));
        assertRejected(() -> set("src", "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + arn("dlq") + "\",\"maxReceiveCount\":2.5}"));
        assertRejected(() -> set("src", "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + arn("dlq") + "\",\"maxReceiveCount\":\"many\"}"));
    }

    @Test
    void theDeadLetterTargetMustBeAQueueArnOfThisService() {
        assertRejected(() -> set("src", "RedrivePolicy",
                "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:123456789012:dlq\",\"maxReceiveCount\":5}"));
        assertRejected(() -> set("src", "RedrivePolicy", "{\"deadLetterTargetArn\":\"dlq\",\"maxReceiveCount\":5}"));
        assertRejected(() -> set("src", "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + arn("") + "\",\"maxReceiveCount\":5}"));
        assertRejected(() -> set("src", "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + arn("bad name") + "\",\"maxReceiveCount\":5}"));
    }

    @Test
    void aFifoSourceNeedsAFifoDeadLetterQueueAndAStandardSourceAStandardOne() {
        assertRejected(() -> create("src.fifo", "FifoQueue", "true", "RedrivePolicy", redrivePolicy("dlq", 5)));
        assertRejected(() -> create("src", "RedrivePolicy", redrivePolicy("dlq.fifo", 5)));
        assertRejected(() -> set("src.fifo", "RedrivePolicy", redrivePolicy("dlq", 5)));
        assertEquals(new RedrivePolicy("dlq.fifo", 5),
                create("src.fifo", "FifoQueue", "true", "RedrivePolicy", redrivePolicy("dlq.fifo", 5)).redrivePolicy());
        QueueAttributes typed = new QueueAttributes(30, 345_600, 0, 0, 1_048_576, Map.of(), null, new RedrivePolicy("dlq.fifo", 5), null);
        assertRejected(() -> QueueValidator.validate(new io.pontoon.core.queue.QueueCommand.CreateQueue("src", typed)));
    }

    @Test
    void anEmptyRedrivePolicyRemovesThePolicyAndStopsDeadLettering() {
        sourceAndDeadLetterQueue(1);
        assertTrue(f.attributes("src", "All").containsKey("RedrivePolicy"));
        assertEquals(new PartitionResult.Ok(), f.apply(new SetQueueAttributes("src", Map.of("RedrivePolicy", ""))));
        assertFalse(f.attributes("src", "All").containsKey("RedrivePolicy"));
        f.send("src", "m");
        receiveTimes(f, "src", 3);
        assertTrue(f.readOutbox().isEmpty());
    }

    @Test
    void getQueueAttributesReturnsTheRedrivePolicyAsJsonWithANumericMaxReceiveCount() {
        sourceAndDeadLetterQueue(3);
        assertEquals(Map.of("RedrivePolicy", "{\"deadLetterTargetArn\":\"arn:aws:sqs:pontoon:000000000000:dlq\",\"maxReceiveCount\":3}"),
                f.attributes("src", "RedrivePolicy"));
        assertFalse(f.attributes("dlq", "All").containsKey("RedrivePolicy"));
    }

    // ------------------------------------------------------------------ RedriveAllowPolicy validation

    @Test
    void redriveAllowPolicyAcceptsAllowAllDenyAllAndByQueueWithOneToTenSourceArns() {
        assertEquals(RedriveAllowPolicy.ALLOW_ALL, create("dlq", "RedriveAllowPolicy", "{\"redrivePermission\":\"allowAll\"}").redriveAllowPolicy());
        assertEquals(new RedriveAllowPolicy(RedriveAllowPolicy.Permission.DENY_ALL, Set.of()),
                create("dlq", "RedriveAllowPolicy", "{\"redrivePermission\":\"denyAll\"}").redriveAllowPolicy());
        assertEquals(new RedriveAllowPolicy(RedriveAllowPolicy.Permission.BY_QUEUE, Set.of("a")),
                create("dlq", "RedriveAllowPolicy", byQueue(1)).redriveAllowPolicy());
        assertEquals(10, create("dlq", "RedriveAllowPolicy", byQueue(10)).redriveAllowPolicy().sourceQueueNames().size());
        assertEquals(RedriveAllowPolicy.ALLOW_ALL, create("dlq", "RedriveAllowPolicy", "").redriveAllowPolicy());
    }

    @Test
    void redriveAllowPolicyRejectsSourceArnsWithoutByQueueAndByQueueWithoutOneToTenArns() {
        assertRejected(() -> set("dlq", "RedriveAllowPolicy", "{\"redrivePermission\":\"allowAll\",\"sourceQueueArns\":[\"" + arn("a") + "\"]}"));
        assertRejected(() -> set("dlq", "RedriveAllowPolicy", "{\"redrivePermission\":\"denyAll\",\"sourceQueueArns\":[\"" + arn("a") + "\"]}"));
        assertRejected(() -> set("dlq", "RedriveAllowPolicy", byQueue(0)));
        assertRejected(() -> set("dlq", "RedriveAllowPolicy", byQueue(11)));
        assertRejected(() -> set("dlq", "RedriveAllowPolicy", "{\"redrivePermission\":\"byQueue\"}"));
        assertRejected(() -> set("dlq", "RedriveAllowPolicy", "{\"redrivePermission\":\"byQueue\",\"sourceQueueArns\":\"" + arn("a") + "\"}"));
        assertRejected(() -> set("dlq", "RedriveAllowPolicy", "{\"redrivePermission\":\"byQueue\",\"sourceQueueArns\":[\"arn:aws:sqs:x:1:a\"]}"));
        assertRejected(() -> set("dlq", "RedriveAllowPolicy", "{\"redrivePermission\":\"some\"}"));
        assertRejected(() -> set("dlq", "RedriveAllowPolicy", "{}"));
    }

    @Test
    void getQueueAttributesReturnsARestrictiveRedriveAllowPolicyAsJson() {
        f.createQueue("dlq", pairs("RedriveAllowPolicy", byQueue(2)));
        assertEquals("{\"redrivePermission\":\"byQueue\",\"sourceQueueArns\":[\"" + arn("a") + "\",\"" + arn("b") + "\"]}",
                f.attributes("dlq", "RedriveAllowPolicy").get("RedriveAllowPolicy"));
    }

    private static String byQueue(int sources) {
        List<String> arns = new ArrayList<>();
        for (int i = 0; i < sources; i++) {
            arns.add("\"" + arn(String.valueOf((char) ('a' + i))) + "\"");
        }
        return "{\"redrivePermission\":\"byQueue\",\"sourceQueueArns\":[" + String.join(",", arns) + "]}";
    }

    // ------------------------------------------------------------------ moving to the dead-letter queue

    @Test
    void aMessageReceivedMaxReceiveCountTimesGoesToTheOutboxOnTheNextReceiveInsteadOfBeingDelivered() {
        sourceAndDeadLetterQueue(2);
        long sentAt = f.nowMs;
        String id = f.send("src", "m").successful().get(0).messageId();
        receiveTimes(f, "src", 2);
        f.advanceSeconds(1);
        assertTrue(f.receive("src", 10).isEmpty(), "the third receive does not deliver it");
        assertEquals(0, f.messageCount("src"));
        assertEquals(0, f.approximate("src", "ApproximateNumberOfMessages"));
        List<MovedMessage> outbox = f.readOutbox();
        assertEquals(1, outbox.size());
        MovedMessage m = outbox.get(0);
        assertEquals("dlq", m.queueName());
        assertEquals("src", m.fromQueue());
        assertTrue(m.deadLettered());
        assertEquals(id, m.messageId());
        assertEquals("m", m.body());
        assertEquals(sentAt, m.sentMs());
        assertEquals(2, m.receiveCount());
        assertEquals(sentAt, m.firstReceiveMs());
        assertNull(m.originDeadLetterSource());
        assertEquals(0, f.messageCount("dlq"), "nothing reaches the DLQ before the outbox is forwarded");
    }

    @Test
    void aMessageIsDeliveredUpToMaxReceiveCountTimes() {
        sourceAndDeadLetterQueue(1);
        f.send("src", "m");
        assertEquals(1, f.receive("src", 10, 0).size());
        assertTrue(f.receive("src", 10, 0).isEmpty());
        assertEquals(1, f.readOutbox().size());
    }

    @Test
    void ingestingAnOutboxEntryStoresTheMessageInTheDeadLetterQueueWithItsIdentity() {
        sourceAndDeadLetterQueue(2);
        long sentAt = f.nowMs;
        String id = f.sendBatch("src", new SendEntry("e", "m", stringAttr("k", "v"), null)).successful().get(0).messageId();
        receiveTimes(f, "src", 2);
        f.advanceSeconds(10);
        f.receive("src", 10);
        assertEquals(new QueueResult.Ingested(1, 0), f.forwardOutboxTo(f));
        List<DeliveredMessage> got = f.receive("dlq", 10);
        assertEquals(1, got.size());
        DeliveredMessage m = got.get(0);
        assertEquals(id, m.messageId());
        assertEquals("m", m.body());
        assertEquals(stringAttr("k", "v").get("k").stringValue(), m.attributes().get("k").stringValue());
        assertEquals(sentAt, m.sentTimestampMs());
        assertEquals(sentAt, m.approximateFirstReceiveTimestampMs());
        assertEquals(3, m.approximateReceiveCount(), "the two receives in src, then this one");
        assertEquals("src", m.deadLetterSource());
        assertTrue(f.readOutbox().isEmpty());
    }

    @Test
    void ingestIntoAnotherPartitionKeepsTheMessageIdentity() {
        Fixture other = new Fixture(8, CoreConfig.DEFAULTS);
        other.createQueue("dlq");
        f.createQueue("src", pairs("RedrivePolicy", redrivePolicy("dlq", 1)));
        String id = f.send("src", "m").successful().get(0).messageId();
        long sentAt = f.nowMs;
        receiveTimes(f, "src", 1);
        f.receive("src", 10);
        assertEquals(new QueueResult.Ingested(1, 0), f.forwardOutboxTo(other));
        DeliveredMessage m = other.receive("dlq", 10).get(0);
        assertEquals(id, m.messageId());
        assertEquals(sentAt, m.sentTimestampMs());
        assertEquals(2, m.approximateReceiveCount());
        assertEquals("src", m.deadLetterSource());
        assertTrue(f.readOutbox().isEmpty());
    }

    @Test
    void applyingTheSameIngestTwiceStoresTheMessageOnce() {
        f.createQueue("dlq");
        List<MovedMessage> batch = List.of(movedTo("dlq", 5, null), movedTo("dlq", 6, null));
        assertEquals(new QueueResult.Ingested(2, 0), f.ingest(3, batch));
        assertEquals(new QueueResult.Ingested(0, 0), f.ingest(3, batch));
        assertEquals(new QueueResult.Ingested(1, 0), f.ingest(3, List.of(movedTo("dlq", 6, null), movedTo("dlq", 7, null))),
                "a resend that overlaps: only the new entry");
        assertEquals(3, f.messageCount("dlq"));
        assertEquals(new QueueResult.Ingested(1, 0), f.ingest(4, List.of(movedTo("dlq", 5, null))),
                "the idempotence key is (source partition, outbox seq)");
        assertEquals(4, f.messageCount("dlq"));
    }

    @Test
    void ingestIntoAMissingQueueCountsAsDropped() {
        f.createQueue("dlq");
        assertEquals(new QueueResult.Ingested(1, 1), f.ingest(3, List.of(movedTo("gone", 1, null), movedTo("dlq", 2, null))));
        assertEquals(1, f.messageCount("dlq"));
        assertEquals(new QueueResult.Ingested(0, 0), f.ingest(3, List.of(movedTo("gone", 1, null))), "a resend stays a no-op");
    }

    @Test
    void ingestIntoAFifoQueueOfAMessageWithoutGroupIsDropped() {
        f.createFifoQueue("dlq.fifo");
        assertEquals(new QueueResult.Ingested(0, 1), f.ingest(3, List.of(movedTo("dlq.fifo", 1, null))));
        assertEquals(0, f.messageCount("dlq.fifo"));
    }

    @Test
    void outboxCommandsWithNegativeIdsAreErrorResults() {
        f.createQueue("dlq");
        PartitionResult ingest = assertDoesNotThrow(() -> f.apply(new io.pontoon.core.queue.QueueCommand.IngestMessages(-1,
                List.of(movedTo("dlq", 1, null)))));
        assertInstanceOf(PartitionResult.Error.class, ingest);
        PartitionResult settle = assertDoesNotThrow(() -> f.apply(new io.pontoon.core.queue.QueueCommand.SettleOutbox(
                List.of(-1L), List.of())));
        assertInstanceOf(PartitionResult.Error.class, settle);
    }

    @Test
    void ingestValidationRequiresAscendingOutboxSeqs() {
        f.createQueue("dlq");
        assertRejected(() -> QueueValidator.validate(new io.pontoon.core.queue.QueueCommand.IngestMessages(1,
                List.of(movedTo("dlq", 2, null), movedTo("dlq", 2, null)))));
        assertRejected(() -> QueueValidator.validate(new io.pontoon.core.queue.QueueCommand.IngestMessages(1,
                List.of(movedTo("dlq", 0, null)))));
        assertInstanceOf(PartitionResult.Error.class, f.apply(new io.pontoon.core.queue.QueueCommand.IngestMessages(1,
                List.of(movedTo("dlq", 3, null), movedTo("dlq", 2, null)))));
        assertEquals(0, f.messageCount("dlq"));
    }

    @Test
    void settleDeliveredEmptiesTheOutboxAndRepeatingItIsHarmless() {
        sourceAndDeadLetterQueue(1);
        f.send("src", "a", "b");
        receiveTimes(f, "src", 1);
        f.receive("src", 10);
        List<Long> seqs = f.readOutbox().stream().map(MovedMessage::outboxSeq).toList();
        assertEquals(2, seqs.size());
        f.settle(seqs.subList(0, 1), List.of());
        assertEquals(seqs.subList(1, 2), f.readOutbox().stream().map(MovedMessage::outboxSeq).toList());
        f.settle(seqs, List.of());
        f.settle(seqs, List.of());
        assertTrue(f.readOutbox().isEmpty());
        assertEquals(0, f.messageCount("src"));
    }

    @Test
    void settleReturnedPutsTheMessageBackIntoItsSourceQueue() {
        f.createQueue("src", pairs("RedrivePolicy", redrivePolicy("missing", 1)));
        String id = f.send("src", "m").successful().get(0).messageId();
        long sentAt = f.nowMs;
        receiveTimes(f, "src", 1);
        f.receive("src", 10);
        List<MovedMessage> outbox = f.readOutbox();
        assertEquals(0, f.messageCount("src"));
        f.settle(List.of(), List.of(outbox.get(0).outboxSeq()));
        assertTrue(f.readOutbox().isEmpty());
        assertEquals(1, f.messageCount("src"));
        assertEquals(1, f.approximate("src", "ApproximateNumberOfMessages"));
        f.apply(new SetQueueAttributes("src", Map.of("RedrivePolicy", "")));
        DeliveredMessage back = f.receive("src", 10).get(0);
        assertEquals(id, back.messageId());
        assertEquals(sentAt, back.sentTimestampMs());
        assertNull(back.deadLetterSource());
        f.settle(List.of(), List.of(outbox.get(0).outboxSeq()));
        assertEquals(1, f.messageCount("src"), "a repeated settle does not return it twice");
    }

    @Test
    void settleReturnedIntoADeletedSourceQueueDropsTheMessage() {
        sourceAndDeadLetterQueue(1);
        f.send("src", "m");
        receiveTimes(f, "src", 1);
        f.receive("src", 10);
        long seq = f.readOutbox().get(0).outboxSeq();
        f.apply(new DeleteQueue("src"));
        f.settle(List.of(), List.of(seq));
        assertTrue(f.readOutbox().isEmpty());
    }

    @Test
    void deadLetteringIntoAFifoDeadLetterQueueKeepsGroupOrder() {
        f.createFifoQueue("dlq.fifo");
        f.createFifoQueue("src.fifo", "RedrivePolicy", redrivePolicy("dlq.fifo", 1));
        f.sendFifoBatch("src.fifo", "g", "a1", "a2", "a3");
        assertEquals(List.of("a1", "a2", "a3"), bodies(f.receive("src.fifo", 10, 0)));
        assertTrue(f.receive("src.fifo", 10, 0).isEmpty());
        List<MovedMessage> outbox = f.readOutbox();
        assertEquals(List.of("a1", "a2", "a3"), outbox.stream().map(MovedMessage::body).toList());
        assertEquals(List.of("g", "g", "g"), outbox.stream().map(MovedMessage::groupId).toList());
        f.forwardOutboxTo(f);
        List<DeliveredMessage> first = f.receive("dlq.fifo", 1, 30);
        assertEquals(List.of("a1"), bodies(first));
        assertEquals("g", first.get(0).groupId());
        assertEquals("a1", first.get(0).deduplicationId());
        assertEquals("src.fifo", first.get(0).deadLetterSource());
        assertTrue(f.receive("dlq.fifo", 10).isEmpty(), "the group is locked in the DLQ too");
        f.delete("dlq.fifo", first.get(0).receiptHandle());
        assertEquals(List.of("a2", "a3"), bodies(f.receive("dlq.fifo", 10)));
    }

    @Test
    void aFifoHeadThatExceededMaxReceiveCountIsDeadLetteredAndItsGroupContinues() {
        f.createFifoQueue("dlq.fifo");
        f.createFifoQueue("src.fifo", "RedrivePolicy", redrivePolicy("dlq.fifo", 1));
        f.sendFifoBatch("src.fifo", "g", "a1");
        f.receive("src.fifo", 10, 0);
        f.sendFifoBatch("src.fifo", "g", "a2");
        assertEquals(List.of("a2"), bodies(f.receive("src.fifo", 10, 30)));
        assertEquals(List.of("a1"), f.readOutbox().stream().map(MovedMessage::body).toList());
    }

    @Test
    void deadLetterRetentionCountsFromTheOriginalSentTimestamp() {
        f.createQueue("dlq", pairs("MessageRetentionPeriod", "60"));
        f.createQueue("src", pairs("RedrivePolicy", redrivePolicy("dlq", 1)));
        f.send("src", "m");
        receiveTimes(f, "src", 1);
        f.advanceSeconds(50);
        f.receive("src", 10);
        f.forwardOutboxTo(f);
        assertEquals(1, f.messageCount("dlq"));
        f.advanceSeconds(9);
        assertEquals(0, f.tick().expired());
        f.advanceSeconds(1);
        assertEquals(1, f.tick().expired(), "60 s after the original send, though only 10 s in the DLQ");
        assertEquals(0, f.messageCount("dlq"));
    }

    @Test
    void aTickSweepsAnExpiredDeadLetteredMessageBehindAYoungerOne() {
        f.createQueue("dlq", pairs("MessageRetentionPeriod", "60"));
        f.createQueue("src", pairs("RedrivePolicy", redrivePolicy("dlq", 1)));
        f.send("src", "old");
        receiveTimes(f, "src", 1);
        f.advanceSeconds(50);
        f.send("dlq", "young"); // lower seq than the dead-lettered message, sent 50 s later
        f.receive("src", 10);
        f.forwardOutboxTo(f);
        f.advanceSeconds(10);
        assertEquals(1, f.tick().expired(), "'old' is 60 s past its original send");
        assertEquals(1, f.messageCount("dlq"));
    }

    @Test
    void fifoDeadLetterRetentionCountsFromTheMoveIntoTheDeadLetterQueue() {
        f.createFifoQueue("dlq.fifo", "MessageRetentionPeriod", "60");
        f.createFifoQueue("src.fifo", "RedrivePolicy", redrivePolicy("dlq.fifo", 1));
        f.sendFifo("src.fifo", "g", "d", "m");
        f.receive("src.fifo", 10, 0);
        f.advanceSeconds(50);
        f.receive("src.fifo", 10);
        f.forwardOutboxTo(f);
        f.advanceSeconds(10);
        assertEquals(0, f.tick().expired(), "only 10 s in the DLQ");
        assertEquals(List.of("m"), bodies(f.receive("dlq.fifo", 10)));
    }

    @Test
    void deadLetterSourcesListsTheQueuesWhoseRedrivePolicyTargetsTheQueue() {
        f.createQueue("dlq");
        f.createQueue("other-dlq");
        f.createQueue("a", pairs("RedrivePolicy", redrivePolicy("dlq", 3)));
        f.createQueue("b", pairs("RedrivePolicy", redrivePolicy("other-dlq", 3)));
        f.createQueue("c", pairs("RedrivePolicy", redrivePolicy("dlq", 5)));
        f.createQueue("d");
        assertEquals(new QueueQueryResult.QueueNames(List.of("a", "c")), f.query(new QueueQuery.DeadLetterSources("dlq")));
        assertEquals(new QueueQueryResult.QueueNames(List.of()), f.query(new QueueQuery.DeadLetterSources("d")));
        f.apply(new SetQueueAttributes("c", Map.of("RedrivePolicy", "")));
        assertEquals(new QueueQueryResult.QueueNames(List.of("a")), f.query(new QueueQuery.DeadLetterSources("dlq")));
    }

    @Test
    void deadLetteringIsDeterministicAcrossReplicas() {
        Fixture other = new Fixture();
        for (Fixture x : List.of(f, other)) {
            x.createQueue("dlq");
            x.createQueue("src", pairs("RedrivePolicy", redrivePolicy("dlq", 1)));
            x.send("src", "a", "b");
            receiveTimes(x, "src", 1);
            x.receive("src", 10);
            x.forwardOutboxTo(x);
            x.receive("dlq", 10);
        }
        assertArrayEquals(f.store.stateBytes(), other.store.stateBytes());
    }

    @Test
    void sendEntriesOfFifoSourcesKeepTheirDeduplicationIdIntoTheOutbox() {
        f.createFifoQueue("dlq.fifo");
        f.createFifoQueue("src.fifo", "RedrivePolicy", redrivePolicy("dlq.fifo", 1));
        f.sendBatch("src.fifo", fifoEntry("e", "m", "g", "dedup-1"));
        f.receive("src.fifo", 10, 0);
        f.receive("src.fifo", 10, 0);
        assertEquals("dedup-1", f.readOutbox().get(0).deduplicationId());
    }
}
