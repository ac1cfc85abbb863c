package dev.batchtrace.cli.query;

import java.time.Instant;
import java.util.List;

/**
 * A lot made from the flagged lot, at any depth.
 *
 * @param level 1 = made directly from the flagged lot, 2 = one work order further, ...; null when
 *     its chain to the flagged lot is not indexed yet
 * @param remaining stock to quarantine: {@code balance.remaining}, in {@code unit}; null when
 *     unknown (no balance yet, unit mismatch or unknown quantity)
 * @param unitMismatch the balance has quantities in another unit (see its document)
 * @param unitCost from its goods receipt, in {@code currency}; null when unknown (produced lots)
 */
public record AffectedLot(
        String lotCode,
        Integer level,
        String kind,
        String materialCode,
        String materialName,
        String workOrderId,
        Instant producedAt,
        List<String> inputLotCodes,
        Double quantity,
        String unit,
        Double remaining,
        boolean unitMismatch,
        boolean onHold,
        Double unitCost,
        String currency) {

    public AffectedLot {
        inputLotCodes = List.copyOf(inputLotCodes);
    }

    AffectedLot withLevel(Integer newLevel) {
        return new AffectedLot(
                lotCode,
                newLevel,
                kind,
                materialCode,
                materialName,
                workOrderId,
                producedAt,
                inputLotCodes,
                quantity,
                unit,
                remaining,
                unitMismatch,
                onHold,
                unitCost,
                currency);
    }
}
