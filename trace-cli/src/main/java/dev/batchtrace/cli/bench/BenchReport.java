package dev.batchtrace.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one benchmark run, in sections, in the order they were measured; printed as a
 * table or as JSON ({@code section -> name -> value}).
 */
public final class BenchReport {
    /** One figure: a number (with its unit) or a text. */
    public record Row(String section, String name, Object value, String unit) {}

    private final List<Row> rows = new ArrayList<>();

    public BenchReport put(String section, String name, Object value, String unit) {
        rows.removeIf(r -> r.section().equals(section) && r.name().equals(name));
        rows.add(new Row(section, name, value, unit));
        return this;
    }

    public BenchReport put(String section, String name, Object value) {
        return put(section, name, value, "");
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /** The value of a figure, or null. */
    public Object get(String section, String name) {
        return rows.stream()
                .filter(r -> r.section().equals(section) && r.name().equals(name))
                .map(Row::value)
                .findFirst()
                .orElse(null);
    }

    public String table() {
        StringBuilder out = new StringBuilder();
        String section = null;
        int width = rows.stream().mapToInt(r -> r.name().length()).max().orElse(10);
        for (Row row : rows) {
            if (!row.section().equals(section)) {
                section = row.section();
                out.append(out.length() == 0 ? "" : "\n").append(section).append('\n');
            }
            out.append(
                    String.format(
                            Locale.ROOT,
                            "  %-" + width + "s  %s",
                            row.name(),
                            format(row.value())));
            if (!row.unit().isEmpty()) {
                out.append(' ').append(row.unit());
            }
            out.append('\n');
        }
        return out.toString();
    }

    public String json() {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
        for (Row row : rows) {
            Object value = row.value();
            if (!row.unit().isEmpty()) {
                ObjectNode withUnit = mapper.createObjectNode();
                withUnit.putPOJO("value", value);
                withUnit.put("unit", row.unit());
                value = withUnit;
            }
            sections.computeIfAbsent(row.section(), s -> new LinkedHashMap<>())
                    .put(row.name(), value);
        }
        try {
            return mapper.writeValueAsString(sections);
        } catch (Exception e) {
            throw new IllegalStateException("report not writable as JSON", e);
        }
    }

    static String format(Object value) {
        if (value instanceof Double d) {
            if (Math.abs(d) >= 100) {
                return String.format(Locale.ROOT, "%,.0f", d);
            }
            return String.format(Locale.ROOT, "%.2f", d);
        }
        if (value instanceof Long || value instanceof Integer) {
            return String.format(Locale.ROOT, "%,d", value);
        }
        return String.valueOf(value);
    }
}
