package dev.batchtrace.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchtrace.schemas.EventTopics;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Writes events in the gateway's JSON-lines format ({@code bin/trace publish} reads it): one object
 * per line, {@code "type"} the record name, fields named as in the schema, timestamps ISO-8601,
 * enums by symbol, absent optional fields left out.
 */
public final class GatewayJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GatewayJson() {}

    /** One event as a JSON line (without the line break). */
    public static String line(SpecificRecordBase event) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", EventTopics.byClass(event.getClass()).recordName());
        writeFields(event, node);
        return node.toString();
    }

    public static void write(Collection<? extends SpecificRecordBase> events, Writer out)
            throws IOException {
        for (SpecificRecordBase event : events) {
            out.write(line(event));
            out.write('\n');
        }
    }

    public static void write(List<? extends SpecificRecordBase> events, Path file)
            throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(events, out);
        }
    }

    private static void writeFields(IndexedRecord record, ObjectNode node) {
        for (Schema.Field field : record.getSchema().getFields()) {
            Object value = record.get(field.pos());
            if (value != null) {
                put(node, field.name(), value);
            }
        }
    }

    private static void put(ObjectNode node, String name, Object value) {
        if (value instanceof CharSequence text) {
            node.put(name, text.toString());
        } else if (value instanceof Instant instant) {
            node.put(name, instant.toString());
        } else if (value instanceof Double d) {
            node.put(name, d);
        } else if (value instanceof Float f) {
            node.put(name, f);
        } else if (value instanceof Integer i) {
            node.put(name, i);
        } else if (value instanceof Long l) {
            node.put(name, l);
        } else if (value instanceof Boolean b) {
            node.put(name, b);
        } else if (value instanceof Enum<?> e) {
            node.put(name, e.name());
        } else if (value instanceof GenericEnumSymbol<?> symbol) {
            node.put(name, symbol.toString());
        } else if (value instanceof IndexedRecord nested) {
            writeFields(nested, node.putObject(name));
        } else if (value instanceof Collection<?> items) {
            ArrayNode array = node.putArray(name);
            for (Object item : items) {
                if (item instanceof IndexedRecord nested) {
                    writeFields(nested, array.addObject());
                } else {
                    array.add(String.valueOf(item));
                }
            }
        } else {
            throw new IllegalArgumentException(
                    "field '" + name + "': no JSON form for " + value.getClass().getName());
        }
    }
}
