package dev.batchtrace.lineage.stock;

/**
 * What one source event (a goods receipt by receiptId, an output by eventId) says about a lot.
 * Merged as a join, so order and duplicates do not matter: a tombstone (the output was reversed)
 * absorbs everything; otherwise the higher revision wins whole (a corrected receipt replaces the
 * earlier one, not field by field); of equal revisions a {@link #moved} one wins (the receipt's
 * revision names another lot), others merge field-wise (retries, or the output and its work order's
 * run window, which share the output's source).
 *
 * @param revision the receipt's revision (0 for outputs and original receipts)
 * @param reversed whether the source was taken back (then {@code facts} is null)
 * @param facts flat facts of the source; null and not reversed: {@link #moved}
 */
public record LotSource(int revision, boolean reversed, LotFacts facts) {

    /** A reversed output. */
    public static final LotSource REVERSED = new LotSource(0, true, null);

    public static LotSource of(int revision, LotFacts facts) {
        return new LotSource(revision, false, facts);
    }

    /**
     * The receipt's {@code revision} names another lot (a corrected lot code): from this revision
     * on it says nothing about this one.
     */
    public static LotSource moved(int revision) {
        return new LotSource(revision, false, null);
    }

    public boolean isMoved() {
        return !reversed && facts == null;
    }

    public static LotSource merge(LotSource a, LotSource b) {
        if (a.reversed) {
            return a;
        }
        if (b.reversed) {
            return b;
        }
        if (a.revision != b.revision) {
            return a.revision > b.revision ? a : b;
        }
        if (a.isMoved()) {
            return a;
        }
        if (b.isMoved()) {
            return b;
        }
        return new LotSource(a.revision, false, LotFacts.mergeFlat(a.facts, b.facts));
    }
}
