package dev.batchtrace.lineage.documents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchtrace.lineage.LineagePropertyTest;
import dev.batchtrace.lineage.closure.AncestorEntry;
import dev.batchtrace.lineage.reference.LineageReference;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The documents use the field names of the Elasticsearch index templates
 * (connectors-elasticsearch): with {@code "dynamic": false} a field the template does not map is
 * kept in _source but cannot be searched, so every such field is listed here on purpose.
 */
class TraceDocumentsTest {

    static final Path TEMPLATES =
            Path.of(
                    "../../connectors/elasticsearch/src/main/resources/elasticsearch/index-templates");

    /** Fields the documents carry that the templates do not map (none: all are searchable). */
    static final Set<String> NOT_YET_MAPPED = Set.of();

    @Test
    void everyDocumentFieldIsMappedByItsIndexTemplate() throws IOException {
        // the sample day: every field of every document kind is set somewhere in it (holds: its
        // one HOLD)
        List<Object> events = LineagePropertyTest.sampleDayEvents();
        Set<String> unmapped = new TreeSet<>();
        LineageReference.Result reference = LineageReference.withHolds(events);
        List<TraceDocument> docs = new ArrayList<>(reference.documents().values());
        reference
                .alerts()
                .values()
                .forEach(a -> docs.add(a.toDocument(Instant.EPOCH, Instant.EPOCH)));
        for (TraceDocument doc : docs) {
            Set<String> mapped = mappedFields(doc.index());
            for (String field : fields("", doc.source())) {
                if (!mapped.contains(field)) {
                    unmapped.add(doc.index() + ":" + field);
                }
            }
        }
        assertEquals(NOT_YET_MAPPED, unmapped);
    }

    @Test
    void aLotKnownOnlyFromAnEdgeHasADocumentWithoutKindAndNoneWithoutEdges() {
        TraceDocument referenced =
                TraceDocuments.lot(
                        "RM-9", null, List.of(), Map.of("DN-1", Set.of("C-1")), List.of(), true);
        assertEquals("RM-9", referenced.source().get("lotCode"));
        assertTrue(!referenced.source().containsKey("kind"));
        assertEquals(List.of("C-1"), referenced.source().get("customerIds"));
        assertTrue(
                TraceDocuments.lot("RM-9", null, List.of(), Map.of(), List.of(), false)
                        .isDeletion());
    }

    @Test
    void flatAndCombinedSupplierFieldsComeFromTheSameAncestors() {
        TraceDocument doc =
                TraceDocuments.shipment(
                        "DN-1",
                        null,
                        List.of("FG-1"),
                        List.of(
                                new AncestorEntry("RM-7", "SCREW", "SUP-FAST", "L2611-01", 2),
                                new AncestorEntry("RM-2", "RESIN", "SUP-POLY", "L2611-02", 2),
                                new AncestorEntry("FG-1", "TC-100", null, null, 1)));
        Map<String, Object> s = doc.source();
        assertEquals(List.of("FG-1", "RM-2", "RM-7"), s.get("ancestorLotCodes"));
        assertEquals(List.of("SUP-FAST", "SUP-POLY"), s.get("ancestorSupplierIds"));
        assertEquals(List.of("L2611-01", "L2611-02"), s.get("ancestorSupplierLotCodes"));
        // the combined keyword cannot be fooled by SUP-POLY + another supplier's L2611-01
        assertEquals(
                List.of("SUP-FAST/L2611-01", "SUP-POLY/L2611-02"), s.get("ancestorSupplierLots"));
        assertEquals(List.of("RESIN", "SCREW", "TC-100"), s.get("ancestorMaterialCodes"));
    }

    private static Set<String> mappedFields(String index) throws IOException {
        JsonNode root = new ObjectMapper().readTree(TEMPLATES.resolve(index + ".json").toFile());
        JsonNode template = root.has("template") ? root.get("template") : root;
        Set<String> fields = new TreeSet<>();
        collect("", template.get("mappings").get("properties"), fields);
        return fields;
    }

    private static void collect(String prefix, JsonNode properties, Set<String> out) {
        Iterator<Map.Entry<String, JsonNode>> it = properties.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            out.add(prefix + f.getKey());
            if (f.getValue().has("properties")) {
                collect(prefix + f.getKey() + ".", f.getValue().get("properties"), out);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> fields(String prefix, Map<String, Object> source) {
        Set<String> out = new TreeSet<>();
        for (Map.Entry<String, Object> e : source.entrySet()) {
            out.add(prefix + e.getKey());
            if (e.getValue() instanceof Map<?, ?> m) {
                out.addAll(fields(prefix + e.getKey() + ".", (Map<String, Object>) m));
            }
            if (e.getValue() instanceof List<?> list) {
                for (Object item : list) {
                    if (item instanceof Map<?, ?> m) {
                        out.addAll(fields(prefix + e.getKey() + ".", (Map<String, Object>) m));
                    }
                }
            }
        }
        return out;
    }
}
