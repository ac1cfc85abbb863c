package dev.batchtrace.lineage.closure;

import dev.batchtrace.lineage.holds.HoldEntry;
import dev.batchtrace.lineage.stock.LotFacts;
import java.util.List;
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
 * @param hub whether the lot is a closure hub (see package-info): its own ancestors are not copied
 *     into its descendants' closures but kept once, in its closure member documents
 * @param rev the revision of the lot's own entry (facts, holds, hub), counted by the lot itself: of
 *     two copies that reach a node by different paths the higher revision is the newer
 * @param holds the holds the entry carries: a plain lot its own active holds; a hub every hold that
 *     applies to it (its own and those of its whole closure), since its closure does not travel
 */
public record AncestorEntry(
        String lotCode,
        String materialCode,
        String supplierId,
        String supplierLotCode,
        int depth,
        boolean hub,
        long rev,
        List<HoldEntry> holds)
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
        holds = holds == null ? List.of() : List.copyOf(holds);
    }

    /** A plain entry (not a hub, no holds, revision 0). */
    public AncestorEntry(
            String lotCode,
            String materialCode,
            String supplierId,
            String supplierLotCode,
            int depth) {
        this(lotCode, materialCode, supplierId, supplierLotCode, depth, false, 0, List.of());
    }

    /** The same lot with the same facts, hub and holds (depth and revision aside). */
    public boolean sameContent(AncestorEntry o) {
        return o != null
                && lotCode.equals(o.lotCode)
                && hub == o.hub
                && Objects.equals(materialCode, o.materialCode)
                && Objects.equals(supplierId, o.supplierId)
                && Objects.equals(supplierLotCode, o.supplierLotCode)
                && holds.equals(o.holds);
    }

    /** Of two copies of one lot's entry, the newer content (higher revision), at this depth. */
    public AncestorEntry newer(AncestorEntry o) {
        return o == null || rev >= o.rev ? this : o.withDepth(depth);
    }

    /** The entry a lot announces about itself. */
    public static AncestorEntry self(String lotCode, LotFacts facts) {
        if (facts == null) {
            return new AncestorEntry(lotCode, null, null, null, 0);
        }
        return new AncestorEntry(
                lotCode, facts.materialCode(), facts.supplierId(), facts.supplierLotCode(), 0);
    }

    public AncestorEntry withRev(long newRev) {
        return new AncestorEntry(
                lotCode, materialCode, supplierId, supplierLotCode, depth, hub, newRev, holds);
    }

    public AncestorEntry withDepth(int newDepth) {
        return newDepth == depth
                ? this
                : new AncestorEntry(
                        lotCode,
                        materialCode,
                        supplierId,
                        supplierLotCode,
                        newDepth,
                        hub,
                        rev,
                        holds);
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
