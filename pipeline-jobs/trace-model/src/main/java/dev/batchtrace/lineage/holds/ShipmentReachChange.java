package dev.batchtrace.lineage.holds;

import java.util.Objects;

/**
 * One entry of the affected-shipments index changed: the shipment's closure reaches (or no longer
 * reaches) the lot {@code lotCode} through its shipped lot {@code shippedLot}. Sent by the shipment
 * when it writes its document, keyed by {@code lotCode}.
 *
 * @param lotCode a lot whose entry is in the shipped lot's announcement (itself, an ancestor, a
 *     hub)
 */
public record ShipmentReachChange(
        String lotCode, String dispatchId, String shippedLot, boolean present) {

    public ShipmentReachChange {
        Objects.requireNonNull(lotCode, "lotCode");
        Objects.requireNonNull(dispatchId, "dispatchId");
        Objects.requireNonNull(shippedLot, "shippedLot");
    }
}
