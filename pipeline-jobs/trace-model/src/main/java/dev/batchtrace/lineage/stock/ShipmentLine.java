package dev.batchtrace.lineage.stock;

import dev.batchtrace.events.DispatchLine;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One line of a dispatch note: a lot shipped, and which of its units (serials, issue 10; kept by
 * the dispatch stage only: {@link #withoutSerials()} goes to the nodes and documents, so a line of
 * 100,000 units does not weigh on the genealogy).
 */
public record ShipmentLine(
        String lotCode, String productCode, double quantity, String unit, List<String> serials)
        implements Comparable<ShipmentLine> {

    private static final Comparator<ShipmentLine> ORDER =
            Comparator.comparing(ShipmentLine::lotCode)
                    .thenComparing(
                            ShipmentLine::productCode, Comparator.nullsFirst(String::compareTo))
                    .thenComparingDouble(ShipmentLine::quantity)
                    .thenComparing(ShipmentLine::unit, Comparator.nullsFirst(String::compareTo))
                    .thenComparing(ShipmentLine::serials, ShipmentLine::compareSerials);

    public ShipmentLine {
        Objects.requireNonNull(lotCode, "lotCode");
        serials = serials == null ? List.of() : List.copyOf(serials);
    }

    public ShipmentLine(String lotCode, String productCode, double quantity, String unit) {
        this(lotCode, productCode, quantity, unit, List.of());
    }

    public static ShipmentLine of(DispatchLine line) {
        return new ShipmentLine(
                line.getLotCode(),
                line.getProductCode(),
                line.getQuantity(),
                line.getUnit(),
                line.getSerials());
    }

    /** The line without its serials (what the nodes and documents need). */
    public ShipmentLine withoutSerials() {
        return serials.isEmpty() ? this : new ShipmentLine(lotCode, productCode, quantity, unit);
    }

    private static int compareSerials(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    @Override
    public int compareTo(ShipmentLine o) {
        return ORDER.compare(this, o);
    }
}
