package dev.batchtrace.cli.query;

import java.time.Instant;
import java.util.List;

/**
 * One lot as a trace shows it, read from its {@code trace-lots} document.
 *
 * @param level distance from the traced lot along the genealogy: 1 = a direct input (backward) or
 *     made directly from it (forward), 2 = one work order further, ... (the shortest chain when
 *     there are several); {@code null} for the traced lot itself and for a lot whose chain to it is
 *     not indexed yet
 * @param onHold the lot or one of its ancestors is on quality hold
 * @param qcStatus FAILED, PASSED or PENDING (the work order's or incoming checks); null when
 *     unknown
 */
public record LotSummary(
        String lotCode,
        Integer level,
        String kind,
        String materialCode,
        String materialName,
        String supplierId,
        String supplierName,
        String supplierLotCode,
        String workOrderId,
        Instant receivedAt,
        Instant producedAt,
        List<String> inputLotCodes,
        boolean onHold,
        String qcStatus) {

    public LotSummary {
        inputLotCodes = List.copyOf(inputLotCodes);
    }

    /** A lot without hold or QC facts (tests and older callers). */
    public LotSummary(
            String lotCode,
            Integer level,
            String kind,
            String materialCode,
            String materialName,
            String supplierId,
            String supplierName,
            String supplierLotCode,
            String workOrderId,
            Instant receivedAt,
            Instant producedAt,
            List<String> inputLotCodes) {
        this(
                lotCode,
                level,
                kind,
                materialCode,
                materialName,
                supplierId,
                supplierName,
                supplierLotCode,
                workOrderId,
                receivedAt,
                producedAt,
                inputLotCodes,
                false,
                null);
    }

    LotSummary withLevel(Integer newLevel) {
        return new LotSummary(
                lotCode,
                newLevel,
                kind,
                materialCode,
                materialName,
                supplierId,
                supplierName,
                supplierLotCode,
                workOrderId,
                receivedAt,
                producedAt,
                inputLotCodes,
                onHold,
                qcStatus);
    }
}
