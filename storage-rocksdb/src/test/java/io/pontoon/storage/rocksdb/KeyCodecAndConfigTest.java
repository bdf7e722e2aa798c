package io.pontoon.storage.rocksdb;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyCodecAndConfigTest {

    @Test
    void longEncodingPreservesNumericOrder() {
        Random r = new Random(42);
        List<Long> values = new ArrayList<>(List.of(Long.MIN_VALUE, -1L, 0L, 1L, 255L, 256L, Long.MAX_VALUE));
        for (int i = 0; i < 2000; i++) {
            values.add(r.nextLong());
            values.add((long) r.nextInt(1 << 20));
        }
        for (long a : values) {
            byte[] ka = KeyCodec.queuePrefix(a);
            assertEquals(a, KeyCodec.getLong(ka, 0));
            for (int j = 0; j < 20; j++) {
                long b = values.get(r.nextInt(values.size()));
                assertEquals(Integer.signum(Long.compare(a, b)),
                        Integer.signum(KeyCodec.compare(ka, KeyCodec.queuePrefix(b))), a + " vs " + b);
            }
        }
    }

    @Test
    void compositeKeysRoundTripAndSortByTuple() {
        byte[] k = KeyCodec.visibilityKey(7, 1_700_000_000_000L, 42);
        assertEquals(KeyCodec.VISIBILITY_KEY_BYTES, k.length);
        assertEquals(7, KeyCodec.queueIdOf(k));
        assertEquals(1_700_000_000_000L, KeyCodec.visibleAtOf(k));
        assertEquals(42, KeyCodec.visibilitySeqOf(k));
        byte[] m = KeyCodec.messageKey(7, 9);
        assertEquals(9, KeyCodec.messageSeqOf(m));
        assertTrue(KeyCodec.compare(KeyCodec.visibilityKey(7, 5, 100), KeyCodec.visibilityKey(7, 6, 1)) < 0);
        assertTrue(KeyCodec.compare(KeyCodec.visibilityKey(7, Long.MAX_VALUE, 100), KeyCodec.visibilityKey(8, 0, 0)) < 0);
        assertTrue(KeyCodec.compare(KeyCodec.visibilityKey(7, Long.MAX_VALUE, Long.MAX_VALUE), KeyCodec.queueRangeEnd(7)) < 0);
        assertTrue(KeyCodec.compare(KeyCodec.visibilityKey(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE),
                KeyCodec.queueRangeEnd(Long.MAX_VALUE)) < 0);
        assertTrue(KeyCodec.compare(KeyCodec.queuePrefix(8), KeyCodec.queueRangeEnd(7)) == 0);
    }

    @Test
    void successorAndStrings() {
        assertArrayEquals(new byte[] {1, 3}, KeyCodec.successor(new byte[] {1, 2}));
        assertArrayEquals(new byte[] {2}, KeyCodec.successor(new byte[] {1, (byte) 0xFF}));
        assertNull(KeyCodec.successor(new byte[] {(byte) 0xFF, (byte) 0xFF}));
        assertNull(KeyCodec.successor(new byte[0]));
        assertEquals("queue-é", KeyCodec.string(KeyCodec.utf8("queue-é")));
        assertThrows(IllegalArgumentException.class, () -> KeyCodec.utf8("bad\uD800"));
        assertThrows(IllegalStateException.class, () -> KeyCodec.receivedOf(new byte[] {2}));
        assertTrue(KeyCodec.receivedOf(KeyCodec.visibilityValue(true)));
    }

    @Test
    void configValidation() {
        RocksConfig.defaults();
        assertMessage("blockCacheBytes must be > 0", () -> new RocksConfig(0, 1 << 20, 1 << 20, 1));
        assertMessage("writeBufferBytesPerCf must be >=", () -> new RocksConfig(1 << 30, 1, 1 << 20, 1));
        assertMessage("must be >= writeBufferBytesPerCf", () -> new RocksConfig(1 << 30, 4 << 20, 2 << 20, 1));
        assertMessage("must be < blockCacheBytes", () -> new RocksConfig(8 << 20, 1 << 20, 8 << 20, 1));
        assertMessage("maxBackgroundJobs must be in", () -> new RocksConfig(64 << 20, 1 << 20, 8 << 20, 0));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(expected), x.getMessage());
    }
}
