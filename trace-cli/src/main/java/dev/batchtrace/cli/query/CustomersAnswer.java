package dev.batchtrace.cli.query;

import java.util.List;

/**
 * "Which customers received product made from supplier X's lot Y" (or from our lot L).
 *
 * @param supplierId X, or {@code null} when asked by our lot code
 * @param supplierLotCode Y, or {@code null} when asked by our lot code
 * @param lotCode L, or {@code null} when asked by supplier lot
 * @param kql the same question as a Kibana query on {@code trace-shipments}
 * @param customers the shipments shown, by customer: all of them, or the first page of a large
 *     answer (by customer, then oldest first)
 * @param shipmentCount every matching shipment, shown or not
 * @param tookMs time spent in the Elasticsearch calls
 * @param customerTotals every customer, with its shipment count and first and last shipment date,
 *     also when only a page of the shipments is shown
 */
public record CustomersAnswer(
        String supplierId,
        String supplierLotCode,
        String lotCode,
        String kql,
        List<CustomerShipments> customers,
        int shipmentCount,
        long tookMs,
        List<CustomerTotal> customerTotals) {

    public CustomersAnswer {
        customers = List.copyOf(customers);
        customerTotals = List.copyOf(customerTotals);
    }

    /** An answer that shows every shipment: the totals follow from them. */
    public CustomersAnswer(
            String supplierId,
            String supplierLotCode,
            String lotCode,
            String kql,
            List<CustomerShipments> customers,
            int shipmentCount,
            long tookMs) {
        this(
                supplierId,
                supplierLotCode,
                lotCode,
                kql,
                customers,
                shipmentCount,
                tookMs,
                CustomerTotal.of(customers));
    }

    /** The shipments shown. */
    public int shownCount() {
        return customers.stream().mapToInt(c -> c.shipments().size()).sum();
    }

    /** Whether every matching shipment is shown. */
    public boolean complete() {
        return shownCount() >= shipmentCount;
    }
}
