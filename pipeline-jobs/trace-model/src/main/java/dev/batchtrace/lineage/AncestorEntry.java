package dev.batchtrace.lineage;

import java.util.Objects;

/**
 * One lot of a closure, as seen from the node holding it.
 *
 * @param lotCode the ancestor lot
 * @param materialCode its material, when known
 * @param supplierId its supplier (purchased lots), when known
 * @param supplierLotCode the supplier's own lot code, when known
 * @param depth hops from the holder: 0 = the holder itself (only in announcements), 1 = direct
 *     input, 2 = input of an input ... the shortest path when several exist. Bounded by {@link
 *     #MAX_DEPTH} so that entries kept alive only by a cycle in bad data die out.
 */
public record AncestorEntry(
        String lotCode, String materialCode, String supplierId, String supplierLotCode, int depth)
        implements Comparable<AncestorEntry> {

    /**
     * Deepest genealogy kept (real plants have 2 to 6 levels). A cycle in bad data can keep a
     * removed ancestor alive by passing it round the loop; its depth grows on every lap, and at
     * this bound it is dropped, so removals converge even through cycles (as in distance-vector
     * routing with a bounded "infinity").
     */
    public static final int MAX_DEPTH = 64;

    public AncestorEntry {
        Objects.requireNonNull(lotCode, "lotCode");
        if (depth < 0) {
            throw new IllegalArgumentException("depth must be >= 0: " + depth);
        }
    }

    /** The entry a lot announces about itself. */
    public static AncestorEntry self(String lotCode, LotFacts facts) {
        if (facts == null) {
            return new AncestorEntry(lotCode, null, null, null, 0);
        }
        return new AncestorEntry(
                lotCode, facts.materialCode(), facts.supplierId(), facts.supplierLotCode(), 0);
    }

    public AncestorEntry withDepth(int newDepth) {
        return new AncestorEntry(lotCode, materialCode, supplierId, supplierLotCode, newDepth);
    }

    /**
     * Same lot reached by two paths: the shortest one's fields (ties: merged as facts are). The
     * shortest path is the fresh one after a correction of the lot's facts (issue 10); a longer
     * path through a cycle of bad data may still carry the old value and must not keep it alive.
     */
    public AncestorEntry merge(AncestorEntry other) {
        if (!lotCode.equals(other.lotCode)) {
            throw new IllegalArgumentException(
                    "cannot merge entries of different lots: " + lotCode + ", " + other.lotCode);
        }
        if (depth != other.depth) {
            return depth < other.depth ? this : other;
        }
        return new AncestorEntry(
                lotCode,
                Merge.larger(materialCode, other.materialCode),
                Merge.larger(supplierId, other.supplierId),
                Merge.larger(supplierLotCode, other.supplierLotCode),
                Math.min(depth, other.depth));
    }

    /** "supplierId/supplierLotCode" when both are known, else null. */
    public String supplierLot() {
        return supplierId != null && supplierLotCode != null
                ? supplierId + "/" + supplierLotCode
                : null;
    }

    @Override
    public int compareTo(AncestorEntry o) {
        return lotCode.compareTo(o.lotCode);
    }
}
