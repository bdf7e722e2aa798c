package io.pontoon.core.queue;

import io.pontoon.core.CoreConfig;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.queue.MessageAttribute;
import org.junit.jupiter.api.Test;

import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

class Md5sAndHandlesTest {

    @Test
    void bodyMd5IsHexMd5OfUtf8() {
        assertEquals("5d41402abc4b2a76b9719d911017c592", Md5s.ofBody("hello"));
        assertEquals(Md5s.ofBody("ü".getBytes(java.nio.charset.StandardCharsets.UTF_8)), Md5s.ofBody("ü"));
    }

    /** Vectors published by independent SQS emulators' tests (LocalStack, sqslite, a Node client), all matching AWS. */
    @Test
    void attributeMd5MatchesPublishedVectors() {
        SortedMap<String, MessageAttribute> one = new TreeMap<>();
        one.put("timestamp", new MessageAttribute("Number", "1493147359900", null));
        assertEquals("235c5c510d26fb653d073faed50ae77c", Md5s.ofAttributes(one));

        SortedMap<String, MessageAttribute> two = new TreeMap<>();
        two.put("ordinal", new MessageAttribute("Number", "1", null));
        two.put("category", new MessageAttribute("String", "test", null));
        assertEquals("d21ae90c49061e927f57df5f5d72be1f", Md5s.ofAttributes(two));

        SortedMap<String, MessageAttribute> three = new TreeMap<>();
        three.put("SellerName", new MessageAttribute("String", "Example Store", null));
        assertEquals("cd28f3b68aeee4b2eac9c66f2f694b58", Md5s.ofAttributes(three));
    }

    @Test
    void noAttributesMeansNoAttributeMd5() {
        assertNull(Md5s.ofAttributes(new TreeMap<>()));
    }

    @Test
    void binaryAttributesUseTransportTypeTwo() {
        SortedMap<String, MessageAttribute> s = new TreeMap<>();
        s.put("a", new MessageAttribute("Binary", null, "x".getBytes()));
        SortedMap<String, MessageAttribute> t = new TreeMap<>();
        t.put("a", new MessageAttribute("Binary", "x", null));
        assertNotEquals(Md5s.ofAttributes(s), Md5s.ofAttributes(t));
    }

    @Test
    void receiptHandleRoundTripsAndRejectsGarbage() {
        ReceiptHandle h = new ReceiptHandle(7, 65_536, 42, 131_073);
        String s = h.encode();
        assertTrue(s.startsWith("p2."));
        assertTrue(s.matches("[A-Za-z0-9._\\-]+"), "URL-safe");
        assertEquals(h, ReceiptHandle.parse(s));
        for (String bad : new String[]{null, "", "p2.", "p1." + s.substring(3), "garbage", s.substring(0, s.length() - 2),
                s.substring(0, s.length() - 1) + (s.endsWith("A") ? "B" : "A"), "p2.!!!!",
                new ReceiptHandle(-1, 1, 1, 1).encode()}) {
            BrokerException e = assertThrows(BrokerException.class, () -> ReceiptHandle.parse(bad), String.valueOf(bad));
            assertEquals(ErrorCode.RECEIPT_HANDLE_IS_INVALID, e.code());
        }
    }

    @Test
    void queueUrlsFormatAndParse() {
        assertEquals("pontoon://queue/q-1", QueueUrls.of("q-1"));
        assertEquals("q-1", QueueUrls.parse("pontoon://queue/q-1"));
        assertThrows(BrokerException.class, () -> QueueUrls.parse("http://x/q"));
        assertThrows(BrokerException.class, () -> QueueUrls.parse("pontoon://queue/"));
    }

    @Test
    void coreConfigRejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> CoreConfig.DEFAULTS.withRetentionSweepBatch(-1));
    }
}
