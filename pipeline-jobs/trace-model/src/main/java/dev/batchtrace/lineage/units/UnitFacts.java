package dev.batchtrace.lineage.units;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What is known about one unit (product, serial), issue 10: the outputs that made it (by output
 * eventId; a reversed one as a tombstone) and the dispatch notes it left on (by dispatch id, the
 * newest send). A join, so order and duplicates do not matter.
 */
public record UnitFacts(
        String productCode,
        String serial,
        SortedMap<String, UnitOutput> outputs,
        SortedMap<String, UnitShipment> shipments) {

    public UnitFacts {
        outputs = Collections.unmodifiableSortedMap(new TreeMap<>(orEmpty(outputs)));
        shipments = Collections.unmodifiableSortedMap(new TreeMap<>(orEmpty(shipments)));
    }

    private static <V> Map<String, V> orEmpty(Map<String, V> m) {
        return m == null ? Map.of() : m;
    }

    /** The unit key: product and serial (serials repeat across products). */
    public String key() {
        return key(productCode, serial);
    }

    public static String key(String productCode, String serial) {
        return productCode + "\n" + serial;
    }

    public static UnitFacts output(
            String productCode, String serial, String outputEventId, UnitOutput output) {
        return new UnitFacts(
                productCode, serial, new TreeMap<>(Map.of(outputEventId, output)), null);
    }

    public static UnitFacts shipment(
            String productCode, String serial, String dispatchId, UnitShipment shipment) {
        return new UnitFacts(
                productCode, serial, null, new TreeMap<>(Map.of(dispatchId, shipment)));
    }

    public static UnitFacts merge(UnitFacts a, UnitFacts b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        TreeMap<String, UnitOutput> outputs = new TreeMap<>(a.outputs);
        b.outputs.forEach((id, o) -> outputs.merge(id, o, UnitOutput::merge));
        TreeMap<String, UnitShipment> shipments = new TreeMap<>(a.shipments);
        b.shipments.forEach((id, s) -> shipments.merge(id, s, UnitShipment::merge));
        return new UnitFacts(a.productCode, a.serial, outputs, shipments);
    }
}
