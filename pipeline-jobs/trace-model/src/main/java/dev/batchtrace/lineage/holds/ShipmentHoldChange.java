package dev.batchtrace.lineage.holds;

import java.util.List;
import java.util.Objects;

/**
 * The index's side of a shipment's holds ({@link HoldAlerts#shipmentAlerts(String,
 * dev.batchtrace.lineage.stock.ShipmentFacts, java.util.Collection, java.util.Collection)}): a hold
 * that the entry of {@code lotCode} carries reaches the shipment through these shipped lots, or no
 * longer does. Keyed by {@code dispatchId}.
 *
 * @param lotCode the lot whose entry carries the hold (the flagged lot, or a hub above it): two
 *     entries may bring the same hold, and each is counted on its own
 */
public record ShipmentHoldChange(
        String dispatchId,
        String lotCode,
        HoldEntry hold,
        List<String> shippedLots,
        boolean present) {

    public ShipmentHoldChange {
        Objects.requireNonNull(dispatchId, "dispatchId");
        Objects.requireNonNull(lotCode, "lotCode");
        Objects.requireNonNull(hold, "hold");
        shippedLots = shippedLots == null ? List.of() : List.copyOf(shippedLots);
    }
}
