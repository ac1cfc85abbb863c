package dev.batchtrace.cli.query;

import java.util.List;

/**
 * A lot with the facts an export needs besides its summary: quantity, site, line and mass balance
 * (whose {@code consumedBy} says how much of it each work order used).
 *
 * @param balance null when its document has no {@code balance} yet
 * @param receiptIds the goods receipts of a bought lot ({@code receiptIds} of its document), empty
 *     when the document does not carry them
 */
public record LotRecord(
        LotSummary lot,
        Double quantity,
        String unit,
        String site,
        String lineId,
        MassBalance balance,
        List<String> receiptIds) {

    public LotRecord {
        receiptIds = receiptIds == null ? List.of() : List.copyOf(receiptIds);
    }

    /** A lot whose document names no goods receipt. */
    public LotRecord(
            LotSummary lot,
            Double quantity,
            String unit,
            String site,
            String lineId,
            MassBalance balance) {
        this(lot, quantity, unit, site, lineId, balance, List.of());
    }
}
