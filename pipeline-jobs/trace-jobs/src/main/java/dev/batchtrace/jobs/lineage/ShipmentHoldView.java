package dev.batchtrace.jobs.lineage;

import dev.batchtrace.lineage.holds.HoldEntry;
import dev.batchtrace.lineage.stock.ShipmentFacts;
import java.util.List;
import java.util.Objects;

/**
 * What a shipment's node knows of its alerts, sent to {@link ShipmentAlertsFunction} when it
 * changes: the dispatch note's facts and the holds its closure brings ({@link
 * dev.batchtrace.lineage.holds.HoldAlerts#shipmentHolds}).
 *
 * @param facts null until the dispatch note is known (no alert before)
 * @param adopted alerts the node itself raised before state version 10 (when a shipment's alerts
 *     were raised there), handed over once so they keep their id and raisedAt
 */
public record ShipmentHoldView(
        String dispatchId,
        ShipmentFacts facts,
        List<HoldEntry> closureHolds,
        List<RaisedAlert> adopted) {

    public ShipmentHoldView {
        Objects.requireNonNull(dispatchId, "dispatchId");
        closureHolds = closureHolds == null ? List.of() : List.copyOf(closureHolds);
        adopted = adopted == null ? List.of() : List.copyOf(adopted);
    }

    /** The part that decides alerts (what the node compares to know whether to send again). */
    ShipmentHoldView withoutAdopted() {
        return adopted.isEmpty()
                ? this
                : new ShipmentHoldView(dispatchId, facts, closureHolds, null);
    }
}
