package dev.batchtrace.cli.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The shipments of one customer in an answer, oldest first. */
public record CustomerShipments(
        String customerId, String customerName, List<ShipmentSummary> shipments) {

    private static final Comparator<ShipmentSummary> OLDEST_FIRST =
            Comparator.comparing(
                            ShipmentSummary::shippedAt,
                            Comparator.nullsLast(Comparator.naturalOrder()))
                    .thenComparing(ShipmentSummary::dispatchId);

    public CustomerShipments {
        shipments = List.copyOf(shipments);
    }

    /** Groups shipments by customer id (customers sorted by id; no id sorts last as "-"). */
    static List<CustomerShipments> group(List<ShipmentSummary> shipments) {
        Map<String, List<ShipmentSummary>> byCustomer =
                new TreeMap<>(Comparator.nullsLast(Comparator.naturalOrder()));
        for (ShipmentSummary shipment : shipments) {
            byCustomer
                    .computeIfAbsent(shipment.customerId(), id -> new ArrayList<>())
                    .add(shipment);
        }
        List<CustomerShipments> customers = new ArrayList<>();
        for (Map.Entry<String, List<ShipmentSummary>> customer : byCustomer.entrySet()) {
            List<ShipmentSummary> sorted = new ArrayList<>(customer.getValue());
            sorted.sort(OLDEST_FIRST);
            String name =
                    sorted.stream()
                            .map(ShipmentSummary::customerName)
                            .filter(n -> n != null)
                            .reduce((first, later) -> later)
                            .orElse(null);
            customers.add(new CustomerShipments(customer.getKey(), name, sorted));
        }
        return List.copyOf(customers);
    }
}
