package io.pontoon.client.bench;

import org.HdrHistogram.ConcurrentHistogram;

/**
 * The load tools' latency recorder: an HdrHistogram (three significant digits, any range, recording from many
 * threads at once) behind the few questions the tools ask of it. Values are nanoseconds.
 */
public final class Latencies {
    private static final int SIGNIFICANT_DIGITS = 3;
    private final ConcurrentHistogram histogram = new ConcurrentHistogram(SIGNIFICANT_DIGITS);

    /** Records one value; a negative one (a clock step) as 0. */
    public void record(long nanos) {
        histogram.recordValue(Math.max(0, nanos));
    }

    public long count() {
        return histogram.getTotalCount();
    }

    public long max() {
        return count() == 0 ? 0 : histogram.getMaxValue();
    }

    public long min() {
        return count() == 0 ? 0 : histogram.getMinValue();
    }

    public double mean() {
        return count() == 0 ? 0 : histogram.getMean();
    }

    /** The value at {@code percentile} (0..100], within 0.1 % of the recorded one; 0 if empty. */
    public long percentile(double percentile) {
        if (percentile < 0 || percentile > 100 || Double.isNaN(percentile)) {
            throw new IllegalArgumentException("percentile must be in 0..100, got " + percentile);
        }
        return count() == 0 ? 0 : histogram.getValueAtPercentile(percentile);
    }

    public void reset() {
        histogram.reset();
    }
}
