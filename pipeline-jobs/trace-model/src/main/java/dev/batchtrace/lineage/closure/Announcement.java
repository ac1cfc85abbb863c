package dev.batchtrace.lineage.closure;

import dev.batchtrace.lineage.holds.HoldEntry;
import java.util.List;

/**
 * A node's closure as it announces it (its ancestors plus, for a lot, itself at depth 0), with the
 * version that orders its announcements. Also the type of the per-sender contribution slots.
 *
 * @param entries sorted by lot code, one per lot
 * @param holds the holds that apply to the node, sorted: for a lot one per hold (route ending at
 *     the lot), for a shipment one per hold and shipped lot; empty in state written before holds
 *     existed
 */
public record Announcement(long version, List<AncestorEntry> entries, List<HoldEntry> holds) {

    public Announcement {
        entries = entries == null ? List.of() : List.copyOf(entries);
        holds = holds == null ? List.of() : List.copyOf(holds);
    }

    /** An announcement without holds (the lineage-only form). */
    public Announcement(long version, List<AncestorEntry> entries) {
        this(version, entries, List.of());
    }

    /** Same closure and holds (versions aside). */
    public boolean sameContent(List<AncestorEntry> otherEntries, List<HoldEntry> otherHolds) {
        return entries.equals(otherEntries) && holds.equals(otherHolds);
    }
}
