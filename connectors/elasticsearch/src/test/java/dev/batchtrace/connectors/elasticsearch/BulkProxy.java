package dev.batchtrace.connectors.elasticsearch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A loopback HTTP server that speaks just enough of Elasticsearch's {@code _bulk} API for tests: it
 * forwards everything to a real node ({@link #inFrontOf}) or keeps documents in memory with
 * external-version semantics ({@link #inMemory}), and can answer 429 to whole bulk requests or to
 * every item of a bulk request, the two ways an overloaded cluster pushes back.
 */
final class BulkProxy implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> HOP_BY_HOP =
            Set.of(
                    "connection",
                    "content-length",
                    "host",
                    "expect",
                    "upgrade",
                    "transfer-encoding");

    /** A document as the in-memory mode stores it. */
    record Stored(long version, JsonNode source) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final String upstream;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicInteger requestsToReject = new AtomicInteger();
    private final AtomicInteger requestsWithItemsToReject = new AtomicInteger();
    private final AtomicInteger bulkRequests = new AtomicInteger();
    private final AtomicInteger rejectedRequests = new AtomicInteger();
    private final AtomicInteger rejectedOperations = new AtomicInteger();
    private final Map<String, Stored> documents = new ConcurrentHashMap<>();

    private BulkProxy(String upstream) throws IOException {
        this.upstream = upstream == null ? null : upstream.replaceAll("/+$", "");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static BulkProxy inFrontOf(String elasticsearchUrl) throws IOException {
        return new BulkProxy(elasticsearchUrl);
    }

    static BulkProxy inMemory() throws IOException {
        return new BulkProxy(null);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answer 429 to the next {@code n} bulk requests as a whole. */
    void rejectNextBulkRequests(int n) {
        requestsToReject.set(n);
    }

    /** Answer 200 with a 429 for every item to the next {@code n} bulk requests. */
    void rejectItemsOfNextBulkRequests(int n) {
        requestsWithItemsToReject.set(n);
    }

    int bulkRequests() {
        return bulkRequests.get();
    }

    int rejectedRequests() {
        return rejectedRequests.get();
    }

    /** Operations answered 429, whole-request and item-level together. */
    int rejectedOperations() {
        return rejectedOperations.get();
    }

    /** In-memory mode: the stored documents by {@code index/id} (deletes as null sources). */
    Map<String, Stored> documents() {
        return documents;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            if (path.endsWith("/_bulk") && "POST".equals(exchange.getRequestMethod())) {
                bulkRequests.incrementAndGet();
                List<Action> actions = parseBulk(body);
                if (takeOne(requestsToReject)) {
                    rejectedRequests.incrementAndGet();
                    rejectedOperations.addAndGet(actions.size());
                    respond(exchange, 429, rejection().toString());
                    return;
                }
                if (takeOne(requestsWithItemsToReject)) {
                    rejectedOperations.addAndGet(actions.size());
                    respond(exchange, 200, rejectAllItems(actions).toString());
                    return;
                }
                if (upstream == null) {
                    respond(exchange, 200, applyInMemory(actions).toString());
                    return;
                }
            }
            if (upstream == null) {
                respond(exchange, 404, "{\"error\":\"only _bulk is faked\",\"status\":404}");
                return;
            }
            forward(exchange, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean takeOne(AtomicInteger counter) {
        return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    private void forward(HttpExchange exchange, byte[] body)
            throws IOException, InterruptedException {
        URI uri = URI.create(upstream + exchange.getRequestURI().toString());
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri)
                        .method(
                                exchange.getRequestMethod(),
                                body.length == 0
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders()
                .forEach(
                        (name, values) -> {
                            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                                values.forEach(v -> request.header(name, v));
                            }
                        });
        HttpResponse<byte[]> response =
                http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        response.headers()
                .map()
                .forEach(
                        (name, values) -> {
                            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))
                                    && !name.startsWith(":")) {
                                exchange.getResponseHeaders().put(name, values);
                            }
                        });
        byte[] bytes = response.body();
        boolean noBody = "HEAD".equals(exchange.getRequestMethod()) || bytes.length == 0;
        exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : bytes.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("X-Elastic-Product", "Elasticsearch");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** One line pair of a bulk body. */
    private record Action(String op, String index, String id, long version, JsonNode source) {}

    private static List<Action> parseBulk(byte[] body) {
        List<Action> actions = new ArrayList<>();
        String[] lines = new String(body, StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            JsonNode action = JSON.readTree(lines[i]);
            String op = action.propertyNames().iterator().next();
            JsonNode meta = action.get(op);
            JsonNode source = null;
            if (!"delete".equals(op)) {
                source = JSON.readTree(lines[++i]);
            }
            actions.add(
                    new Action(
                            op,
                            meta.path("_index").asString(),
                            meta.path("_id").asString(),
                            meta.path("version").asLong(-1),
                            source));
        }
        return actions;
    }

    private static ObjectNode rejection() {
        ObjectNode cause = JSON.createObjectNode();
        cause.put("type", "es_rejected_execution_exception");
        cause.put("reason", "rejected execution of bulk by the test proxy");
        ObjectNode error = cause.deepCopy();
        error.putArray("root_cause").add(cause);
        ObjectNode response = JSON.createObjectNode();
        response.set("error", error);
        response.put("status", 429);
        return response;
    }

    private static ObjectNode rejectAllItems(List<Action> actions) {
        ObjectNode response = JSON.createObjectNode();
        response.put("took", 1);
        response.put("errors", true);
        ArrayNode items = response.putArray("items");
        for (Action action : actions) {
            ObjectNode item = items.addObject().putObject(action.op());
            item.put("_index", action.index());
            item.put("_id", action.id());
            item.put("status", 429);
            ObjectNode error = item.putObject("error");
            error.put("type", "es_rejected_execution_exception");
            error.put("reason", "rejected execution of item by the test proxy");
        }
        return response;
    }

    private ObjectNode applyInMemory(List<Action> actions) {
        ObjectNode response = JSON.createObjectNode();
        response.put("took", 1);
        ArrayNode items = response.putArray("items");
        boolean errors = false;
        for (Action action : actions) {
            ObjectNode item = items.addObject().putObject(action.op());
            item.put("_index", action.index());
            item.put("_id", action.id());
            if (action.id().startsWith("bad")) {
                errors = true;
                item.put("status", 400);
                ObjectNode error = item.putObject("error");
                error.put("type", "document_parsing_exception");
                error.put("reason", "[1:2] failed to parse field [quantity] of type [double]");
                continue;
            }
            String key = action.index() + "/" + action.id();
            synchronized (documents) {
                Stored existing = documents.get(key);
                if (existing != null && existing.version() >= action.version()) {
                    // tombstones of deletes keep their version too, as Elasticsearch does
                    errors = true;
                    item.put("status", 409);
                    ObjectNode error = item.putObject("error");
                    error.put("type", "version_conflict_engine_exception");
                    error.put(
                            "reason",
                            "["
                                    + action.id()
                                    + "]: version conflict, current version ["
                                    + existing.version()
                                    + "] is higher or equal to the one provided ["
                                    + action.version()
                                    + "]");
                    continue;
                }
                boolean live = existing != null && existing.source() != null;
                if ("delete".equals(action.op())) {
                    documents.put(key, new Stored(action.version(), null));
                    item.put("status", live ? 200 : 404);
                    item.put("result", live ? "deleted" : "not_found");
                } else {
                    documents.put(key, new Stored(action.version(), action.source()));
                    item.put("status", live ? 200 : 201);
                    item.put("result", live ? "updated" : "created");
                }
                item.put("_version", action.version());
            }
        }
        response.put("errors", errors);
        return response;
    }
}
