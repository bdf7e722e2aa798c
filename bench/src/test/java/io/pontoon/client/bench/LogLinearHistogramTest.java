package io.pontoon.client.bench;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogLinearHistogramTest {

    @Test
    void emptyHistogramReportsZeros() {
        LogLinearHistogram h = new LogLinearHistogram();
        assertEquals(0, h.count());
        assertEquals(0, h.percentile(50));
        assertEquals(0, h.max());
        assertEquals(0, h.min());
        assertEquals(0.0, h.mean());
    }

    @Test
    void smallValuesAreExact() {
        LogLinearHistogram h = new LogLinearHistogram();
        for (int v = 1; v <= 100; v++) h.record(v);
        assertEquals(100, h.count());
        assertEquals(50, h.percentile(50));
        assertEquals(90, h.percentile(90));
        assertEquals(99, h.percentile(99));
        assertEquals(100, h.percentile(100));
        assertEquals(1, h.min());
        assertEquals(100, h.max());
        assertEquals(50.5, h.mean(), 1e-9);
    }

    @Test
    void bucketsAreContiguousAndCoverTheLongRange() {
        assertEquals(0, LogLinearHistogram.indexOf(0));
        assertEquals(LogLinearHistogram.BUCKETS - 1, LogLinearHistogram.indexOf(Long.MAX_VALUE));
        for (int i = 1; i < LogLinearHistogram.BUCKETS; i++) {
            assertEquals(LogLinearHistogram.highestEquivalent(i - 1) + 1, LogLinearHistogram.lowestEquivalent(i), "bucket " + i);
            assertEquals(i, LogLinearHistogram.indexOf(LogLinearHistogram.lowestEquivalent(i)));
            assertEquals(i, LogLinearHistogram.indexOf(LogLinearHistogram.highestEquivalent(i)));
        }
        assertEquals(Long.MAX_VALUE, LogLinearHistogram.highestEquivalent(LogLinearHistogram.BUCKETS - 1));
    }

    @Test
    void percentilesAreWithinTwoPercentOfExact() {
        Random r = new Random(42);
        int n = 200_000;
        long[] values = new long[n];
        LogLinearHistogram h = new LogLinearHistogram();
        for (int i = 0; i < n; i++) {
            // log-normal-ish latencies around 1 ms, in nanoseconds
            values[i] = (long) (1_000_000 * Math.exp(r.nextGaussian()));
            h.record(values[i]);
        }
        Arrays.sort(values);
        for (double p : new double[] {50, 90, 99, 99.9}) {
            long exact = values[(int) Math.ceil(p / 100 * n) - 1];
            long got = h.percentile(p);
            assertTrue(got >= exact, p + ": " + got + " < exact " + exact);
            assertTrue(got <= exact * 1.02, p + ": " + got + " > 1.02 x exact " + exact);
        }
        assertEquals(values[n - 1], h.max());
        assertEquals(values[n - 1], h.percentile(100));
        assertEquals(values[0], h.min());
    }

    @Test
    void percentileIsCappedAtMax() {
        LogLinearHistogram h = new LogLinearHistogram();
        h.record(1_000_001);
        assertEquals(1_000_001, h.percentile(50));
        assertEquals(1_000_001, h.percentile(99.9));
    }

    @Test
    void negativeValuesCountAsZero() {
        LogLinearHistogram h = new LogLinearHistogram();
        h.record(-5);
        assertEquals(1, h.count());
        assertEquals(0, h.max());
    }

    @Test
    void addMergesAndResetClears() {
        LogLinearHistogram a = new LogLinearHistogram();
        LogLinearHistogram b = new LogLinearHistogram();
        for (int i = 0; i < 10; i++) a.record(10);
        for (int i = 0; i < 10; i++) b.record(5_000_000);
        a.add(b);
        assertEquals(20, a.count());
        assertEquals(10, a.percentile(50));
        assertTrue(a.percentile(51) >= 5_000_000);
        assertEquals(5_000_000, a.max());
        assertEquals(10, a.min());
        a.reset();
        assertEquals(0, a.count());
        assertEquals(0, a.percentile(99));
        a.add(new LogLinearHistogram());
        assertEquals(0, a.max());
    }

    @Test
    void concurrentRecordingLosesNothing() throws InterruptedException {
        LogLinearHistogram h = new LogLinearHistogram();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 50_000; i++) h.record(i);
            });
            threads[t].start();
        }
        for (Thread t : threads) t.join();
        assertEquals(200_000, h.count());
        assertEquals(49_999, h.max());
    }

    @Test
    void rejectsBadPercentile() {
        LogLinearHistogram h = new LogLinearHistogram();
        assertThrows(IllegalArgumentException.class, () -> h.percentile(101));
        assertThrows(IllegalArgumentException.class, () -> h.percentile(-1));
    }
}
