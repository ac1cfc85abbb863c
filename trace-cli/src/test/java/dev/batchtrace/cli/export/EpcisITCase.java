package dev.batchtrace.cli.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.batchtrace.cli.CliRun;
import dev.batchtrace.cli.query.SampleDayDocuments;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchClients;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchSettings;
import dev.batchtrace.connectors.elasticsearch.IndexTemplates;
import dev.batchtrace.connectors.gateway.JsonLinesReader;
import dev.batchtrace.connectors.gateway.LineResult;
import dev.batchtrace.connectors.gateway.ParsedEvent;
import dev.batchtrace.lineage.documents.TraceDocument;
import dev.batchtrace.lineage.reference.LineageReference;
import dev.batchtrace.stack.Checkout;
import dev.batchtrace.stack.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code trace export epcis} and {@code trace import epcis} on the sample factory day: the
 * documents are valid against GS1's EPCIS 2.0 JSON schema ({@link Gs1EpcisSchema}) and pass the
 * rules written out in {@link EpcisStructure}, and importing one gives back events from which the
 * batch reference computes the same genealogy as from the day itself.
 */
class EpcisITCase {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static ElasticsearchClient client;
    private static String url;

    @TempDir static Path temp;

    @BeforeAll
    static void indexTheSampleDay() throws Exception {
        url = TestServers.elasticsearchUrl();
        client = ElasticsearchClients.create(ElasticsearchSettings.forHosts(url));
        IndexTemplates.install(client, line -> {});
        SampleDayDocuments.index(client, Instant.parse("2026-11-02T16:30:05Z"));
    }

    @AfterAll
    static void disconnect() throws Exception {
        if (client != null) {
            client.close();
        }
    }

    private static JsonNode export(String lot) throws Exception {
        Path file = temp.resolve(lot + ".jsonld");
        CliRun run =
                CliRun.trace(
                        "export",
                        "epcis",
                        lot,
                        "--out",
                        file.toString(),
                        "--elasticsearch-url",
                        url);
        assertEquals(0, run.exitCode(), run.err());
        return JSON.readTree(file.toFile());
    }

    @Test
    void theDocumentFollowsTheEpcisSchemaRules() throws Exception {
        JsonNode doc = export("FG-261102-01");

        assertEquals(List.of(), EpcisStructure.violations(doc));
        List<String> kinds = new ArrayList<>();
        doc.path("epcisBody")
                .path("eventList")
                .forEach(
                        e ->
                                kinds.add(
                                        e.path("type").asString()
                                                + "/"
                                                + e.path("bizStep").asString()));
        // 6 receipts (RM-01, -03, -04, -05, -07, -08), 3 work orders (WO-26-1001, -1002, -2001),
        // 2 dispatch notes (DN-26-7001, DN-26-7002)
        assertEquals(
                6,
                kinds.stream().filter("ObjectEvent/receiving"::equals).count(),
                kinds.toString());
        assertEquals(
                3,
                kinds.stream().filter("TransformationEvent/commissioning"::equals).count(),
                kinds.toString());
        assertEquals(
                2, kinds.stream().filter("ObjectEvent/shipping"::equals).count(), kinds.toString());
        JsonNode assembly = null;
        for (JsonNode e : doc.path("epcisBody").path("eventList")) {
            if (e.path("transformationID").asString("").endsWith(":WO-26-2001")) {
                assembly = e;
            }
        }
        assertEquals(
                "{\"epcClass\":\"urn:batchtrace:class:TC-100:lot:FG-261102-01\",\"quantity\":400.0}",
                assembly.path("outputQuantityList").get(0).toString());
        assertEquals(5, assembly.path("inputQuantityList").size(), assembly.toString());

        // the checks can fail: a broken copy is caught
        ObjectNode broken = (ObjectNode) doc.deepCopy();
        ObjectNode first = (ObjectNode) broken.path("epcisBody").path("eventList").get(0);
        first.put("action", "MOVE");
        ((ObjectNode) first.path("quantityList").get(0)).put("uom", "kilogram");
        first.remove("eventTimeZoneOffset");
        broken.put("unknownField", 1);
        // MOVE is no action, and ilmd goes only with ADD: five
        assertEquals(
                5,
                EpcisStructure.violations(broken).size(),
                EpcisStructure.violations(broken).toString());
    }

    @Test
    void theDocumentsAreValidAgainstGs1sEpcisJsonSchema() throws Exception {
        Gs1EpcisSchema schema = Gs1EpcisSchema.load();
        // a finished lot, the held resin lot (forward: shipments) and the lot that failed QC
        JsonNode doc = null;
        for (String lot : List.of("FG-261102-01", "RM-261102-01", "FG-261102-02")) {
            doc = export(lot);
            assertTrue(doc.path("epcisBody").path("eventList").size() >= 8, lot);
            assertEquals(List.of(), schema.violations(doc), lot);
        }

        // the schema can fail: each of these is refused on its own
        ObjectNode noAction = (ObjectNode) doc.deepCopy();
        ((ObjectNode) noAction.path("epcisBody").path("eventList").get(0)).put("action", "MOVE");
        assertFalse(schema.violations(noAction).isEmpty(), "MOVE is no EPCIS action");
        ObjectNode badTime = (ObjectNode) doc.deepCopy();
        ((ObjectNode) badTime.path("epcisBody").path("eventList").get(0))
                .put("eventTime", "yesterday");
        assertFalse(schema.violations(badTime).isEmpty(), "eventTime is a date-time");
        ObjectNode unknownField = (ObjectNode) doc.deepCopy();
        ((ObjectNode) unknownField.path("epcisBody").path("eventList").get(0))
                .put("lotNumber", "x");
        assertFalse(
                schema.violations(unknownField).isEmpty(),
                "a field outside EPCIS needs a namespace prefix");
    }

    @Test
    void importingTheExportGivesBackTheSameGenealogy() throws Exception {
        String lot = "FG-261102-01";
        Path file = temp.resolve("import-" + lot + ".jsonld");
        assertEquals(
                0,
                CliRun.trace(
                                "export",
                                "epcis",
                                lot,
                                "--out",
                                file.toString(),
                                "--elasticsearch-url",
                                url)
                        .exitCode());
        Path lines = temp.resolve("import-" + lot + ".jsonl");
        CliRun run =
                CliRun.trace(
                        "import",
                        "epcis",
                        file.toString(),
                        "--jsonl",
                        lines.toString(),
                        "--dry-run");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("events from"), run.out());

        Map<String, TraceDocument> imported = LineageReference.withHolds(events(lines)).documents();
        Map<String, TraceDocument> original =
                LineageReference.withHolds(
                                events(
                                        Checkout.locate()
                                                .root()
                                                .resolve("deploy/sample-data/factory-day.jsonl")))
                        .documents();
        Set<String> genealogy =
                Set.of(
                        "FG-261102-01",
                        "SA-261102-01",
                        "SA-261102-02",
                        "RM-261102-01",
                        "RM-261102-03",
                        "RM-261102-04",
                        "RM-261102-05",
                        "RM-261102-07",
                        "RM-261102-08");
        List<String> fields =
                List.of(
                        "kind",
                        "materialCode",
                        "materialName",
                        "supplierId",
                        "supplierName",
                        "supplierLotCode",
                        "quantity",
                        "unit",
                        "site",
                        "receivedAt",
                        "producedAt",
                        "workOrderId",
                        "inputLotCodes",
                        "ancestorLotCodes",
                        "ancestorSupplierLots");
        for (String code : genealogy) {
            Map<String, Object> want = pick(lotDoc(original, code), fields);
            Map<String, Object> got = pick(lotDoc(imported, code), fields);
            assertEquals(want, got, code);
        }
        for (String dispatch : List.of("DN-26-7001", "DN-26-7002")) {
            Map<String, Object> want = doc(original, "trace-shipments", dispatch);
            Map<String, Object> got = doc(imported, "trace-shipments", dispatch);
            for (String field :
                    List.of(
                            "customerId",
                            "customerName",
                            "destination",
                            "shippedAt",
                            "ancestorLotCodes")) {
                Object expected = want.get(field);
                if (field.equals("ancestorLotCodes")) {
                    // DN-26-7002 also carried FG-261102-02, not part of FG-261102-01's history
                    expected =
                            new TreeSet<>((List<?>) expected)
                                    .stream()
                                            .filter(c -> genealogy.contains(String.valueOf(c)))
                                            .toList();
                }
                assertEquals(expected, got.get(field), dispatch + " " + field);
            }
        }
    }

    @Test
    void importPublishesTheEventsThroughTheRegistryToTheirTopics() throws Exception {
        Path file = temp.resolve("publish.jsonld");
        assertEquals(
                0,
                CliRun.trace(
                                "export",
                                "epcis",
                                "RM-261102-01",
                                "--out",
                                file.toString(),
                                "--elasticsearch-url",
                                url)
                        .exitCode());

        CliRun run =
                CliRun.trace(
                        "import",
                        "epcis",
                        file.toString(),
                        "--bootstrap-servers",
                        TestServers.kafkaBootstrapServers(),
                        "--registry-url",
                        TestServers.schemaRegistryUrl());

        assertEquals(0, run.exitCode(), run.out() + run.err());
        // 1 receipt; 4 work orders with 2 + 2 + 5 + 5 consumptions and 4 outputs; 3 dispatches
        assertTrue(run.out().contains("22 events from "), run.out());
        assertTrue(run.out().contains("22 published, 0 rejected"), run.out());
        assertTrue(run.out().matches("(?s).*mes\\.dispatch-notes +3\\n.*"), run.out());
        assertTrue(run.out().matches("(?s).*mes\\.goods-receipts +1\\n.*"), run.out());
    }

    @Test
    void aFileThatIsNotEpcisIsRefused() throws Exception {
        Path file = Files.writeString(temp.resolve("not.jsonld"), "{\"type\":\"Something\"}");
        CliRun run = CliRun.trace("import", "epcis", file.toString(), "--dry-run");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("not an EPCISDocument"), run.err());
    }

    private static List<Object> events(Path jsonl) throws Exception {
        List<Object> events = new ArrayList<>();
        for (LineResult line : new JsonLinesReader().readAll(jsonl)) {
            assertTrue(line instanceof ParsedEvent, () -> "rejected: " + line);
            events.add(((ParsedEvent) line).value());
        }
        return events;
    }

    private static Map<String, Object> lotDoc(Map<String, TraceDocument> docs, String code) {
        return doc(docs, "trace-lots", code);
    }

    private static Map<String, Object> doc(
            Map<String, TraceDocument> docs, String index, String id) {
        for (TraceDocument doc : docs.values()) {
            if (doc.index().startsWith(index) && doc.documentId().equals(id) && !doc.isDeletion()) {
                return JSON.convertValue(JSON.readTree(doc.toJson()), Map.class);
            }
        }
        throw new AssertionError("no " + index + " document " + id + " in " + docs.keySet());
    }

    private static Map<String, Object> pick(Map<String, Object> doc, List<String> fields) {
        Map<String, Object> picked = new TreeMap<>();
        for (String field : fields) {
            picked.put(field, doc.get(field));
        }
        return picked;
    }
}
