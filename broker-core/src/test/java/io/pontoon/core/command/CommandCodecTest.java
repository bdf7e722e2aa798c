package io.pontoon.core.command;

import io.pontoon.core.command.PartitionCommand.*;
import io.pontoon.core.command.PartitionResult.*;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.queue.MessageAttribute;
import io.pontoon.core.queue.QueueAttributes;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
                new Tick());
    }

    static List<PartitionResult> allResults() {
        return List.of(
                new PartitionResult.Error(ErrorCode.NON_EXISTENT_QUEUE, "no"),
                new QueueCreated("pontoon://queue/q"),
                new Ok(),
                new Sent(List.of(new SendSuccess("1", "mid"), new SendSuccess("2", "mid2")),
                        List.of(new EntryFailure("3", ErrorCode.INVALID_PARAMETER_VALUE, "too big", true))),
                new Received(List.of(new ReceivedMessage("mid", "rh", "body", attrs(), 2, 10L, 20L))),
                new BatchOutcome(List.of("a"), List.of(new EntryFailure("b", ErrorCode.MESSAGE_NOT_INFLIGHT, "x", true))),
                new Ticked(7));
    }

    @Test
    void everyCommandRoundTrips() {
        List<PartitionCommand> all = allCommands();
        assertEquals(9, all.stream().map(PartitionCommand::typeId).distinct().count(), "covers every command type");
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
    }

    @Test
    void everyResultRoundTrips() {
        List<PartitionResult> all = allResults();
        byte[] bytes = CommandCodec.encodeResults(all);
        List<PartitionResult> back = CommandCodec.decodeResults(bytes);
        assertArrayEquals(bytes, CommandCodec.encodeResults(back));
        for (int i = 0; i < all.size(); i++) {
            if (!(all.get(i) instanceof Received)) {
                assertEquals(all.get(i), back.get(i));
            }
        }
        ReceivedMessage m = ((Received) back.get(4)).messages().get(0);
        assertEquals(new ReceivedMessage("mid", "rh", "body", new TreeMap<>(), 2, 10L, 20L).messageId(), m.messageId());
        assertEquals(2, m.approximateReceiveCount());
        assertEquals(20L, m.approximateFirstReceiveTimestampMs());
        assertEquals(3, m.attributes().size());
    }

    @Test
    void everyQueryAndQueryResultRoundTrips() {
        List<PartitionQuery> queries = List.of(new PartitionQuery.GetQueueUrl("q"),
                new PartitionQuery.GetQueueAttributes("q", List.of("All", "DelaySeconds")),
                new PartitionQuery.ListQueues("p", null, null), new PartitionQuery.ListQueues("", "tok", 5),
                new PartitionQuery.QueueStats("q"));
        for (PartitionQuery q : queries) {
            assertEquals(q, CommandCodec.decodeQuery(CommandCodec.encodeQuery(q)));
        }
        SortedMap<String, String> a = new TreeMap<>(Map.of("A", "1", "B", "2"));
        List<QueryResult> results = List.of(new QueryResult.Error(ErrorCode.INVALID_ATTRIBUTE_NAME, "x"),
                new QueryResult.QueueUrl("u"), new QueryResult.Attributes(a),
                new QueryResult.QueueList(List.of("u1", "u2"), "t"), new QueryResult.QueueList(List.of(), null),
                new QueryResult.Stats(1, 2, 3, 4));
        for (QueryResult r : results) {
            assertEquals(r, CommandCodec.decodeQueryResult(CommandCodec.encodeQueryResult(r)));
        }
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
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 6, 7, 8, 9), allCommands().stream().map(PartitionCommand::typeId).toList());
        assertEquals(1, CommandCodec.encode(List.of())[0], "format version byte");
    }
}
