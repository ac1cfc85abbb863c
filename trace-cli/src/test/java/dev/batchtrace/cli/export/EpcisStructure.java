package dev.batchtrace.cli.export;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The rules of GS1's EPCIS 2.0 JSON schema (gs1/EPCIS, JSON-Schema/: EPCIS-Document, event
 * definitions, ObjectEvent, TransformationEvent, bizStep, disposition, source/destination types)
 * that our documents touch, written out as checks with readable messages. The schema itself is
 * checked too ({@link Gs1EpcisSchema}, from the npm package that ships it); these checks run
 * without npm and name the rule a document breaks.
 */
final class EpcisStructure {

    private static final Set<String> DOCUMENT_FIELDS =
            Set.of(
                    "@context",
                    "id",
                    "type",
                    "schemaVersion",
                    "creationDate",
                    "instanceIdentifier",
                    "sender",
                    "receiver",
                    "epcisHeader",
                    "epcisBody");
    private static final Set<String> ACTIONS = Set.of("OBSERVE", "ADD", "DELETE");
    // bizStep-JSON-Schema.json (CBV 2.0 bare words)
    private static final Set<String> BIZ_STEPS =
            Set.of(
                    "accepting",
                    "arriving",
                    "assembling",
                    "collecting",
                    "commissioning",
                    "consigning",
                    "creating_class_instance",
                    "cycle_counting",
                    "decommissioning",
                    "departing",
                    "destroying",
                    "disassembling",
                    "dispensing",
                    "encoding",
                    "entering_exiting",
                    "holding",
                    "inspecting",
                    "installing",
                    "killing",
                    "loading",
                    "other",
                    "packing",
                    "picking",
                    "receiving",
                    "removing",
                    "repackaging",
                    "repairing",
                    "replacing",
                    "reserving",
                    "retail_selling",
                    "shipping",
                    "staging_outbound",
                    "stock_taking",
                    "stocking",
                    "storing",
                    "transporting",
                    "unloading",
                    "unpacking",
                    "void_shipping",
                    "sensor_reporting",
                    "sampling");
    // disposition-JSON-Schema.json: the ones a trace can state
    private static final Set<String> DISPOSITIONS =
            Set.of(
                    "active",
                    "container_closed",
                    "damaged",
                    "destroyed",
                    "dispensed",
                    "disposed",
                    "encoded",
                    "expired",
                    "in_progress",
                    "in_transit",
                    "inactive",
                    "no_pedigree_match",
                    "non_sellable_other",
                    "partially_dispensed",
                    "recalled",
                    "reserved",
                    "retail_sold",
                    "returned",
                    "sellable_accessible",
                    "sellable_not_accessible",
                    "stolen",
                    "unknown",
                    "available",
                    "completeness_verified",
                    "completeness_inferred",
                    "conformant",
                    "container_open",
                    "mismatch_instance",
                    "mismatch_class",
                    "mismatch_quantity",
                    "needs_replacement",
                    "non_conformant",
                    "unavailable");
    private static final Set<String> SOURCE_DEST_TYPES =
            Set.of("owning_party", "possessing_party", "location");
    private static final Set<String> BIZ_TRANSACTION_TYPES =
            Set.of(
                    "bol",
                    "cert",
                    "desadv",
                    "inv",
                    "pedigree",
                    "po",
                    "poc",
                    "prodorder",
                    "recadv",
                    "rma",
                    "testprd",
                    "testres",
                    "upevt");

    private EpcisStructure() {}

    /** Every violation found; empty when the document passes. */
    static List<String> violations(JsonNode doc) {
        List<String> problems = new ArrayList<>();
        for (String required :
                List.of("@context", "type", "schemaVersion", "creationDate", "epcisBody")) {
            if (!doc.has(required)) {
                problems.add("document: missing " + required);
            }
        }
        if (!"EPCISDocument".equals(doc.path("type").asString(""))) {
            problems.add("document: type must be EPCISDocument");
        }
        for (String name : doc.propertyNames()) {
            if (!DOCUMENT_FIELDS.contains(name) && !vocabUri(name)) {
                problems.add("document: property " + name + " is neither standard nor a URI");
            }
        }
        time(doc.path("creationDate"), "document creationDate", problems);
        JsonNode events = doc.path("epcisBody").path("eventList");
        if (!events.isArray()) {
            problems.add("document: epcisBody.eventList must be an array");
            return problems;
        }
        int i = 0;
        for (JsonNode event : events.values()) {
            event(event, "event " + i++, problems);
        }
        return problems;
    }

    private static void event(JsonNode e, String where, List<String> problems) {
        time(e.path("eventTime"), where + " eventTime", problems);
        if (!e.path("eventTimeZoneOffset")
                .asString("")
                .matches("^([+]|[-])((0[0-9]|1[0-3]):([0-5][0-9])|14:00)$")) {
            problems.add(where + ": eventTimeZoneOffset " + e.path("eventTimeZoneOffset"));
        }
        if (e.has("eventID")) {
            uri(e.path("eventID"), where + " eventID", problems);
        }
        String type = e.path("type").asString("");
        if (e.has("bizStep")) {
            String step = e.path("bizStep").asString("");
            if (!BIZ_STEPS.contains(step) && !vocabUri(step)) {
                problems.add(where + ": bizStep " + step);
            }
        }
        if (e.has("disposition")) {
            String disposition = e.path("disposition").asString("");
            if (!DISPOSITIONS.contains(disposition) && !vocabUri(disposition)) {
                problems.add(where + ": disposition " + disposition);
            }
        }
        for (String location : List.of("readPoint", "bizLocation")) {
            if (e.has(location)) {
                uri(e.path(location).path("id"), where + " " + location + ".id", problems);
            }
        }
        list(
                e,
                "sourceList",
                where,
                problems,
                entry -> sourceDest(entry, "source", where, problems));
        list(
                e,
                "destinationList",
                where,
                problems,
                entry -> sourceDest(entry, "destination", where, problems));
        list(
                e,
                "bizTransactionList",
                where,
                problems,
                tx -> {
                    only(tx, Set.of("type", "bizTransaction"), where + " bizTransaction", problems);
                    uri(tx.path("bizTransaction"), where + " bizTransaction", problems);
                    if (tx.has("type")
                            && !BIZ_TRANSACTION_TYPES.contains(tx.path("type").asString(""))
                            && !vocabUri(tx.path("type").asString(""))) {
                        problems.add(where + ": bizTransaction type " + tx.path("type"));
                    }
                });
        if (e.has("ilmd")) {
            for (String name : e.path("ilmd").propertyNames()) {
                if (!vocabUri(name)) {
                    problems.add(where + ": ilmd property " + name + " is not a URI");
                }
            }
        }
        switch (type) {
            case "ObjectEvent" -> {
                String action = e.path("action").asString("");
                if (!ACTIONS.contains(action)) {
                    problems.add(where + ": action " + action);
                }
                if (e.has("ilmd") && !"ADD".equals(action)) {
                    problems.add(where + ": ilmd only with action ADD");
                }
                boolean epcs = e.path("epcList").isArray();
                boolean quantities =
                        e.path("quantityList").isArray() && !e.path("quantityList").isEmpty();
                if (!epcs && !quantities) {
                    problems.add(where + ": neither epcList nor a non-empty quantityList");
                }
                quantityList(e.path("quantityList"), where + " quantityList", problems);
            }
            case "TransformationEvent" -> {
                quantityList(e.path("inputQuantityList"), where + " inputQuantityList", problems);
                quantityList(e.path("outputQuantityList"), where + " outputQuantityList", problems);
                if (e.has("transformationID")) {
                    uri(e.path("transformationID"), where + " transformationID", problems);
                }
            }
            default -> problems.add(where + ": type " + type + " is not one we write");
        }
        for (String name : e.propertyNames()) {
            if (!name.matches("[A-Za-z@][A-Za-z]*") && !vocabUri(name)) {
                problems.add(where + ": property " + name);
            }
        }
    }

    private static void quantityList(JsonNode list, String where, List<String> problems) {
        if (list.isMissingNode()) {
            return;
        }
        if (!list.isArray()) {
            problems.add(where + ": not an array");
            return;
        }
        for (JsonNode q : list.values()) {
            only(q, Set.of("epcClass", "quantity", "uom"), where, problems);
            uri(q.path("epcClass"), where + " epcClass", problems);
            if (!q.path("quantity").isNumber()) {
                problems.add(where + ": quantity must be a number");
            }
            if (q.has("uom") && !q.path("uom").asString("").matches("^[A-Z0-9]{2,3}$")) {
                problems.add(where + ": uom " + q.path("uom"));
            }
        }
    }

    private static void sourceDest(
            JsonNode entry, String field, String where, List<String> problems) {
        only(entry, Set.of("type", field), where + " " + field, problems);
        if (!SOURCE_DEST_TYPES.contains(entry.path("type").asString(""))
                && !vocabUri(entry.path("type").asString(""))) {
            problems.add(where + ": " + field + " type " + entry.path("type"));
        }
        uri(entry.path(field), where + " " + field, problems);
    }

    private static void list(
            JsonNode e,
            String field,
            String where,
            List<String> problems,
            java.util.function.Consumer<JsonNode> each) {
        if (!e.has(field)) {
            return;
        }
        if (!e.path(field).isArray()) {
            problems.add(where + ": " + field + " is not an array");
            return;
        }
        e.path(field).values().forEach(each);
    }

    private static void only(
            JsonNode node, Set<String> allowed, String where, List<String> problems) {
        for (String name : node.propertyNames()) {
            if (!allowed.contains(name)) {
                problems.add(where + ": unexpected property " + name);
            }
        }
    }

    private static void time(JsonNode value, String where, List<String> problems) {
        try {
            OffsetDateTime.parse(value.asString(""));
        } catch (DateTimeParseException e) {
            problems.add(where + ": not a date-time: " + value);
        }
    }

    private static void uri(JsonNode value, String where, List<String> problems) {
        String text = value.asString("");
        try {
            if (text.isEmpty() || !new URI(text).isAbsolute()) {
                problems.add(where + ": not an absolute URI: " + value);
            }
        } catch (URISyntaxException e) {
            problems.add(where + ": not a URI: " + value);
        }
    }

    /** A compact or full URI as an extension name ("bt:lotCode", "https://..."). */
    private static boolean vocabUri(String name) {
        return name.matches("^[A-Za-z][A-Za-z0-9+.-]*:.+");
    }
}
