package dev.batchtrace.lineage.holds;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.batchtrace.events.LotFlag;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * One quality decision on a lot (a {@link LotFlag} event) as the lot's node keeps it. Flag events
 * of one lot are ordered by {@code (flaggedAt, flagId)}: the later one wins between a HOLD and a
 * RELEASE.
 *
 * @param action {@link #HOLD} or {@link #RELEASE}
 * @param severity MINOR, MAJOR or CRITICAL
 */
public record FlagEvent(
        String flagId,
        String lotCode,
        String action,
        String reason,
        String severity,
        String flaggedBy,
        Instant flaggedAt,
        String reference)
        implements Comparable<FlagEvent> {

    public static final String HOLD = "HOLD";
    public static final String RELEASE = "RELEASE";

    /**
     * Event order first; all other fields only so that bad data (a reused flagId) is order-free.
     */
    private static final Comparator<FlagEvent> ORDER =
            Comparator.comparing(FlagEvent::flaggedAt)
                    .thenComparing(FlagEvent::flagId)
                    .thenComparing(FlagEvent::lotCode)
                    .thenComparing(FlagEvent::action)
                    .thenComparing(FlagEvent::reason, Comparator.nullsFirst(String::compareTo))
                    .thenComparing(FlagEvent::severity, Comparator.nullsFirst(String::compareTo))
                    .thenComparing(FlagEvent::flaggedBy, Comparator.nullsFirst(String::compareTo))
                    .thenComparing(FlagEvent::reference, Comparator.nullsFirst(String::compareTo));

    public FlagEvent {
        Objects.requireNonNull(flagId, "flagId");
        Objects.requireNonNull(lotCode, "lotCode");
        Objects.requireNonNull(flaggedAt, "flaggedAt");
        if (!HOLD.equals(action) && !RELEASE.equals(action)) {
            throw new IllegalArgumentException(
                    "flag action must be HOLD or RELEASE, got "
                            + action
                            + " (flag "
                            + flagId
                            + ")");
        }
    }

    public static FlagEvent of(LotFlag flag) {
        return new FlagEvent(
                flag.getFlagId(),
                flag.getLotCode(),
                flag.getAction().name(),
                flag.getReason(),
                flag.getSeverity() == null ? null : flag.getSeverity().name(),
                flag.getFlaggedBy(),
                flag.getFlaggedAt(),
                flag.getReference());
    }

    @JsonIgnore
    public boolean isHold() {
        return HOLD.equals(action);
    }

    /** Whether this event happened after {@code other} (by flaggedAt, ties by flagId). */
    public boolean isNewerThan(FlagEvent other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(FlagEvent o) {
        return ORDER.compare(this, o);
    }
}
