package dev.batchtrace.cli.query;

import java.util.List;

/**
 * The lot a recall starts from: its facts, holds and mass balance.
 *
 * @param balance null when its document has no {@code balance} yet
 * @param unitCost from its goods receipt, in {@code currency}; null when unknown
 */
public record FlaggedLot(
        LotSummary facts,
        Double quantity,
        String unit,
        boolean onHold,
        List<Hold> holds,
        MassBalance balance,
        ShareAccounted shareAccounted,
        Double unitCost,
        String currency) {

    public FlaggedLot {
        holds = List.copyOf(holds);
    }
}
