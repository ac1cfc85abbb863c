package dev.batchtrace.lineage.stock;

import java.util.Comparator;

/**
 * One MATERIAL_CONSUMED event of a work order (kept by eventId so reversals can cancel it).
 *
 * @param workOrderId the consuming work order (null in state written before it was recorded)
 */
public record Consumption(String lotCode, Double quantity, String unit, String workOrderId)
        implements Comparable<Consumption> {

    private static final Comparator<Consumption> ORDER =
            Comparator.comparing(Consumption::lotCode)
                    .thenComparing(Consumption::quantity, Comparator.nullsFirst(Double::compare))
                    .thenComparing(Consumption::unit, Comparator.nullsFirst(String::compareTo))
                    .thenComparing(
                            Consumption::workOrderId, Comparator.nullsFirst(String::compareTo));

    @Override
    public int compareTo(Consumption o) {
        return ORDER.compare(this, o);
    }
}
