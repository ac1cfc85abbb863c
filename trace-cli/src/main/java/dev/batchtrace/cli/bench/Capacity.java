package dev.batchtrace.cli.bench;

import java.util.List;
import java.util.Optional;

/**
 * The most the jobs take, measured on a backlog: input events consumed per second from their first
 * committed progress (Flink's start-up left out) to the moment every source's lag, internal topics
 * included, is drained. A backlog not drained in time still gives the rate of its progress.
 */
public final class Capacity {

    /**
     * A look during the capacity phase.
     *
     * @param seconds since the jobs were started
     * @param consumed input events committed by the jobs' sources
     * @param lag every source's lag, internal topics included
     */
    public record Point(double seconds, long consumed, long lag) {}

    /** The rate and whether it was measured to a drained backlog. */
    public record Rate(double eventsPerSecond, boolean drained, double seconds) {}

    private Capacity() {}

    /** True when {@code lag} counts as drained for a backlog of {@code backlog} input events. */
    public static boolean drained(long lag, long backlog) {
        return lag >= 0 && lag <= Math.max(100, backlog / 1000);
    }

    public static Optional<Rate> rate(List<Point> points, long backlog) {
        Point first = null;
        for (Point p : points) {
            if (first == null && p.consumed() > 0) {
                first = p;
            }
            if (first != null && drained(p.lag(), backlog)) {
                return Optional.of(between(first, p, true));
            }
        }
        if (first == null) {
            return Optional.empty();
        }
        return Optional.of(between(first, points.get(points.size() - 1), false));
    }

    private static Rate between(Point first, Point last, boolean drained) {
        if (last.seconds() > first.seconds() && last.consumed() > first.consumed()) {
            return new Rate(
                    (last.consumed() - first.consumed()) / (last.seconds() - first.seconds()),
                    drained,
                    last.seconds());
        }
        // drained at the first progress: count from the start, start-up included (a lower bound)
        return new Rate(last.consumed() / Math.max(last.seconds(), 1e-3), drained, last.seconds());
    }
}
