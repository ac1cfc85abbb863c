package dev.batchtrace.lineage;

import dev.batchtrace.events.DispatchLine;
import java.util.Comparator;
import java.util.Objects;

/** One line of a dispatch note: a lot shipped. */
public record ShipmentLine(String lotCode, String productCode, double quantity, String unit)
        implements Comparable<ShipmentLine> {

    private static final Comparator<ShipmentLine> ORDER =
            Comparator.comparing(ShipmentLine::lotCode)
                    .thenComparing(
                            ShipmentLine::productCode, Comparator.nullsFirst(String::compareTo))
                    .thenComparingDouble(ShipmentLine::quantity)
                    .thenComparing(ShipmentLine::unit, Comparator.nullsFirst(String::compareTo));

    public ShipmentLine {
        Objects.requireNonNull(lotCode, "lotCode");
    }

    public static ShipmentLine of(DispatchLine line) {
        return new ShipmentLine(
                line.getLotCode(), line.getProductCode(), line.getQuantity(), line.getUnit());
    }

    @Override
    public int compareTo(ShipmentLine o) {
        return ORDER.compare(this, o);
    }
}
