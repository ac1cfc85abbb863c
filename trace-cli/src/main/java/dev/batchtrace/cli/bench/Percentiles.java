package dev.batchtrace.cli.bench;

import java.util.Arrays;

/**
 * Percentiles of measured durations by the nearest-rank method: the p-th percentile is the smallest
 * sample that at least p % of the samples are not above (so p99 of 200 samples is the 198th
 * smallest, a value that was really measured).
 */
public final class Percentiles {
    private final double[] sorted;

    private Percentiles(double[] sorted) {
        this.sorted = sorted;
    }

    public static Percentiles of(double... samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        double[] copy = samples.clone();
        Arrays.sort(copy);
        return new Percentiles(copy);
    }

    /** The p-th percentile, 0 &lt; p &lt;= 100. */
    public double percentile(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    public double p50() {
        return percentile(50);
    }

    public double p99() {
        return percentile(99);
    }

    public double max() {
        return sorted[sorted.length - 1];
    }

    public int count() {
        return sorted.length;
    }
}
