package dev.batchtrace.cli.query;

/**
 * A lot with the facts an export needs besides its summary: quantity, site, line and mass balance
 * (whose {@code consumedBy} says how much of it each work order used).
 *
 * @param balance null when its document has no {@code balance} yet
 */
public record LotRecord(
        LotSummary lot,
        Double quantity,
        String unit,
        String site,
        String lineId,
        MassBalance balance) {}
