package dev.batchtrace.cli.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.batchtrace.cli.CliRun;
import dev.batchtrace.cli.query.SampleDayDocuments;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchClients;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchSettings;
import dev.batchtrace.connectors.elasticsearch.IndexTemplates;
import dev.batchtrace.stack.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trace export fsma204} against a real Elasticsearch node holding the sample factory day.
 * Expected events: deploy/sample-data/README.md (receipts, work orders, dispatch notes).
 */
class Fsma204ExportITCase {

    private static ElasticsearchClient client;
    private static String url;

    @TempDir static Path temp;

    @BeforeAll
    static void indexTheSampleDay() throws Exception {
        url = TestServers.elasticsearchUrl();
        client = ElasticsearchClients.create(ElasticsearchSettings.forHosts(url));
        IndexTemplates.install(client, line -> {});
        SampleDayDocuments.index(client, Instant.parse("2026-11-02T16:30:05Z"));
    }

    @AfterAll
    static void disconnect() throws Exception {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void csvOfTheFinishedLotThermoProReceivedHasEveryEventOfItsGenealogy() throws Exception {
        Path file = temp.resolve("fg-02.csv");
        CliRun run =
                CliRun.trace(
                        "export",
                        "fsma204",
                        "FG-261102-02",
                        "--out",
                        file.toString(),
                        "--elasticsearch-url",
                        url);

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(
                run.out().startsWith("FSMA 204 spreadsheet of FG-261102-02 written: "), run.out());
        List<String> lines = Files.readAllLines(file);
        String all = String.join("\n", lines);
        assertEquals(String.join(",", Fsma204Export.COLUMNS), lines.get(0), all);
        // 6 receipts (RM-02, -03, -04, -06, -07, -08), 3 transformations (SA-03, SA-04, FG-02),
        // 2 shipping lines (DN-26-7002 100, DN-26-7003 200)
        assertEquals(1 + 11, lines.size(), all);
        assertEquals(6, count(lines, "Receiving,"), all);
        assertEquals(3, count(lines, "Transformation,"), all);
        assertEquals(2, count(lines, "Shipping,"), all);
        assertTrue(
                lines.contains(
                        "Receiving,2026-11-02T06:26:00Z,RM-261102-06,PCBA-TC100,"
                                + "\"Controller board TC-100, assembled\",500,pcs,PLANT-ULM,"
                                + "Shenzhen Circuit Co. Ltd (SUP-PCB),,Shenzhen Circuit Co. Ltd"
                                + " (SUP-PCB),SZ-44121,,Goods receipt,GR-26-5506"),
                all);
        assertTrue(
                all.contains(",RM-261102-02 50 kg; RM-261102-03 1.2 kg,Work order,WO-26-1003"),
                "the reversed RM-261102-01 is no input of SA-261102-03: " + all);
        assertTrue(all.contains("Shipping,2026-11-02T15:30:00Z,FG-261102-02,TC-100,"), all);
        assertTrue(all.contains("ThermoPro Ltd (C-300), "), all);
        assertTrue(all.contains(",Dispatch note,DN-26-7003"), all);
    }

    @Test
    void xlsxOfTheHeldResinLotHasTheSameRowsAsTheCsv() throws Exception {
        Path csv = temp.resolve("rm-01.csv");
        Path xlsx = temp.resolve("rm-01.xlsx");
        assertEquals(
                0,
                CliRun.trace(
                                "export",
                                "fsma204",
                                "RM-261102-01",
                                "--out",
                                csv.toString(),
                                "--elasticsearch-url",
                                url)
                        .exitCode());
        CliRun run =
                CliRun.trace(
                        "export",
                        "fsma204",
                        "RM-261102-01",
                        "--out",
                        xlsx.toString(),
                        "--elasticsearch-url",
                        url);
        assertEquals(0, run.exitCode(), run.err());

        List<String> lines = Files.readAllLines(csv);
        String all = String.join("\n", lines);
        // 1 receipt, 4 transformations (SA-01, SA-02, FG-01, FG-03), 3 shipping lines; not the
        // FG-261102-02 line of DN-26-7002
        assertEquals(1 + 8, lines.size(), all);
        assertEquals(3, count(lines, "Shipping,"), all);
        assertTrue(!all.contains("FG-261102-02,"), all);
        assertTrue(
                all.contains(",RM-261102-01 60 kg; RM-261102-03 1.5 kg,Work order,WO-26-1001"),
                "an input outside the resin's genealogy still has its quantity: " + all);

        List<List<String>> rows = XlsxCells.read(xlsx);
        assertEquals(lines.size(), rows.size());
        assertEquals(Fsma204Export.COLUMNS, rows.get(0));
        assertEquals("Receiving", rows.get(1).get(0));
        assertEquals("RM-261102-01", rows.get(1).get(2));
        assertEquals(1000.0, Double.parseDouble(rows.get(1).get(5)), "a number cell");
        // a date cell: days since 1899-12-30, 2026-11-02T06:00 is day 46328 and a quarter
        double serial =
                java.time.Duration.between(
                                        LocalDateTime.parse("1899-12-30T00:00:00"),
                                        LocalDateTime.parse("2026-11-02T06:00:00"))
                                .toMinutes()
                        / 1440.0;
        assertEquals(serial, Double.parseDouble(rows.get(1).get(1)), 1e-6);
        assertTrue(
                XlsxCells.entry(xlsx, "xl/worksheets/sheet1.xml").contains("<autoFilter "),
                "sortable: filters on the header");
    }

    @Test
    void productAndDateRangeFormListsEveryEventOnce() throws Exception {
        Path file = temp.resolve("tc-100.csv");
        CliRun run =
                CliRun.trace(
                        "export",
                        "fsma204",
                        "--product",
                        "TC-100",
                        "--from",
                        "2026-11-02T00:00:00Z",
                        "--to",
                        "2026-11-03T00:00:00Z",
                        "--out",
                        file.toString(),
                        "--elasticsearch-url",
                        url);

        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = Files.readAllLines(file);
        String all = String.join("\n", lines);
        // FG-261102-01 and -02 are TC-100 (FG-03 is TC-100-IT): receipts of all 8 raw lots, the
        // 6 work orders that made them and their housings, 4 shipping lines
        assertEquals(8, count(lines, "Receiving,"), all);
        assertEquals(6, count(lines, "Transformation,"), all);
        assertEquals(4, count(lines, "Shipping,"), all);
        assertEquals(1 + 18, lines.size(), all);

        CliRun none =
                CliRun.trace(
                        "export",
                        "fsma204",
                        "--product",
                        "TC-100",
                        "--from",
                        "2027-01-01T00:00:00Z",
                        "--out",
                        file.toString(),
                        "--elasticsearch-url",
                        url);
        assertEquals(4, none.exitCode(), none.err());
        assertTrue(none.err().contains("no lot of product TC-100"), none.err());
        CliRun both =
                CliRun.trace(
                        "export",
                        "fsma204",
                        "FG-261102-01",
                        "--product",
                        "TC-100",
                        "--out",
                        file.toString(),
                        "--elasticsearch-url",
                        url);
        assertEquals(2, both.exitCode(), both.err());
    }

    @Test
    void unknownLotAndWrongExtension() {
        CliRun unknown =
                CliRun.trace(
                        "export",
                        "fsma204",
                        "NO-SUCH-LOT",
                        "--out",
                        temp.resolve("x.csv").toString(),
                        "--elasticsearch-url",
                        url);
        assertEquals(4, unknown.exitCode(), unknown.err());
        CliRun pdf =
                CliRun.trace(
                        "export",
                        "fsma204",
                        "FG-261102-02",
                        "--out",
                        "x.pdf",
                        "--elasticsearch-url",
                        url);
        assertEquals(2, pdf.exitCode());
        assertTrue(pdf.err().contains("--out must end in .csv or .xlsx"), pdf.err());
    }

    private static long count(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).count();
    }
}
