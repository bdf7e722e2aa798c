package io.pontoon.core.command;

import io.pontoon.core.command.PartitionCommand.*;
import io.pontoon.core.command.PartitionResult.*;
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

class CommandCodecTest {

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
                new Ok(),
                new Sent(List.of(new SendSuccess("1", "mid"), new SendSuccess("2", "mid2", "00000000000000000042")),
                        List.of(new EntryFailure("3", ErrorCode.INVALID_PARAMETER_VALUE, "too big", true))),
                new Received(42L, List.of(new ReceivedMessage("mid", "rh", 5L, 1_000, 2, 10L, 20L, null, null, null, null),
                        new ReceivedMessage("mid2", "rh2", 6L, 3, 1, 11L, 21L, "00000000000000000007", "g", "d", "src"))),
                new BatchOutcome(List.of("a"), List.of(new EntryFailure("b", ErrorCode.MESSAGE_NOT_INFLIGHT, "x", true))),
                new Ticked(7),
                new Ingested(4, 1),
                new MoveTaskStarted("mt1.abc"),
                new MoveTaskCancelled(42));
    }

    @Test
    void everyCommandRoundTrips() {
        List<PartitionCommand> all = allCommands();
        assertEquals(15, all.stream().map(PartitionCommand::typeId).distinct().count(), "covers every command type");
        byte[] bytes = CommandCodec.encode(all);
        List<PartitionCommand> back = CommandCodec.decode(bytes);
        assertArrayEquals(bytes, CommandCodec.encode(back));
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
        byte[] bytes = CommandCodec.encodeResults(all);
        List<PartitionResult> back = CommandCodec.decodeResults(bytes);
        assertArrayEquals(bytes, CommandCodec.encodeResults(back));
        for (int i = 0; i < all.size(); i++) {
            assertEquals(all.get(i), back.get(i));
        }
        assertEquals(10, all.stream().map(PartitionResult::typeId).distinct().count(), "covers every result type");
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
        List<PartitionQuery> queries = List.of(new PartitionQuery.GetQueueUrl("q"),
                new PartitionQuery.GetQueueAttributes("q", List.of("All", "DelaySeconds")),
                new PartitionQuery.ListQueues("p", null, null), new PartitionQuery.ListQueues("", "tok", 5),
                new PartitionQuery.QueueStats("q"), new PartitionQuery.DeadLetterSources("dlq"),
                new PartitionQuery.ListMoveTasks("dlq", 10), new PartitionQuery.ReadOutbox(500),
                new PartitionQuery.Receivable("q"));
        assertEquals(8, queries.stream().map(PartitionQuery::typeId).distinct().count(), "covers every query type");
        for (PartitionQuery q : queries) {
            assertEquals(q, CommandCodec.decodeQuery(CommandCodec.encodeQuery(q)));
        }
        SortedMap<String, String> a = new TreeMap<>(Map.of("A", "1", "B", "2"));
        List<QueryResult> results = List.of(new QueryResult.Error(ErrorCode.INVALID_ATTRIBUTE_NAME, "x"),
                new QueryResult.QueueUrl("u"), new QueryResult.Attributes(a),
                new QueryResult.QueueList(List.of("u1", "u2"), "t"), new QueryResult.QueueList(List.of(), null),
                new QueryResult.Stats(1, 2, 3, 4, true), new QueryResult.Stats(0, 0, 0, 0, false),
                new QueryResult.QueueNames(List.of("a", "b")), new QueryResult.QueueNames(List.of()),
                new QueryResult.Flag(true), new QueryResult.Flag(false),
                new QueryResult.MoveTasks(List.of(
                        new QueryResult.MoveTaskInfo("mt1.x", "RUNNING", "dlq", null, 10, 3, 20, null, 99L),
                        new QueryResult.MoveTaskInfo(null, "FAILED", "dlq", "dest", 500, 0, 0, "gone", 1L))),
                new QueryResult.Outbox(List.of(moved(1, null), moved(2, "g"))), new QueryResult.Outbox(List.of()));
        assertEquals(9, results.stream().map(QueryResult::typeId).distinct().count(), "covers every query result type");
        for (QueryResult r : results) {
            assertEquals(r, CommandCodec.decodeQueryResult(CommandCodec.encodeQueryResult(r)));
        }
    }

    @Test
    void movedMessageWithBinaryAttributesRoundTripsByteForByte() {
        MovedMessage m = new MovedMessage(9, "dlq", "src", false, "origin", "mid", "b", attrs(), 1L, 0, 0L, null, null);
        byte[] bytes = CommandCodec.encode(List.of(new IngestMessages(1, List.of(m))));
        IngestMessages back = (IngestMessages) CommandCodec.decode(bytes).get(0);
        assertArrayEquals(bytes, CommandCodec.encode(List.of(back)));
        assertArrayEquals(new byte[]{0, 1, 2, (byte) 255}, back.messages().get(0).attributes().get("b").binaryValue());
        assertEquals("origin", back.messages().get(0).originDeadLetterSource());
        assertFalse(back.messages().get(0).deadLettered());
    }

    @Test
    void olderCommandVersionsStillDecode() {
        // v3 appended the in-flight limit (4 bytes) to ReceiveMessages; v2 added the attempt id flag (1 byte) before it.
        byte[] v3 = CommandCodec.encode(List.of(new ReceiveMessages("q", 3, 7)));
        byte[] v2 = Arrays.copyOf(v3, v3.length - 4);
        v2[0] = 2;
        assertEquals(List.of(new ReceiveMessages("q", 3, 7, null)), CommandCodec.decode(v2), "v2 receives get the default in-flight limit");
        byte[] v1 = Arrays.copyOf(v3, v3.length - 5);
        v1[0] = 1;
        assertEquals(List.of(new ReceiveMessages("q", 3, 7, null)), CommandCodec.decode(v1));
        // A SendMessages entry gained group and dedup id flags in v2 (one byte each) and system attributes in v3 (a 4-byte count).
        byte[] sendV3 = CommandCodec.encode(List.of(new SendMessages("q", List.of(new SendEntry("1", "b", new TreeMap<>(), null)))));
        byte[] sendV2 = Arrays.copyOf(sendV3, sendV3.length - 4);
        sendV2[0] = 2;
        assertEquals(new SendEntry("1", "b", new TreeMap<>(), null), ((SendMessages) CommandCodec.decode(sendV2).get(0)).entries().get(0));
        byte[] sendV1 = Arrays.copyOf(sendV3, sendV3.length - 6);
        sendV1[0] = 1;
        assertEquals(new SendEntry("1", "b", new TreeMap<>(), null), ((SendMessages) CommandCodec.decode(sendV1).get(0)).entries().get(0));
    }

    @Test
    void outboxEntriesWrittenBeforeMovedMessagesCarriedAVersionStillRead() {
        MovedMessage m = new MovedMessage(9, "dlq", "src", false, "origin", "mid", "b", new TreeMap<>(), 1L, 0, 0L, "g", "d", "Root=1");
        io.pontoon.core.codec.BinaryWriter w = new io.pontoon.core.codec.BinaryWriter(1 << 16);
        CommandCodec.writeMoved(w, m);
        byte[] current = w.toByteArray();
        assertEquals(m, CommandCodec.readMoved(new io.pontoon.core.codec.BinaryReader(current)));
        // the old form: no leading version byte and no trace header flag
        byte[] old = Arrays.copyOfRange(current, 1, current.length - 1 - (4 + "Root=1".length()));
        MovedMessage oldRead = CommandCodec.readMoved(new io.pontoon.core.codec.BinaryReader(old));
        assertEquals(new MovedMessage(9, "dlq", "src", false, "origin", "mid", "b", new TreeMap<>(), 1L, 0, 0L, "g", "d"), oldRead);
    }

    @Test
    void decodingRejectsUnknownVersionTypeAndTruncation() {
        byte[] bytes = CommandCodec.encode(List.of(new PurgeQueue("q")));
        byte[] badVersion = bytes.clone();
        badVersion[0] = 99;
        assertThrows(IllegalArgumentException.class, () -> CommandCodec.decode(badVersion));
        byte[] badType = bytes.clone();
        badType[5] = (byte) 200;
        assertThrows(IllegalArgumentException.class, () -> CommandCodec.decode(badType));
        assertThrows(IllegalArgumentException.class, () -> CommandCodec.decode(Arrays.copyOf(bytes, bytes.length - 1)));
        byte[] trailing = Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(IllegalArgumentException.class, () -> CommandCodec.decode(trailing));
    }

    @Test
    void typeIdsAreFixed() {
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 6, 7, 8, 9, 1, 5, 6, 10, 10, 11, 11, 12, 12, 13, 5, 6, 10, 14, 15),
                allCommands().stream().map(PartitionCommand::typeId).toList());
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), allResults().stream().map(PartitionResult::typeId).toList());
        assertEquals(List.of(5, 6, 7, 8, 9, 10), List.of(new PartitionQuery.DeadLetterSources("q").typeId(),
                new PartitionQuery.ListMoveTasks("q", 1).typeId(), new PartitionQuery.ReadOutbox(1).typeId(),
                new PartitionQuery.Receivable("q").typeId(), new PartitionQuery.ListQueueTags("q").typeId(),
                new PartitionQuery.OutboxStats().typeId()));
        assertEquals(List.of(10, 11), List.of(new QueryResult.Tags(new TreeMap<>()).typeId(), new QueryResult.OutboxSize(0, 0, false).typeId()));
        assertEquals(3, CommandCodec.encode(List.of())[0], "command format version byte");
        assertEquals(4, CommandCodec.encodeResults(List.of())[0], "result format version byte");
        assertEquals(2, CommandCodec.encodeQuery(new PartitionQuery.QueueStats("q"))[0], "query format version byte");
        assertEquals(3, CommandCodec.encodeQueryResult(new QueryResult.QueueUrl("u"))[0], "query result format version byte");
    }
}
