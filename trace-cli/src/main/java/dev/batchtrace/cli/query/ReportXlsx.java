package dev.batchtrace.cli.query;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * A report's tables as one XLSX workbook, one sheet per CSV file (written with fastexcel, like
 * {@code bin/trace export fsma204}): the header row bold, frozen and filtered, quantities and
 * counts as numbers and times as date cells (UTC), so the sheet sorts and sums as people expect;
 * every other cell is text, so a lot code such as {@code 0042} keeps its zeros.
 */
public final class ReportXlsx {

    public static final String CONTENT_TYPE =
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /** Columns whose cells are numbers (when they hold one). */
    public static final Set<String> NUMBER_COLUMNS =
            Set.of(
                    "level",
                    "quantity",
                    "remaining",
                    "shipmentCount",
                    "linesWithoutQuantity",
                    "lotsMadeFromIt",
                    "shipments");

    /** Columns whose cells are ISO-8601 instants, written as date cells. */
    public static final Set<String> TIME_COLUMNS =
            Set.of("shippedAt", "producedAt", "firstShippedAt", "lastShippedAt");

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");

    private ReportXlsx() {}

    /** Writes {@code tables} as the sheets of one workbook; the caller closes {@code out}. */
    public static void write(List<ReportTable> tables, OutputStream out) throws IOException {
        Workbook workbook = new Workbook(out, "batchtrace", "1.0");
        for (ReportTable table : tables) {
            Worksheet sheet = workbook.newWorksheet(table.sheetName());
            List<String> columns = table.columns();
            for (int c = 0; c < columns.size(); c++) {
                sheet.value(0, c, columns.get(c));
                sheet.style(0, c).bold().set();
                sheet.width(c, 20);
            }
            for (int r = 0; r < table.rows().size(); r++) {
                List<String> row = table.rows().get(r);
                for (int c = 0; c < row.size() && c < columns.size(); c++) {
                    cell(sheet, r + 1, c, columns.get(c), row.get(c));
                }
            }
            sheet.freezePane(0, 1);
            sheet.setAutoFilter(0, 0, Math.max(0, table.rows().size()), columns.size() - 1);
        }
        workbook.finish();
    }

    private static void cell(Worksheet sheet, int r, int c, String column, String text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        if (NUMBER_COLUMNS.contains(column) && NUMBER.matcher(text).matches()) {
            sheet.value(r, c, new BigDecimal(text));
            return;
        }
        if (TIME_COLUMNS.contains(column)) {
            try {
                sheet.value(r, c, LocalDateTime.ofInstant(Instant.parse(text), ZoneOffset.UTC));
                sheet.style(r, c).format("yyyy-mm-dd hh:mm:ss").set();
                return;
            } catch (DateTimeParseException notATime) {
                // written as text below
            }
        }
        sheet.value(r, c, text);
    }
}
