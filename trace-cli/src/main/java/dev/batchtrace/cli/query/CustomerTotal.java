package dev.batchtrace.cli.query;

import java.time.Instant;
import java.util.List;

/**
 * One customer of an answer in full, whatever page of its shipments the answer shows: how many
 * shipments it received and when the first and the last left.
 *
 * @param customerId the customer id of the dispatch notes, or {@code null} for notes without one
 */
public record CustomerTotal(
        String customerId,
        String customerName,
        long shipments,
        Instant firstShipped,
        Instant lastShipped) {

    /** The totals of an answer that shows every shipment. */
    static List<CustomerTotal> of(List<CustomerShipments> customers) {
        return customers.stream()
                .map(
                        c ->
                                new CustomerTotal(
                                        c.customerId(),
                                        c.customerName(),
                                        c.shipments().size(),
                                        c.shipments().isEmpty()
                                                ? null
                                                : c.shipments().get(0).shippedAt(),
                                        c.shipments().stream()
                                                .map(ShipmentSummary::shippedAt)
                                                .filter(t -> t != null)
                                                .max(Instant::compareTo)
                                                .orElse(null)))
                .toList();
    }
}
