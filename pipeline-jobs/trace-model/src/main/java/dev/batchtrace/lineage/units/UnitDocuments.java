package dev.batchtrace.lineage.units;

import dev.batchtrace.lineage.Merge;
import dev.batchtrace.lineage.documents.TraceDocument;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The unit index (issue 10): one small document per (product, serial) in {@code trace-units}, so a
 * lot of 100,000 units stays one lot document plus 100,000 unit documents, and one serial finds its
 * lot (whose document has the work order, operators, machine runs, QC and every ancestor with its
 * supplier lot) and the shipment and customer it left with.
 *
 * <p>Document id: {@code productCode/serial} (deterministic; a serial repeating across products
 * gives two documents). Fields: serial, productCode, lotCode (the lot that made it; the smallest
 * when bad data names several, all in lotCodes; for a unit known only from a dispatch line, that
 * line's lot), workOrderIds, producedAt, and the shipments it is on now (dispatchIds, customerIds,
 * shipments[{dispatchId, lotCode, customerId, customerName, shippedAt}]).
 */
public final class UnitDocuments {

    /** Index alias (see the index templates in connectors-elasticsearch). */
    public static final String UNITS = "trace-units";

    private UnitDocuments() {}

    public static String documentId(String productCode, String serial) {
        return productCode + "/" + serial;
    }

    /** The unit's document; a deletion when no live output and no current shipment name it. */
    public static TraceDocument unit(UnitFacts facts) {
        String id = documentId(facts.productCode(), facts.serial());
        TreeSet<String> madeIn = new TreeSet<>();
        TreeSet<String> workOrders = new TreeSet<>();
        Instant producedAt = null;
        for (UnitOutput o : facts.outputs().values()) {
            if (o.reversed()) {
                continue;
            }
            if (o.lotCode() != null) {
                madeIn.add(o.lotCode());
            }
            if (o.workOrderId() != null) {
                workOrders.add(o.workOrderId());
            }
            producedAt = Merge.smaller(producedAt, o.producedAt());
        }
        TreeSet<String> dispatchIds = new TreeSet<>();
        TreeSet<String> customerIds = new TreeSet<>();
        TreeSet<String> shippedLots = new TreeSet<>();
        List<Map<String, Object>> shipments = new ArrayList<>();
        for (Map.Entry<String, UnitShipment> e : facts.shipments().entrySet()) {
            UnitShipment s = e.getValue();
            if (!s.present()) {
                continue;
            }
            dispatchIds.add(e.getKey());
            if (s.customerId() != null) {
                customerIds.add(s.customerId());
            }
            if (s.lotCode() != null) {
                shippedLots.add(s.lotCode());
            }
            TreeMap<String, Object> n = new TreeMap<>();
            n.put("dispatchId", e.getKey());
            put(n, "lotCode", s.lotCode());
            put(n, "customerId", s.customerId());
            put(n, "customerName", s.customerName());
            put(n, "shippedAt", s.shippedAt());
            shipments.add(n);
        }
        if (madeIn.isEmpty() && workOrders.isEmpty() && dispatchIds.isEmpty()) {
            return new TraceDocument(UNITS, id, null);
        }
        TreeSet<String> lots = new TreeSet<>(madeIn);
        lots.addAll(shippedLots);
        TreeMap<String, Object> d = new TreeMap<>();
        d.put("serial", facts.serial());
        d.put("productCode", facts.productCode());
        put(
                d,
                "lotCode",
                madeIn.isEmpty() ? (lots.isEmpty() ? null : lots.first()) : madeIn.first());
        d.put("lotCodes", List.copyOf(lots));
        d.put("workOrderIds", List.copyOf(workOrders));
        put(d, "producedAt", producedAt);
        d.put("dispatchIds", List.copyOf(dispatchIds));
        d.put("customerIds", List.copyOf(customerIds));
        d.put("shipments", shipments);
        return new TraceDocument(UNITS, id, d);
    }

    private static void put(Map<String, Object> d, String field, Object value) {
        if (value instanceof Instant instant) {
            d.put(field, instant.toString());
        } else if (value != null) {
            d.put(field, value);
        }
    }
}
