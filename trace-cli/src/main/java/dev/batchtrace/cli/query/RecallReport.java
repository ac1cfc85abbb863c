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
 * @param valueAtStake per currency the value of the affected stock and of the affected quantities
 *     shipped (quantity x unit cost); "unknown" with their unit for quantities without unit cost
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
        List<ExposureReport.ValueAtStake> valueAtStake,
        Instant generatedAt,
        long elasticsearchMs,
        long totalMs) {

    public RecallReport {
        lots = List.copyOf(lots);
        shipments = List.copyOf(shipments);
        customers = List.copyOf(customers);
        stockToQuarantine = List.copyOf(stockToQuarantine);
        openAlerts = List.copyOf(openAlerts);
        valueAtStake = List.copyOf(valueAtStake);
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
                valueAtStake(lot, lots, sortedShipments),
                generatedAt,
                elasticsearchMs,
                totalMs);
    }

    /**
     * Value at stake (issue 10): what is left of the flagged and affected lots, and their lines
     * shipped, times each lot's unit cost, per currency; without a unit cost per unit as "unknown".
     */
    static List<ExposureReport.ValueAtStake> valueAtStake(
            FlaggedLot flagged, List<AffectedLot> lots, List<AffectedShipment> shipments) {
        Map<String, Double[]> cost = new TreeMap<>(); // lot -> {unitCost}, currency below
        Map<String, String> currency = new TreeMap<>();
        Map<String, String> unit = new TreeMap<>();
        Map<String, Double> remaining = new TreeMap<>();
        String code = flagged.facts().lotCode();
        cost.put(code, new Double[] {flagged.unitCost()});
        currency.put(code, flagged.currency());
        unit.put(code, flagged.unit());
        remaining.put(code, flagged.balance() == null ? null : flagged.balance().remaining());
        for (AffectedLot l : lots) {
            cost.put(l.lotCode(), new Double[] {l.unitCost()});
            currency.put(l.lotCode(), l.currency());
            unit.put(l.lotCode(), l.unit());
            remaining.put(l.lotCode(), l.remaining());
        }
        // (currency, null) -> value; ("unknown", unit) -> quantity
        Map<List<String>, double[]> totals =
                new TreeMap<>(
                        Comparator.<List<String>, String>comparing(
                                        k -> k.get(0), Comparator.nullsFirst(String::compareTo))
                                .thenComparing(
                                        k -> k.get(1), Comparator.nullsFirst(String::compareTo)));
        for (String lot : cost.keySet()) {
            Double left = remaining.get(lot);
            if (left != null && left > 0) {
                add(totals, cost.get(lot)[0], currency.get(lot), unit.get(lot), left, 1);
            }
        }
        for (AffectedShipment s : shipments) {
            for (AffectedShipment.Line line : s.lines()) {
                if (!line.affected() || line.quantity() == null) {
                    continue;
                }
                Double[] c = cost.get(line.lotCode());
                add(
                        totals,
                        c == null ? null : c[0],
                        currency.get(line.lotCode()),
                        line.unit(),
                        line.quantity(),
                        0);
            }
        }
        List<ExposureReport.ValueAtStake> out = new ArrayList<>();
        totals.forEach(
                (k, v) -> out.add(new ExposureReport.ValueAtStake(k.get(0), k.get(1), v[0], v[1])));
        return out;
    }

    private static void add(
            Map<List<String>, double[]> totals,
            Double unitCost,
            String currency,
            String unit,
            double quantity,
            int slot) {
        boolean costed = unitCost != null && currency != null;
        List<String> key =
                costed
                        ? java.util.Arrays.asList(currency, null)
                        : java.util.Arrays.asList(UnitQueries.UNKNOWN, unit);
        totals.computeIfAbsent(key, k -> new double[2])[slot] +=
                costed ? quantity * unitCost : quantity;
    }

    /** Distinct customers of the affected shipments. */
    public int customerCount() {
        return (int) shipments.stream().map(AffectedShipment::customerId).distinct().count();
    }
}
