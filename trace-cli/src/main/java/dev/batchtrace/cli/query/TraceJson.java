package dev.batchtrace.cli.query;

import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code --json} output: the answer records as JSON, field names and order as declared in the
 * records (a stable contract for scripts), times as ISO-8601, absent values as null.
 */
public final class TraceJson {

    private static final JsonMapper MAPPER =
            JsonMapper.builder()
                    .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                    .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .build();

    private TraceJson() {}

    public static String write(Object answer) {
        return MAPPER.writeValueAsString(answer);
    }

    static JsonMapper mapper() {
        return MAPPER;
    }
}
