package dev.batchtrace.connectors.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kibana cannot run here, so its saved objects are tested as a file: every line parses, every
 * reference resolves, and every field a saved search shows or queries is mapped by its template.
 */
class KibanaSavedObjectsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path SAVED_OBJECTS =
            Path.of("../../deploy/kibana/trace-saved-objects.ndjson");

    /** {@code field :} in a KQL query. */
    private static final Pattern KQL_FIELD =
            Pattern.compile("([A-Za-z][\\w.]*)\\s*:\\s*(\\{)?|(\\})");

    @Test
    void everySavedSearchNamesOnlyMappedFieldsOfAnExistingDataView() throws IOException {
        List<JsonNode> objects = savedObjects();
        Map<String, TraceIndex> dataViews = new HashMap<>();
        for (JsonNode object : objects) {
            if (object.path("type").asString().equals("index-pattern")) {
                String title = object.path("attributes").path("title").asString();
                TraceIndex index = indexByAlias(title);
                dataViews.put(object.path("id").asString(), index);
                String timeField = object.path("attributes").path("timeFieldName").asString("");
                if (!timeField.isEmpty()) {
                    assertTrue(
                            mappedFields(index).contains(timeField),
                            title + " time field " + timeField);
                }
            }
        }
        assertEquals(TraceIndex.values().length, dataViews.size(), "a data view per trace index");

        int searches = 0;
        for (JsonNode object : objects) {
            if (!object.path("type").asString().equals("search")) {
                continue;
            }
            searches++;
            String title = object.path("attributes").path("title").asString();
            JsonNode reference = object.path("references").get(0);
            TraceIndex index = dataViews.get(reference.path("id").asString());
            assertTrue(index != null, title + " refers to an unknown data view " + reference);
            Set<String> fields = mappedFields(index);
            List<String> named = new ArrayList<>();
            object.path("attributes").path("columns").forEach(c -> named.add(c.asString()));
            object.path("attributes")
                    .path("sort")
                    .forEach(sort -> named.add(sort.get(0).asString()));
            JsonNode source =
                    JSON.readTree(
                            object.path("attributes")
                                    .path("kibanaSavedObjectMeta")
                                    .path("searchSourceJSON")
                                    .asString());
            assertEquals(
                    reference.path("name").asString(),
                    source.path("indexRefName").asString(),
                    title + ": the search source names its data view reference");
            Matcher field = KQL_FIELD.matcher(source.path("query").path("query").asString());
            boolean queried = false;
            // nested KQL: inside "path:{ ... }" a field name is relative to path
            java.util.Deque<String> scope = new java.util.ArrayDeque<>();
            while (field.find()) {
                if (field.group(3) != null) {
                    scope.pop();
                    continue;
                }
                String name = (scope.isEmpty() ? "" : scope.peek()) + field.group(1);
                named.add(name);
                if (field.group(2) != null) {
                    scope.push(name + ".");
                }
                queried = true;
            }
            assertTrue(queried, title + " has a query");
            for (String name : named) {
                assertTrue(
                        fields.contains(name),
                        title + ": " + name + " is not mapped in " + index.alias());
            }
        }
        assertTrue(searches >= 4, "saved searches: " + searches);
    }

    @Test
    void theCheckNoticesAFieldTheTemplatesDoNotMap() {
        assertFalse(mappedFields(TraceIndex.SHIPMENTS).contains("ancestorSupplierLot"));
        assertTrue(mappedFields(TraceIndex.SHIPMENTS).contains("ancestorSupplierLots"));
        assertTrue(mappedFields(TraceIndex.LOTS).contains("ancestors.depth"));
    }

    private static List<JsonNode> savedObjects() throws IOException {
        List<JsonNode> objects = new ArrayList<>();
        for (String line : Files.readAllLines(SAVED_OBJECTS)) {
            if (!line.isBlank()) {
                objects.add(JSON.readTree(line));
            }
        }
        assertFalse(objects.isEmpty(), SAVED_OBJECTS + " is empty");
        return objects;
    }

    private static TraceIndex indexByAlias(String alias) {
        for (TraceIndex index : TraceIndex.values()) {
            if (index.alias().equals(alias)) {
                return index;
            }
        }
        throw new AssertionError("data view " + alias + " is not a trace index alias");
    }

    /** Every field path of the index's template mapping, nested objects as {@code a.b}. */
    private static Set<String> mappedFields(TraceIndex index) {
        JsonNode properties =
                JSON.readTree(IndexTemplates.templateJson(index))
                        .path("template")
                        .path("mappings")
                        .path("properties");
        Set<String> fields = new HashSet<>();
        collect("", properties, fields);
        return fields;
    }

    private static void collect(String prefix, JsonNode properties, Set<String> fields) {
        for (Map.Entry<String, JsonNode> field : properties.properties()) {
            String name = prefix + field.getKey();
            fields.add(name);
            collect(name + ".", field.getValue().path("properties"), fields);
            for (Map.Entry<String, JsonNode> sub : field.getValue().path("fields").properties()) {
                fields.add(name + "." + sub.getKey());
            }
        }
    }
}
