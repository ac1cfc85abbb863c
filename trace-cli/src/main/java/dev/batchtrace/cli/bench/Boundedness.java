package dev.batchtrace.cli.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Whether a soak stayed bounded, metric by metric. The run is cut in thirds by time; the first
 * third is the baseline (the job warm, state already holding the capacity phase), the last third is
 * what it came to.
 *
 * <ul>
 *   <li><b>heap live</b> (after a full GC), <b>Kafka lag</b> (all sources), <b>checkpoint
 *       duration</b>: the last third's maximum is at most {@link #GROWTH} times the first third's,
 *       or below a floor that counts as nothing (lag: {@link #LAG_FLOOR_SECONDS} seconds of input;
 *       checkpoint: {@link #CHECKPOINT_FLOOR_MILLIS} ms). These must not grow at all at a steady
 *       rate; the factor leaves room for GC timing and a busy machine.
 *   <li><b>RocksDB state</b> and <b>Elasticsearch index</b>: they grow with the lots made, so the
 *       rule is per consumed input event: the median bytes per event of the last third is at most
 *       {@link #PER_EVENT_GROWTH} times the first third's (linear growth keeps it flat; growth
 *       faster than the input, such as a closure copied into ever more lots, raises it).
 * </ul>
 */
public final class Boundedness {
    public static final double GROWTH = 2.0;
    public static final double HEAP_GROWTH = 1.5;
    public static final double PER_EVENT_GROWTH = 1.5;
    public static final double LAG_FLOOR_SECONDS = 30;
    public static final long CHECKPOINT_FLOOR_MILLIS = 2_000;

    /** One metric's verdict, with the figures it was decided on. */
    public record Verdict(String metric, boolean pass, String rule, double first, double last) {
        public String line() {
            return String.format(
                    Locale.ROOT,
                    "%s %s: %s (first third %s, last third %s)",
                    pass ? "PASS" : "FAIL",
                    metric,
                    rule,
                    format(first),
                    format(last));
        }

        private static String format(double v) {
            return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%,.1f", v);
        }
    }

    private Boundedness() {}

    /** The verdicts of a soak published at {@code eventsPerSecond}. */
    public static List<Verdict> judge(List<SoakSample> samples, double eventsPerSecond) {
        List<Verdict> verdicts = new ArrayList<>();
        verdicts.add(
                maxRule(
                        "heap live after full GC (MiB)",
                        samples,
                        s -> s.heapLiveBytes() / 1048576.0,
                        HEAP_GROWTH,
                        0,
                        s -> s.heapLiveBytes() >= 0));
        verdicts.add(
                maxRule(
                        "Kafka lag, all sources (events)",
                        samples,
                        s -> s.totalLag(),
                        GROWTH,
                        LAG_FLOOR_SECONDS * eventsPerSecond,
                        s -> s.totalLag() >= 0));
        verdicts.add(
                maxRule(
                        "checkpoint duration (ms)",
                        samples,
                        s -> s.checkpointMillis(),
                        GROWTH,
                        CHECKPOINT_FLOOR_MILLIS,
                        s -> s.checkpointMillis() >= 0));
        verdicts.add(
                perEventRule(
                        "RocksDB state per consumed event (bytes)",
                        samples,
                        s -> s.stateBytes() >= 0 ? s.stateBytes() : s.checkpointFolderBytes()));
        verdicts.add(
                perEventRule(
                        "Elasticsearch index per consumed event (bytes)",
                        samples,
                        s -> s.indexBytes()));
        return verdicts;
    }

    /** All verdicts passed. */
    public static boolean bounded(List<Verdict> verdicts) {
        return verdicts.stream().allMatch(Verdict::pass);
    }

    static Verdict maxRule(
            String metric,
            List<SoakSample> samples,
            ToDoubleFunction<SoakSample> value,
            double factor,
            double floor,
            java.util.function.Predicate<SoakSample> known) {
        double first = max(third(samples, 0).stream().filter(known).mapToDouble(value).toArray());
        double last = max(third(samples, 2).stream().filter(known).mapToDouble(value).toArray());
        String rule =
                String.format(
                        Locale.ROOT,
                        "last third's max <= %.1f x first third's%s",
                        factor,
                        floor > 0 ? String.format(Locale.ROOT, ", or <= %,.0f", floor) : "");
        if (Double.isNaN(first) || Double.isNaN(last)) {
            return new Verdict(metric, false, rule + "; not measured in both thirds", first, last);
        }
        boolean pass = last <= factor * first || last <= floor;
        return new Verdict(metric, pass, rule, first, last);
    }

    static Verdict perEventRule(
            String metric, List<SoakSample> samples, ToDoubleFunction<SoakSample> bytes) {
        ToDoubleFunction<SoakSample> perEvent = s -> bytes.applyAsDouble(s) / s.consumed();
        java.util.function.Predicate<SoakSample> known =
                s -> s.consumed() > 0 && bytes.applyAsDouble(s) >= 0;
        double first =
                median(third(samples, 0).stream().filter(known).mapToDouble(perEvent).toArray());
        double last =
                median(third(samples, 2).stream().filter(known).mapToDouble(perEvent).toArray());
        String rule =
                String.format(
                        Locale.ROOT,
                        "last third's median bytes per consumed event <= %.1f x first third's",
                        PER_EVENT_GROWTH);
        if (Double.isNaN(first) || Double.isNaN(last)) {
            return new Verdict(metric, false, rule + "; not measured in both thirds", first, last);
        }
        return new Verdict(metric, last <= PER_EVENT_GROWTH * first, rule, first, last);
    }

    /** Samples of third {@code i} (0, 1, 2) of the run's time span. */
    static List<SoakSample> third(List<SoakSample> samples, int i) {
        if (samples.isEmpty()) {
            return List.of();
        }
        double start = samples.get(0).seconds();
        double span = samples.get(samples.size() - 1).seconds() - start;
        double from = start + span * i / 3;
        double to = start + span * (i + 1) / 3;
        return samples.stream()
                .filter(s -> s.seconds() >= from && (s.seconds() < to || i == 2))
                .toList();
    }

    static double max(double[] values) {
        return values.length == 0 ? Double.NaN : Arrays.stream(values).max().getAsDouble();
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
