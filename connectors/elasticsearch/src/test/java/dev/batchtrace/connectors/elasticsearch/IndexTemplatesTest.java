package dev.batchtrace.connectors.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The template files are the contract with the jobs and Kibana: every promised field is mapped. */
class IndexTemplatesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String KEYWORD = "keyword";
    private static final String DATE = "date";
    private static final String DOUBLE = "double";
    private static final String TEXT = "text";
    private static final String NESTED = "nested";
    private static final String BOOLEAN = "boolean";
    private static final String OBJECT = "object";

    private static final Map<TraceIndex, Map<String, String>> EXPECTED =
            Map.of(
                    TraceIndex.LOTS,
                    Map.ofEntries(
                            Map.entry("lotCode", KEYWORD),
                            Map.entry("kind", KEYWORD),
                            Map.entry("materialCode", KEYWORD),
                            Map.entry("materialName", TEXT),
                            Map.entry("materialName.keyword", KEYWORD),
                            Map.entry("supplierId", KEYWORD),
                            Map.entry("supplierName", TEXT),
                            Map.entry("supplierLotCode", KEYWORD),
                            Map.entry("receivedAt", DATE),
                            Map.entry("producedAt", DATE),
                            Map.entry("workOrderId", KEYWORD),
                            Map.entry("workOrderStartedAt", DATE),
                            Map.entry("workOrderCompletedAt", DATE),
                            Map.entry("inputLotCodes", KEYWORD),
                            Map.entry("ancestorLotCodes", KEYWORD),
                            Map.entry("ancestorSupplierIds", KEYWORD),
                            Map.entry("ancestorSupplierLotCodes", KEYWORD),
                            Map.entry("ancestorMaterialCodes", KEYWORD),
                            Map.entry("ancestorSupplierLots", KEYWORD),
                            Map.entry("ancestors", NESTED),
                            Map.entry("ancestors.lotCode", KEYWORD),
                            Map.entry("ancestors.materialCode", KEYWORD),
                            Map.entry("ancestors.supplierId", KEYWORD),
                            Map.entry("ancestors.supplierLotCode", KEYWORD),
                            Map.entry("shipmentIds", KEYWORD),
                            Map.entry("customerIds", KEYWORD),
                            Map.entry("onHold", BOOLEAN),
                            Map.entry("holds", NESTED),
                            Map.entry("holds.flagId", KEYWORD),
                            Map.entry("holds.lotCode", KEYWORD),
                            Map.entry("holds.reason", TEXT),
                            Map.entry("holds.severity", KEYWORD),
                            Map.entry("holds.since", DATE),
                            Map.entry("qcStatus", KEYWORD),
                            Map.entry("balance", OBJECT),
                            Map.entry("balance.remaining", DOUBLE),
                            Map.entry("balance.unitMismatch", BOOLEAN),
                            Map.entry("balance.consumedBy.workOrderId", KEYWORD),
                            Map.entry("updatedAt", DATE)),
                    TraceIndex.WORK_ORDERS,
                    Map.ofEntries(
                            Map.entry("workOrderId", KEYWORD),
                            Map.entry("productCode", KEYWORD),
                            Map.entry("productName", TEXT),
                            Map.entry("productName.keyword", KEYWORD),
                            Map.entry("machineId", KEYWORD),
                            Map.entry("lineId", KEYWORD),
                            Map.entry("operatorIds", KEYWORD),
                            Map.entry("startedAt", DATE),
                            Map.entry("completedAt", DATE),
                            Map.entry("status", KEYWORD),
                            Map.entry("consumedLotCodes", KEYWORD),
                            Map.entry("producedLotCodes", KEYWORD),
                            Map.entry("updatedAt", DATE)),
                    TraceIndex.SHIPMENTS,
                    Map.ofEntries(
                            Map.entry("dispatchId", KEYWORD),
                            Map.entry("customerId", KEYWORD),
                            Map.entry("customerName", TEXT),
                            Map.entry("customerName.keyword", KEYWORD),
                            Map.entry("destination", TEXT),
                            Map.entry("vehicle", KEYWORD),
                            Map.entry("carrier", TEXT),
                            Map.entry("recipient", TEXT),
                            Map.entry("shippedAt", DATE),
                            Map.entry("lines", NESTED),
                            Map.entry("lines.lotCode", KEYWORD),
                            Map.entry("lines.productCode", KEYWORD),
                            Map.entry("lines.quantity", DOUBLE),
                            Map.entry("lines.unit", KEYWORD),
                            Map.entry("lotCodes", KEYWORD),
                            Map.entry("ancestorLotCodes", KEYWORD),
                            Map.entry("ancestorSupplierIds", KEYWORD),
                            Map.entry("ancestorSupplierLotCodes", KEYWORD),
                            Map.entry("ancestorSupplierLots", KEYWORD),
                            Map.entry("ancestorHubs", KEYWORD),
                            Map.entry("ancestors", NESTED),
                            Map.entry("ancestors.supplierLotCode", KEYWORD),
                            Map.entry("onHold", BOOLEAN),
                            Map.entry("holds", NESTED),
                            Map.entry("holds.since", DATE),
                            Map.entry("updatedAt", DATE)),
                    TraceIndex.ALERTS,
                    Map.ofEntries(
                            Map.entry("alertId", KEYWORD),
                            Map.entry("flagId", KEYWORD),
                            Map.entry("flaggedLotCode", KEYWORD),
                            Map.entry("kind", KEYWORD),
                            Map.entry("status", KEYWORD),
                            Map.entry("dispatchId", KEYWORD),
                            Map.entry("customerId", KEYWORD),
                            Map.entry("lotCode", KEYWORD),
                            Map.entry("quantity", DOUBLE),
                            Map.entry("unit", KEYWORD),
                            Map.entry("path", KEYWORD),
                            Map.entry("raisedAt", DATE),
                            Map.entry("resolvedAt", DATE)),
                    TraceIndex.CLOSURES,
                    Map.ofEntries(
                            Map.entry("hubLotCode", KEYWORD),
                            Map.entry("lotCode", KEYWORD),
                            Map.entry("depth", "integer"),
                            Map.entry("supplierLot", KEYWORD),
                            Map.entry("supplierLotCode", KEYWORD),
                            Map.entry("hub", BOOLEAN)),
                    TraceIndex.UNITS,
                    Map.ofEntries(
                            Map.entry("serial", KEYWORD),
                            Map.entry("productCode", KEYWORD),
                            Map.entry("lotCode", KEYWORD),
                            Map.entry("lotCodes", KEYWORD),
                            Map.entry("workOrderIds", KEYWORD),
                            Map.entry("producedAt", DATE),
                            Map.entry("dispatchIds", KEYWORD),
                            Map.entry("customerIds", KEYWORD),
                            Map.entry("shipments", NESTED),
                            Map.entry("shipments.dispatchId", KEYWORD),
                            Map.entry("shipments.customerId", KEYWORD),
                            Map.entry("shipments.shippedAt", DATE)),
                    TraceIndex.DEAD_LETTERS,
                    Map.ofEntries(
                            Map.entry("index", KEYWORD),
                            Map.entry("documentId", KEYWORD),
                            Map.entry("errorType", KEYWORD),
                            Map.entry("reason", TEXT),
                            Map.entry("failedAt", DATE),
                            Map.entry("source", "binary")));

    @Test
    void everyTemplateParsesAndMapsThePromisedFields() {
        for (TraceIndex index : TraceIndex.values()) {
            JsonNode template = JSON.readTree(IndexTemplates.templateJson(index));
            JsonNode mappings = template.path("template").path("mappings");
            assertEquals(
                    "false",
                    mappings.path("dynamic").asString(),
                    index + ": unknown fields stay in _source but are not indexed");
            List<String> problems = new ArrayList<>();
            EXPECTED.get(index)
                    .forEach(
                            (path, type) -> {
                                String actual = typeOf(mappings, path);
                                if (!type.equals(actual)) {
                                    problems.add(path + " is " + actual + ", expected " + type);
                                }
                            });
            assertTrue(problems.isEmpty(), index + ": " + problems);
        }
    }

    @Test
    void templatesMatchTheirConcreteIndexButNotTheAlias() {
        for (TraceIndex index : TraceIndex.values()) {
            JsonNode template = JSON.readTree(IndexTemplates.templateJson(index));
            JsonNode patterns = template.path("index_patterns");
            assertEquals(1, patterns.size(), index.toString());
            String pattern = patterns.get(0).asString();
            assertTrue(matches(pattern, index.concreteIndex()), pattern);
            assertTrue(!matches(pattern, index.alias()), pattern + " must not match the alias");
            assertTrue(IndexTemplates.templateVersion(index) >= 1, index.toString());
            assertNotNull(template.path("template").path("settings").get("index"));
        }
        assertEquals("trace-lots-v1", TraceIndex.LOTS.concreteIndex());
        assertEquals("trace-lots", TraceIndex.LOTS.alias());
        assertEquals("trace-work-orders-v1", TraceIndex.WORK_ORDERS.concreteIndex());
        assertEquals("trace-shipments-v1", TraceIndex.SHIPMENTS.concreteIndex());
        assertEquals("trace-alerts-v1", TraceIndex.ALERTS.concreteIndex());
    }

    /** Mapping type of a dotted path; multi-fields ({@code name.keyword}) included. */
    private static String typeOf(JsonNode mappings, String path) {
        JsonNode node = mappings;
        for (String part : path.split("\\.")) {
            JsonNode next = node.path("properties").get(part);
            if (next == null) {
                next = node.path("fields").get(part);
            }
            if (next == null) {
                return "missing";
            }
            node = next;
        }
        JsonNode type = node.get("type");
        if (type == null) {
            return node.has("properties") ? OBJECT : "untyped";
        }
        return type.asString();
    }

    private static boolean matches(String pattern, String name) {
        return name.matches(pattern.replace("*", ".*"));
    }
}
