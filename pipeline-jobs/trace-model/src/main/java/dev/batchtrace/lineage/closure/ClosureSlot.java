package dev.batchtrace.lineage.closure;

import dev.batchtrace.lineage.Merge;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One lot of a node's closure, as the node keeps it: the newest content any parent brought ({@link
 * AncestorEntry#newer}) and, per depth, how many current parents bring it at that depth (parent's
 * depth + 1). The closure entry is the content at the smallest depth with a count; the slot goes
 * when no parent brings the lot any more. Counting per depth is what lets one parent's change be
 * applied without reading the other parents (a silo lot has thousands).
 *
 * @param entry the newest content, its depth the smallest counted depth
 * @param counts depth -> number of current parents that bring the lot at that depth (all > 0)
 */
public record ClosureSlot(AncestorEntry entry, SortedMap<Integer, Integer> counts) {

    public ClosureSlot {
        Objects.requireNonNull(entry, "entry");
        counts = Merge.frozen(counts);
        if (counts.isEmpty()) {
            throw new IllegalArgumentException("a closure slot needs a count: " + entry.lotCode());
        }
    }

    /**
     * The slot after one parent stopped bringing {@code removed} and/or started bringing {@code
     * added} (either may be null; depths are already the node's: parent's + 1), or null when no
     * parent brings the lot any more.
     */
    public static ClosureSlot apply(ClosureSlot slot, AncestorEntry removed, AncestorEntry added) {
        TreeMap<Integer, Integer> counts =
                slot == null ? new TreeMap<>() : new TreeMap<>(slot.counts);
        if (removed != null) {
            counts.computeIfPresent(removed.depth(), (d, n) -> n > 1 ? n - 1 : null);
        }
        if (added != null) {
            counts.merge(added.depth(), 1, Integer::sum);
        }
        if (counts.isEmpty()) {
            return null;
        }
        AncestorEntry content = slot == null ? added : slot.entry;
        if (added != null) {
            content = added.newer(content);
        }
        return new ClosureSlot(content.withDepth(counts.firstKey()), counts);
    }
}
