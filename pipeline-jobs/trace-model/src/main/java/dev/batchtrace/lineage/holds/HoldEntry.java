package dev.batchtrace.lineage.holds;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A hold that applies to a node, as the node sees it: which flag, on which lot, and the route it
 * took. Holds ride the closure path: a lot announces its effective holds with {@code path} ending
 * at itself; a child lot appends itself; a shipment keeps its shipped lots' entries as they are
 * (one per flag and shipped lot).
 *
 * @param flagId the HOLD event
 * @param lotCode the flagged lot
 * @param since when the hold was set (the flag's flaggedAt)
 * @param path lot codes from the flagged lot to the lot holding the entry (a shipment: to the
 *     shipped lot), both included; of several routes the shortest, ties by the smaller lot codes in
 *     order (as a breadth-first search that visits lot codes in sorted order finds it)
 */
public record HoldEntry(
        String flagId,
        String lotCode,
        String reason,
        String severity,
        String flaggedBy,
        Instant since,
        String reference,
        List<String> path)
        implements Comparable<HoldEntry> {

    /** Shorter routes first, then the smaller lot codes, element by element. */
    public static final Comparator<List<String>> ROUTE_ORDER =
            (a, b) -> {
                if (a.size() != b.size()) {
                    return Integer.compare(a.size(), b.size());
                }
                for (int i = 0; i < a.size(); i++) {
                    int c = a.get(i).compareTo(b.get(i));
                    if (c != 0) {
                        return c;
                    }
                }
                return 0;
            };

    private static final Comparator<HoldEntry> ORDER =
            Comparator.comparing(HoldEntry::lotCode)
                    .thenComparing(HoldEntry::flagId)
                    .thenComparing(HoldEntry::path, ROUTE_ORDER)
                    // the rest only for bad data (one flagId, two contents): order-free anyway
                    .thenComparing(HoldEntry::since, Comparator.nullsFirst(Instant::compareTo))
                    .thenComparing(HoldEntry::reason, Comparator.nullsFirst(String::compareTo))
                    .thenComparing(HoldEntry::severity, Comparator.nullsFirst(String::compareTo))
                    .thenComparing(HoldEntry::flaggedBy, Comparator.nullsFirst(String::compareTo))
                    .thenComparing(HoldEntry::reference, Comparator.nullsFirst(String::compareTo));

    public HoldEntry {
        Objects.requireNonNull(flagId, "flagId");
        Objects.requireNonNull(lotCode, "lotCode");
        path = path == null || path.isEmpty() ? List.of(lotCode) : List.copyOf(path);
    }

    /** The hold a HOLD event puts on its own lot. */
    public static HoldEntry of(FlagEvent hold) {
        return new HoldEntry(
                hold.flagId(),
                hold.lotCode(),
                hold.reason(),
                hold.severity(),
                hold.flaggedBy(),
                hold.flaggedAt(),
                hold.reference(),
                List.of(hold.lotCode()));
    }

    /** Hops from the flagged lot (0 = the flagged lot itself). */
    public int depth() {
        return path.size() - 1;
    }

    /** The lot at the end of the route: the holder, or for a shipment the shipped lot. */
    public String lastLot() {
        return path.get(path.size() - 1);
    }

    /** Identity of the hold regardless of route: "lotCode/flagId". */
    public String holdKey() {
        return lotCode + "/" + flagId;
    }

    public HoldEntry withPath(List<String> newPath) {
        return new HoldEntry(
                flagId, lotCode, reason, severity, flaggedBy, since, reference, newPath);
    }

    /** The same hold one lot further down. */
    public HoldEntry extendedTo(String lot) {
        List<String> longer = new java.util.ArrayList<>(path);
        longer.add(lot);
        return withPath(longer);
    }

    /** Same hold reached by two routes: the preferred route ({@link #ROUTE_ORDER}). */
    public HoldEntry preferred(HoldEntry other) {
        return compareTo(other) <= 0 ? this : other;
    }

    @Override
    public int compareTo(HoldEntry o) {
        return ORDER.compare(this, o);
    }
}
