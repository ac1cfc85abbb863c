package dev.batchtrace.cli.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.cli.export.XlsxCells;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The explorer's report workbooks: one sheet per CSV file, typed cells where they sort. */
class ReportXlsxTest {

    @TempDir Path temp;

    @Test
    void oneSheetPerTableWithNumbersDatesAndCodesAsPeopleSortThem() throws Exception {
        ReportTable lots =
                new ReportTable(
                        "exposure-lots.csv",
                        List.of("lotCode", "producedAt", "quantity", "unit"),
                        List.of(
                                List.of("0042", "2026-11-02T09:30:00Z", "1200.5", "kg"),
                                List.of("FG-1", "", "", "")));
        ReportTable customers =
                new ReportTable(
                        "exposure-customers.csv",
                        List.of("customerId", "quantities"),
                        List.of(List.of("C-100", "250 pcs")));
        Path file = temp.resolve("report.xlsx");
        try (OutputStream out = Files.newOutputStream(file)) {
            ReportXlsx.write(List.of(lots, customers), out);
        }

        assertEquals(List.of("exposure-lots", "exposure-customers"), XlsxCells.sheetNames(file));
        List<List<String>> sheet = XlsxCells.read(file, 1);
        assertEquals(List.of("lotCode", "producedAt", "quantity", "unit"), sheet.get(0));
        assertEquals(3, sheet.size());
        assertEquals("0042", sheet.get(1).get(0), "a code stays text, zeros and all");
        assertEquals("1200.5", sheet.get(1).get(2));
        // 2026-11-02 09:30 UTC as a spreadsheet date: days since 1899-12-30
        assertEquals(46328.395833, Double.parseDouble(sheet.get(1).get(1)), 1e-6);
        assertEquals(List.of("FG-1"), sheet.get(2), "empty cells are left out");
        assertEquals(
                List.of(List.of("customerId", "quantities"), List.of("C-100", "250 pcs")),
                XlsxCells.read(file, 2));

        String xml = XlsxCells.entry(file, "xl/worksheets/sheet1.xml");
        assertTrue(xml.contains("<autoFilter "), "the header filters");
        assertTrue(xml.contains("<pane "), "the header is frozen");
        // the quantity is a number cell (no t="s"), the code a shared string
        assertTrue(xml.matches("(?s).*<c r=\"C2\"(?![^>]*t=\"s\")[^>]*><v>1200.5</v>.*"), xml);
        assertTrue(xml.matches("(?s).*<c r=\"A2\"[^>]*t=\"s\".*"), xml);
    }

    @Test
    void aNumberColumnWithTextKeepsTheText() throws Exception {
        ReportTable table =
                new ReportTable(
                        "lots.csv",
                        List.of("level", "quantity"),
                        List.of(List.of("?", "n/a"), List.of("-2", "3")));
        Path file = temp.resolve("t.xlsx");
        try (OutputStream out = Files.newOutputStream(file)) {
            ReportXlsx.write(List.of(table), out);
        }
        assertEquals(List.of("lots"), XlsxCells.sheetNames(file));
        assertEquals(List.of("?", "n/a"), XlsxCells.read(file, 1).get(1));
        assertEquals(List.of("-2", "3"), XlsxCells.read(file, 1).get(2));
    }
}
