package dev.batchtrace.cli.query;

import co.elastic.clients.elasticsearch._types.query_dsl.FieldAndFormat;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.JsonData;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A page's summary fields read from doc values instead of {@code _source} (issue 9): a trace
 * document's source holds its whole closure, and loading and decompressing it for each of a page's
 * hits was most of a bulk lot's query (server {@code took} p99 10-12 ms against 2-5 ms, bulk
 * history). Only the summaries' fields have doc values; a text field's keyword sub-field drops
 * values over 256 characters, so a hit missing one is read from its source ({@link #needsSource}).
 */
final class DocValueHits {

    /** Text fields and their keyword sub-fields ({@code ignore_above} 256 in the templates). */
    private static final Map<String, String> KEYWORD_OF_TEXT =
            Map.of(
                    "materialName", "materialName.keyword",
                    "supplierName", "supplierName.keyword",
                    "customerName", "customerName.keyword",
                    "destination", "destination.keyword");

    /** A text field a document carries only with another: a produced lot has no supplier. */
    private static final Map<String, String> ONLY_WITH = Map.of("supplierName", "supplierId");

    /** Multi-valued fields (doc values give them sorted and distinct: they are sets here). */
    private static final Set<String> LISTS = Set.of("inputLotCodes", "lotCodes");

    private static final Set<String> COVERED = new HashSet<>();

    static {
        COVERED.addAll(Documents.LOT_FIELDS);
        COVERED.addAll(Documents.SHIPMENT_FIELDS);
    }

    private DocValueHits() {}

    /** Whether every field has doc values (else the page reads {@code _source}). */
    static boolean covers(List<String> fields) {
        return COVERED.containsAll(fields);
    }

    /** The {@code docvalue_fields} of a search for {@code fields}. */
    static List<FieldAndFormat> columns(List<String> fields) {
        List<FieldAndFormat> columns = new ArrayList<>();
        for (String field : fields) {
            String column = KEYWORD_OF_TEXT.getOrDefault(field, field);
            columns.add(FieldAndFormat.of(f -> f.field(column)));
        }
        return columns;
    }

    /**
     * The hit with a {@code _source} of {@code fields} built from its doc values and the id from
     * {@code keyField} (the documents' id; a search without stored fields returns no {@code _id}).
     */
    static Hit<JsonNode> withSource(Hit<JsonNode> hit, List<String> fields, String keyField) {
        ObjectNode source = source(hit.fields(), fields);
        JsonNode key = source.get(keyField);
        return withSource(hit, key == null ? hit.id() : key.asString(), source);
    }

    /** The hit (its index, score and sort values) with another id and source. */
    static Hit<JsonNode> withSource(Hit<JsonNode> hit, String id, JsonNode source) {
        return Hit.of(
                h ->
                        h.index(hit.index())
                                .id(id)
                                .score(hit.score())
                                .sort(hit.sort())
                                .source(source));
    }

    static ObjectNode source(Map<String, JsonData> values, List<String> fields) {
        ObjectNode source = JsonNodeFactory.instance.objectNode();
        for (String field : fields) {
            JsonData data = values.get(KEYWORD_OF_TEXT.getOrDefault(field, field));
            if (data == null) {
                continue;
            }
            JsonNode column = data.to(JsonNode.class);
            if (LISTS.contains(field)) {
                source.set(field, column.isArray() ? column : arrayOf(column));
            } else if (column.isArray()) {
                if (!column.isEmpty()) {
                    source.set(field, column.get(0));
                }
            } else {
                source.set(field, column);
            }
        }
        return source;
    }

    /**
     * True when a text field the document should carry has no keyword value: it is over the
     * keyword's 256 characters (or the document lacks it), so the hit is read from its source.
     */
    static boolean needsSource(JsonNode source, List<String> fields) {
        for (String field : fields) {
            if (!KEYWORD_OF_TEXT.containsKey(field) || source.has(field)) {
                continue;
            }
            String with = ONLY_WITH.get(field);
            if (with == null || source.has(with) || !fields.contains(with)) {
                return true;
            }
        }
        return false;
    }

    private static ArrayNode arrayOf(JsonNode value) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        array.add(value);
        return array;
    }
}
