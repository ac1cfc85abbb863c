package dev.batchtrace.cli.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CustomerShipmentsTest {

    static ShipmentSummary shipment(String id, String customer, String shippedAt) {
        return new ShipmentSummary(
                id,
                customer,
                customer == null ? null : "Name of " + customer,
                "Ulm",
                shippedAt == null ? null : Instant.parse(shippedAt),
                List.of("F1"),
                List.of("F1"));
    }

    @Test
    void groupsByCustomerIdWithShipmentsOldestFirst() {
        List<CustomerShipments> customers =
                CustomerShipments.group(
                        List.of(
                                shipment("D3", "C2", "2026-11-02T12:00:00Z"),
                                shipment("D1", "C1", "2026-11-02T10:00:00Z"),
                                shipment("D2", "C2", "2026-11-02T09:00:00Z"),
                                shipment("D4", "C2", null),
                                shipment("D5", null, "2026-11-02T08:00:00Z")));

        assertEquals(3, customers.size());
        assertEquals("C1", customers.get(0).customerId());
        assertEquals("Name of C1", customers.get(0).customerName());
        assertEquals("C2", customers.get(1).customerId());
        assertEquals(
                List.of("D2", "D3", "D4"),
                customers.get(1).shipments().stream().map(ShipmentSummary::dispatchId).toList(),
                "undated last");
        assertEquals(null, customers.get(2).customerId(), "a shipment without customer last");
    }
}
