package dev.batchtrace.cli.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The mock-recall report of one flagged lot: the lot with its mass balance, every lot made from it,
 * every shipment that carried it or one of those, the customers with quantities, and the open
 * alerts the pipeline raised for it.
 *
 * @param lots affected lots, by level then lot code
 * @param shipments affected shipments, oldest first
 * @param customers per customer and unit
 * @param stockToQuarantine remaining stock of the flagged and affected lots, per unit
 * @param openAlertCount open alerts whose flagged lot is this lot
 * @param openAlertsByKind their count per kind
 * @param openAlerts those alerts, by kind then lot and dispatch
 * @param generatedAt when the report was read
 * @param elasticsearchMs time spent in Elasticsearch calls
 * @param totalMs time to read and assemble the report (output not included)
 */
public record RecallReport(
        String lotCode,
        FlaggedLot lot,
        List<AffectedLot> lots,
        List<AffectedShipment> shipments,
        List<CustomerExposure> customers,
        List<StockToQuarantine> stockToQuarantine,
        int openAlertCount,
        Map<String, Integer> openAlertsByKind,
        List<RecallAlert> openAlerts,
        Instant generatedAt,
        long elasticsearchMs,
        long totalMs) {

    public RecallReport {
        lots = List.copyOf(lots);
        shipments = List.copyOf(shipments);
        customers = List.copyOf(customers);
        stockToQuarantine = List.copyOf(stockToQuarantine);
        openAlerts = List.copyOf(openAlerts);
        openAlertsByKind = Collections.unmodifiableMap(new TreeMap<>(openAlertsByKind));
    }

    /**
     * Puts the parts together: levels of the affected lots (from their direct inputs), shipments
     * oldest first, customer sums, stock per unit and alert counts.
     */
    static RecallReport assemble(
            FlaggedLot lot,
            List<AffectedLot> made,
            List<AffectedShipment> shipments,
            List<RecallAlert> alerts,
            Instant generatedAt,
            long elasticsearchMs,
            long totalMs) {
        String lotCode = lot.facts().lotCode();
        Map<String, List<String>> children = new TreeMap<>();
        Set<String> madeCodes = new TreeSet<>();
        for (AffectedLot affected : made) {
            madeCodes.add(affected.lotCode());
            for (String input : affected.inputLotCodes()) {
                children.computeIfAbsent(input, i -> new ArrayList<>()).add(affected.lotCode());
            }
        }
        Map<String, Integer> levels = Genealogy.levels(lotCode, children, madeCodes);
        List<AffectedLot> lots =
                made.stream()
                        .map(l -> l.withLevel(levels.get(l.lotCode())))
                        .sorted(
                                Comparator.comparing(
                                                AffectedLot::level,
                                                Comparator.nullsLast(Comparator.naturalOrder()))
                                        .thenComparing(AffectedLot::lotCode))
                        .toList();
        List<AffectedShipment> sortedShipments =
                shipments.stream()
                        .sorted(
                                Comparator.comparing(
                                                AffectedShipment::shippedAt,
                                                Comparator.nullsLast(Comparator.naturalOrder()))
                                        .thenComparing(AffectedShipment::dispatchId))
                        .toList();
        Comparator<String> nullsLast = Comparator.nullsLast(Comparator.naturalOrder());
        List<RecallAlert> sortedAlerts =
                alerts.stream()
                        .sorted(
                                Comparator.comparing(RecallAlert::kind, nullsLast)
                                        .thenComparing(RecallAlert::lotCode, nullsLast)
                                        .thenComparing(RecallAlert::dispatchId, nullsLast)
                                        .thenComparing(RecallAlert::alertId))
                        .toList();
        Map<String, Integer> byKind = new TreeMap<>();
        sortedAlerts.forEach(a -> byKind.merge(String.valueOf(a.kind()), 1, Integer::sum));
        return new RecallReport(
                lotCode,
                lot,
                lots,
                sortedShipments,
                CustomerExposure.of(sortedShipments),
                StockToQuarantine.of(lot, lots),
                sortedAlerts.size(),
                byKind,
                sortedAlerts,
                generatedAt,
                elasticsearchMs,
                totalMs);
    }

    /** Distinct customers of the affected shipments. */
    public int customerCount() {
        return (int) shipments.stream().map(AffectedShipment::customerId).distinct().count();
    }
}
