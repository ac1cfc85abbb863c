package dev.batchtrace.lineage;

import java.util.List;

/**
 * A node's closure as it announces it (its ancestors plus, for a lot, itself at depth 0), with the
 * version that orders its announcements. Also the type of the per-sender contribution slots.
 *
 * @param entries sorted by lot code, one per lot
 */
public record Announcement(long version, List<AncestorEntry> entries) {

    public Announcement {
        entries = entries == null ? List.of() : List.copyOf(entries);
    }
}
