package dev.batchtrace.deploy.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.batchtrace.events.TraceAlertKind;
import dev.batchtrace.events.TraceAlertStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The values the Kibana rule and panels filter on are values the jobs write: alert kinds and
 * statuses of the Avro contract (the field names are checked against the index templates by
 * connectors/elasticsearch KibanaSavedObjectsTest). A renamed kind would silence the rule.
 */
class KibanaValuesTest {

    static final Path KIBANA = Kustomize.MODULE.resolve("../kibana");
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Map<String, Set<String>> VALUES =
            Map.of(
                    "kind", names(TraceAlertKind.values()),
                    "status", names(TraceAlertStatus.values()));

    @Test
    void theRuleFiltersOnKindsAndStatusesTheJobsWrite() throws IOException {
        JsonNode rule = JSON.readTree(KIBANA.resolve("trace-alerts-rule.json").toFile());
        JsonNode query = JSON.readTree(rule.path("params").path("esQuery").asText());
        List<String> problems = unknownValues(query);
        assertEquals(List.of(), problems);
        assertTrue(query.toString().contains("SHIPPED_WHILE_ON_HOLD"));
        assertFalse(
                unknownValues(JSON.readTree("{\"term\": {\"kind\": \"AFFECTED_SHIPMENTS\"}}"))
                        .isEmpty());
    }

    @Test
    void thePanelsFilterOnKindsAndStatusesTheJobsWrite() throws IOException {
        Pattern kql = Pattern.compile("\\b(kind|status)\\s*:\\s*(\\([^)]*\\)|\"[^\"]*\")");
        int filters = 0;
        for (String line : Files.readAllLines(KIBANA.resolve("trace-saved-objects.ndjson"))) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode object = JSON.readTree(line);
            if (!object.path("type").asText().equals("lens")) {
                continue;
            }
            String query =
                    object.path("attributes").path("state").path("query").path("query").asText();
            Matcher filter = kql.matcher(query);
            while (filter.find()) {
                filters++;
                Matcher value = Pattern.compile("\"([^\"]*)\"").matcher(filter.group(2));
                while (value.find()) {
                    assertTrue(
                            VALUES.get(filter.group(1)).contains(value.group(1)),
                            object.path("id").asText()
                                    + ": "
                                    + filter.group(1)
                                    + " "
                                    + value.group(1));
                }
            }
        }
        assertTrue(filters >= 3, "panels filter on status and kind: " + filters);
    }

    /** term/terms values on kind or status that the contract does not have. */
    static List<String> unknownValues(JsonNode query) {
        List<String> problems = new ArrayList<>();
        query.fields()
                .forEachRemaining(
                        entry -> {
                            if (entry.getKey().equals("term") || entry.getKey().equals("terms")) {
                                entry.getValue()
                                        .fields()
                                        .forEachRemaining(
                                                field -> {
                                                    Set<String> allowed =
                                                            VALUES.get(field.getKey());
                                                    if (allowed == null) {
                                                        return;
                                                    }
                                                    List<JsonNode> values = new ArrayList<>();
                                                    if (field.getValue().isArray()) {
                                                        field.getValue().forEach(values::add);
                                                    } else {
                                                        values.add(field.getValue());
                                                    }
                                                    values.stream()
                                                            .map(JsonNode::asText)
                                                            .filter(v -> !allowed.contains(v))
                                                            .forEach(
                                                                    v ->
                                                                            problems.add(
                                                                                    field.getKey()
                                                                                            + " "
                                                                                            + v));
                                                });
                            } else if (entry.getValue().isContainerNode()) {
                                if (entry.getValue().isArray()) {
                                    entry.getValue()
                                            .forEach(item -> problems.addAll(unknownValues(item)));
                                } else {
                                    problems.addAll(unknownValues(entry.getValue()));
                                }
                            }
                        });
        return problems;
    }

    private static Set<String> names(Enum<?>[] values) {
        return new TreeSet<>(Arrays.stream(values).map(Enum::name).toList());
    }
}
