package dev.batchtrace.cli.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Remaining stock of the flagged lot and the affected lots, per unit.
 *
 * @param lotsWithUnknownRemaining lots in this unit whose remainder is unknown (not in quantity)
 */
public record StockToQuarantine(
        String unit, double quantity, int lotCount, int lotsWithUnknownRemaining) {

    static List<StockToQuarantine> of(FlaggedLot flagged, List<AffectedLot> lots) {
        Map<String, double[]> byUnit =
                new TreeMap<>(Comparator.nullsLast(Comparator.naturalOrder()));
        add(
                byUnit,
                flagged.unit(),
                flagged.balance() == null ? null : flagged.balance().remaining());
        for (AffectedLot lot : lots) {
            add(byUnit, lot.unit(), lot.remaining());
        }
        List<StockToQuarantine> stock = new ArrayList<>();
        byUnit.forEach(
                (unit, sum) ->
                        stock.add(new StockToQuarantine(unit, sum[0], (int) sum[1], (int) sum[2])));
        return List.copyOf(stock);
    }

    private static void add(Map<String, double[]> byUnit, String unit, Double remaining) {
        double[] sum = byUnit.computeIfAbsent(unit, u -> new double[3]);
        sum[1]++;
        if (remaining == null) {
            sum[2]++;
        } else {
            sum[0] += remaining;
        }
    }
}
