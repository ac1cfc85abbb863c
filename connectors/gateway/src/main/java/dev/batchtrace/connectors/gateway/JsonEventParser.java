package dev.batchtrace.connectors.gateway;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.batchtrace.schemas.EventTopics;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Turns one JSON event line, as MES systems export it, into the Avro record of its topic.
 *
 * <p>Format: one JSON object per line; {@code "type"} is the record name ({@code GoodsReceipt},
 * {@code WorkOrderEvent}, {@code MachineEvent}, {@code QcResult}, {@code DispatchNote}, {@code
 * LotFlag}); the other fields are named as in the Avro schema. Timestamps are ISO-8601 with an
 * offset ({@code 2026-11-02T06:15:00Z}, {@code 2026-11-02T07:15:00+01:00}); enums are given by
 * symbol; optional fields may be missing or null; {@code DispatchNote.lines} are nested objects.
 *
 * <p>The parser is strict on purpose: a lot code sent as a number loses its leading zeros, and a
 * misspelt field name would silently drop data, so both are rejected with the field named. The
 * Kafka key is the record's natural key as {@link EventTopics} defines it.
 *
 * <p>Thread-safe: holds only immutable state and a configured {@link ObjectMapper}.
 */
public final class JsonEventParser {

    /** The field that names the record; not part of any schema. */
    public static final String TYPE_FIELD = "type";

    private static final String EXAMPLE_TIMESTAMPS =
            "expected e.g. 2026-11-02T06:15:00Z or 2026-11-02T07:15:00+01:00";

    /**
     * Fields an event kind needs although the schema must keep them optional for other kinds:
     * record name -> eventType symbol -> required fields.
     */
    private static final Map<String, Map<String, List<String>>> REQUIRED_BY_EVENT_TYPE =
            Map.of(
                    "WorkOrderEvent",
                    Map.of(
                            "MATERIAL_CONSUMED", List.of("lotCode", "quantity", "unit"),
                            "OUTPUT_PRODUCED", List.of("lotCode", "quantity", "unit"),
                            "CONSUMPTION_REVERSED",
                                    List.of("lotCode", "quantity", "unit", "reversesEventId"),
                            "OUTPUT_REVERSED", List.of("reversesEventId")),
                    "MachineEvent",
                    Map.of(
                            "STATE", List.of("state"),
                            "ALARM", List.of("alarmCode"),
                            "MEASUREMENT", List.of("parameter", "value")));

    private final ObjectMapper mapper =
            JsonMapper.builder()
                    // two values for one field: which one did the MES mean?
                    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    // "{...} {...}" on one line is two events glued together, not one
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .build();

    /**
     * Parses one line.
     *
     * @throws InvalidEventException naming the problem, e.g. {@code field 'lotCode' is required}
     */
    public ParsedEvent parse(String line) {
        JsonNode node;
        try {
            node = mapper.readTree(line);
        } catch (JacksonException e) {
            throw new InvalidEventException("not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || node.isMissingNode()) {
            throw new InvalidEventException("empty line: expected a JSON object");
        }
        return parse(node);
    }

    /**
     * Parses one event given as a JSON tree.
     *
     * @throws InvalidEventException naming the problem
     */
    public ParsedEvent parse(JsonNode event) {
        if (!event.isObject()) {
            throw new InvalidEventException("expected a JSON object, got " + describe(event));
        }
        EventTopics.Topic topic = topicOf(event.get(TYPE_FIELD));
        SpecificData model = SpecificData.getForClass(topic.recordClass());
        SpecificRecordBase record =
                (SpecificRecordBase) readRecord(event, topic.schema(), "", model, true);
        checkEventTypeFields(record);
        String key = topic.keyOf(record);
        if (key == null || key.isBlank()) {
            throw new InvalidEventException(
                    "field '" + topic.keyField() + "' must not be empty (it is the Kafka key)");
        }
        return new ParsedEvent(topic.name(), key, record);
    }

    private static EventTopics.Topic topicOf(JsonNode type) {
        List<String> expected = EventTopics.inputRecordNames();
        if (type == null || type.isNull()) {
            throw new InvalidEventException(
                    "field '" + TYPE_FIELD + "' is required (one of " + join(expected) + ")");
        }
        if (!type.isTextual()) {
            throw new InvalidEventException(
                    "field '" + TYPE_FIELD + "': expected a string, got " + describe(type));
        }
        return EventTopics.findByRecordName(type.asText())
                .filter(EventTopics.Topic::isInput)
                .orElseThrow(
                        () ->
                                new InvalidEventException(
                                        "unknown type '"
                                                + type.asText()
                                                + "' (expected one of "
                                                + join(expected)
                                                + ")"));
    }

    private Object readRecord(
            JsonNode node, Schema schema, String path, SpecificData model, boolean topLevel) {
        if (!node.isObject()) {
            throw fieldError(path, "expected an object, got " + describe(node));
        }
        // Unknown names first: a misspelt "lotcode" is better reported as such than as a
        // missing "lotCode".
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (schema.getField(name) == null && !(topLevel && name.equals(TYPE_FIELD))) {
                throw new InvalidEventException(
                        "unknown field '"
                                + qualified(path, name)
                                + "' ("
                                + schema.getName()
                                + " has no such field)");
            }
        }
        SpecificRecordBase record = (SpecificRecordBase) model.newRecord(null, schema);
        for (Schema.Field field : schema.getFields()) {
            String fieldPath = qualified(path, field.name());
            JsonNode value = node.get(field.name());
            Object converted;
            if (value == null || value.isNull()) {
                if (isOptional(field.schema())) {
                    converted = null;
                } else if (field.hasDefaultValue()) {
                    converted = model.deepCopy(field.schema(), model.getDefaultValue(field));
                } else {
                    throw new InvalidEventException("field '" + fieldPath + "' is required");
                }
            } else {
                converted = read(value, field.schema(), fieldPath, model);
            }
            record.put(field.pos(), converted);
        }
        return record;
    }

    private Object read(JsonNode node, Schema schema, String path, SpecificData model) {
        LogicalType logicalType = schema.getLogicalType();
        if (logicalType instanceof LogicalTypes.TimestampMillis) {
            return readTimestamp(node, path);
        }
        switch (schema.getType()) {
            case UNION:
                return read(node, nonNullBranch(schema, path), path, model);
            case STRING:
                if (!node.isTextual()) {
                    throw fieldError(path, "expected a string, got " + describe(node));
                }
                return node.textValue();
            case DOUBLE:
                if (!node.isNumber()) {
                    throw fieldError(path, "expected a number, got " + describe(node));
                }
                return node.doubleValue();
            case INT:
                if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                    throw fieldError(path, "expected a whole number, got " + describe(node));
                }
                return node.intValue();
            case LONG:
                if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                    throw fieldError(path, "expected a whole number, got " + describe(node));
                }
                return node.longValue();
            case BOOLEAN:
                if (!node.isBoolean()) {
                    throw fieldError(path, "expected true or false, got " + describe(node));
                }
                return node.booleanValue();
            case ENUM:
                return readEnum(node, schema, path, model);
            case ARRAY:
                return readArray(node, schema, path, model);
            case RECORD:
                return readRecord(node, schema, path, model, false);
            default:
                // The input contract has no maps, bytes or fixed; fail loudly if one appears.
                throw new IllegalStateException(
                        "field '" + path + "': Avro type " + schema.getType() + " not supported");
        }
    }

    private static Instant readTimestamp(JsonNode node, String path) {
        if (!node.isTextual()) {
            throw fieldError(
                    path,
                    "not an ISO-8601 timestamp: "
                            + describe(node)
                            + " ("
                            + EXAMPLE_TIMESTAMPS
                            + ")");
        }
        try {
            return OffsetDateTime.parse(node.textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant()
                    // timestamp-millis keeps milliseconds; truncate so the record equals its
                    // round trip through Avro
                    .truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            throw fieldError(
                    path,
                    "not an ISO-8601 timestamp: "
                            + describe(node)
                            + " ("
                            + EXAMPLE_TIMESTAMPS
                            + ")");
        }
    }

    private static Object readEnum(JsonNode node, Schema schema, String path, SpecificData model) {
        List<String> symbols = schema.getEnumSymbols();
        if (!node.isTextual() || !symbols.contains(node.textValue())) {
            String got = node.isTextual() ? "'" + node.textValue() + "'" : describe(node);
            throw new InvalidEventException(
                    "unknown " + path + " " + got + " (expected one of " + join(symbols) + ")");
        }
        return model.createEnum(node.textValue(), schema);
    }

    private List<Object> readArray(JsonNode node, Schema schema, String path, SpecificData model) {
        if (!node.isArray()) {
            throw fieldError(path, "expected an array, got " + describe(node));
        }
        List<Object> items = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            String itemPath = path + "[" + i + "]";
            JsonNode item = node.get(i);
            if (item.isNull()) {
                throw new InvalidEventException("field '" + itemPath + "' must not be null");
            }
            items.add(read(item, schema.getElementType(), itemPath, model));
        }
        return items;
    }

    /** Checks the fields that the record's eventType needs (the schema cannot say so). */
    private static void checkEventTypeFields(SpecificRecordBase record) {
        Map<String, List<String>> byType = REQUIRED_BY_EVENT_TYPE.get(record.getSchema().getName());
        if (byType == null) {
            return;
        }
        String eventType = String.valueOf(record.get("eventType"));
        for (String field : byType.getOrDefault(eventType, List.of())) {
            Object value = record.get(field);
            if (value == null || (value instanceof String s && s.isBlank())) {
                throw new InvalidEventException(
                        "field '" + field + "' is required for eventType " + eventType);
            }
        }
    }

    private static boolean isOptional(Schema schema) {
        return schema.getType() == Schema.Type.UNION
                && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
    }

    private static Schema nonNullBranch(Schema union, String path) {
        List<Schema> branches =
                union.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
        if (branches.size() != 1) {
            throw new IllegalStateException(
                    "field '" + path + "': only [\"null\", T] unions are supported, got " + union);
        }
        return branches.get(0);
    }

    private static InvalidEventException fieldError(String path, String problem) {
        return new InvalidEventException("field '" + path + "': " + problem);
    }

    /** The offending value as JSON, so strings show their quotes: {@code "abc"} vs {@code 12}. */
    private static String describe(JsonNode node) {
        String json = node.toString();
        return json.length() > 80 ? json.substring(0, 77) + "..." : json;
    }

    private static String qualified(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String join(List<String> names) {
        return String.join(", ", names);
    }
}
