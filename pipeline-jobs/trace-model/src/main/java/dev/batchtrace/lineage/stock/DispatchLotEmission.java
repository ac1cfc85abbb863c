package dev.batchtrace.lineage.stock;

import java.util.List;

/**
 * What stage 1 last sent for one lot of one dispatch note: the edge lot -> shipment (present and
 * its customer) and the lot's lines on the note, under one sequence number that grows with every
 * change (so the lot and the shipment keep the newest, whatever the order of delivery).
 */
public record DispatchLotEmission(
        long seq, boolean present, String customerId, List<ShipmentLine> lines) {

    public DispatchLotEmission {
        lines = lines == null ? List.of() : List.copyOf(lines);
    }
}
