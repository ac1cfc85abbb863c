package dev.batchtrace.cli.query;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
                    "inputLotCodes",
                    "onHold",
                    "qcStatus");

    static final List<String> SHIPMENT_FIELDS =
            List.of(
                    "dispatchId",
                    "customerId",
                    "customerName",
                    "destination",
                    "shippedAt",
                    "lotCodes");

    /** Fields of trace-lots a recall needs besides {@link #LOT_FIELDS}. */
    static final List<String> RECALL_LOT_FIELDS =
            List.of("quantity", "unit", "holds", "balance", "unitCost", "currency");

    /** Fields of trace-shipments a recall needs besides {@link #SHIPMENT_FIELDS}. */
    static final List<String> RECALL_SHIPMENT_FIELDS = List.of("lines", "onHold");

    static final List<String> ALERT_FIELDS =
            List.of(
                    "alertId",
                    "kind",
                    "status",
                    "severity",
                    "flagId",
                    "dispatchId",
                    "customerId",
                    "customerName",
                    "lotCode",
                    "quantity",
                    "unit",
                    "quantityBasis",
                    "path",
                    "raisedAt");

    private Documents() {}

    /** The flagged lot of a recall: facts, holds, balance and the share accounted for. */
    static FlaggedLot flaggedLot(String id, JsonNode source) {
        MassBalance balance = balance(source);
        return new FlaggedLot(
                lot(id, source),
                number(source, "quantity"),
                text(source, "unit"),
                bool(source, "onHold"),
                holds(source),
                balance,
                ShareAccounted.of(balance),
                number(source, "unitCost"),
                text(source, "currency"));
    }

    static AffectedLot affectedLot(String id, JsonNode source) {
        LotSummary lot = lot(id, source);
        MassBalance balance = balance(source);
        return new AffectedLot(
                lot.lotCode(),
                null,
                lot.kind(),
                lot.materialCode(),
                lot.materialName(),
                lot.workOrderId(),
                lot.producedAt(),
                lot.inputLotCodes(),
                number(source, "quantity"),
                text(source, "unit"),
                balance == null ? null : balance.remaining(),
                balance != null && balance.unitMismatch(),
                bool(source, "onHold"),
                number(source, "unitCost"),
                text(source, "currency"));
    }

    /**
     * A shipment of a recall; lines of {@code affectedLotCodes} are marked affected.
     *
     * @param affectedLotCodes the flagged lot and every lot made from it
     */
    static AffectedShipment affectedShipment(
            String id, JsonNode source, Set<String> affectedLotCodes) {
        ShipmentSummary shipment = shipment(id, source, List.of());
        List<AffectedShipment.Line> lines = new ArrayList<>();
        for (JsonNode line : array(source, "lines")) {
            String lotCode = text(line, "lotCode");
            lines.add(
                    new AffectedShipment.Line(
                            lotCode,
                            text(line, "productCode"),
                            number(line, "quantity"),
                            text(line, "unit"),
                            lotCode != null && affectedLotCodes.contains(lotCode)));
        }
        Set<String> affected = new TreeSet<>();
        shipment.lotCodes().stream().filter(affectedLotCodes::contains).forEach(affected::add);
        lines.stream()
                .filter(AffectedShipment.Line::affected)
                .forEach(line -> affected.add(line.lotCode()));
        return new AffectedShipment(
                shipment.dispatchId(),
                shipment.customerId(),
                shipment.customerName(),
                shipment.destination(),
                shipment.shippedAt(),
                bool(source, "onHold"),
                lines,
                List.copyOf(affected));
    }

    static RecallAlert alert(String id, JsonNode source) {
        String alertId = text(source, "alertId");
        return new RecallAlert(
                alertId != null ? alertId : id,
                text(source, "kind"),
                text(source, "status"),
                text(source, "severity"),
                text(source, "flagId"),
                text(source, "dispatchId"),
                text(source, "customerId"),
                text(source, "customerName"),
                text(source, "lotCode"),
                number(source, "quantity"),
                text(source, "unit"),
                text(source, "quantityBasis"),
                strings(source, "path"),
                time(source, "raisedAt"));
    }

    static List<Hold> holds(JsonNode source) {
        List<Hold> holds = new ArrayList<>();
        for (JsonNode hold : array(source, "holds")) {
            holds.add(
                    new Hold(
                            text(hold, "flagId"),
                            text(hold, "lotCode"),
                            text(hold, "reason"),
                            text(hold, "severity"),
                            time(hold, "since")));
        }
        return holds;
    }

    /** The {@code balance} object (notes/balance-contract.md); null when the document has none. */
    static MassBalance balance(JsonNode source) {
        JsonNode balance = source == null ? null : source.get("balance");
        if (balance == null || !balance.isObject()) {
            return null;
        }
        List<MassBalance.WorkOrderUse> consumedBy = new ArrayList<>();
        for (JsonNode use : array(balance, "consumedBy")) {
            consumedBy.add(
                    new MassBalance.WorkOrderUse(
                            text(use, "workOrderId"), number(use, "quantity"), text(use, "unit")));
        }
        List<MassBalance.DispatchUse> shippedBy = new ArrayList<>();
        for (JsonNode use : array(balance, "shippedBy")) {
            shippedBy.add(
                    new MassBalance.DispatchUse(
                            text(use, "dispatchId"),
                            text(use, "customerId"),
                            number(use, "quantity"),
                            text(use, "unit")));
        }
        List<MassBalance.UnaccountedUnit> unaccounted = new ArrayList<>();
        for (JsonNode other : array(balance, "unaccounted")) {
            unaccounted.add(
                    new MassBalance.UnaccountedUnit(
                            text(other, "unit"),
                            number(other, "consumed"),
                            number(other, "shipped")));
        }
        return new MassBalance(
                text(balance, "unit"),
                number(balance, "receivedOrProduced"),
                number(balance, "consumed"),
                consumedBy,
                number(balance, "shipped"),
                shippedBy,
                number(balance, "remaining"),
                bool(balance, "unitMismatch"),
                unaccounted);
    }

    /** A number field; null when absent or not a number. */
    static Double number(JsonNode source, String field) {
        JsonNode value = source == null ? null : source.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        try {
            return Double.valueOf(value.asString());
        } catch (NumberFormatException e) {
            return null; // not a quantity we can count; the document keeps the raw text
        }
    }

    static boolean bool(JsonNode source, String field) {
        JsonNode value = source == null ? null : source.get(field);
        return value != null
                && (value.isBoolean() ? value.asBoolean() : "true".equals(value.asString()));
    }

    private static List<JsonNode> array(JsonNode source, String field) {
        JsonNode value = source == null ? null : source.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            return List.of(value);
        }
        List<JsonNode> items = new ArrayList<>();
        value.values().forEach(items::add);
        return items;
    }

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
                codes(source, "inputLotCodes"),
                bool(source, "onHold"),
                text(source, "qcStatus"));
    }

    static ShipmentSummary shipment(String id, JsonNode source, List<String> matchedLotCodes) {
        String dispatchId = text(source, "dispatchId");
        return new ShipmentSummary(
                dispatchId != null ? dispatchId : id,
                text(source, "customerId"),
                text(source, "customerName"),
                text(source, "destination"),
                time(source, "shippedAt"),
                codes(source, "lotCodes"),
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

    /** The objects of an array field (none when missing). */
    static List<JsonNode> nodes(JsonNode source, String field) {
        JsonNode value = source == null ? null : source.get(field);
        List<JsonNode> nodes = new ArrayList<>();
        if (value != null && value.isArray()) {
            value.values().forEach(nodes::add);
        } else if (value != null && value.isObject()) {
            nodes.add(value);
        }
        return nodes;
    }

    static String text(JsonNode source, String field) {
        JsonNode value = source == null ? null : source.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    /** A keyword list; a single value (Elasticsearch accepts both) counts as a list of one. */
    /**
     * A set of codes, sorted as the job writes it: the same whether read from {@code _source} or
     * from doc values ({@link DocValueHits}).
     */
    static List<String> codes(JsonNode source, String field) {
        return strings(source, field).stream().sorted().distinct().toList();
    }

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
