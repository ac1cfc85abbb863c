package dev.batchtrace.connectors.elasticsearch;

import java.util.Map;
import java.util.Objects;

/**
 * One write the sink performs: index {@code source} under {@code id} in {@code index} (an alias),
 * or delete that id, with an external version. Elasticsearch keeps the write only when {@code
 * version} is greater than the stored one, so replays and retries of older state never overwrite
 * newer documents.
 *
 * @param index target index or alias, e.g. {@code trace-lots}
 * @param id deterministic document id (the lot code, work order id, ...)
 * @param version external version, must grow with every change of the document (0 or more)
 * @param source document body (values Jackson can write: strings, numbers, booleans, {@code
 *     java.time} types, lists, maps); {@code null} for a delete or a JSON body
 * @param json the document body as JSON text, sent as it is (a document that already is JSON, e.g.
 *     read from a topic, is not parsed and written again); {@code null} for a delete or a map body
 */
public record TraceDocument(
        String index, String id, long version, Map<String, Object> source, String json) {

    public TraceDocument {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(id, "id");
        if (index.isBlank() || id.isBlank()) {
            throw new IllegalArgumentException("index and id must not be blank");
        }
        if (source != null && json != null) {
            throw new IllegalArgumentException("a document body is a map or JSON, not both");
        }
        if (version < 0) {
            throw new IllegalArgumentException(
                    "external version must be >= 0, was " + version + " for " + index + "/" + id);
        }
    }

    public TraceDocument(String index, String id, long version, Map<String, Object> source) {
        this(index, id, version, source, null);
    }

    public static TraceDocument upsert(
            String index, String id, long version, Map<String, Object> source) {
        return new TraceDocument(index, id, version, Objects.requireNonNull(source, "source"));
    }

    /**
     * An upsert of a body that is JSON text already (an object; Elasticsearch refuses anything
     * else, which makes a dead letter like any refused document).
     */
    public static TraceDocument upsertJson(String index, String id, long version, String json) {
        return new TraceDocument(index, id, version, null, Objects.requireNonNull(json, "json"));
    }

    public static TraceDocument delete(String index, String id, long version) {
        return new TraceDocument(index, id, version, null, null);
    }

    public boolean isDelete() {
        return source == null && json == null;
    }
}
