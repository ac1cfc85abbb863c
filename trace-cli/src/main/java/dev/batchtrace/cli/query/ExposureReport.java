package dev.batchtrace.cli.query;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The answer to the Wednesday call (issue 10): a batch, its raw-material lots at every level, and
 * per raw lot every other work order that consumed it, every lot made from it and every shipment
 * and customer that received any of those, with quantities and dates; and the customers to call.
 *
 * @param serial the unit asked about, or null when asked by lot
 * @param filters the limits applied (material, supplier, from, to), as given
 * @param valueAtStake per currency the shipped and in-stock value of what is exposed (issue 10:
 *     recall cost), "unknown" for quantities without unit cost
 * @param queries the Elasticsearch queries the answer ran, in words
 * @param tookMs wall time of the whole answer
 */
public record ExposureReport(
        String serial,
        LotSummary batch,
        Map<String, String> filters,
        List<RawLot> rawLots,
        List<Customer> customers,
        List<ValueAtStake> valueAtStake,
        List<String> queries,
        long tookMs) {

    public ExposureReport {
        filters = Map.copyOf(filters);
        rawLots = List.copyOf(rawLots);
        customers = List.copyOf(customers);
        valueAtStake = List.copyOf(valueAtStake);
        queries = List.copyOf(queries);
    }

    /** One raw-material lot of the batch and where it went. */
    public record RawLot(
            LotSummary lot,
            Double unitCost,
            String currency,
            List<String> otherWorkOrderIds,
            List<MadeLot> lotsMadeFromIt,
            List<Shipment> shipments) {
        public RawLot {
            otherWorkOrderIds = List.copyOf(otherWorkOrderIds);
            lotsMadeFromIt = List.copyOf(lotsMadeFromIt);
            shipments = List.copyOf(shipments);
        }
    }

    /** A lot made from a raw lot (at any level). */
    public record MadeLot(
            String lotCode,
            String materialCode,
            String workOrderId,
            Instant producedAt,
            Double quantity,
            String unit,
            Double remaining,
            Double unitCost,
            String currency) {}

    /** A shipment that carried the raw lot or a lot made from it: its lines of those lots. */
    public record Shipment(
            String dispatchId,
            String customerId,
            String customerName,
            Instant shippedAt,
            List<Line> lines) {
        public Shipment {
            lines = List.copyOf(lines);
        }
    }

    /** One exposed line of a shipment. */
    public record Line(String lotCode, double quantity, String unit) {}

    /** A customer to call: the shipments and quantities (per unit) across all raw lots. */
    public record Customer(
            String customerId,
            String customerName,
            List<String> dispatchIds,
            Map<String, Double> quantityByUnit,
            Instant firstShippedAt,
            Instant lastShippedAt) {
        public Customer {
            dispatchIds = List.copyOf(dispatchIds);
            quantityByUnit = Map.copyOf(quantityByUnit);
        }
    }

    /**
     * Value at stake in one currency; for currency "unknown" (lots without unit cost) the
     * quantities instead, in {@code unit}.
     *
     * @param unit null for a currency; the quantities' unit for "unknown"
     * @param shipped value (or quantity) of the exposed quantities shipped
     * @param inStock value (or quantity) of what is left of the exposed lots in the plant
     */
    public record ValueAtStake(String currency, String unit, double shipped, double inStock) {}
}
