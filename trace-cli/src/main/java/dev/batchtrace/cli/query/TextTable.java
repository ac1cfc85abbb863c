package dev.batchtrace.cli.query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** A plain-text table with left-aligned columns, for terminals and copy-paste into tickets. */
final class TextTable {

    static final String EMPTY = "-";

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(String... headers) {
        this.headers = List.of(headers);
    }

    /** Adds a row; null shows as "-", collections as comma-separated values. */
    TextTable row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(
                    "row has " + cells.length + " cells, table has " + headers.size() + " columns");
        }
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(cell(cell));
        }
        rows.add(row);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** Header line and rows, columns two spaces apart, no trailing blanks, ends with a newline. */
    String render() {
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = headers.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder text = new StringBuilder();
        line(text, headers, widths);
        for (List<String> row : rows) {
            line(text, row, widths);
        }
        return text.toString();
    }

    static String cell(Object value) {
        if (value == null) {
            return EMPTY;
        }
        if (value instanceof Collection<?> values) {
            if (values.isEmpty()) {
                return EMPTY;
            }
            List<String> parts = new ArrayList<>();
            values.forEach(v -> parts.add(String.valueOf(v)));
            return String.join(", ", parts);
        }
        String text = value.toString();
        return text.isBlank() ? EMPTY : text;
    }

    private static void line(StringBuilder text, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                line.append("  ");
            }
            line.append(cells.get(c));
            line.append(" ".repeat(widths[c] - cells.get(c).length()));
        }
        text.append(line.toString().stripTrailing()).append('\n');
    }
}
