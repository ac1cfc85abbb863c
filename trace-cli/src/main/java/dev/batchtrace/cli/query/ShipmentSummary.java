package dev.batchtrace.cli.query;

import java.time.Instant;
import java.util.List;

/**
 * One dispatch note as an answer shows it, read from its {@code trace-shipments} document.
 *
 * @param lotCodes every lot the shipment carried
 * @param matchedLotCodes the lots through which the shipment answers the question: in a forward
 *     trace, the shipped lots that are the traced lot or were made from it; for "customers of
 *     supplier X's lot Y", our lot codes of that supplier lot among the shipment's ancestors; for
 *     "customers of lot L", L
 */
public record ShipmentSummary(
        String dispatchId,
        String customerId,
        String customerName,
        String destination,
        Instant shippedAt,
        List<String> lotCodes,
        List<String> matchedLotCodes) {

    public ShipmentSummary {
        lotCodes = List.copyOf(lotCodes);
        matchedLotCodes = List.copyOf(matchedLotCodes);
    }
}
