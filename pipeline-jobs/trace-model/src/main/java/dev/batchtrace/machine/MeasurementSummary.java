package dev.batchtrace.machine;

/**
 * The measurements of one process parameter during one summary.
 *
 * <p>{@code outsideLimits} counts values below the lower or above the upper limit the PLC sent with
 * that very measurement. {@code lowerLimit}/{@code upperLimit} are the tightest limits seen
 * (largest lower, smallest upper), so that they do not depend on arrival order. {@code sum} is a
 * plain double sum: for real readings the order of addition changes only the last bits.
 */
public record MeasurementSummary(
        long count,
        double min,
        double max,
        double sum,
        String unit,
        Double lowerLimit,
        Double upperLimit,
        long outsideLimits) {

    public double mean() {
        return count == 0 ? 0.0 : sum / count;
    }

    /** One measurement. */
    public static MeasurementSummary of(
            double value, String unit, Double lowerLimit, Double upperLimit) {
        boolean outside =
                (lowerLimit != null && value < lowerLimit)
                        || (upperLimit != null && value > upperLimit);
        return new MeasurementSummary(
                1, value, value, value, unit, lowerLimit, upperLimit, outside ? 1 : 0);
    }

    /** Sums two summaries of the same parameter (commutative; associative up to double sums). */
    public static MeasurementSummary combine(MeasurementSummary a, MeasurementSummary b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return new MeasurementSummary(
                a.count + b.count,
                Math.min(a.min, b.min),
                Math.max(a.max, b.max),
                a.sum + b.sum,
                larger(a.unit, b.unit),
                maxOrNull(a.lowerLimit, b.lowerLimit),
                minOrNull(a.upperLimit, b.upperLimit),
                a.outsideLimits + b.outsideLimits);
    }

    private static String larger(String a, String b) {
        return a == null ? b : b == null ? a : a.compareTo(b) >= 0 ? a : b;
    }

    private static Double maxOrNull(Double a, Double b) {
        return a == null ? b : b == null ? a : Double.valueOf(Math.max(a, b));
    }

    private static Double minOrNull(Double a, Double b) {
        return a == null ? b : b == null ? a : Double.valueOf(Math.min(a, b));
    }
}
