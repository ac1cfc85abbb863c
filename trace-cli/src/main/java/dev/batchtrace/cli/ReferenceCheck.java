package dev.batchtrace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchtrace.cli.bench.Convergence;
import dev.batchtrace.connectors.elasticsearch.TraceIndex;
import dev.batchtrace.connectors.gateway.JsonLinesReader;
import dev.batchtrace.connectors.gateway.LineResult;
import dev.batchtrace.connectors.gateway.ParsedEvent;
import dev.batchtrace.lineage.documents.TraceDocument;
import dev.batchtrace.lineage.holds.HoldAlert;
import dev.batchtrace.lineage.reference.LineageReference;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares the trace documents in Elasticsearch with the plain batch reference computed from the
 * same events: the demo's "processed" signal and a self-check of the pipeline.
 */
final class ReferenceCheck {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, TraceDocument> expected;
    private final Map<String, HoldAlert> expectedOpenAlerts;
    private final String elasticsearchUrl;
    private List<String> lastDiffering = List.of();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ReferenceCheck(
            Map<String, TraceDocument> expected,
            Map<String, HoldAlert> expectedOpenAlerts,
            String elasticsearchUrl) {
        this.expected = expected;
        this.expectedOpenAlerts = expectedOpenAlerts;
        this.elasticsearchUrl = elasticsearchUrl;
    }

    /** The reference documents of every event in a JSON-lines file. */
    static ReferenceCheck forFile(Path events, String elasticsearchUrl) throws IOException {
        return forFiles(List.of(events), elasticsearchUrl);
    }

    /** The reference documents of every event in the JSON-lines files together. */
    static ReferenceCheck forFiles(List<Path> files, String elasticsearchUrl) throws IOException {
        List<Object> values = new ArrayList<>();
        for (Path file : files) {
            for (LineResult line : new JsonLinesReader().readAll(file)) {
                if (line instanceof ParsedEvent event) {
                    values.add(event.value());
                }
            }
        }
        LineageReference.Result reference = LineageReference.withHolds(values);
        Map<String, HoldAlert> open = new TreeMap<>();
        reference
                .alerts()
                .forEach(
                        (id, alert) -> {
                            if (HoldAlert.OPEN.equals(alert.status())) {
                                open.put(id, alert);
                            }
                        });
        return new ReferenceCheck(reference.documents(), open, elasticsearchUrl);
    }

    /** The open alerts the reference expects for one flag, by alert id. */
    Map<String, HoldAlert> expectedOpenAlerts(String flagId) {
        Map<String, HoldAlert> ofFlag = new TreeMap<>();
        expectedOpenAlerts.forEach(
                (id, alert) -> {
                    if (flagId.equals(alert.flagId())) {
                        ofFlag.put(id, alert);
                    }
                });
        return ofFlag;
    }

    /** Trace documents plus open hold alerts the reference expects. */
    int documentCount() {
        return expected.size() + expectedOpenAlerts.size();
    }

    /** How many reference documents Elasticsearch holds exactly (deletions: absent). */
    int matching() throws IOException, InterruptedException {
        Map<String, List<String>> idsByIndex = new TreeMap<>();
        for (TraceDocument doc : expected.values()) {
            idsByIndex.computeIfAbsent(doc.index(), i -> new ArrayList<>()).add(doc.documentId());
        }
        int matching = 0;
        List<String> differing = new ArrayList<>();
        for (Map.Entry<String, List<String>> index : idsByIndex.entrySet()) {
            Map<String, JsonNode> stored = fetch(index.getKey(), index.getValue());
            for (String id : index.getValue()) {
                TraceDocument doc = expected.get(index.getKey() + "/" + id);
                JsonNode actual = stored.get(id);
                if (doc.isDeletion()
                        ? actual == null
                        // a mean's last digit depends on the order of addition: compare numbers
                        // within 1e-9, or a first run may never "match" (issue 13)
                        : Convergence.sameDocument(JSON.readTree(doc.toJson()), actual)) {
                    matching++;
                } else {
                    differing.add(doc.key());
                }
            }
        }
        if (!expectedOpenAlerts.isEmpty()) {
            // alert documents carry processing times: compare what is deterministic
            Map<String, JsonNode> stored =
                    fetch(alertsIndex(), new ArrayList<>(expectedOpenAlerts.keySet()));
            for (HoldAlert alert : expectedOpenAlerts.values()) {
                JsonNode actual = stored.get(alert.alertId());
                if (actual != null
                        && HoldAlert.OPEN.equals(actual.path("status").asText())
                        && alert.kind().equals(actual.path("kind").asText())) {
                    matching++;
                } else {
                    differing.add(alertsIndex() + "/" + alert.alertId());
                }
            }
        }
        lastDiffering = List.copyOf(differing);
        return matching;
    }

    /** The documents that did not match at the last {@link #matching()}, by index/id. */
    List<String> differing() {
        return lastDiffering;
    }

    /** The open hold alerts of one flag in Elasticsearch, by kind and lot. */
    List<JsonNode> openAlerts(String flagId) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode filter = body.putObject("query").putObject("bool").putArray("filter");
        filter.addObject().putObject("term").put("status", HoldAlert.OPEN);
        filter.addObject().putObject("term").put("flagId", flagId);
        body.put("size", 1000);
        body.putArray("sort").addObject().put("kind", "asc");
        body.withArray("sort").addObject().put("lotCode", "asc");
        HttpRequest request =
                HttpRequest.newBuilder(
                                URI.create(elasticsearchUrl + "/" + alertsIndex() + "/_search"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        List<JsonNode> alerts = new ArrayList<>();
        if (response.statusCode() == 200) {
            JSON.readTree(response.body())
                    .path("hits")
                    .path("hits")
                    .forEach(hit -> alerts.add(hit.path("_source")));
        }
        return alerts;
    }

    private static String alertsIndex() {
        return TraceIndex.ALERTS.alias();
    }

    /** Makes what was indexed visible to searches (the index refreshes every second anyway). */
    void refresh() throws IOException, InterruptedException {
        List<String> names =
                new ArrayList<>(
                        expected.values().stream().map(TraceDocument::index).distinct().toList());
        names.add(alertsIndex());
        String indices = String.join(",", names);
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(elasticsearchUrl + "/" + indices + "/_refresh"))
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build();
        http.send(request, HttpResponse.BodyHandlers.discarding());
    }

    // A multi-get of raw _source: the typed client would re-map the documents we compare.
    private Map<String, JsonNode> fetch(String index, List<String> ids)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        ids.forEach(body.putArray("ids")::add);
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(elasticsearchUrl + "/" + index + "/_mget"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        Map<String, JsonNode> found = new TreeMap<>();
        if (response.statusCode() != 200) {
            return found;
        }
        for (JsonNode doc : JSON.readTree(response.body()).path("docs")) {
            if (doc.path("found").asBoolean(false)) {
                found.put(doc.path("_id").asText(), doc.path("_source"));
            }
        }
        return found;
    }
}
