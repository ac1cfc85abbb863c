package dev.batchtrace.cli.query;

import java.util.List;

/**
 * "Which customers received product made from supplier X's lot Y" (or from our lot L).
 *
 * @param supplierId X, or {@code null} when asked by our lot code
 * @param supplierLotCode Y, or {@code null} when asked by our lot code
 * @param lotCode L, or {@code null} when asked by supplier lot
 * @param kql the same question as a Kibana query on {@code trace-shipments}
 * @param tookMs time spent in the Elasticsearch calls
 */
public record CustomersAnswer(
        String supplierId,
        String supplierLotCode,
        String lotCode,
        String kql,
        List<CustomerShipments> customers,
        int shipmentCount,
        long tookMs) {

    public CustomersAnswer {
        customers = List.copyOf(customers);
    }
}
