package dev.batchtrace.lineage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * What has been taken out of one lot: its consumptions (by MATERIAL_CONSUMED eventId), the
 * consumptions reversed (a reversal may arrive first) and its lines per dispatch note. Merged as a
 * join (per eventId the larger consumption, reversals united, per dispatch the larger line list),
 * so order and duplicates do not matter. Gives the quantity still in the plant for AFFECTED_STOCK.
 *
 * @param consumed by consumption eventId
 * @param reversed eventIds of reversed consumptions
 * @param shipped by dispatch id: this lot's lines on that note
 */
public record LotUsage(
        SortedMap<String, Consumption> consumed,
        SortedSet<String> reversed,
        SortedMap<String, List<ShipmentLine>> shipped) {

    public LotUsage {
        consumed = Collections.unmodifiableSortedMap(new TreeMap<>(orEmpty(consumed)));
        reversed = Collections.unmodifiableSortedSet(Merge.sortedCopy(reversed));
        TreeMap<String, List<ShipmentLine>> lines = new TreeMap<>();
        orEmpty(shipped).forEach((id, l) -> lines.put(id, sortedLines(l)));
        shipped = Collections.unmodifiableSortedMap(lines);
    }

    private static <V> Map<String, V> orEmpty(Map<String, V> m) {
        return m == null ? Map.of() : m;
    }

    public static LotUsage consumption(String eventId, Consumption consumption) {
        return new LotUsage(new TreeMap<>(Map.of(eventId, consumption)), null, null);
    }

    public static LotUsage reversal(String reversedEventId) {
        return new LotUsage(null, Merge.sortedCopy(List.of(reversedEventId)), null);
    }

    public static LotUsage shipment(String dispatchId, List<ShipmentLine> lines) {
        return new LotUsage(null, null, new TreeMap<>(Map.of(dispatchId, lines)));
    }

    public static LotUsage merge(LotUsage a, LotUsage b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        TreeMap<String, Consumption> consumed = new TreeMap<>(a.consumed);
        b.consumed.forEach((id, c) -> consumed.merge(id, c, Merge::larger));
        TreeMap<String, List<ShipmentLine>> shipped = new TreeMap<>(a.shipped);
        b.shipped.forEach((id, l) -> shipped.merge(id, l, LotUsage::largerLines));
        return new LotUsage(consumed, Merge.union(a.reversed, b.reversed), shipped);
    }

    /**
     * Received or produced minus consumed (not reversed) minus shipped, in the lot's unit; null
     * when that cannot be said: quantity or unit of the lot unknown, or a consumption or line
     * without quantity or in another unit (no conversion is guessed).
     */
    public Double remaining(LotFacts facts) {
        if (facts == null || facts.quantity() == null || facts.unit() == null) {
            return null;
        }
        double left = facts.quantity();
        for (Map.Entry<String, Consumption> c : consumed.entrySet()) {
            if (reversed.contains(c.getKey())) {
                continue;
            }
            if (c.getValue().quantity() == null || !facts.unit().equals(c.getValue().unit())) {
                return null;
            }
            left -= c.getValue().quantity();
        }
        for (List<ShipmentLine> lines : shipped.values()) {
            for (ShipmentLine line : lines) {
                if (!facts.unit().equals(line.unit())) {
                    return null;
                }
                left -= line.quantity();
            }
        }
        return left;
    }

    /** Two notes with one dispatch id (bad data): the larger line list, line by line. */
    public static List<ShipmentLine> largerLines(List<ShipmentLine> a, List<ShipmentLine> b) {
        List<ShipmentLine> x = sortedLines(a);
        List<ShipmentLine> y = sortedLines(b);
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            int c = x.get(i).compareTo(y.get(i));
            if (c != 0) {
                return c > 0 ? x : y;
            }
        }
        return x.size() >= y.size() ? x : y;
    }

    private static List<ShipmentLine> sortedLines(List<ShipmentLine> lines) {
        List<ShipmentLine> sorted = new ArrayList<>(Objects.requireNonNullElse(lines, List.of()));
        sorted.sort(null);
        return List.copyOf(sorted);
    }
}
