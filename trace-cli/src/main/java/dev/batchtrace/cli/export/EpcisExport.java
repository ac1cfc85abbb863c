package dev.batchtrace.cli.export;

import dev.batchtrace.cli.query.AffectedShipment;
import dev.batchtrace.cli.query.LotRecord;
import dev.batchtrace.cli.query.LotSummary;
import dev.batchtrace.cli.query.MassBalance;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The history of a lot as an EPCIS 2.0 JSON-LD {@code EPCISDocument}: an ObjectEvent (ADD,
 * receiving) per bought lot, a TransformationEvent (commissioning) per work order with its inputs
 * and outputs as quantity lists, an ObjectEvent (OBSERVE, shipping) per dispatch note. We have no
 * GS1 keys (GTIN, GLN), so identifiers are URNs under {@value #URN}: a lot-level class {@code
 * urn:batchtrace:class:MATERIAL:lot:LOT} (as an LGTIN is product plus lot), parties, locations,
 * work orders and dispatch notes. What EPCIS has no field for travels as extension fields under the
 * {@code bt:} prefix, so {@link EpcisImport} can give back our events.
 */
public final class EpcisExport {

    static final String URN = "urn:batchtrace:";
    static final String CONTEXT = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld";
    static final String NAMESPACE = "https://batchtrace.dev/epcis/";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private EpcisExport() {}

    public static ObjectNode document(LotHistory history, Instant created) {
        Map<String, LotRecord> byCode = new TreeMap<>();
        history.records().forEach(r -> byCode.putIfAbsent(r.lot().lotCode(), r));
        List<ObjectNode> events = new ArrayList<>();
        Map<String, List<LotRecord>> outputsByWorkOrder = new TreeMap<>();
        for (LotRecord record : byCode.values()) {
            LotSummary lot = record.lot();
            if (!history.genealogy().contains(lot.lotCode())) {
                continue;
            }
            if ("PURCHASED".equals(lot.kind())) {
                events.add(receiving(record));
            } else if ("PRODUCED".equals(lot.kind()) && lot.workOrderId() != null) {
                outputsByWorkOrder
                        .computeIfAbsent(lot.workOrderId(), w -> new ArrayList<>())
                        .add(record);
            }
        }
        outputsByWorkOrder.forEach(
                (workOrderId, outputs) -> events.add(transformation(workOrderId, outputs, byCode)));
        for (AffectedShipment shipment : history.shipments()) {
            ObjectNode event = shipping(shipment, byCode, history);
            if (event != null) {
                events.add(event);
            }
        }
        events.sort(
                Comparator.comparing((ObjectNode e) -> e.path("eventTime").asString(""))
                        .thenComparing(e -> e.path("eventID").asString("")));

        ObjectNode doc = JSON.objectNode();
        ArrayNode context = doc.putArray("@context");
        context.add(CONTEXT);
        context.addObject().put("bt", NAMESPACE);
        doc.put("type", "EPCISDocument");
        doc.put("schemaVersion", "2.0");
        doc.put("creationDate", created.truncatedTo(ChronoUnit.MILLIS).toString());
        doc.put("bt:lotCode", history.lotCode());
        ArrayNode list = doc.putObject("epcisBody").putArray("eventList");
        events.forEach(list::add);
        return doc;
    }

    private static ObjectNode receiving(LotRecord record) {
        LotSummary lot = record.lot();
        ObjectNode e = event("ObjectEvent", lot.receivedAt(), "receipt:" + lot.lotCode());
        e.put("action", "ADD");
        e.put("bizStep", "receiving");
        e.put("disposition", "in_progress");
        quantity(e.putArray("quantityList"), lot, record.quantity(), record.unit());
        if (lot.supplierId() != null) {
            ObjectNode source = e.putArray("sourceList").addObject();
            source.put("type", "owning_party");
            source.put("source", id("party", lot.supplierId()));
        }
        location(e, record.site());
        ObjectNode ilmd = e.putObject("ilmd");
        put(ilmd, "bt:lotCode", lot.lotCode());
        put(ilmd, "bt:materialCode", lot.materialCode());
        put(ilmd, "bt:materialName", lot.materialName());
        put(ilmd, "bt:supplierId", lot.supplierId());
        put(ilmd, "bt:supplierName", lot.supplierName());
        put(ilmd, "bt:supplierLotCode", lot.supplierLotCode());
        put(ilmd, "bt:site", record.site());
        return e;
    }

    private static ObjectNode transformation(
            String workOrderId, List<LotRecord> outputs, Map<String, LotRecord> byCode) {
        LotSummary first = outputs.get(0).lot();
        Instant produced =
                outputs.stream()
                        .map(r -> r.lot().producedAt())
                        .filter(t -> t != null)
                        .min(Comparator.naturalOrder())
                        .orElse(null);
        ObjectNode e = event("TransformationEvent", produced, "workorder:" + workOrderId);
        e.put("transformationID", id("workorder", workOrderId));
        e.put("bizStep", "commissioning");
        e.put("disposition", "active");
        ArrayNode inputs = e.putArray("inputQuantityList");
        TreeMap<String, Object[]> consumed = new TreeMap<>();
        for (LotRecord output : outputs) {
            for (String input : output.lot().inputLotCodes()) {
                LotRecord record = byCode.get(input);
                double quantity = 0;
                String unit = null;
                if (record != null && record.balance() != null) {
                    for (MassBalance.WorkOrderUse use : record.balance().consumedBy()) {
                        if (workOrderId.equals(use.workOrderId()) && use.quantity() != null) {
                            quantity += use.quantity();
                            unit = use.unit();
                        }
                    }
                }
                consumed.putIfAbsent(input, new Object[] {record, quantity, unit});
            }
        }
        consumed.forEach(
                (code, use) -> {
                    LotRecord record = (LotRecord) use[0];
                    ObjectNode q = inputs.addObject();
                    q.put(
                            "epcClass",
                            lotClass(record == null ? null : record.lot().materialCode(), code));
                    q.put("quantity", (Double) use[1]);
                    String uom = uom((String) use[2]);
                    if (uom != null) {
                        q.put("uom", uom);
                    }
                });
        ArrayNode made = e.putArray("outputQuantityList");
        for (LotRecord output : outputs) {
            quantity(made, output.lot(), output.quantity(), output.unit());
        }
        location(e, outputs.get(0).site());
        ObjectNode ilmd = e.putObject("ilmd");
        put(ilmd, "bt:workOrderId", workOrderId);
        put(ilmd, "bt:productCode", first.materialCode());
        put(ilmd, "bt:productName", first.materialName());
        put(ilmd, "bt:lineId", outputs.get(0).lineId());
        ArrayNode lots = ilmd.putArray("bt:outputs");
        for (LotRecord output : outputs) {
            ObjectNode lot = lots.addObject();
            lot.put("bt:lotCode", output.lot().lotCode());
            put(
                    lot,
                    "bt:producedAt",
                    output.lot().producedAt() == null
                            ? null
                            : output.lot().producedAt().toString());
        }
        ArrayNode inputLots = ilmd.putArray("bt:inputs");
        consumed.forEach(
                (code, use) -> {
                    ObjectNode lot = inputLots.addObject();
                    lot.put("bt:lotCode", code);
                    lot.put("bt:quantity", (Double) use[1]);
                    put(lot, "bt:unit", (String) use[2]);
                });
        return e;
    }

    private static ObjectNode shipping(
            AffectedShipment shipment, Map<String, LotRecord> byCode, LotHistory history) {
        List<AffectedShipment.Line> lines =
                shipment.lines().stream()
                        .filter(l -> l.affected() && history.genealogy().contains(l.lotCode()))
                        .toList();
        if (lines.isEmpty()) {
            return null;
        }
        ObjectNode e =
                event("ObjectEvent", shipment.shippedAt(), "dispatch:" + shipment.dispatchId());
        e.put("action", "OBSERVE");
        e.put("bizStep", "shipping");
        e.put("disposition", "in_transit");
        ArrayNode quantities = e.putArray("quantityList");
        ArrayNode lineNodes = JSON.arrayNode();
        String site = null;
        for (AffectedShipment.Line line : lines) {
            LotRecord record = byCode.get(line.lotCode());
            String material =
                    line.productCode() != null
                            ? line.productCode()
                            : record == null ? null : record.lot().materialCode();
            ObjectNode q = quantities.addObject();
            q.put("epcClass", lotClass(material, line.lotCode()));
            q.put("quantity", line.quantity() == null ? 0 : line.quantity());
            String uom = uom(line.unit());
            if (uom != null) {
                q.put("uom", uom);
            }
            ObjectNode l = lineNodes.addObject();
            l.put("bt:lotCode", line.lotCode());
            put(l, "bt:productCode", line.productCode());
            if (line.quantity() != null) {
                l.put("bt:quantity", line.quantity());
            }
            put(l, "bt:unit", line.unit());
            if (site == null && record != null) {
                site = record.site();
            }
        }
        ObjectNode tx = e.putArray("bizTransactionList").addObject();
        tx.put("type", "desadv");
        tx.put("bizTransaction", id("dispatch", shipment.dispatchId()));
        if (shipment.customerId() != null) {
            ObjectNode to = e.putArray("destinationList").addObject();
            to.put("type", "owning_party");
            to.put("destination", id("party", shipment.customerId()));
        }
        location(e, site);
        e.put("bt:dispatchId", shipment.dispatchId());
        put(e, "bt:customerId", shipment.customerId());
        put(e, "bt:customerName", shipment.customerName());
        put(e, "bt:destination", shipment.destination());
        e.set("bt:lines", lineNodes);
        return e;
    }

    private static ObjectNode event(String type, Instant time, String key) {
        ObjectNode e = JSON.objectNode();
        e.put("type", type);
        // deterministic, so the same history exports to the same document
        e.put("eventID", URN + "event:" + encode(key));
        e.put(
                "eventTime",
                (time == null ? Instant.EPOCH : time).truncatedTo(ChronoUnit.MILLIS).toString());
        e.put("eventTimeZoneOffset", "+00:00");
        return e;
    }

    private static void quantity(ArrayNode list, LotSummary lot, Double quantity, String unit) {
        ObjectNode q = list.addObject();
        q.put("epcClass", lotClass(lot.materialCode(), lot.lotCode()));
        q.put("quantity", quantity == null ? 0 : quantity);
        String uom = uom(unit);
        if (uom != null) {
            q.put("uom", uom);
        }
    }

    private static void location(ObjectNode e, String site) {
        if (site != null) {
            e.putObject("bizLocation").put("id", id("location", site));
        }
    }

    /** A lot-level class: product (material) and lot, like an LGTIN. */
    static String lotClass(String material, String lotCode) {
        return URN
                + "class:"
                + encode(material == null ? "unknown" : material)
                + ":lot:"
                + encode(lotCode);
    }

    static String id(String kind, String code) {
        return URN + kind + ":" + encode(code);
    }

    /** UN/ECE Recommendation 20 codes, as EPCIS wants; "pcs" are counted, without a unit. */
    static String uom(String unit) {
        if (unit == null) {
            return null;
        }
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "kg" -> "KGM";
            case "g" -> "GRM";
            case "t" -> "TNE";
            case "l" -> "LTR";
            case "m" -> "MTR";
            case "pcs", "pc", "ea" -> null;
            default ->
                    unit.toUpperCase(Locale.ROOT).matches("[A-Z0-9]{2,3}")
                            ? unit.toUpperCase(Locale.ROOT)
                            : null;
        };
    }

    static String unit(String uom) {
        if (uom == null) {
            return "pcs";
        }
        return switch (uom) {
            case "KGM" -> "kg";
            case "GRM" -> "g";
            case "TNE" -> "t";
            case "LTR" -> "l";
            case "MTR" -> "m";
            default -> uom;
        };
    }

    static String encode(String text) {
        // URN segments: percent-encode what is not unreserved (":" would split the segments)
        return URLEncoder.encode(text, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("*", "%2A");
    }

    private static void put(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
