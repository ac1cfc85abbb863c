package dev.batchtrace.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plain HTTP to Elasticsearch: counts, multi-gets, searches with their server time, sizes. */
public final class ElasticsearchProbe {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ElasticsearchProbe(String url) {
        this.url = url;
    }

    /** Documents visible to search in an index or alias (0 when it does not exist). */
    public long count(String index) throws IOException, InterruptedException {
        HttpResponse<String> response = send("GET", "/" + index + "/_count", null);
        return response.statusCode() == 200
                ? JSON.readTree(response.body()).path("count").asLong()
                : 0;
    }

    /** Trace documents across the given aliases. */
    public long total(List<String> indices) throws IOException, InterruptedException {
        long total = 0;
        for (String index : indices) {
            total += count(index);
        }
        return total;
    }

    /**
     * The stored sources of {@code ids}, by id (missing ones absent). Realtime: a document is
     * returned before a refresh makes it searchable.
     */
    public Map<String, JsonNode> get(String index, List<String> ids, List<String> fields)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        ids.forEach(body.putArray("ids")::add);
        String path = "/" + index + "/_mget";
        if (fields != null) {
            path += "?_source_includes=" + String.join(",", fields);
        }
        HttpResponse<String> response = send("POST", path, body.toString());
        Map<String, JsonNode> found = new LinkedHashMap<>();
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

    /** Ids per search of {@link #searchIds} (below the index's 10,000 result window). */
    static final int IDS_PER_SEARCH = 5_000;

    /**
     * The sources ({@code fields} only) of those of {@code ids} a search finds now, by id. Unlike
     * {@link #get}, whose multi-get is realtime (it sees a document before the index's refresh),
     * this is what the query commands see: a document counts once a refresh made it searchable.
     */
    public Map<String, JsonNode> searchIds(String index, List<String> ids, List<String> fields)
            throws IOException, InterruptedException {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        for (int from = 0; from < ids.size(); from += IDS_PER_SEARCH) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + IDS_PER_SEARCH));
            ObjectNode body = JSON.createObjectNode();
            body.put("size", batch.size());
            batch.forEach(body.putObject("query").putObject("ids").putArray("values")::add);
            fields.forEach(body.putArray("_source")::add);
            HttpResponse<String> response = send("POST", "/" + index + "/_search", body.toString());
            if (response.statusCode() != 200) {
                continue; // not there yet (the index is created by the job)
            }
            for (JsonNode hit : JSON.readTree(response.body()).path("hits").path("hits")) {
                found.put(hit.path("_id").asText(), hit.path("_source"));
            }
        }
        return found;
    }

    /**
     * The members of a hub's closure (trace-closures, read in pages): lot code -> whether the
     * member is a hub itself.
     */
    public Map<String, Boolean> closureMembers(String hubLotCode)
            throws IOException, InterruptedException {
        Map<String, Boolean> members = new LinkedHashMap<>();
        String after = null;
        while (true) {
            ObjectNode body = JSON.createObjectNode();
            body.put("size", 5000);
            body.putObject("query").putObject("term").put("hubLotCode", hubLotCode);
            body.putArray("sort").add("lotCode");
            body.putArray("_source").add("lotCode").add("hub");
            if (after != null) {
                body.putArray("search_after").add(after);
            }
            HttpResponse<String> response =
                    send("POST", "/trace-closures/_search", body.toString());
            if (response.statusCode() != 200) {
                return members;
            }
            JsonNode hits = JSON.readTree(response.body()).path("hits").path("hits");
            for (JsonNode hit : hits) {
                members.put(
                        hit.path("_source").path("lotCode").asText(),
                        hit.path("_source").path("hub").asBoolean(false));
                after = hit.path("_source").path("lotCode").asText();
            }
            if (hits.size() < 5000) {
                return members;
            }
        }
    }

    /** One search: the server's {@code took}, the round trip, and the total hits. */
    public record Timed(long tookMillis, double roundTripMillis, long hits) {}

    public Timed search(String indices, String body) throws IOException, InterruptedException {
        long started = System.nanoTime();
        JsonNode answer = answer(indices, body);
        double roundTrip = (System.nanoTime() - started) / 1e6;
        return new Timed(
                answer.path("took").asLong(),
                roundTrip,
                answer.path("hits").path("total").path("value").asLong());
    }

    /** One search's whole answer (for counts and aggregations), or an IOException. */
    public JsonNode answer(String indices, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = send("POST", "/" + indices + "/_search", body);
        if (response.statusCode() != 200) {
            throw new IOException(
                    "search on "
                            + indices
                            + " failed: "
                            + response.statusCode()
                            + " "
                            + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Per concrete index: documents (Lucene, nested ones included) and store size in bytes. */
    public record IndexSize(String index, long luceneDocs, long storeBytes) {}

    public List<IndexSize> indexSizes(String pattern) throws IOException, InterruptedException {
        return indexSizes(pattern, true);
    }

    /**
     * As {@link #indexSizes(String)}; without {@code refresh} the sizes are what the indices hold
     * now (a soak's sampling must not refresh them every few seconds itself).
     */
    public List<IndexSize> indexSizes(String pattern, boolean refresh)
            throws IOException, InterruptedException {
        if (refresh) {
            send("POST", "/" + pattern + "/_refresh", null);
        }
        HttpResponse<String> response =
                send(
                        "GET",
                        "/_cat/indices/"
                                + pattern
                                + "?format=json&bytes=b&h=index,docs.count,store.size&s=index",
                        null);
        List<IndexSize> sizes = new java.util.ArrayList<>();
        if (response.statusCode() == 200) {
            for (JsonNode index : JSON.readTree(response.body())) {
                sizes.add(
                        new IndexSize(
                                index.path("index").asText(),
                                index.path("docs.count").asLong(),
                                index.path("store.size").asLong()));
            }
        }
        return sizes;
    }

    /**
     * Waits until the indices under {@code pattern} are quiet: no document indexed and no merge
     * running for {@code quietFor} (polled every 500 ms), at most {@code max}. Query timings taken
     * during a write burst (a flag's wave rewrites thousands of documents) measure the burst.
     *
     * @return the time waited, or null if they were not quiet within {@code max}
     */
    public Duration waitUntilQuiet(String pattern, Duration quietFor, Duration max)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        long quietSince = -1;
        long lastIndexed = -1;
        while (System.nanoTime() - start < max.toNanos()) {
            HttpResponse<String> response =
                    send(
                            "GET",
                            "/"
                                    + pattern
                                    + "/_stats/indexing,merge?filter_path="
                                    + "_all.total.indexing.index_total,_all.total.merges.current",
                            null);
            JsonNode total = JSON.readTree(response.body()).path("_all").path("total");
            long indexed = total.path("indexing").path("index_total").asLong();
            boolean merging = total.path("merges").path("current").asLong() > 0;
            long now = System.nanoTime();
            if (indexed != lastIndexed || merging) {
                quietSince = -1;
            } else if (quietSince < 0) {
                quietSince = now;
            } else if (now - quietSince >= quietFor.toNanos()) {
                return Duration.ofNanos(now - start);
            }
            lastIndexed = indexed;
            Thread.sleep(500);
        }
        return null;
    }

    /** Deletes indices (for a benchmark that starts from an empty read model). */
    public void delete(String indices) throws IOException, InterruptedException {
        HttpResponse<String> response =
                send("DELETE", "/" + indices + "?ignore_unavailable=true", null);
        if (response.statusCode() != 200) {
            throw new IOException("cannot delete " + indices + ": " + response.body());
        }
    }

    private HttpResponse<String> send(String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
