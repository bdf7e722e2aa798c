package io.pontoon.client.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A small fixed-size, log-linear histogram of non-negative {@code long} values (nanoseconds here),
 * in the spirit of HdrHistogram with two significant decimal digits.
 *
 * <p>Values below {@value #SUB_BUCKETS} are counted exactly. Above, each power-of-two range
 * {@code [2^k, 2^(k+1))} is split into {@value #HALF} equal sub-buckets, so a recorded value is
 * known to within 1/{@value #HALF} (about 1.6 %) of itself. Percentiles report the highest value
 * equivalent to the bucket (never below the true value, capped at the exact maximum). The whole
 * {@code long} range fits in {@value #BUCKETS} counters (about 29 KiB).
 *
 * <p>Thread-safe: recording is lock-free (one atomic increment); reading while others record gives a
 * consistent-enough snapshot for reporting.
 */
public final class LogLinearHistogram {
    static final int SUB_BITS = 7;
    static final int SUB_BUCKETS = 1 << SUB_BITS;        // 128
    static final int HALF = SUB_BUCKETS / 2;             // 64
    /** 128 exact buckets, then 64 sub-buckets for each of the exponents 7..62. */
    static final int BUCKETS = SUB_BUCKETS + (63 - SUB_BITS) * HALF;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong sum = new AtomicLong();
    private final AtomicLong max = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong min = new AtomicLong(Long.MAX_VALUE);

    /** Bucket index of {@code value} (&gt;= 0). */
    static int indexOf(long value) {
        if (value < SUB_BUCKETS) return (int) value;
        int top = 63 - Long.numberOfLeadingZeros(value);   // >= SUB_BITS
        int shift = top - (SUB_BITS - 1);                  // value >> shift in [HALF, SUB_BUCKETS)
        int sub = (int) (value >>> shift) - HALF;
        return SUB_BUCKETS + (shift - 1) * HALF + sub;
    }

    /** Smallest value counted in bucket {@code index}. */
    static long lowestEquivalent(int index) {
        if (index < SUB_BUCKETS) return index;
        int shift = (index - SUB_BUCKETS) / HALF + 1;
        int sub = (index - SUB_BUCKETS) % HALF + HALF;
        return (long) sub << shift;
    }

    /** Largest value counted in bucket {@code index}. */
    static long highestEquivalent(int index) {
        if (index < SUB_BUCKETS) return index;
        int shift = (index - SUB_BUCKETS) / HALF + 1;
        long low = lowestEquivalent(index);
        long width = 1L << shift;
        return low > Long.MAX_VALUE - width ? Long.MAX_VALUE : low + width - 1;
    }

    /** Records one value; negative values are recorded as 0. */
    public void record(long value) {
        if (value < 0) value = 0;
        counts.incrementAndGet(indexOf(value));
        total.incrementAndGet();
        sum.addAndGet(value);
        max.accumulateAndGet(value, Math::max);
        min.accumulateAndGet(value, Math::min);
    }

    /** Adds every count of {@code other} to this histogram. */
    public void add(LogLinearHistogram other) {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            long c = other.counts.get(i);
            if (c != 0) {
                counts.addAndGet(i, c);
                n += c;
            }
        }
        if (n == 0) return;
        total.addAndGet(n);
        sum.addAndGet(other.sum.get());
        max.accumulateAndGet(other.max.get(), Math::max);
        min.accumulateAndGet(other.min.get(), Math::min);
    }

    public long count() {
        return total.get();
    }

    /** Exact maximum recorded, 0 if empty. */
    public long max() {
        return total.get() == 0 ? 0 : max.get();
    }

    /** Exact minimum recorded, 0 if empty. */
    public long min() {
        return total.get() == 0 ? 0 : min.get();
    }

    public double mean() {
        long n = total.get();
        return n == 0 ? 0 : (double) sum.get() / n;
    }

    /**
     * The value at {@code percentile} (0..100]: the highest value equivalent to the bucket holding
     * the ceil(p/100 * count)-th smallest recording, capped at the maximum. 0 if empty.
     */
    public long percentile(double percentile) {
        if (percentile < 0 || percentile > 100 || Double.isNaN(percentile)) {
            throw new IllegalArgumentException("percentile must be in 0..100, got " + percentile);
        }
        long n = 0;
        long[] snapshot = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            snapshot[i] = counts.get(i);
            n += snapshot[i];
        }
        if (n == 0) return 0;
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * n));
        long seen = 0;
        long cap = max.get();
        for (int i = 0; i < BUCKETS; i++) {
            seen += snapshot[i];
            if (seen >= rank) return Math.min(highestEquivalent(i), cap);
        }
        return cap;
    }

    /** Clears all counts (not atomic with respect to concurrent recording). */
    public void reset() {
        for (int i = 0; i < BUCKETS; i++) counts.set(i, 0);
        total.set(0);
        sum.set(0);
        max.set(Long.MIN_VALUE);
        min.set(Long.MAX_VALUE);
    }
}
