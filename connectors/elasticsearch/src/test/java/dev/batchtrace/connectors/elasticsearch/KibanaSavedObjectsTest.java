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
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kibana cannot run here, so its saved objects are tested as a file: every line parses, every
 * reference resolves, and every field a saved search shows or queries is mapped by its template;
 * the dashboard's Lens panels and the alerting rule likewise.
 */
class KibanaSavedObjectsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path SAVED_OBJECTS =
            Path.of("../../deploy/kibana/trace-saved-objects.ndjson");
    private static final Path RULE = Path.of("../../deploy/kibana/trace-alerts-rule.json");

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

    /**
     * Discover and Lens leave out every document without the data view's time field, so a time
     * field must be one every document of the index has: lots known only from a consumption have
     * neither receivedAt nor producedAt, units seen only on a dispatch line have no producedAt, a
     * hub's closure entries have no time at all.
     */
    @Test
    void onlyDataViewsWhoseEveryDocumentHasTheTimeFieldHaveOne() throws IOException {
        Map<String, String> timeFields = new TreeMap<>();
        for (JsonNode object : savedObjects()) {
            if (object.path("type").asString().equals("index-pattern")) {
                timeFields.put(
                        object.path("attributes").path("title").asString(),
                        object.path("attributes").path("timeFieldName").asString(""));
            }
        }
        assertEquals("", timeFields.get(TraceIndex.LOTS.alias()));
        assertEquals("", timeFields.get(TraceIndex.UNITS.alias()));
        assertEquals("", timeFields.get(TraceIndex.CLOSURES.alias()));
        assertEquals("raisedAt", timeFields.get(TraceIndex.ALERTS.alias()));
        assertEquals("failedAt", timeFields.get(TraceIndex.DEAD_LETTERS.alias()));
        assertEquals("shippedAt", timeFields.get(TraceIndex.SHIPMENTS.alias()));
    }

    @Test
    void theCheckNoticesAFieldTheTemplatesDoNotMap() {
        assertFalse(mappedFields(TraceIndex.SHIPMENTS).contains("ancestorSupplierLot"));
        assertTrue(mappedFields(TraceIndex.SHIPMENTS).contains("ancestorSupplierLots"));
        assertTrue(mappedFields(TraceIndex.LOTS).contains("ancestors.depth"));
    }

    @Test
    void theDashboardShowsLensPanelsThatNameOnlyMappedOrRuntimeFields() throws IOException {
        List<JsonNode> objects = savedObjects();
        Map<String, JsonNode> byId = new HashMap<>();
        objects.forEach(
                o -> byId.put(o.path("type").asString() + "/" + o.path("id").asString(), o));
        JsonNode dashboard = byId.get("dashboard/trace-quality-overview");
        assertTrue(dashboard != null, "the quality dashboard is in the file");
        JsonNode panels = JSON.readTree(dashboard.path("attributes").path("panelsJSON").asString());
        assertEquals(5, panels.size(), "holds, shipments per customer, QC, alerts, mass balance");
        Set<String> referenceNames = new HashSet<>();
        for (JsonNode reference : dashboard.path("references")) {
            referenceNames.add(reference.path("name").asString());
            assertTrue(
                    byId.containsKey(
                            reference.path("type").asString()
                                    + "/"
                                    + reference.path("id").asString()),
                    "dashboard panel refers to a missing object: " + reference);
        }
        for (JsonNode panel : panels) {
            assertTrue(
                    referenceNames.contains(panel.path("panelRefName").asString()),
                    "panel " + panel.path("panelIndex").asString() + " has its reference");
        }
        int lenses = 0;
        for (JsonNode object : objects) {
            if (object.path("type").asString().equals("lens")) {
                lenses++;
                assertEquals(
                        List.of(), lensProblems(object, objects), object.path("id").asString());
            }
        }
        assertEquals(5, lenses);
    }

    @Test
    void runtimeFieldsReadOnlyMappedFields() throws IOException {
        for (JsonNode object : savedObjects()) {
            if (!object.path("type").asString().equals("index-pattern")) {
                continue;
            }
            TraceIndex index = indexByAlias(object.path("attributes").path("title").asString());
            String runtime = object.path("attributes").path("runtimeFieldMap").asString("");
            if (runtime.isEmpty()) {
                continue;
            }
            for (Map.Entry<String, JsonNode> field : JSON.readTree(runtime).properties()) {
                Matcher doc =
                        Pattern.compile("doc\\['([^']+)'\\]")
                                .matcher(field.getValue().path("script").path("source").asString());
                boolean reads = false;
                while (doc.find()) {
                    reads = true;
                    assertTrue(
                            mappedFields(index).contains(doc.group(1)),
                            field.getKey() + " reads unmapped " + doc.group(1));
                }
                assertTrue(reads, field.getKey() + " reads a field");
            }
        }
    }

    @Test
    void aLensPanelOnAnUnmappedFieldIsFound() throws IOException {
        List<JsonNode> objects = savedObjects();
        JsonNode lens =
                objects.stream()
                        .filter(o -> o.path("id").asString().equals("trace-alerts-over-time"))
                        .findFirst()
                        .orElseThrow();
        String broken = JSON.writeValueAsString(lens).replace("\"raisedAt\"", "\"raisedOn\"");
        assertFalse(lensProblems(JSON.readTree(broken), objects).isEmpty());
    }

    @Test
    void theAlertingRuleQueriesTheAlertsAliasOnMappedFields() throws IOException {
        JsonNode rule = JSON.readTree(Files.readString(RULE));
        assertEquals(List.of(), ruleProblems(rule));
        JsonNode params = rule.path("params");
        assertEquals(".es-query", rule.path("rule_type_id").asString());
        String query = params.path("esQuery").asString();
        assertTrue(query.contains("AFFECTED_SHIPMENT") && query.contains("SHIPPED_WHILE_ON_HOLD"));
        // fires once per new alert document: hits of the previous run are not counted again
        assertTrue(params.path("excludeHitsFromPreviousRun").asBoolean());

        String broken = JSON.writeValueAsString(rule).replace("\\\"kind\\\"", "\\\"alertKind\\\"");
        assertFalse(ruleProblems(JSON.readTree(broken)).isEmpty(), broken);
    }

    /** What is wrong with an Elasticsearch query rule, as fields and indices go. */
    private static List<String> ruleProblems(JsonNode rule) {
        List<String> problems = new ArrayList<>();
        JsonNode params = rule.path("params");
        Set<String> fields = new HashSet<>();
        for (JsonNode index : params.path("index")) {
            fields.addAll(mappedFields(indexByAlias(index.asString())));
        }
        if (!fields.contains(params.path("timeField").asString())) {
            problems.add("time field " + params.path("timeField").asString());
        }
        List<String> named = new ArrayList<>();
        collectQueryFields(JSON.readTree(params.path("esQuery").asString()), named);
        if (named.isEmpty()) {
            problems.add("the query names no field");
        }
        named.stream().filter(f -> !fields.contains(f)).forEach(f -> problems.add("unmapped " + f));
        return problems;
    }

    /** Field names under term, terms, range, match, exists of an Elasticsearch query. */
    private static void collectQueryFields(JsonNode node, List<String> named) {
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (Set.of("term", "terms", "range", "match", "match_phrase")
                    .contains(entry.getKey())) {
                entry.getValue().properties().forEach(f -> named.add(f.getKey()));
            } else if (entry.getKey().equals("exists")) {
                named.add(entry.getValue().path("field").asString());
            } else if (entry.getValue().isObject()) {
                collectQueryFields(entry.getValue(), named);
            } else if (entry.getValue().isArray()) {
                entry.getValue().forEach(item -> collectQueryFields(item, named));
            }
        }
    }

    /** Fields of a Lens object that its data view does not have, and broken references. */
    private static List<String> lensProblems(JsonNode lens, List<JsonNode> objects) {
        List<String> problems = new ArrayList<>();
        JsonNode state = lens.path("attributes").path("state");
        JsonNode layers = state.path("datasourceStates").path("formBased").path("layers");
        Set<String> columnIds = new HashSet<>();
        for (Map.Entry<String, JsonNode> layer : layers.properties()) {
            String refName = "indexpattern-datasource-layer-" + layer.getKey();
            JsonNode reference = null;
            for (JsonNode r : lens.path("references")) {
                if (r.path("name").asString().equals(refName)) {
                    reference = r;
                }
            }
            if (reference == null) {
                problems.add("layer " + layer.getKey() + " has no data view reference");
                continue;
            }
            JsonNode dataView = null;
            for (JsonNode o : objects) {
                if (o.path("type").asString().equals("index-pattern")
                        && o.path("id").asString().equals(reference.path("id").asString())) {
                    dataView = o;
                }
            }
            if (dataView == null) {
                problems.add("unknown data view " + reference.path("id").asString());
                continue;
            }
            Set<String> fields =
                    new HashSet<>(
                            mappedFields(
                                    indexByAlias(
                                            dataView.path("attributes").path("title").asString())));
            String runtime = dataView.path("attributes").path("runtimeFieldMap").asString("");
            if (!runtime.isEmpty()) {
                JSON.readTree(runtime).properties().forEach(f -> fields.add(f.getKey()));
            }
            for (Map.Entry<String, JsonNode> column :
                    layer.getValue().path("columns").properties()) {
                columnIds.add(column.getKey());
                String field = column.getValue().path("sourceField").asString();
                if (!field.equals("___records___") && !fields.contains(field)) {
                    problems.add(column.getKey() + ": unmapped " + field);
                }
                JsonNode orderBy = column.getValue().path("params").path("orderBy");
                if (orderBy.path("type").asString().equals("column")
                        && !layer.getValue()
                                .path("columns")
                                .has(orderBy.path("columnId").asString())) {
                    problems.add(column.getKey() + " orders by a missing column");
                }
            }
            for (JsonNode id : layer.getValue().path("columnOrder")) {
                if (!layer.getValue().path("columns").has(id.asString())) {
                    problems.add("columnOrder names missing " + id.asString());
                }
            }
            Matcher kql = KQL_FIELD.matcher(state.path("query").path("query").asString());
            while (kql.find()) {
                if (kql.group(1) != null && !fields.contains(kql.group(1))) {
                    problems.add("query: unmapped " + kql.group(1));
                }
            }
        }
        // what the chart or table shows must be a column of the layer
        JsonNode visualization = state.path("visualization");
        List<String> accessors = new ArrayList<>();
        visualization.path("columns").forEach(c -> accessors.add(c.path("columnId").asString()));
        for (JsonNode layer : visualization.path("layers")) {
            for (String key : List.of("xAccessor", "splitAccessor")) {
                if (layer.has(key)) {
                    accessors.add(layer.path(key).asString());
                }
            }
            layer.path("accessors").forEach(a -> accessors.add(a.asString()));
        }
        if (accessors.isEmpty()) {
            problems.add("the visualization shows no column");
        }
        accessors.stream()
                .filter(a -> !columnIds.contains(a))
                .forEach(a -> problems.add("shows missing column " + a));
        return problems;
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
