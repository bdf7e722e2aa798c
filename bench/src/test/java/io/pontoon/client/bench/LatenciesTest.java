package io.pontoon.client.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The load tools' latencies: HdrHistogram's answers within 0.1 %, zeros when empty, every value of concurrent recorders counted. */
class LatenciesTest {
    @Test
    void anEmptyRecorderAnswersZeros() {
        Latencies l = new Latencies();
        assertEquals(0, l.count());
        assertEquals(0, l.max());
        assertEquals(0, l.min());
        assertEquals(0.0, l.mean());
        assertEquals(0, l.percentile(99));
    }

    @Test
    void percentilesAreWithinATenthOfAPercentOfTheRecordedValues() {
        Latencies l = new Latencies();
        for (long v = 1; v <= 100_000; v++) {
            l.record(v * 1_000); // 1 µs .. 100 ms in nanoseconds
        }
        assertEquals(100_000, l.count());
        assertEquals(50_000_000, l.percentile(50), 50_000_000 * 0.001);
        assertEquals(99_000_000, l.percentile(99), 99_000_000 * 0.001);
        assertEquals(100_000_000, l.max(), 100_000_000 * 0.001);
        assertEquals(1_000, l.min(), 1);
        assertEquals(50_000_500, l.mean(), 50_000_500 * 0.001);
        assertThrows(IllegalArgumentException.class, () -> l.percentile(101));
    }

    @Test
    void negativeValuesCountAsZeroAndResetEmptiesIt() {
        Latencies l = new Latencies();
        l.record(-5);
        assertEquals(1, l.count());
        assertEquals(0, l.max());
        l.reset();
        assertEquals(0, l.count());
    }

    @Test
    void concurrentRecordersLoseNoValue() throws Exception {
        Latencies l = new Latencies();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 50_000; i++) {
                    l.record(1_000L + i);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(200_000, l.count());
    }
}
