package dev.batchtrace.lineage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import com.fasterxml.jackson.dataformat.smile.databind.SmileMapper;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import dev.batchtrace.json.ModelJson;
import dev.batchtrace.lineage.closure.LineageMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Byte encoding of {@link LineageMessage}s for the feedback topic and between operators, and of the
 * state pieces: Smile (Jackson's binary JSON: the same fields and names as JSON, times as epoch
 * numbers, nulls left out), except the closure messages and closure state the node stage reads and
 * writes on every message, a lot's facts, links, edge changes and usage, the facts of a work order
 * and of a shipment, QC checks and lot flags, a lot's flag history, holds and hold alerts, which
 * have a fixed layout ({@link CompactCodec}, told apart by its first byte). Documents stay UTF-8
 * JSON ({@link #toJson}). Issue 9: parsing text JSON was most of the node stage's CPU; Smile with
 * generated accessors (Blackbird) is several times cheaper and about a third of the bytes. {@link
 * #toReadableJson} turns any of these bytes into JSON for people (a feedback record in a console
 * consumer, a state dump).
 *
 * <p>Reading also accepts the UTF-8 JSON that state version 5 and older wrote (told apart by
 * Smile's header), so a test or a tool can read old bytes; the job itself does not resume older
 * state versions (see LineageJob.STATE_VERSION).
 *
 * <p>A message is wrapped in an envelope {@code {"v":1,"message":{"type":"closure",...}}}. Version
 * 1 is the only one; a reader meets a newer one only if it runs older code than the writer, and
 * then fails with a message saying so rather than guessing. Adding a field is compatible (unknown
 * fields are ignored, missing ones read as null).
 */
public final class LineageCodec {

    /** Format version written in every envelope. */
    public static final int FORMAT_VERSION = 1;

    /** Documents and the JSON that older state versions wrote. */
    private static final ObjectMapper MAPPER = ModelJson.mapper();

    /**
     * State pieces and messages. Field names are not canonicalized: map keys here are lot codes and
     * node keys, unbounded, so Jackson's shared name table overflowed, was dropped and copied again
     * on every parse (a decode of a value with three lot-code keys took ~76 us instead of ~6 us).
     */
    private static final ObjectMapper BINARY =
            ModelJson.modelRules(
                            SmileMapper.builder(
                                    SmileFactory.builder()
                                            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
                                            .build()))
                    .addModule(new BlackbirdModule())
                    .enable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .build();

    /** The first bytes of every Smile document (":)\n"); JSON starts with '{' or '['. */
    private static final byte[] SMILE_HEADER = {':', ')', '\n'};

    private LineageCodec() {}

    /** The envelope on the wire. */
    record Envelope(int v, LineageMessage message) {}

    public static byte[] encode(LineageMessage message) {
        if (CompactCodec.supports(message)) {
            return CompactCodec.encode(message); // versioned by its own layout byte
        }
        return encodeValue(new Envelope(FORMAT_VERSION, message));
    }

    public static LineageMessage decode(byte[] bytes) {
        if (CompactCodec.isCompact(bytes)) {
            return decodeCompact(bytes, LineageMessage.class);
        }
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

    /** Any model value (state pieces: facts, links, announcements...) as Smile bytes. */
    public static byte[] encodeValue(Object value) {
        if (CompactCodec.supports(value)) {
            return CompactCodec.encode(value);
        }
        try {
            return BINARY.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getName(), e);
        }
    }

    /** Whether the Smile mapper interns field names (tests: it must not, see {@link #BINARY}). */
    static boolean canonicalizesFieldNames() {
        return BINARY.getFactory().isEnabled(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES);
    }

    /** {@code value} as Smile even where it has a compact layout (tests: older state). */
    static byte[] encodeSmile(Object value) {
        try {
            return BINARY.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getName(), e);
        }
    }

    public static <T> T decodeValue(byte[] bytes, Class<T> type) {
        if (CompactCodec.isCompact(bytes)) {
            return decodeCompact(bytes, type);
        }
        try {
            return (isSmile(bytes) ? BINARY : MAPPER).readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "not a valid " + type.getSimpleName() + " in lineage bytes: " + e.getMessage(),
                    e);
        }
    }

    private static <T> T decodeCompact(byte[] bytes, Class<T> type) {
        Object value = CompactCodec.decode(bytes);
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException(
                    "lineage bytes hold a "
                            + value.getClass().getSimpleName()
                            + ", not a "
                            + type.getSimpleName());
        }
        return type.cast(value);
    }

    /** Any bytes this codec wrote (a message, a state piece) as JSON text, for people. */
    public static String toReadableJson(byte[] bytes) {
        if (CompactCodec.isCompact(bytes)) {
            Object value = CompactCodec.decode(bytes);
            try {
                return MAPPER.writeValueAsString(
                        value instanceof LineageMessage m
                                ? new Envelope(FORMAT_VERSION, m)
                                : value);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot show " + value, e);
            }
        }
        try {
            return MAPPER.writeValueAsString((isSmile(bytes) ? BINARY : MAPPER).readTree(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("not lineage bytes: " + e.getMessage(), e);
        }
    }

    static boolean isSmile(byte[] bytes) {
        return bytes.length >= SMILE_HEADER.length
                && bytes[0] == SMILE_HEADER[0]
                && bytes[1] == SMILE_HEADER[1]
                && bytes[2] == SMILE_HEADER[2];
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
