package dev.batchtrace.cli.query;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.Jackson3JsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Request;
import co.elastic.clients.transport.rest5_client.low_level.Response;
import co.elastic.clients.transport.rest5_client.low_level.ResponseException;
import co.elastic.clients.transport.rest5_client.low_level.ResponseListener;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Requests with JSON bodies written and read as Jackson trees, through the client's own low-level
 * REST client (its connection, credentials and TLS), sent asynchronously so that independent
 * requests run at the same time. For the question someone waits for at a prompt ({@code trace
 * lot}): the typed API's request and response classes (every aggregation type is set up when the
 * first aggregation is read) cost a query about half its start-up.
 */
final class RawRequests {

    private final Rest5Client rest;
    private final JsonMapper mapper;

    private RawRequests(Rest5Client rest, JsonMapper mapper) {
        this.rest = rest;
        this.mapper = mapper;
    }

    /** Requests through a low-level REST client (of {@code ElasticsearchClients.restClient}). */
    static RawRequests of(Rest5Client rest) {
        return new RawRequests(rest, JsonMapper.builder().build());
    }

    /** The client's low-level REST client, or null when its transport is another one. */
    static RawRequests of(ElasticsearchClient client) {
        if (!(client._transport() instanceof Rest5ClientTransport transport)) {
            return null;
        }
        JsonMapper mapper =
                client._jsonpMapper() instanceof Jackson3JsonpMapper jackson
                        ? jackson.objectMapper()
                        : JsonMapper.builder().build();
        return new RawRequests(transport.restClient(), mapper);
    }

    ObjectNode object() {
        return mapper.createObjectNode();
    }

    /** Sends the request now; {@link Pending#await()} waits for its answer. */
    Pending send(String method, String endpoint, Map<String, String> parameters, JsonNode body) {
        Request request = new Request(method, endpoint);
        request.addParameters(parameters);
        if (body != null) {
            request.setJsonEntity(mapper.writeValueAsString(body));
        }
        return send(request);
    }

    /** Sends a {@code _msearch}: a header and a body per search; answers come in that order. */
    Pending msearch(List<JsonNode> lines) {
        Request request = new Request("POST", "/_msearch");
        request.setEntity(new StringEntity(ndjson(lines), NDJSON));
        return send(request);
    }

    private static final ContentType NDJSON =
            ContentType.create("application/x-ndjson", StandardCharsets.UTF_8);

    private Pending send(Request request) {
        Pending pending = new Pending();
        rest.performRequestAsync(
                request,
                new ResponseListener() {
                    @Override
                    public void onSuccess(Response response) {
                        pending.finished = System.nanoTime();
                        pending.future.complete(response);
                    }

                    @Override
                    public void onFailure(Exception e) {
                        pending.finished = System.nanoTime();
                        pending.future.completeExceptionally(e);
                    }
                });
        return pending;
    }

    /** The lines of a {@code _msearch} body: a header and a body per search. */
    private String ndjson(List<JsonNode> lines) {
        StringBuilder text = new StringBuilder();
        for (JsonNode line : lines) {
            text.append(mapper.writeValueAsString(line)).append('\n');
        }
        return text.toString();
    }

    /** A request on its way: its answer, and how long it took. */
    final class Pending {
        private final CompletableFuture<Response> future = new CompletableFuture<>();
        private final long started = System.nanoTime();
        private volatile long finished;

        /**
         * The answer's body.
         *
         * @throws ResponseException an HTTP error status (the error's body is in it)
         * @throws IOException no answer (connection refused, timed out, ...)
         */
        JsonNode await() throws IOException {
            Response response;
            try {
                response = future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for Elasticsearch", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IOException(e.getCause());
            }
            try (InputStream body = response.getEntity().getContent()) {
                return mapper.readTree(body);
            }
        }

        long millis() {
            long end = finished == 0 ? System.nanoTime() : finished;
            return Math.round((end - started) / 1_000_000.0);
        }
    }

    /**
     * The body of an error answer ({@code {"error": {"type": ..., "reason": ...}, "status": ...}}),
     * or an empty object when it has none that can be read.
     */
    static JsonNode errorBody(ResponseException e) {
        JsonMapper reader = JsonMapper.builder().build();
        try (InputStream body = e.getResponse().getEntity().getContent()) {
            return reader.readTree(body);
        } catch (IOException | RuntimeException unreadable) {
            return reader.createObjectNode();
        }
    }
}
