package dev.batchtrace.cli.query;

import java.util.List;

/**
 * What went into a lot: the lot, and every ancestor lot at any depth (level 1 = direct inputs),
 * sorted by level then lot code.
 *
 * @param notIndexedLotCodes ancestors named by the lot's closure that have no {@code trace-lots}
 *     document (yet)
 * @param tookMs time spent in the Elasticsearch calls (get of the lot + mget of its ancestors)
 */
public record BackwardTrace(
        LotSummary lot, List<LotSummary> ancestors, List<String> notIndexedLotCodes, long tookMs) {

    public BackwardTrace {
        ancestors = List.copyOf(ancestors);
        notIndexedLotCodes = List.copyOf(notIndexedLotCodes);
    }

    /** The direct inputs (level 1). */
    public List<LotSummary> inputs() {
        return ancestors.stream().filter(a -> a.level() != null && a.level() == 1).toList();
    }
}
