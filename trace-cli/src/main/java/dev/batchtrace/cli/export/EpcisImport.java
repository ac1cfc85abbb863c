package dev.batchtrace.cli.export;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An EPCIS 2.0 JSON-LD document back into our events, in the gateway's JSON-lines format ({@code
 * bin/trace publish}): a receiving ObjectEvent becomes a GoodsReceipt, a TransformationEvent a work
 * order's MATERIAL_CONSUMED and OUTPUT_PRODUCED events, a shipping ObjectEvent a DispatchNote. Our
 * own {@code bt:} extension fields are used when present ({@link EpcisExport} writes them);
 * otherwise lot codes and units come from the standard fields (quantity classes {@code
 * urn:batchtrace:class:MATERIAL:lot:LOT}, UN/ECE units). Fields our contract requires but EPCIS
 * does not carry (vehicle, carrier, recipient of a dispatch) are empty.
 *
 * @throws IllegalArgumentException a document that is not an EPCISDocument, or an event without the
 *     fields its event needs
 */
public final class EpcisImport {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private EpcisImport() {}

    public static List<ObjectNode> events(JsonNode document) {
        if (!"EPCISDocument".equals(document.path("type").asString(""))) {
            throw new IllegalArgumentException(
                    "not an EPCISDocument (\"type\" is " + document.path("type") + ")");
        }
        JsonNode list = document.path("epcisBody").path("eventList");
        if (!list.isArray()) {
            throw new IllegalArgumentException("the document has no epcisBody.eventList");
        }
        List<ObjectNode> events = new ArrayList<>();
        int index = 0;
        for (JsonNode event : list.values()) {
            index++;
            String type = event.path("type").asString(event.path("isA").asString(""));
            String bizStep = step(event.path("bizStep").asString(""));
            try {
                if (type.equals("TransformationEvent")) {
                    transformation(event, events);
                } else if (type.equals("ObjectEvent") && bizStep.equals("receiving")) {
                    events.add(receipt(event));
                } else if (type.equals("ObjectEvent") && bizStep.equals("shipping")) {
                    events.add(dispatch(event));
                }
                // other events (inspecting, storing, ...) have no counterpart in our contract
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "event "
                                + index
                                + " ("
                                + event.path("eventID").asString("no eventID")
                                + "): "
                                + e.getMessage(),
                        e);
            }
        }
        return events;
    }

    private static ObjectNode receipt(JsonNode event) {
        JsonNode ilmd = event.path("ilmd");
        JsonNode quantity = first(event.path("quantityList"), "quantityList");
        String lotCode = text(ilmd, "bt:lotCode", lotOf(quantity.path("epcClass").asString("")));
        ObjectNode r = JSON.objectNode();
        r.put("type", "GoodsReceipt");
        r.put("receiptId", "EPCIS-" + lotCode);
        r.put("lotCode", lotCode);
        r.put(
                "materialCode",
                text(ilmd, "bt:materialCode", materialOf(quantity.path("epcClass").asString(""))));
        r.put("materialName", text(ilmd, "bt:materialName", ""));
        String supplier = partyOf(event.path("sourceList"), "source");
        r.put("supplierId", text(ilmd, "bt:supplierId", supplier));
        r.put("supplierName", text(ilmd, "bt:supplierName", supplier));
        r.put("supplierLotCode", text(ilmd, "bt:supplierLotCode", ""));
        r.put("quantity", quantity.path("quantity").asDouble());
        r.put(
                "unit",
                EpcisExport.unit(
                        quantity.path("uom").isMissingNode()
                                ? null
                                : quantity.path("uom").asString()));
        r.put("receivedAt", event.path("eventTime").asString());
        r.put("site", text(ilmd, "bt:site", locationOf(event)));
        return r;
    }

    private static void transformation(JsonNode event, List<ObjectNode> events) {
        JsonNode ilmd = event.path("ilmd");
        String workOrderId =
                text(
                        ilmd,
                        "bt:workOrderId",
                        lastSegment(event.path("transformationID").asString("")));
        if (workOrderId.isEmpty()) {
            throw new IllegalArgumentException("a TransformationEvent without transformationID");
        }
        String at = event.path("eventTime").asString();
        JsonNode outputs = event.path("outputQuantityList");
        String productCode =
                text(
                        ilmd,
                        "bt:productCode",
                        materialOf(
                                first(outputs, "outputQuantityList")
                                        .path("epcClass")
                                        .asString("")));
        String site = locationOf(event);
        int n = 0;
        JsonNode inputs = event.path("inputQuantityList");
        for (JsonNode input : inputs.values()) {
            ObjectNode e =
                    workOrderEvent(
                            workOrderId, ++n, "MATERIAL_CONSUMED", at, productCode, ilmd, site);
            e.put("lotCode", lotOf(input.path("epcClass").asString("")));
            e.put("quantity", input.path("quantity").asDouble());
            e.put("unit", unitOf(input, ilmd, "bt:inputs", e.path("lotCode").asString()));
            events.add(e);
        }
        for (JsonNode output : outputs.values()) {
            String lotCode = lotOf(output.path("epcClass").asString(""));
            String producedAt = at;
            for (JsonNode lot : ilmd.path("bt:outputs").values()) {
                if (lotCode.equals(lot.path("bt:lotCode").asString(""))
                        && lot.has("bt:producedAt")) {
                    producedAt = lot.path("bt:producedAt").asString();
                }
            }
            ObjectNode e =
                    workOrderEvent(
                            workOrderId,
                            ++n,
                            "OUTPUT_PRODUCED",
                            producedAt,
                            productCode,
                            ilmd,
                            site);
            e.put("lotCode", lotCode);
            e.put("quantity", output.path("quantity").asDouble());
            e.put(
                    "unit",
                    EpcisExport.unit(
                            output.path("uom").isMissingNode()
                                    ? null
                                    : output.path("uom").asString()));
            events.add(e);
        }
    }

    private static ObjectNode workOrderEvent(
            String workOrderId,
            int n,
            String type,
            String at,
            String productCode,
            JsonNode ilmd,
            String site) {
        ObjectNode e = JSON.objectNode();
        e.put("type", "WorkOrderEvent");
        e.put("eventId", workOrderId + "-EPCIS-" + n);
        e.put("workOrderId", workOrderId);
        e.put("eventType", type);
        e.put("occurredAt", at);
        e.put("productCode", productCode);
        if (ilmd.has("bt:productName")) {
            e.put("productName", ilmd.path("bt:productName").asString());
        }
        if (ilmd.has("bt:lineId")) {
            e.put("lineId", ilmd.path("bt:lineId").asString());
        }
        if (!site.isEmpty()) {
            e.put("site", site);
        }
        return e;
    }

    private static ObjectNode dispatch(JsonNode event) {
        ObjectNode d = JSON.objectNode();
        d.put("type", "DispatchNote");
        String dispatchId =
                event.has("bt:dispatchId")
                        ? event.path("bt:dispatchId").asString()
                        : lastSegment(
                                first(event.path("bizTransactionList"), "bizTransactionList")
                                        .path("bizTransaction")
                                        .asString(""));
        d.put("dispatchId", dispatchId);
        String customer = partyOf(event.path("destinationList"), "destination");
        d.put("customerId", text(event, "bt:customerId", customer));
        d.put("customerName", text(event, "bt:customerName", customer));
        d.put("destination", text(event, "bt:destination", ""));
        d.put("vehicle", "");
        d.put("carrier", "");
        d.put("recipient", "");
        d.put("shippedAt", event.path("eventTime").asString());
        String site = locationOf(event);
        if (!site.isEmpty()) {
            d.put("site", site);
        }
        ArrayNode lines = d.putArray("lines");
        if (event.has("bt:lines")) {
            for (JsonNode line : event.path("bt:lines").values()) {
                ObjectNode l = lines.addObject();
                l.put("lotCode", line.path("bt:lotCode").asString());
                l.put("productCode", line.path("bt:productCode").asString(""));
                l.put("quantity", line.path("bt:quantity").asDouble());
                l.put("unit", line.path("bt:unit").asString("pcs"));
            }
        } else {
            for (JsonNode q : event.path("quantityList").values()) {
                ObjectNode l = lines.addObject();
                String epcClass = q.path("epcClass").asString("");
                l.put("lotCode", lotOf(epcClass));
                l.put("productCode", materialOf(epcClass));
                l.put("quantity", q.path("quantity").asDouble());
                l.put(
                        "unit",
                        EpcisExport.unit(
                                q.path("uom").isMissingNode() ? null : q.path("uom").asString()));
            }
        }
        return d;
    }

    private static String unitOf(JsonNode quantity, JsonNode ilmd, String list, String lotCode) {
        for (JsonNode lot : ilmd.path(list).values()) {
            if (lotCode.equals(lot.path("bt:lotCode").asString("")) && lot.has("bt:unit")) {
                return lot.path("bt:unit").asString();
            }
        }
        return EpcisExport.unit(
                quantity.path("uom").isMissingNode() ? null : quantity.path("uom").asString());
    }

    private static JsonNode first(JsonNode list, String name) {
        if (!list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException("no " + name);
        }
        return list.get(0);
    }

    /** "urn:batchtrace:class:M:lot:L" gives L; another URI its last segment. */
    static String lotOf(String epcClass) {
        int lot = epcClass.lastIndexOf(":lot:");
        if (lot >= 0) {
            return decode(epcClass.substring(lot + ":lot:".length()));
        }
        String last = lastSegment(epcClass);
        if (last.isEmpty()) {
            throw new IllegalArgumentException("no lot in epcClass " + epcClass);
        }
        return last;
    }

    static String materialOf(String epcClass) {
        String prefix = EpcisExport.URN + "class:";
        int lot = epcClass.lastIndexOf(":lot:");
        if (epcClass.startsWith(prefix) && lot > prefix.length()) {
            return decode(epcClass.substring(prefix.length(), lot));
        }
        return "";
    }

    private static String partyOf(JsonNode list, String field) {
        for (JsonNode entry : list.values()) {
            if ("owning_party".equals(step(entry.path("type").asString("")))) {
                return lastSegment(entry.path(field).asString(""));
            }
        }
        return "";
    }

    private static String locationOf(JsonNode event) {
        return lastSegment(event.path("bizLocation").path("id").asString(""));
    }

    /** A CBV value in any of its forms: "receiving", "https://ns.gs1.org/cbv/BizStep-receiving". */
    private static String step(String value) {
        int dash = value.lastIndexOf('-');
        int colon = value.lastIndexOf(':');
        return value.substring(Math.max(dash, colon) + 1);
    }

    private static String lastSegment(String uri) {
        int cut = Math.max(uri.lastIndexOf(':'), uri.lastIndexOf('/'));
        return decode(uri.substring(cut + 1));
    }

    private static String text(JsonNode node, String field, String otherwise) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? otherwise : value.asString();
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
