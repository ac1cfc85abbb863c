package dev.batchtrace.cli.query;

import java.util.List;

/**
 * Where a lot went: every lot made from it at any depth (level 1 = made directly from it), and
 * every shipment that carried it or one of those lots, grouped by customer.
 *
 * @param tookMs time spent in the Elasticsearch calls (one term query per index)
 */
public record ForwardTrace(
        String lotCode,
        List<LotSummary> lots,
        List<CustomerShipments> customers,
        int shipmentCount,
        long tookMs) {

    public ForwardTrace {
        lots = List.copyOf(lots);
        customers = List.copyOf(customers);
    }
}
