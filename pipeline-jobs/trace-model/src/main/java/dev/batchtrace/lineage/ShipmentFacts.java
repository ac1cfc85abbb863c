package dev.batchtrace.lineage;

import dev.batchtrace.events.DispatchNote;
import java.time.Instant;
import java.util.List;

/**
 * What a dispatch note says about a shipment. Retries of a note merge to the same facts; two
 * different notes with the same dispatch id (bad data) merge field-wise, the larger value winning,
 * and the larger line list (compared line by line) winning, so the result is still order-free.
 */
public record ShipmentFacts(
        String dispatchId,
        String customerId,
        String customerName,
        String destination,
        String vehicle,
        String carrier,
        String recipient,
        Instant shippedAt,
        String salesOrder,
        String site,
        List<ShipmentLine> lines) {

    public ShipmentFacts {
        lines = lines == null ? List.of() : List.copyOf(lines);
    }

    public static ShipmentFacts of(DispatchNote n) {
        return new ShipmentFacts(
                n.getDispatchId(),
                n.getCustomerId(),
                n.getCustomerName(),
                n.getDestination(),
                n.getVehicle(),
                n.getCarrier(),
                n.getRecipient(),
                n.getShippedAt(),
                n.getSalesOrder(),
                n.getSite(),
                n.getLines().stream().map(ShipmentLine::of).toList());
    }

    public static ShipmentFacts merge(ShipmentFacts a, ShipmentFacts b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return new ShipmentFacts(
                Merge.larger(a.dispatchId, b.dispatchId),
                Merge.larger(a.customerId, b.customerId),
                Merge.larger(a.customerName, b.customerName),
                Merge.larger(a.destination, b.destination),
                Merge.larger(a.vehicle, b.vehicle),
                Merge.larger(a.carrier, b.carrier),
                Merge.larger(a.recipient, b.recipient),
                Merge.larger(a.shippedAt, b.shippedAt),
                Merge.larger(a.salesOrder, b.salesOrder),
                Merge.larger(a.site, b.site),
                compareLines(a.lines, b.lines) >= 0 ? a.lines : b.lines);
    }

    private static int compareLines(List<ShipmentLine> a, List<ShipmentLine> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
