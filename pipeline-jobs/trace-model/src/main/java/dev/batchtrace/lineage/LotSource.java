package dev.batchtrace.lineage;

/**
 * What one source event (a goods receipt by receiptId, an output by eventId) says about a lot.
 * Merged as a join, so order and duplicates do not matter: a tombstone (the output was reversed)
 * absorbs everything; otherwise the higher revision wins whole (a corrected receipt replaces the
 * earlier one, not field by field); equal revisions merge field-wise (retries, or the output and
 * its work order's run window, which share the output's source).
 *
 * @param revision the receipt's revision (0 for outputs and original receipts)
 * @param reversed whether the source was taken back (then {@code facts} is null)
 * @param facts flat facts of the source
 */
public record LotSource(int revision, boolean reversed, LotFacts facts) {

    /** A reversed output. */
    public static final LotSource REVERSED = new LotSource(0, true, null);

    public static LotSource of(int revision, LotFacts facts) {
        return new LotSource(revision, false, facts);
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
        return new LotSource(a.revision, false, LotFacts.mergeFlat(a.facts, b.facts));
    }
}
