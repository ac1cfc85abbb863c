package dev.batchtrace.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON of the model's values (state pieces, machine run summaries, lineage messages): UTF-8,
 * times as ISO-8601 strings, nulls left out, unknown fields ignored (adding a field stays
 * readable). Its own package so that the lineage and machine packages share it without depending on
 * each other.
 */
public final class ModelJson {

    static final ObjectMapper MAPPER =
            modelRules(JsonMapper.builder())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .build();

    /**
     * The rules every model mapper shares, whatever its format: java.time, unknown fields ignored,
     * nulls left out.
     */
    public static <
                    M extends ObjectMapper,
                    B extends com.fasterxml.jackson.databind.cfg.MapperBuilder<M, B>>
            B modelRules(B builder) {
        return builder.addModule(new JavaTimeModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .defaultPropertyInclusion(
                        JsonInclude.Value.construct(
                                JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL));
    }

    private ModelJson() {}

    /** The shared mapper (configured once; thread-safe for reading and writing). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] encode(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getName(), e);
        }
    }

    public static <T> T decode(byte[] bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "not a valid " + type.getSimpleName() + " in model JSON: " + e.getMessage(), e);
        }
    }
}
