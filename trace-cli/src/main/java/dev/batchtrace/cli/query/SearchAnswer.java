package dev.batchtrace.cli.query;

import java.util.List;

/**
 * What a search box text matches: lots (lot code, supplier lot "SUPPLIER/LOT", supplier lot code,
 * work order, material, supplier) and shipments (dispatch id, customer, destination, shipped lot,
 * supplier lot "SUPPLIER/LOT" upstream), best matches first.
 *
 * @param lotTotal all matching lots; {@code lots} holds at most the requested number
 * @param shipmentTotal all matching shipments
 * @param tookMs time spent in the Elasticsearch calls
 */
public record SearchAnswer(
        String text,
        List<LotSummary> lots,
        long lotTotal,
        List<ShipmentSummary> shipments,
        long shipmentTotal,
        long tookMs) {

    public SearchAnswer {
        lots = List.copyOf(lots);
        shipments = List.copyOf(shipments);
    }
}
