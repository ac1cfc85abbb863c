package dev.batchtrace.lineage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchtrace.json.ModelJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Byte encoding of {@link LineageMessage}s for the feedback topic, and of the state pieces and
 * documents: UTF-8 JSON (Jackson), times as ISO-8601 strings, nulls left out.
 *
 * <p>A message is wrapped in an envelope {@code {"v":1,"message":{"type":"closure",...}}}. Version
 * 1 is the only one; a reader meets a newer one only if it runs older code than the writer, and
 * then fails with a message saying so rather than guessing. Adding a field is compatible (unknown
 * fields are ignored, missing ones read as null).
 */
public final class LineageCodec {

    /** Format version written in every envelope. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper MAPPER = ModelJson.mapper();

    private LineageCodec() {}

    /** The envelope on the wire. */
    record Envelope(int v, LineageMessage message) {}

    public static byte[] encode(LineageMessage message) {
        return encodeValue(new Envelope(FORMAT_VERSION, message));
    }

    public static LineageMessage decode(byte[] bytes) {
        Envelope envelope = decodeValue(bytes, Envelope.class);
        if (envelope.v() != FORMAT_VERSION) {
            throw new IllegalArgumentException(
                    "lineage message format version "
                            + envelope.v()
                            + " is not supported (this code reads version "
                            + FORMAT_VERSION
                            + "); run the same version of the job on both ends of the feedback topic");
        }
        if (envelope.message() == null) {
            throw new IllegalArgumentException("lineage message envelope without a message");
        }
        return envelope.message();
    }

    /** Any model value (state pieces: facts, links, announcements...) as JSON bytes. */
    public static byte[] encodeValue(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getName(), e);
        }
    }

    public static <T> T decodeValue(byte[] bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "not a valid " + type.getSimpleName() + " in lineage JSON: " + e.getMessage(),
                    e);
        }
    }

    /** A document body as JSON (for the trace.documents topic / Elasticsearch). */
    public static String toJson(Map<String, Object> source) {
        try {
            return MAPPER.writeValueAsString(source);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode document", e);
        }
    }

    /** A document body back from JSON, as sorted maps and lists (numbers as Double/Integer). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> fromJson(String json) {
        try {
            return MAPPER.readValue(json, java.util.TreeMap.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("not a JSON document: " + e.getMessage(), e);
        }
    }
}
