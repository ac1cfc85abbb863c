package dev.batchtrace.lineage.holds;

import dev.batchtrace.lineage.Merge;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The flag events of one lot that still matter: the newest RELEASE and every HOLD newer than it. A
 * RELEASE lifts every older hold of the lot; holds after it all apply at once (two complaints, two
 * flags). A HOLD older than the newest RELEASE (late, or redelivered) is dropped on arrival, so it
 * never re-holds.
 *
 * <p>{@link #with} is a join (commutative, associative, idempotent): the state depends on the set
 * of flag events seen, not on their order or on duplicates.
 *
 * @param release the newest RELEASE, or null
 * @param holds HOLDs newer than {@code release}, sorted, one per flagId
 */
public record FlagHistory(FlagEvent release, List<FlagEvent> holds) {

    public static final FlagHistory EMPTY = new FlagHistory(null, List.of());

    public FlagHistory {
        holds = holds == null ? List.of() : List.copyOf(holds);
    }

    /** This history after one more flag event of the same lot. */
    public FlagHistory with(FlagEvent event) {
        FlagEvent newestRelease = release;
        if (!event.isHold() && (release == null || event.isNewerThan(release))) {
            newestRelease = event;
        }
        TreeMap<String, FlagEvent> byId = new TreeMap<>();
        List<FlagEvent> candidates = new ArrayList<>(holds);
        if (event.isHold()) {
            candidates.add(event);
        }
        for (FlagEvent h : candidates) {
            if (newestRelease == null || h.isNewerThan(newestRelease)) {
                // a reused flagId (bad data): the larger event wins, whatever the order
                byId.merge(h.flagId(), h, Merge::larger);
            }
        }
        return new FlagHistory(newestRelease, new ArrayList<>(byId.values()));
    }

    public static FlagHistory orEmpty(FlagHistory history) {
        return history == null ? EMPTY : history;
    }
}
