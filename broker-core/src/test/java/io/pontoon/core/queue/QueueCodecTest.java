package io.pontoon.core.queue;

import io.pontoon.core.partition.Model;
import io.pontoon.core.partition.PartitionCodec;
import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.core.partition.Tick;
import io.pontoon.core.queue.QueueCommand.*;
import io.pontoon.core.queue.QueueResult.*;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.queue.FifoSettings;
import io.pontoon.core.queue.MessageAttribute;
import io.pontoon.core.queue.QueueAttributes;
import io.pontoon.core.queue.RedriveAllowPolicy;
import io.pontoon.core.queue.RedrivePolicy;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

class QueueCodecTest {

    static SortedMap<String, MessageAttribute> attrs() {
        SortedMap<String, MessageAttribute> m = new TreeMap<>();
        m.put("s", new MessageAttribute("String", "välue", null));
        m.put("n", new MessageAttribute("Number.int", "42", null));
        m.put("b", new MessageAttribute("Binary", null, new byte[]{0, 1, 2, (byte) 255}));
        return m;
    }

    /** A moved message without binary attributes, so it compares by value. */
    static MovedMessage moved(long outboxSeq, String groupId) {
        return new MovedMessage(outboxSeq, "dlq", "src", true, null, "mid-" + outboxSeq, "body ✓", new TreeMap<>(Map.of("s",
                new MessageAttribute("String", "v", null))), 1_000L + outboxSeq, 3, 2_000L, groupId, groupId == null ? null : "dd");
    }

    static QueueAttributes fifoAttributes() {
        return new QueueAttributes(1, 60, 0, 3, 2048, Map.of("k", "v"),
                new FifoSettings(true, FifoSettings.DeduplicationScope.MESSAGE_GROUP, FifoSettings.FifoThroughputLimit.PER_MESSAGE_GROUP_ID),
                new RedrivePolicy("dlq.fifo", 5), new RedriveAllowPolicy(RedriveAllowPolicy.Permission.BY_QUEUE, Set.of("a.fifo", "b.fifo")));
    }

    static List<PartitionCommand> allCommands() {
        return List.of(
                new CreateQueue("q", new QueueAttributes(1, 60, 2, 3, 2048, Map.of("k", "v", "a", "b"))),
                new DeleteQueue("q"),
                new SetQueueAttributes("q", Map.of("DelaySeconds", "4")),
                new PurgeQueue("q"),
                new SendMessages("q", List.of(new SendEntry("1", "body ✓ 😀", attrs(), 5), new SendEntry("2", "b", new TreeMap<>(), null))),
                new ReceiveMessages("q", 10, null),
                new ReceiveMessages("q", 1, 0),
                new DeleteMessages("q", List.of(new DeleteEntry("1", "h1"), new DeleteEntry("2", "h2"))),
                new ChangeMessageVisibility("q", List.of(new VisibilityEntryChange("1", "h", 30))),
                new Tick(),
                new CreateQueue("q.fifo", fifoAttributes()),
                new SendMessages("q.fifo", List.of(new SendEntry("1", "b", new TreeMap<>(), null, "g1", "d1"),
                        new SendEntry("2", "b", new TreeMap<>(), null, "g2", null))),
                new ReceiveMessages("q.fifo", 10, 30, "attempt-1"),
                new IngestMessages(3, List.of(moved(1, null), moved(5, "g"))),
                new IngestMessages(0, List.of()),
                new SettleOutbox(List.of(1L, 2L), List.of(3L)),
                new SettleOutbox(List.of(), List.of()),
                new StartMoveTask("dlq", "dest", 10),
                new StartMoveTask("dlq", null, null),
                new CancelMoveTask("dlq", 123_456_789L),
                new SendMessages("q", List.of(SendEntry.withTraceHeader("1", "b", new TreeMap<>(), null, null, null, "Root=1-5759e988-bd862e3fe1be46a994272793"))),
                new ReceiveMessages("q", 10, null, null, 7),
                new IngestMessages(4, List.of(new MovedMessage(2, "dlq", "src", true, null, "mid", "b", new TreeMap<>(), 1L, 1, 1L, null, null, "Root=1"))),
                new TagQueue("q", Map.of("team", "a", "env", "")),
                new UntagQueue("q", List.of("team", "gone")));
    }

    static List<PartitionResult> allResults() {
        return List.of(
                new PartitionResult.Error(ErrorCode.NON_EXISTENT_QUEUE, "no"),
                new QueueCreated("pontoon://queue/q"),
                new PartitionResult.Ok(),
                new Sent(List.of(new SendSuccess("1", "mid"), new SendSuccess("2", "mid2", "00000000000000000042")),
                        List.of(new EntryFailure("3", ErrorCode.INVALID_PARAMETER_VALUE, "too big", true))),
                new Received(42L, List.of(new ReceivedMessage("mid", "rh", 5L, 1_000, 2, 10L, 20L, null, null, null, null),
                        new ReceivedMessage("mid2", "rh2", 6L, 3, 1, 11L, 21L, "00000000000000000007", "g", "d", "src"))),
                new BatchOutcome(List.of("a"), List.of(new EntryFailure("b", ErrorCode.MESSAGE_NOT_INFLIGHT, "x", true))),
                new PartitionResult.Ticked(7),
                new Ingested(4, 1),
                new MoveTaskStarted("mt1.abc"),
                new MoveTaskCancelled(42));
    }

    @Test
    void everyCommandRoundTrips() {
        List<PartitionCommand> all = allCommands();
        assertEquals(14, all.stream().filter(c -> c instanceof QueueCommand).map(PartitionCommand::typeId).distinct().count(),
                "covers every queue command type");
        byte[] bytes = PartitionCodec.encode(all);
        List<PartitionCommand> back = PartitionCodec.decode(bytes);
        assertArrayEquals(bytes, PartitionCodec.encode(back));
        // Records without byte[] fields compare by value directly.
        for (int i = 0; i < all.size(); i++) {
            if (!(all.get(i) instanceof SendMessages)) {
                assertEquals(all.get(i), back.get(i));
            }
        }
        SendEntry e = ((SendMessages) back.get(4)).entries().get(0);
        assertEquals("body ✓ 😀", e.body());
        assertEquals(5, e.delaySeconds());
        assertArrayEquals(new byte[]{0, 1, 2, (byte) 255}, e.attributes().get("b").binaryValue());
        assertEquals("välue", e.attributes().get("s").stringValue());
        assertNull(((SendMessages) back.get(4)).entries().get(1).delaySeconds());
        assertNull(e.groupId());
        assertNull(e.deduplicationId());
        SendEntry fifo = ((SendMessages) back.get(11)).entries().get(0);
        assertEquals("g1", fifo.groupId());
        assertEquals("d1", fifo.deduplicationId());
        assertNull(((SendMessages) back.get(11)).entries().get(1).deduplicationId());
        assertEquals(fifoAttributes(), ((CreateQueue) back.get(10)).attributes());
    }

    @Test
    void everyResultRoundTrips() {
        List<PartitionResult> all = allResults();
        byte[] bytes = PartitionCodec.encodeResults(all);
        List<PartitionResult> back = PartitionCodec.decodeResults(bytes);
        assertArrayEquals(bytes, PartitionCodec.encodeResults(back));
        for (int i = 0; i < all.size(); i++) {
            assertEquals(all.get(i), back.get(i));
        }
        assertEquals(7, all.stream().filter(r -> r instanceof QueueResult).map(PartitionResult::typeId).distinct().count(),
                "covers every queue result type");
        ReceivedMessage m = ((Received) back.get(4)).messages().get(0);
        assertEquals("mid", m.messageId());
        assertEquals(2, m.approximateReceiveCount());
        assertEquals(20L, m.approximateFirstReceiveTimestampMs());
        assertEquals(5L, m.seq());
        assertEquals(1_000, m.payloadBytes());
        assertNull(m.sequenceNumber());
        assertNull(m.deadLetterSource());
        assertEquals(((Received) all.get(4)).messages().get(1), ((Received) back.get(4)).messages().get(1));
    }

    @Test
    void everyQueryAndQueryResultRoundTrips() {
        List<QueueQuery> queries = List.of(new QueueQuery.GetQueueUrl("q"),
                new QueueQuery.GetQueueAttributes("q", List.of("All", "DelaySeconds")),
                new QueueQuery.ListQueues("p", null, null), new QueueQuery.ListQueues("", "tok", 5),
                new QueueQuery.QueueStats("q"), new QueueQuery.DeadLetterSources("dlq"),
                new QueueQuery.ListMoveTasks("dlq", 10), new QueueQuery.ReadOutbox(500),
                new QueueQuery.Receivable("q"), new QueueQuery.ReadPayloads(7, List.of(3L, 9L)));
        assertEquals(9, queries.stream().map(QueueQuery::typeId).distinct().count(), "covers every query type");
        for (QueueQuery q : queries) {
            assertEquals(q, PartitionCodec.decodeQuery(PartitionCodec.encodeQuery(q)));
        }
        SortedMap<String, String> a = new TreeMap<>(Map.of("A", "1", "B", "2"));
        List<QueryResult> results = List.of(new QueryResult.Error(ErrorCode.INVALID_ATTRIBUTE_NAME, "x"),
                new QueueQueryResult.QueueUrl("u"), new QueueQueryResult.Attributes(a),
                new QueueQueryResult.QueueList(List.of("u1", "u2"), "t"), new QueueQueryResult.QueueList(List.of(), null),
                new QueueQueryResult.Stats(1, 2, 3, 4, true), new QueueQueryResult.Stats(0, 0, 0, 0, false),
                new QueueQueryResult.QueueNames(List.of("a", "b")), new QueueQueryResult.QueueNames(List.of()),
                new QueueQueryResult.Flag(true), new QueueQueryResult.Flag(false),
                new QueueQueryResult.MoveTasks(List.of(
                        new QueueQueryResult.MoveTaskInfo("mt1.x", "RUNNING", "dlq", null, 10, 3, 20, null, 99L),
                        new QueueQueryResult.MoveTaskInfo(null, "FAILED", "dlq", "dest", 500, 0, 0, "gone", 1L))),
                new QueueQueryResult.Outbox(List.of(moved(1, null), moved(2, "g"))), new QueueQueryResult.Outbox(List.of()),
                new QueueQueryResult.Payloads(new TreeMap<>(Map.of(3L, new MessagePayload("body", new TreeMap<>(), "Root=1"),
                        9L, new MessagePayload("other", new TreeMap<>(), null)))));
        assertEquals(9, results.stream().filter(r -> r instanceof QueueQueryResult).map(QueryResult::typeId).distinct().count(),
                "covers every queue query result type");
        for (QueryResult r : results) {
            assertEquals(r, PartitionCodec.decodeQueryResult(PartitionCodec.encodeQueryResult(r)));
        }
    }

    @Test
    void movedMessageWithBinaryAttributesRoundTripsByteForByte() {
        MovedMessage m = new MovedMessage(9, "dlq", "src", false, "origin", "mid", "b", attrs(), 1L, 0, 0L, null, null);
        byte[] bytes = PartitionCodec.encode(List.of(new IngestMessages(1, List.of(m))));
        IngestMessages back = (IngestMessages) PartitionCodec.decode(bytes).get(0);
        assertArrayEquals(bytes, PartitionCodec.encode(List.of(back)));
        assertArrayEquals(new byte[]{0, 1, 2, (byte) 255}, back.messages().get(0).attributes().get("b").binaryValue());
        assertEquals("origin", back.messages().get(0).originDeadLetterSource());
        assertFalse(back.messages().get(0).deadLettered());
    }

    /** A log entry of one command as entries were written before models: no model id byte after the count. */
    static byte[] legacy(PartitionCommand c, int version) {
        byte[] v4 = PartitionCodec.encode(List.of(c));
        byte[] old = new byte[v4.length - 1];
        System.arraycopy(v4, 0, old, 0, 5);
        System.arraycopy(v4, 6, old, 5, v4.length - 6);
        old[0] = (byte) version;
        return old;
    }

    @Test
    void entriesWrittenBeforeModelsReplayAsQueueCommandsAndTheirTickAsThePartitionTick() {
        byte[] oldTick = {3, 0, 0, 0, 1, 9};
        assertEquals(List.of(new Tick()), PartitionCodec.decode(oldTick));
        assertEquals(List.of(new PurgeQueue("q")), PartitionCodec.decode(legacy(new PurgeQueue("q"), 3)));
        assertEquals(List.of(new TagQueue("q", Map.of("a", "b"))), PartitionCodec.decode(legacy(new TagQueue("q", Map.of("a", "b")), 3)));
    }

    @Test
    void olderCommandVersionsStillDecode() {
        // v3 appended the in-flight limit (4 bytes) to ReceiveMessages; v2 added the attempt id flag (1 byte) before it.
        byte[] v3 = legacy(new ReceiveMessages("q", 3, 7), 3);
        byte[] v2 = Arrays.copyOf(v3, v3.length - 4);
        v2[0] = 2;
        assertEquals(List.of(new ReceiveMessages("q", 3, 7, null)), PartitionCodec.decode(v2), "v2 receives get the default in-flight limit");
        byte[] v1 = Arrays.copyOf(v3, v3.length - 5);
        v1[0] = 1;
        assertEquals(List.of(new ReceiveMessages("q", 3, 7, null)), PartitionCodec.decode(v1));
        // A SendMessages entry gained group and dedup id flags in v2 (one byte each) and system attributes in v3 (a 4-byte count).
        byte[] sendV3 = legacy(new SendMessages("q", List.of(new SendEntry("1", "b", new TreeMap<>(), null))), 3);
        byte[] sendV2 = Arrays.copyOf(sendV3, sendV3.length - 4);
        sendV2[0] = 2;
        assertEquals(new SendEntry("1", "b", new TreeMap<>(), null), ((SendMessages) PartitionCodec.decode(sendV2).get(0)).entries().get(0));
        byte[] sendV1 = Arrays.copyOf(sendV3, sendV3.length - 6);
        sendV1[0] = 1;
        assertEquals(new SendEntry("1", "b", new TreeMap<>(), null), ((SendMessages) PartitionCodec.decode(sendV1).get(0)).entries().get(0));
    }

    @Test
    void outboxEntriesWrittenBeforeMovedMessagesCarriedAVersionStillRead() {
        MovedMessage m = new MovedMessage(9, "dlq", "src", false, "origin", "mid", "b", new TreeMap<>(), 1L, 0, 0L, "g", "d", "Root=1");
        io.pontoon.core.codec.BinaryWriter w = new io.pontoon.core.codec.BinaryWriter(1 << 16);
        QueueCodec.writeMoved(w, m);
        byte[] current = w.toByteArray();
        assertEquals(m, QueueCodec.readMoved(new io.pontoon.core.codec.BinaryReader(current)));
        // the old form: no leading version byte and no trace header flag
        byte[] old = Arrays.copyOfRange(current, 1, current.length - 1 - (4 + "Root=1".length()));
        MovedMessage oldRead = QueueCodec.readMoved(new io.pontoon.core.codec.BinaryReader(old));
        assertEquals(new MovedMessage(9, "dlq", "src", false, "origin", "mid", "b", new TreeMap<>(), 1L, 0, 0L, "g", "d"), oldRead);
    }

    @Test
    void decodingRejectsUnknownVersionTypeAndTruncation() {
        byte[] bytes = PartitionCodec.encode(List.of(new PurgeQueue("q")));
        byte[] badVersion = bytes.clone();
        badVersion[0] = 99;
        assertThrows(IllegalArgumentException.class, () -> PartitionCodec.decode(badVersion));
        byte[] badModel = bytes.clone();
        badModel[5] = (byte) 200;
        assertThrows(IllegalArgumentException.class, () -> PartitionCodec.decode(badModel));
        byte[] badType = bytes.clone();
        badType[6] = (byte) 200;
        assertThrows(IllegalArgumentException.class, () -> PartitionCodec.decode(badType));
        assertThrows(IllegalArgumentException.class, () -> PartitionCodec.decode(Arrays.copyOf(bytes, bytes.length - 1)));
        byte[] trailing = Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(IllegalArgumentException.class, () -> PartitionCodec.decode(trailing));
    }

    @Test
    void typeIdsAreFixed() {
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 6, 7, 8, 1, 1, 5, 6, 10, 10, 11, 11, 12, 12, 13, 5, 6, 10, 14, 15),
                allCommands().stream().map(PartitionCommand::typeId).toList());
        assertEquals(List.of(Model.QUEUE, Model.PARTITION), List.of(new PurgeQueue("q").model(), new Tick().model()));
        assertEquals(List.of(1, 2, 2, 4, 5, 6, 3, 8, 9, 10), allResults().stream().map(PartitionResult::typeId).toList());
        assertEquals(List.of(5, 6, 7, 8, 9, 10), List.of(new QueueQuery.DeadLetterSources("q").typeId(),
                new QueueQuery.ListMoveTasks("q", 1).typeId(), new QueueQuery.ReadOutbox(1).typeId(),
                new QueueQuery.Receivable("q").typeId(), new QueueQuery.ListQueueTags("q").typeId(),
                new QueueQuery.OutboxStats().typeId()));
        assertEquals(11, new QueueQuery.ReadPayloads(1, List.of(1L)).typeId());
        assertEquals(List.of(10, 11, 12), List.of(new QueueQueryResult.Tags(new TreeMap<>()).typeId(), new QueueQueryResult.OutboxSize(0, 0, false).typeId(),
                new QueueQueryResult.Payloads(new TreeMap<>()).typeId()));
        assertEquals(4, PartitionCodec.encode(List.of())[0], "command format version byte");
        assertEquals(5, PartitionCodec.encodeResults(List.of())[0], "result format version byte");
        assertEquals(3, PartitionCodec.encodeQuery(new QueueQuery.QueueStats("q"))[0], "query format version byte");
        assertEquals(4, PartitionCodec.encodeQueryResult(new QueueQueryResult.QueueUrl("u"))[0], "query result format version byte");
    }
}
