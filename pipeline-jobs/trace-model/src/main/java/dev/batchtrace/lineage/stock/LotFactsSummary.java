package dev.batchtrace.lineage.stock;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * A lot's facts without their sources (issue 9: a silo lot filled 20,000 times has 20,000 sources):
 * the flat facts {@link LotFacts#of} derives, and the exact sum of the quantities. Kept beside one
 * store entry per source, so that a new source costs one entry and a join into the summary, not a
 * rewrite of every source. Only a change that is not a join (a receipt, whose identity is chosen
 * among the receipts; a corrected revision; a reversal) derives the summary again from every
 * source. {@link LotFactsSummaryTest} checks it against {@link LotFacts#merge}.
 *
 * @param facts the flat facts, without quantities and sources
 * @param quantity the sum of every live source's quantity, exactly; null when none has one
 */
public record LotFactsSummary(LotFacts facts, BigDecimal quantity) {

    public LotFactsSummary {
        quantity = quantity == null ? null : quantity.stripTrailingZeros();
    }

    /** The store's pieces a merge reads and writes: one entry per source key. */
    public interface Sources {
        LotSource source(String key);

        void putSource(String key, LotSource source);

        Iterable<Map.Entry<String, LotSource>> sources();
    }

    /**
     * The summary of all sources, or null when no source is live (never any, or every output
     * reversed: as {@link LotFacts#nothingKnown()}).
     */
    public static LotFactsSummary of(Iterable<Map.Entry<String, LotSource>> sources) {
        TreeMap<String, LotSource> all = new TreeMap<>();
        boolean live = false;
        for (Map.Entry<String, LotSource> e : sources) {
            all.put(e.getKey(), e.getValue());
            live |= isLive(e.getValue());
        }
        if (!live) {
            return null;
        }
        LotFacts facts = LotFacts.of(all);
        return new LotFactsSummary(facts.flatWithoutQuantities(), LotFacts.exactSum(facts));
    }

    /** The facts as documents and alerts read them: flat, the quantity as one total. */
    public LotFacts asFacts() {
        return facts.withTotal(quantity == null ? null : quantity.doubleValue());
    }

    /**
     * Merges {@code delta}'s sources into the store's and the summary.
     *
     * @param summary the summary before (null: no live source)
     * @return the summary after (equal to {@code summary} when nothing it shows changed)
     */
    public static LotFactsSummary merge(LotFactsSummary summary, Sources sources, LotFacts delta) {
        LotFactsSummary next = summary;
        boolean whole = false;
        for (Map.Entry<String, LotSource> d : LotFacts.sourcesOf(delta).entrySet()) {
            LotSource before = sources.source(d.getKey());
            LotSource after = before == null ? d.getValue() : LotSource.merge(before, d.getValue());
            if (after.equals(before)) {
                continue;
            }
            sources.putSource(d.getKey(), after);
            if (whole || (!isLive(before) && !isLive(after))) {
                continue;
            }
            if (isJoin(before, after)) {
                next = next == null ? firstOf(after) : next.plus(before, after);
            } else {
                whole = true;
            }
        }
        return whole ? of(sources.sources()) : next;
    }

    private static boolean isLive(LotSource s) {
        return s != null && !s.reversed() && s.facts() != null;
    }

    /**
     * Whether {@code after} only adds to what {@code before} said, so that the summary after is the
     * summary before joined with it: a new or grown output source. Receipts are not (the lot's
     * identity is one chosen receipt's), nor a higher revision or a reversal (they take away).
     */
    private static boolean isJoin(LotSource before, LotSource after) {
        if (!isLive(after) || LotFacts.PURCHASED.equals(after.facts().kind())) {
            return false;
        }
        if (before == null) {
            return true;
        }
        return isLive(before)
                && before.revision() == after.revision()
                && !LotFacts.PURCHASED.equals(before.facts().kind());
    }

    private static LotFactsSummary firstOf(LotSource source) {
        return new LotFactsSummary(
                source.facts().flatWithoutQuantities(), LotFacts.exactSum(source.facts()));
    }

    private LotFactsSummary plus(LotSource before, LotSource after) {
        BigDecimal added = LotFacts.exactSum(after.facts());
        BigDecimal removed = isLive(before) ? LotFacts.exactSum(before.facts()) : null;
        BigDecimal q = quantity;
        if (added != null) {
            q = q == null ? added : q.add(added);
        }
        if (removed != null) {
            q = q.subtract(removed);
        }
        return new LotFactsSummary(
                LotFacts.mergeFlat(facts, after.facts().flatWithoutQuantities()), q);
    }
}
