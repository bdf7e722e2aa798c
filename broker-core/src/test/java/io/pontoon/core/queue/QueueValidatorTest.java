package io.pontoon.core.queue;

import io.pontoon.core.queue.ReceiptHandle;
import io.pontoon.core.queue.QueueCommand.*;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.queue.MessageAttribute;
import io.pontoon.core.queue.QueueAttributes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

class RequestValidatorTest {

    private static void assertCode(ErrorCode code, Executable e) {
        assertEquals(code, assertThrows(BrokerException.class, e).code());
    }

    private static void assertCode(ErrorCode code, Executable e, String message) {
        assertEquals(code, assertThrows(BrokerException.class, e, message).code(), message);
    }

    private static SendEntry entry(String id, String body) {
        return new SendEntry(id, body, new TreeMap<>(), null);
    }

    private static SendEntry withAttr(String name, MessageAttribute a) {
        SortedMap<String, MessageAttribute> m = new TreeMap<>();
        m.put(name, a);
        return new SendEntry("e", "body", m, null);
    }

    private static MessageAttribute str(String v) { return new MessageAttribute("String", v, null); }

    private static MessageAttribute num(String v) { return new MessageAttribute("Number", v, null); }

    private static void send(SendEntry... entries) {
        QueueValidator.sendMessages(new SendMessages("q", List.of(entries)));
    }

    private static void setAttributes(Map<String, String> attributes) {
        QueueValidator.validate(new SetQueueAttributes("q", attributes));
    }

    @Test
    void queueNameRules() {
        QueueValidator.queueName("a");
        QueueValidator.queueName("A-z_0".repeat(16));
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> QueueValidator.queueName(""));
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> QueueValidator.queueName("a".repeat(81)));
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> QueueValidator.queueName("a.b"));
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> QueueValidator.queueName("a b"));
        QueueValidator.queueName("orders.fifo");
        QueueValidator.queueName("a".repeat(75) + ".fifo");
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> QueueValidator.queueName("a".repeat(76) + ".fifo"));
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> QueueValidator.queueName(".fifo"));
    }

    @Test
    void queueAttributeRangesAndNames() {
        Map<String, int[]> ranges = Map.of("VisibilityTimeout", new int[]{0, 43_200}, "MessageRetentionPeriod", new int[]{60, 1_209_600},
                "DelaySeconds", new int[]{0, 900}, "ReceiveMessageWaitTimeSeconds", new int[]{0, 20},
                "MaximumMessageSize", new int[]{1_024, 1_048_576});
        ranges.forEach((name, r) -> {
            setAttributes(Map.of(name, String.valueOf(r[0])));
            setAttributes(Map.of(name, String.valueOf(r[1])));
            assertCode(ErrorCode.INVALID_ATTRIBUTE_VALUE, () -> setAttributes(Map.of(name, String.valueOf(r[0] - 1))));
            assertCode(ErrorCode.INVALID_ATTRIBUTE_VALUE, () -> setAttributes(Map.of(name, String.valueOf(r[1] + 1))));
        });
        assertCode(ErrorCode.INVALID_ATTRIBUTE_VALUE, () -> setAttributes(Map.of("DelaySeconds", "1.5")));
        assertCode(ErrorCode.INVALID_ATTRIBUTE_VALUE, () -> setAttributes(Map.of("DelaySeconds", "")));
        assertCode(ErrorCode.INVALID_ATTRIBUTE_NAME, () -> setAttributes(Map.of("Bogus", "1")));
        assertCode(ErrorCode.UNSUPPORTED_OPERATION, () -> setAttributes(Map.of("Policy", "{}")));
        assertCode(ErrorCode.INVALID_ATTRIBUTE_VALUE, () -> setAttributes(Map.of("RedrivePolicy", "{}")));
        assertCode(ErrorCode.INVALID_ATTRIBUTE_NAME, () -> setAttributes(Map.of("FifoQueue", "true")), "only at creation");
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> QueueValidator.createQueueAttributes("q", Map.of("FifoQueue", "true"), Map.of()));
        assertCode(ErrorCode.INVALID_ATTRIBUTE_VALUE, () -> QueueValidator.createQueue("q", new QueueAttributes(-1, 60, 0, 0, 1024, Map.of())));
        QueueAttributes a = QueueValidator.createQueueAttributes("q", Map.of("VisibilityTimeout", "5", "FifoQueue", "false"), Map.of("t", "v"));
        assertEquals(new QueueAttributes(5, 345_600, 0, 0, 1_048_576, Map.of("t", "v")), a);
    }

    @Test
    void tagRules() {
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 51; i++) {
            many.put("k" + i, "v");
        }
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> QueueValidator.tags(many));
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> QueueValidator.tags(Map.of("", "v")));
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> QueueValidator.tags(Map.of("k".repeat(129), "v")));
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> QueueValidator.tags(Map.of("k", "v".repeat(257))));
        QueueValidator.tags(Map.of("k".repeat(128), "v".repeat(256)));
    }

    @Test
    void bodyCharacterRules() {
        send(entry("a", "tab\t nl\n cr\r \uD7FF \uE000 \uFFFD \uD83D\uDE00"));
        assertCode(ErrorCode.INVALID_MESSAGE_CONTENTS, () -> send(entry("a", "nul\u0000")));
        assertCode(ErrorCode.INVALID_MESSAGE_CONTENTS, () -> send(entry("a", "\u0008")));
        assertCode(ErrorCode.INVALID_MESSAGE_CONTENTS, () -> send(entry("a", "\uFFFE")));
        assertCode(ErrorCode.INVALID_MESSAGE_CONTENTS, () -> send(entry("a", "lone \uD800 surrogate")));
        assertCode(ErrorCode.MISSING_PARAMETER, () -> send(entry("a", "")));
    }

    @Test
    void batchRules() {
        assertCode(ErrorCode.EMPTY_BATCH_REQUEST, () -> QueueValidator.validate(new SendMessages("q", List.of())));
        List<SendEntry> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(entry("e" + i, "b"));
        }
        assertCode(ErrorCode.TOO_MANY_ENTRIES_IN_BATCH_REQUEST, () -> QueueValidator.validate(new SendMessages("q", eleven)));
        QueueValidator.validate(new SendMessages("q", eleven.subList(0, 10)));
        assertCode(ErrorCode.INVALID_BATCH_ENTRY_ID, () -> send(entry("bad id", "b")));
        assertCode(ErrorCode.INVALID_BATCH_ENTRY_ID, () -> send(entry("x".repeat(81), "b")));
        assertCode(ErrorCode.BATCH_ENTRY_IDS_NOT_DISTINCT, () -> send(entry("a", "b"), entry("a", "c")));
        String half = "x".repeat(600_000);
        assertCode(ErrorCode.BATCH_REQUEST_TOO_LONG, () -> send(entry("a", half), entry("b", half)));
        assertCode(ErrorCode.EMPTY_BATCH_REQUEST, () -> QueueValidator.validate(new DeleteMessages("q", List.of())));
        assertCode(ErrorCode.BATCH_ENTRY_IDS_NOT_DISTINCT, () -> QueueValidator.validate(new ChangeMessageVisibility("q",
                List.of(new VisibilityEntryChange("a", handle(), 1), new VisibilityEntryChange("a", handle(), 1)))));
    }

    @Test
    void messageSizeCountsBodyAndAttributeNamesTypesAndValues() {
        send(entry("a", "x".repeat(1_048_576)));
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> send(entry("a", "x".repeat(1_048_577))));
        SortedMap<String, MessageAttribute> m = new TreeMap<>();
        m.put("n", str("v"));
        assertEquals(1 + 1 + 6 + 1, QueueValidator.messageSize("b", m));
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> send(new SendEntry("a", "x".repeat(1_048_576 - 7), m, null)));
    }

    @Test
    void delaySecondsRange() {
        send(new SendEntry("a", "b", new TreeMap<>(), 900));
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> send(new SendEntry("a", "b", new TreeMap<>(), 901)));
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> send(new SendEntry("a", "b", new TreeMap<>(), -1)));
    }

    @Test
    void messageAttributeNameRules() {
        send(withAttr("a.b-c_D9", str("v")));
        send(withAttr("n".repeat(256), str("v")));
        for (String bad : List.of("n".repeat(257), "AWS.x", "aws.x", "Amazon.x", "amazon.X", ".a", "a.", "a..b", "a b", "ä")) {
            assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> send(withAttr(bad, str("v"))));
        }
        SortedMap<String, MessageAttribute> eleven = new TreeMap<>();
        for (int i = 0; i < 11; i++) {
            eleven.put("a" + i, str("v"));
        }
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> send(new SendEntry("e", "b", eleven, null)));
    }

    @Test
    void messageAttributeTypeAndValueRules() {
        send(withAttr("a", new MessageAttribute("String.custom", "v", null)));
        send(withAttr("a", new MessageAttribute("Binary.png", null, new byte[]{1})));
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> send(withAttr("a", new MessageAttribute("Integer", "1", null))));
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> send(withAttr("a", new MessageAttribute("String.", "1", null))));
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> send(withAttr("a", new MessageAttribute("String", null, new byte[]{1}))));
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> send(withAttr("a", new MessageAttribute("Binary", "x", null))));
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> send(withAttr("a", str(""))));
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> send(withAttr("a", str("\u0000"))));
    }

    @Test
    void numberAttributeRules() {
        for (String ok : List.of("0", "-1", "+3.14", "1e126", "1E-128", "12345678901234567890123456789012345678", "0.000", ".5", "5.")) {
            send(withAttr("n", num(ok)));
        }
        for (String bad : List.of("abc", "1e127", "1e-129", "123456789012345678901234567890123456789", "", "1.2.3", "NaN", "0x10")) {
            assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> send(withAttr("n", num(bad))));
        }
    }

    @Test
    void receiveAndVisibilityRules() {
        QueueValidator.receive("q", 1, 0, 0);
        QueueValidator.receive("q", 10, 20, 43_200);
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> QueueValidator.receive("q", 0, null, null));
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> QueueValidator.receive("q", 11, null, null));
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> QueueValidator.receive("q", 1, 21, null));
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> QueueValidator.receive("q", 1, -1, null));
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> QueueValidator.receive("q", 1, null, 43_201));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE,
                QueueValidator.visibilityEntryRefusal(new VisibilityEntryChange("a", handle(), 43_201)).code());
        assertEquals(ErrorCode.RECEIPT_HANDLE_IS_INVALID, QueueValidator.visibilityEntryRefusal(new VisibilityEntryChange("a", "x", 1)).code());
        assertNull(QueueValidator.visibilityEntryRefusal(new VisibilityEntryChange("a", handle(), 43_200)));
        assertEquals(ErrorCode.RECEIPT_HANDLE_IS_INVALID, QueueValidator.deleteEntryRefusal(new DeleteEntry("a", "nonsense")).code());
        assertNull(QueueValidator.deleteEntryRefusal(new DeleteEntry("a", handle())));
        // entry rules never fail a whole batch: only its batch rules do
        QueueValidator.validate(new DeleteMessages("q", List.of(new DeleteEntry("a", "nonsense"), new DeleteEntry("b", handle()))));
        QueueValidator.validate(new ChangeMessageVisibility("q", List.of(new VisibilityEntryChange("a", handle(), -1))));
    }

    @Test
    void listQueuesAndAttributeNameRules() {
        QueueValidator.listQueues("", 1_000);
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> QueueValidator.listQueues("", 0));
        assertCode(ErrorCode.INVALID_PARAMETER_VALUE, () -> QueueValidator.listQueues("", 1_001));
        QueueValidator.attributeNames(List.of("All", "QueueArn", "Policy"));
        assertCode(ErrorCode.INVALID_ATTRIBUTE_NAME, () -> QueueValidator.attributeNames(List.of("Nope")));
    }

    private static String handle() {
        return new ReceiptHandle(0, 1, 1, 1).encode();
    }
}
