package dev.batchtrace.lineage.stock;

import dev.batchtrace.lineage.Merge;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
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
 * @param shipped by dispatch id: this lot's lines on that note (an empty list: the note was
 *     corrected or cancelled and no longer has the lot)
 * @param shippedSeqs by dispatch id: the sequence number of those lines (issue 10); per dispatch id
 *     the higher wins whole, equal ones merge as before (the larger line list); missing reads as 0
 */
public record LotUsage(
        SortedMap<String, Consumption> consumed,
        SortedSet<String> reversed,
        SortedMap<String, List<ShipmentLine>> shipped,
        SortedMap<String, Long> shippedSeqs) {

    /** Nothing consumed, reversed or shipped. */
    public static final LotUsage NONE = new LotUsage(null, null, null, null);

    public LotUsage {
        consumed = Merge.frozen(consumed);
        reversed = Merge.frozenSet(reversed);
        TreeMap<String, List<ShipmentLine>> lines = new TreeMap<>();
        orEmpty(shipped).forEach((id, l) -> lines.put(id, sortedLines(l)));
        shipped = Collections.unmodifiableSortedMap(lines);
        shippedSeqs = Merge.frozen(shippedSeqs);
    }

    private static <V> Map<String, V> orEmpty(Map<String, V> m) {
        return m == null ? Map.of() : m;
    }

    public static LotUsage consumption(String eventId, Consumption consumption) {
        return new LotUsage(new TreeMap<>(Map.of(eventId, consumption)), null, null, null);
    }

    public static LotUsage reversal(String reversedEventId) {
        return new LotUsage(null, Merge.sortedCopy(List.of(reversedEventId)), null, null);
    }

    public static LotUsage shipment(String dispatchId, List<ShipmentLine> lines) {
        return shipment(dispatchId, 1, lines);
    }

    /** The lot's lines on a note as sent the {@code seq}-th time (an empty list: none any more). */
    public static LotUsage shipment(String dispatchId, long seq, List<ShipmentLine> lines) {
        return new LotUsage(
                null,
                null,
                new TreeMap<>(Map.of(dispatchId, lines)),
                new TreeMap<>(Map.of(dispatchId, seq)));
    }

    private long seqOf(String dispatchId) {
        return shippedSeqs.getOrDefault(dispatchId, 0L);
    }

    /** Whether any line of any note still names the lot. */
    private boolean hasShipped() {
        for (List<ShipmentLine> lines : shipped.values()) {
            if (!lines.isEmpty()) {
                return true;
            }
        }
        return false;
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
        TreeMap<String, Long> seqs = new TreeMap<>(a.shippedSeqs);
        b.shipped.forEach(
                (id, l) -> {
                    DispatchLines merged =
                            mergeDispatch(
                                    a.shipped.containsKey(id)
                                            ? new DispatchLines(a.seqOf(id), a.shipped.get(id))
                                            : null,
                                    new DispatchLines(b.seqOf(id), l));
                    shipped.put(id, merged.lines());
                    if (merged.seq() != a.seqOf(id)) {
                        seqs.put(id, merged.seq());
                    }
                });
        return new LotUsage(consumed, Merge.union(a.reversed, b.reversed), shipped, seqs);
    }

    /** One dispatch's lines of a lot, as the note was sent the {@code seq}-th time. */
    public record DispatchLines(long seq, List<ShipmentLine> lines) {
        public DispatchLines {
            lines = lines == null ? List.of() : List.copyOf(lines);
        }
    }

    /**
     * The rule for one dispatch id: the higher sequence wins whole, equal ones keep the larger line
     * list; {@code a} may be null (nothing yet).
     */
    public static DispatchLines mergeDispatch(DispatchLines a, DispatchLines b) {
        if (a == null || b.seq() > a.seq()) {
            return b;
        }
        if (b.seq() == a.seq()) {
            return new DispatchLines(a.seq(), largerLines(a.lines(), b.lines()));
        }
        return a;
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

    /**
     * The lot's mass balance for its trace document: received or produced, consumed (per work
     * order), shipped (per dispatch), remaining. Only quantities in the lot's own unit add up; an
     * outflow in another unit or without quantity is listed under {@code unaccounted} and flags
     * {@code unitMismatch} (no conversion is guessed), and then {@code remaining} is left out.
     *
     * @param facts the lot's facts, or null (a lot only referenced by consumptions or lines)
     * @return the {@code balance} object, or null when nothing is known about the lot's quantity
     */
    public SortedMap<String, Object> balance(LotFacts facts) {
        String unit = facts == null ? null : facts.unit();
        Double received = facts == null ? null : facts.quantity();
        if (received == null && consumed.isEmpty() && !hasShipped()) {
            return null;
        }
        // (work order | dispatch, unit) -> quantity; sorted so sums are bit-exact everywhere
        TreeMap<List<String>, Double> byWorkOrder = new TreeMap<>(LotUsage::compareKeys);
        TreeMap<List<String>, Double> byDispatch = new TreeMap<>(LotUsage::compareKeys);
        TreeMap<String, double[]> unaccounted = new TreeMap<>();
        double consumedInUnit = 0;
        double shippedInUnit = 0;
        for (Map.Entry<String, Consumption> e : consumed.entrySet()) {
            Consumption c = e.getValue();
            if (reversed.contains(e.getKey())) {
                continue;
            }
            double q = c.quantity() == null ? 0 : c.quantity();
            byWorkOrder.merge(Arrays.asList(c.workOrderId(), c.unit()), q, Double::sum);
            if (unit != null && c.quantity() != null && unit.equals(c.unit())) {
                consumedInUnit += q;
            } else {
                unaccounted.computeIfAbsent(unitName(c.unit()), k -> new double[2])[0] += q;
            }
        }
        for (Map.Entry<String, List<ShipmentLine>> e : shipped.entrySet()) {
            for (ShipmentLine line : e.getValue()) {
                byDispatch.merge(
                        Arrays.asList(e.getKey(), line.unit()), line.quantity(), Double::sum);
                if (unit != null && unit.equals(line.unit())) {
                    shippedInUnit += line.quantity();
                } else {
                    unaccounted.computeIfAbsent(unitName(line.unit()), k -> new double[2])[1] +=
                            line.quantity();
                }
            }
        }
        TreeMap<String, Object> b = new TreeMap<>();
        putIfSet(b, "unit", unit);
        putIfSet(b, "receivedOrProduced", received);
        b.put("consumed", consumedInUnit);
        b.put("shipped", shippedInUnit);
        b.put("consumedBy", quantities("workOrderId", byWorkOrder));
        b.put("shippedBy", quantities("dispatchId", byDispatch));
        b.put("unitMismatch", !unaccounted.isEmpty());
        if (unaccounted.isEmpty()) {
            if (received != null) {
                b.put("remaining", received - consumedInUnit - shippedInUnit);
            }
        } else {
            List<Map<String, Object>> other = new ArrayList<>();
            unaccounted.forEach(
                    (u, q) -> {
                        TreeMap<String, Object> n = new TreeMap<>();
                        n.put("unit", u);
                        n.put("consumed", q[0]);
                        n.put("shipped", q[1]);
                        other.add(n);
                    });
            b.put("unaccounted", other);
        }
        return b;
    }

    /** Name of a unit in the balance; a missing unit is named so it stays visible. */
    private static String unitName(String unit) {
        return unit == null ? "(no unit)" : unit;
    }

    private static List<Map<String, Object>> quantities(
            String idField, TreeMap<List<String>, Double> byIdAndUnit) {
        List<Map<String, Object>> list = new ArrayList<>();
        byIdAndUnit.forEach(
                (key, q) -> {
                    TreeMap<String, Object> n = new TreeMap<>();
                    putIfSet(n, idField, key.get(0));
                    putIfSet(n, "unit", key.get(1));
                    n.put("quantity", q);
                    list.add(n);
                });
        return list;
    }

    private static int compareKeys(List<String> a, List<String> b) {
        Comparator<String> nullsFirst = Comparator.nullsFirst(Comparator.naturalOrder());
        int c = nullsFirst.compare(a.get(0), b.get(0));
        return c != 0 ? c : nullsFirst.compare(a.get(1), b.get(1));
    }

    private static void putIfSet(Map<String, Object> m, String field, Object value) {
        if (value != null) {
            m.put(field, value);
        }
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
