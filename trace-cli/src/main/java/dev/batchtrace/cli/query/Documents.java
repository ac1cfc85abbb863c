package dev.batchtrace.cli.query;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * Reads trace documents' {@code _source} leniently: a field the job has not written yet is null or
 * empty, never an error, because the CLI must show a half-converged lot too.
 */
final class Documents {

    /** Fields of trace-lots a summary needs (source filtering keeps big closures off the wire). */
    static final List<String> LOT_FIELDS =
            List.of(
                    "lotCode",
                    "kind",
                    "materialCode",
                    "materialName",
                    "supplierId",
                    "supplierName",
                    "supplierLotCode",
                    "workOrderId",
                    "receivedAt",
                    "producedAt",
                    "inputLotCodes");

    static final List<String> SHIPMENT_FIELDS =
            List.of(
                    "dispatchId",
                    "customerId",
                    "customerName",
                    "destination",
                    "shippedAt",
                    "lotCodes");

    private Documents() {}

    static LotSummary lot(String id, JsonNode source) {
        String lotCode = text(source, "lotCode");
        return new LotSummary(
                lotCode != null ? lotCode : id,
                null,
                text(source, "kind"),
                text(source, "materialCode"),
                text(source, "materialName"),
                text(source, "supplierId"),
                text(source, "supplierName"),
                text(source, "supplierLotCode"),
                text(source, "workOrderId"),
                time(source, "receivedAt"),
                time(source, "producedAt"),
                strings(source, "inputLotCodes"));
    }

    static ShipmentSummary shipment(String id, JsonNode source, List<String> matchedLotCodes) {
        String dispatchId = text(source, "dispatchId");
        return new ShipmentSummary(
                dispatchId != null ? dispatchId : id,
                text(source, "customerId"),
                text(source, "customerName"),
                text(source, "destination"),
                time(source, "shippedAt"),
                strings(source, "lotCodes"),
                matchedLotCodes);
    }

    /** Lot codes in the nested {@code ancestors} whose supplier and supplier lot match. */
    static List<String> ancestorsOfSupplierLot(
            JsonNode source, String supplierId, String supplierLotCode) {
        List<String> lots = new ArrayList<>();
        JsonNode ancestors = source == null ? null : source.get("ancestors");
        if (ancestors != null && ancestors.isArray()) {
            for (JsonNode ancestor : ancestors.values()) {
                if (supplierId.equals(text(ancestor, "supplierId"))
                        && supplierLotCode.equals(text(ancestor, "supplierLotCode"))
                        && text(ancestor, "lotCode") != null) {
                    lots.add(text(ancestor, "lotCode"));
                }
            }
        }
        return lots.stream().sorted().distinct().toList();
    }

    /**
     * The pipeline's own shortest depth per ancestor ({@code ancestors[].depth}, kept in {@code
     * _source} only); absent in documents that do not carry it.
     */
    static Map<String, Integer> ancestorDepths(JsonNode source) {
        Map<String, Integer> depths = new TreeMap<>();
        JsonNode ancestors = source == null ? null : source.get("ancestors");
        if (ancestors != null && ancestors.isArray()) {
            for (JsonNode ancestor : ancestors.values()) {
                JsonNode depth = ancestor.get("depth");
                String lotCode = text(ancestor, "lotCode");
                if (lotCode != null && depth != null && depth.isNumber() && depth.asInt() > 0) {
                    depths.merge(lotCode, depth.asInt(), Math::min);
                }
            }
        }
        return depths;
    }

    static String text(JsonNode source, String field) {
        JsonNode value = source == null ? null : source.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    /** A keyword list; a single value (Elasticsearch accepts both) counts as a list of one. */
    static List<String> strings(JsonNode source, String field) {
        JsonNode value = source == null ? null : source.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            return List.of(value.asString());
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : value.values()) {
            if (!item.isNull()) {
                values.add(item.asString());
            }
        }
        return values;
    }

    /** A date field as written by the job: ISO-8601 text or epoch milliseconds. */
    static Instant time(JsonNode source, String field) {
        JsonNode value = source == null ? null : source.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            return Instant.ofEpochMilli(value.asLong());
        }
        try {
            return Instant.parse(value.asString());
        } catch (DateTimeParseException e) {
            return null; // not a point in time we can show; the document keeps the raw text
        }
    }
}
