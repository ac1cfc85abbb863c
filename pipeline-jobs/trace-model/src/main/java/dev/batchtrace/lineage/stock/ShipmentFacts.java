package dev.batchtrace.lineage.stock;

import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.lineage.Merge;
import java.time.Instant;
import java.util.List;

/**
 * What a dispatch note says about a shipment. Of the notes with one dispatch id the highest {@code
 * revision} wins whole (issue 10: a corrected note replaces the lines, customer and status; a
 * CANCELLED one takes the shipment back). Retries of a note merge to the same facts; two different
 * notes with the same dispatch id and revision (bad data) merge field-wise, the larger value
 * winning, the larger line list (compared line by line) winning and CANCELLED beating SHIPPED, so
 * the result is still order-free.
 *
 * @param revision the note's revision (0: the original)
 * @param status {@link #SHIPPED} or {@link #CANCELLED}; null reads as SHIPPED (older state)
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
        List<ShipmentLine> lines,
        int revision,
        String status) {

    public static final String SHIPPED = "SHIPPED";
    public static final String CANCELLED = "CANCELLED";

    public ShipmentFacts {
        lines = lines == null ? List.of() : List.copyOf(lines);
        status = status == null ? SHIPPED : status;
    }

    /** Whether the shipment was taken back: no lines count, no document. */
    public boolean cancelled() {
        return CANCELLED.equals(status);
    }

    /** The facts without the lines' serials (what goes to the shipment node). */
    public ShipmentFacts withoutSerials() {
        return new ShipmentFacts(
                dispatchId,
                customerId,
                customerName,
                destination,
                vehicle,
                carrier,
                recipient,
                shippedAt,
                salesOrder,
                site,
                lines.stream().map(ShipmentLine::withoutSerials).toList(),
                revision,
                status);
    }

    /** The lines that stand: none when cancelled. */
    public List<ShipmentLine> standingLines() {
        return cancelled() ? List.of() : lines;
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
                n.getLines().stream().map(ShipmentLine::of).toList(),
                n.getRevision(),
                n.getStatus() == null ? SHIPPED : n.getStatus().name());
    }

    public static ShipmentFacts merge(ShipmentFacts a, ShipmentFacts b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        if (a.revision != b.revision) {
            return a.revision > b.revision ? a : b;
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
                compareLines(a.lines, b.lines) >= 0 ? a.lines : b.lines,
                a.revision,
                a.cancelled() || b.cancelled() ? CANCELLED : SHIPPED);
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
