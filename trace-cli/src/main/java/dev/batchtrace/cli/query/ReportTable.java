package dev.batchtrace.cli.query;

import java.util.List;

/**
 * One table of a report as its CSV file and its XLSX sheet show it: a name (the CSV file name), the
 * header and the rows as text (unknown values empty, numbers without trailing ".0").
 */
public record ReportTable(String file, List<String> columns, List<List<String>> rows) {

    public ReportTable {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    /** The sheet name: the file name without {@code .csv}. */
    public String sheetName() {
        return file.endsWith(".csv") ? file.substring(0, file.length() - 4) : file;
    }
}
