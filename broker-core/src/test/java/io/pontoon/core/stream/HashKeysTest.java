package io.pontoon.core.stream;

import io.pontoon.core.error.BrokerException;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.*;

/** Hash-range routing as Kinesis does it. */
class HashKeysTest {

    @Test
    void aPartitionKeyHashesToTheUnsignedMd5OfItsUtf8Bytes() {
        // md5("") = d41d8cd98f00b204e9800998ecf8427e, md5("abc") = 900150983cd24fb0d6963f7d28e17f72
        assertEquals(new BigInteger("d41d8cd98f00b204e9800998ecf8427e", 16), HashKeys.ofPartitionKey(""));
        assertEquals(new BigInteger("900150983cd24fb0d6963f7d28e17f72", 16), HashKeys.ofPartitionKey("abc"));
        assertTrue(HashKeys.ofPartitionKey("é").signum() >= 0);
    }

    @Test
    void uniformRangesCoverTheWholeSpaceWithoutGapOrOverlap() {
        for (int n : new int[] {1, 2, 3, 4, 7, 10, 1000}) {
            BigInteger expectStart = BigInteger.ZERO;
            for (int i = 0; i < n; i++) {
                BigInteger[] r = HashKeys.uniformRange(i, n);
                assertEquals(expectStart, r[0], "range " + i + " of " + n);
                assertTrue(r[0].compareTo(r[1]) <= 0);
                expectStart = r[1].add(BigInteger.ONE);
            }
            assertEquals(HashKeys.MAX.add(BigInteger.ONE), expectStart);
        }
        // as AWS creates two shards: 0..2^127-1 and 2^127..2^128-1
        assertEquals(BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE), HashKeys.uniformRange(0, 2)[1]);
    }

    @Test
    void anExplicitHashKeyIsADecimalWithinTheSpace() {
        assertEquals(BigInteger.ZERO, HashKeys.parseExplicit("0"));
        assertEquals(HashKeys.MAX, HashKeys.parseExplicit(HashKeys.MAX.toString()));
        for (String bad : new String[] {"", "-1", "01", "1.5", "abc", HashKeys.MAX.add(BigInteger.ONE).toString()}) {
            assertThrows(BrokerException.class, () -> HashKeys.parseExplicit(bad), bad);
        }
    }

    @Test
    void storedKeysRoundTripAsSixteenUnsignedBytes() {
        for (BigInteger k : new BigInteger[] {BigInteger.ZERO, BigInteger.ONE, HashKeys.MAX, BigInteger.ONE.shiftLeft(127)}) {
            byte[] b = HashKeys.toBytes(k);
            assertEquals(16, b.length);
            assertEquals(k, HashKeys.fromBytes(b));
        }
    }
}
