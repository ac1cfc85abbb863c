package dev.batchtrace.machine;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The alarms of one code during one summary: how often, first and last time, and the highest
 * severity reported.
 *
 * <p>Severity is the PLC's text; vendor scales differ, so it is ranked by a list of common words
 * ({@link #SEVERITY_ORDER}, case-insensitive); a word not on the list ranks below every listed one,
 * and two unlisted words by their text, so the result never depends on arrival order.
 */
public record AlarmSummary(long count, Instant firstAt, Instant lastAt, String highestSeverity) {

    /** Lowest to highest. */
    public static final List<String> SEVERITY_ORDER =
            List.of(
                    "INFO",
                    "NOTICE",
                    "LOW",
                    "WARNING",
                    "MEDIUM",
                    "MINOR",
                    "HIGH",
                    "MAJOR",
                    "ERROR",
                    "ALARM",
                    "FAULT",
                    "CRITICAL",
                    "EMERGENCY");

    /** One alarm event. */
    public static AlarmSummary of(Instant at, String severity) {
        return new AlarmSummary(1, at, at, severity);
    }

    /** Sums two summaries of the same code (commutative and associative). */
    public static AlarmSummary combine(AlarmSummary a, AlarmSummary b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return new AlarmSummary(
                a.count + b.count,
                earlier(a.firstAt, b.firstAt),
                later(a.lastAt, b.lastAt),
                higherSeverity(a.highestSeverity, b.highestSeverity));
    }

    /** The higher of two severities by {@link #SEVERITY_ORDER}; a severity beats none. */
    public static String higherSeverity(String a, String b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        int ra = SEVERITY_ORDER.indexOf(a.toUpperCase(Locale.ROOT));
        int rb = SEVERITY_ORDER.indexOf(b.toUpperCase(Locale.ROOT));
        if (ra != rb) {
            return ra > rb ? a : b;
        }
        return a.compareTo(b) >= 0 ? a : b;
    }

    static Instant earlier(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }
}
