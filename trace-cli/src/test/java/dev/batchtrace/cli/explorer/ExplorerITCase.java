package dev.batchtrace.cli.explorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.json.JsonData;
import dev.batchtrace.cli.CliRun;
import dev.batchtrace.cli.export.XlsxCells;
import dev.batchtrace.cli.query.ExposureCsv;
import dev.batchtrace.cli.query.RecallCsv;
import dev.batchtrace.cli.query.ReportTable;
import dev.batchtrace.cli.query.ReportXlsx;
import dev.batchtrace.cli.query.SampleDayDocuments;
import dev.batchtrace.cli.query.TraceQueries;
import dev.batchtrace.cli.query.UnitQueries;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchClients;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchSettings;
import dev.batchtrace.connectors.elasticsearch.IndexTemplates;
import dev.batchtrace.connectors.elasticsearch.TraceIndex;
import dev.batchtrace.stack.TestServers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The trace explorer against a real Elasticsearch node holding the sample factory day, over HTTP
 * and in a real browser (headless Chromium from the npm package {@code @sparticuz/chromium}, driven
 * by puppeteer-core; both pinned in src/test/browser, installed into target/browser on first run).
 * Expected answers: deploy/sample-data/README.md.
 */
class ExplorerITCase {

    private static final Instant RAISED = Instant.parse("2026-11-02T16:30:05Z");
    private static final String LIVE_ALERT = "ALERT-IT-LIVE-1";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ElasticsearchClient client;
    private static TraceQueries queries;
    private static UnitQueries unitQueries;
    private static ExplorerServer server;
    private static String base;
    private static String elasticsearchUrl;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void serveTheSampleDay() throws Exception {
        String url = TestServers.elasticsearchUrl();
        elasticsearchUrl = url;
        client = ElasticsearchClients.create(ElasticsearchSettings.forHosts(url));
        IndexTemplates.install(client, line -> {});
        SampleDayDocuments.index(client, RAISED);
        queries = new TraceQueries(client, url);
        unitQueries = new UnitQueries(client, url);
        server =
                ExplorerServer.start(
                        queries,
                        unitQueries,
                        new ExplorerServer.Settings(
                                "127.0.0.1", 0, null, null, null, 12, Duration.ofMillis(300)));
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (client != null) {
            client.close();
        }
    }

    @Test
    void everyViewHasAUrlAndTheApiAnswersFromTheDocuments() throws Exception {
        for (String page :
                List.of("/", "/lot/FG-261102-02", "/recall/RM-261102-01", "/search?q=x")) {
            HttpResponse<String> html = get(page);
            assertEquals(200, html.statusCode(), page);
            assertTrue(html.body().contains("<script src=\"/assets/explorer.js\""), page);
        }
        assertEquals(200, get("/assets/d3.min.js").statusCode());
        assertTrue(get("/assets/d3.min.js").body().contains("https://d3js.org v7.9.0"));

        JsonNode search = json(get("/api/search?q=SUP-POLY/L2611-01"));
        assertEquals("RM-261102-01", search.get("lots").get(0).get("lotCode").asString());
        assertEquals(1, search.get("lotTotal").asLong(), "not Fastenit's screw lot L2611-01");
        assertEquals(
                Set.of("DN-26-7001", "DN-26-7002", "DN-26-7004"),
                texts(search.get("shipments"), "dispatchId"),
                "shipments made from it, DN-26-7003 is not");
        assertEquals(
                Set.of("DN-26-7003"),
                texts(json(get("/api/search?q=dn-26-7003")).get("shipments"), "dispatchId"),
                "codes in any case");
        assertEquals(
                Set.of("DN-26-7002"),
                texts(json(get("/api/search?q=Nordic")).get("shipments"), "dispatchId"),
                "customer name");

        JsonNode lot = json(get("/api/lot/FG-261102-02"));
        JsonNode graph = lot.get("graph");
        assertEquals("lot:FG-261102-02", graph.get("centerId").asString());
        Set<String> ids = new TreeSet<>();
        graph.get("nodes").forEach(n -> ids.add(n.get("node").get("id").asString()));
        assertEquals(
                new TreeSet<>(
                        List.of(
                                "lot:FG-261102-02",
                                "lot:SA-261102-03",
                                "lot:SA-261102-04",
                                "lot:RM-261102-06",
                                "lot:RM-261102-08",
                                "lot:RM-261102-07",
                                "lot:RM-261102-02",
                                "lot:RM-261102-03",
                                "lot:RM-261102-04",
                                "shipment:DN-26-7002",
                                "shipment:DN-26-7003",
                                "customer:C-200",
                                "customer:C-300")),
                ids);

        HttpResponse<String> csv = get("/recall/RM-261102-01/customers.csv");
        assertEquals(200, csv.statusCode());
        assertEquals(
                "attachment; filename=\"recall-RM-261102-01-customers.csv\"",
                csv.headers().firstValue("Content-Disposition").orElse(null));
        assertTrue(csv.body().contains("C-400,Casa Clima S.r.l.,pcs,200,1,DN-26-7004,0"));

        HttpResponse<String> svg = get("/graph/RM-261102-01.svg");
        assertEquals(200, svg.statusCode());
        assertTrue(svg.body().startsWith("<svg "), svg.body());
        assertTrue(get("/graph/RM-261102-01.mmd").body().startsWith("flowchart LR"));

        HttpResponse<String> unknown = get("/api/lot/NO-SUCH-LOT");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("lot NO-SUCH-LOT is unknown or not yet indexed"));
        assertEquals(404, get("/recall/RM-261102-01/passwords.csv").statusCode());
        assertEquals(400, get("/graph/RM-261102-01.png").statusCode());
        assertEquals(
                "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'",
                get("/").headers().firstValue("Content-Security-Policy").orElse(null));
    }

    @Test
    void aSerialFindsItsUnitAndTheExposureViewHasCsvDownloads() throws Exception {
        assertEquals(200, get("/exposure/FG-261102-02").statusCode());
        JsonNode units = json(get("/api/units?serial=TC100-000612"));
        assertEquals(1, units.size());
        assertEquals("FG-261102-02", units.get(0).get("lotCode").asString());
        assertEquals(
                "DN-26-7003", units.get(0).get("shipments").get(0).get("dispatchId").asString());
        // the search box asks with any text: an unknown serial is an empty answer
        HttpResponse<String> none = get("/api/units?serial=NO-SUCH-UNIT");
        assertEquals(200, none.statusCode());
        assertEquals(0, json(none).size());

        JsonNode exposure = json(get("/api/exposure/FG-261102-02?material=PCBA-TC100"));
        assertEquals(
                Set.of("C-200", "C-300", "C-400"), texts(exposure.get("customers"), "customerId"));
        HttpResponse<String> csv =
                get("/exposure/FG-261102-02/exposure-customers.csv?material=PCBA-TC100");
        assertEquals(200, csv.statusCode());
        assertTrue(csv.body().startsWith("customerId,customerName,"), csv.body());
        assertEquals(4, csv.body().strip().split("\n").length, csv.body());
        assertEquals(404, get("/exposure/FG-261102-02/other.csv").statusCode());

        // the same four tables as one spreadsheet, narrowed the same way
        HttpResponse<byte[]> xlsx =
                HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                base
                                                        + "/exposure/FG-261102-02/exposure.xlsx"
                                                        + "?material=PCBA-TC100"))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, xlsx.statusCode());
        assertEquals(
                ReportXlsx.CONTENT_TYPE, xlsx.headers().firstValue("Content-Type").orElse(null));
        assertEquals(
                "attachment; filename=\"FG-261102-02-exposure.xlsx\"",
                xlsx.headers().firstValue("Content-Disposition").orElse(null));
        Path file = Files.createDirectories(Path.of("target", "explorer-it")).resolve("pcba.xlsx");
        Files.write(file, xlsx.body());
        assertSameTables(
                ExposureCsv.tables(
                        unitQueries.exposure(
                                "FG-261102-02",
                                new UnitQueries.Limits("PCBA-TC100", null, null, null))),
                file);
        assertEquals(4, XlsxCells.read(file, 4).size(), "header and three customers to call");
        assertEquals(404, get("/recall/RM-261102-01/recall.xls").statusCode());
    }

    /** Summary fields that differ between two reports of the same documents. */
    private static final Set<String> RUN_DEPENDENT =
            Set.of("generatedAt", "elasticsearchMs", "totalMs");

    /**
     * The workbook has one sheet per table, in order, each with the table's header and rows: text
     * and numbers as the CSV has them, times as date cells (numbers in the sheet).
     */
    static void assertSameTables(List<ReportTable> tables, Path xlsx) throws Exception {
        assertEquals(
                tables.stream().map(ReportTable::sheetName).toList(), XlsxCells.sheetNames(xlsx));
        for (int i = 0; i < tables.size(); i++) {
            ReportTable table = tables.get(i);
            List<List<String>> sheet = XlsxCells.read(xlsx, i + 1);
            assertEquals(table.columns(), sheet.get(0), table.file());
            assertEquals(table.rows().size() + 1, sheet.size(), table.file() + ": rows");
            for (int r = 0; r < table.rows().size(); r++) {
                List<String> expected = table.rows().get(r);
                List<String> actual = sheet.get(r + 1);
                if (table.file().equals(RecallCsv.SUMMARY)
                        && RUN_DEPENDENT.contains(expected.get(0))) {
                    // when and how fast this report was made: the download's own values
                    assertEquals(expected.get(0), actual.get(0));
                    assertTrue(actual.size() == 2 && !actual.get(1).isEmpty(), actual.toString());
                    continue;
                }
                for (int c = 0; c < expected.size(); c++) {
                    String cell = c < actual.size() ? actual.get(c) : "";
                    String where = table.file() + " row " + (r + 1) + " " + table.columns().get(c);
                    if (ReportXlsx.TIME_COLUMNS.contains(table.columns().get(c))
                            && !expected.get(c).isEmpty()) {
                        assertTrue(cell.matches("\\d+(\\.\\d+)?"), where + ": a date cell " + cell);
                    } else {
                        assertEquals(expected.get(c), cell, where);
                    }
                }
            }
        }
    }

    @Test
    void graphCommandWritesTheSameLayoutAsAFile() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "explorer-it"));
        Path file = dir.resolve("FG-261102-02.dot");
        CliRun dot =
                CliRun.trace(
                        "graph",
                        "FG-261102-02",
                        "--format",
                        "dot",
                        "--out",
                        file.toString(),
                        "--elasticsearch-url",
                        elasticsearchUrl);
        assertEquals(0, dot.exitCode(), dot.err());
        String text = Files.readString(file);
        assertTrue(text.contains("\"lot:RM-261102-02\" -> \"lot:SA-261102-03\";"), text);
        assertTrue(text.contains("\"shipment:DN-26-7003\" -> \"customer:C-300\";"), text);
        assertEquals(5, text.split("rank=same", -1).length - 1, "levels -2..2: " + text);

        CliRun mermaid =
                CliRun.trace(
                        "graph",
                        "RM-261102-01",
                        "--format",
                        "mermaid",
                        "--elasticsearch-url",
                        elasticsearchUrl);
        assertEquals(0, mermaid.exitCode(), mermaid.err());
        assertTrue(mermaid.out().startsWith("flowchart LR\n"), mermaid.out());
        assertTrue(mermaid.out().contains("RM-261102-01<br/>SUP-POLY/L2611-01"), mermaid.out());

        assertEquals(
                2,
                CliRun.trace(
                                "graph",
                                "X",
                                "--format",
                                "png",
                                "--elasticsearch-url",
                                elasticsearchUrl)
                        .exitCode());
        CliRun unknown =
                CliRun.trace("graph", "NO-SUCH-LOT", "--elasticsearch-url", elasticsearchUrl);
        assertEquals(4, unknown.exitCode(), unknown.err());
    }

    @Test
    void aTokenGuardsTheExplorerAndANonLoopbackBindWithoutOneIsRefused() throws Exception {
        try (ExplorerServer guarded =
                ExplorerServer.start(
                        queries,
                        new ExplorerServer.Settings(
                                "127.0.0.1", 0, "s3cret", null, null, 12, Duration.ofSeconds(5)))) {
            String at = "http://127.0.0.1:" + guarded.port();
            assertEquals(
                    401, send(HttpRequest.newBuilder(URI.create(at + "/api/alerts"))).statusCode());
            assertEquals(
                    401,
                    send(HttpRequest.newBuilder(URI.create(at + "/api/alerts"))
                                    .header("Authorization", "Bearer wrong"))
                            .statusCode());
            assertEquals(
                    200,
                    send(HttpRequest.newBuilder(URI.create(at + "/api/alerts"))
                                    .header("Authorization", "Bearer s3cret"))
                            .statusCode());
            HttpResponse<String> link =
                    send(HttpRequest.newBuilder(URI.create(at + "/lot/X?token=s3cret")));
            assertEquals(200, link.statusCode());
            assertTrue(
                    link.headers()
                            .firstValue("Set-Cookie")
                            .orElse("")
                            .startsWith("batchtrace_token=s3cret;"),
                    "the page's own requests carry the cookie");
        }

        CliRun refused = CliRun.trace("serve", "--bind", "0.0.0.0", "--port", "0");
        assertEquals(2, refused.exitCode(), refused.err());
        assertTrue(
                refused.err().startsWith("error: refusing to serve trace data on 0.0.0.0 without"),
                refused.err());
    }

    @Test
    void inARealBrowser() throws Exception {
        Path browser = browserTools();
        Path out = Files.createDirectories(Path.of("target", "explorer-it").toAbsolutePath());
        Process node =
                new ProcessBuilder("node", "explorer-check.mjs", base, out.toString(), LIVE_ALERT)
                        .directory(browser.toFile())
                        .redirectErrorStream(true)
                        .start();
        String resultLine = null;
        List<String> log = new ArrayList<>();
        try (BufferedReader lines =
                new BufferedReader(
                        new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                log.add(line);
                if (line.equals("READY_FOR_ALERT")) {
                    raiseLiveAlert();
                } else if (line.startsWith("RESULT ")) {
                    resultLine = line.substring("RESULT ".length());
                }
            }
        }
        assertTrue(node.waitFor(60, TimeUnit.SECONDS), "node did not end");
        // other test classes of this JVM count the sample day's alerts
        client.delete(d -> d.index(TraceIndex.ALERTS.alias()).id(LIVE_ALERT).refresh(Refresh.True));
        assertNotNull(resultLine, () -> "no result from the browser:\n" + String.join("\n", log));
        JsonNode result = JSON.readTree(resultLine);
        assertEquals(0, result.get("errors").size(), () -> result.get("errors").toString());

        assertEquals(base + "/search?q=SUP-POLY%2FL2611-01", result.get("searchUrl").asString());
        assertEquals(List.of("RM-261102-01"), strings(result.get("searchLots")));

        // forward from the held resin lot: SA-01, SA-02 -> FG-01, FG-03 -> three shipments, three
        // customers; SA-03, FG-02 and DN-26-7003 are not there (reversed consumption)
        JsonNode resin = result.get("resin");
        assertEquals(base + "/lot/RM-261102-01", resin.get("url").asString());
        assertEquals(
                Set.of(
                        "lot:RM-261102-01",
                        "lot:SA-261102-01",
                        "lot:SA-261102-02",
                        "lot:FG-261102-01",
                        "lot:FG-261102-03",
                        "shipment:DN-26-7001",
                        "shipment:DN-26-7002",
                        "shipment:DN-26-7004",
                        "customer:C-100",
                        "customer:C-200",
                        "customer:C-400"),
                Set.copyOf(strings(resin.get("nodes"))));
        assertEquals(
                Set.of(
                        "lot:RM-261102-01 -> lot:SA-261102-01",
                        "lot:RM-261102-01 -> lot:SA-261102-02",
                        "lot:SA-261102-01 -> lot:FG-261102-01",
                        "lot:SA-261102-02 -> lot:FG-261102-01",
                        "lot:SA-261102-01 -> lot:FG-261102-03",
                        "lot:FG-261102-01 -> shipment:DN-26-7001",
                        "lot:FG-261102-01 -> shipment:DN-26-7002",
                        "lot:FG-261102-03 -> shipment:DN-26-7004",
                        "shipment:DN-26-7001 -> customer:C-100",
                        "shipment:DN-26-7002 -> customer:C-200",
                        "shipment:DN-26-7004 -> customer:C-400"),
                Set.copyOf(strings(resin.get("edges"))));
        assertTrue(strings(resin.get("held")).contains("lot:RM-261102-01"), resin.toString());
        assertTrue(strings(resin.get("held")).contains("shipment:DN-26-7004"), resin.toString());

        // clicked FG-261102-01: re-centred, its inputs at two levels
        JsonNode finished = result.get("finished");
        assertEquals(base + "/lot/FG-261102-01", finished.get("url").asString());
        assertEquals(13, finished.get("nodes").size(), finished.toString());
        assertTrue(strings(finished.get("edges")).contains("lot:RM-261102-01 -> lot:SA-261102-01"));

        assertTrue(result.get("alertsBefore").asInt() >= 6, "the sample day's alerts");
        assertTrue(
                result.get("liveAlert").asString().contains("SHIPPED_WHILE_ON_HOLD"),
                result.get("liveAlert").asString());
        assertEquals(base + "/lot/RM-261102-01", result.get("backUrl").asString());

        assertEquals(base + "/recall/RM-261102-01", result.get("recallUrl").asString());
        assertEquals(
                List.of("DN-26-7001", "DN-26-7002", "DN-26-7004"),
                strings(result.get("recallShipments")));
        assertEquals(
                "customerId,customerName,unit,quantity,shipmentCount,dispatchIds,linesWithoutQuantity\n"
                        + "C-100,HeatWise GmbH,pcs,250,1,DN-26-7001,0\n"
                        + "C-200,Nordic Climate AB,pcs,150,1,DN-26-7002,0\n"
                        + "C-400,Casa Clima S.r.l.,pcs,200,1,DN-26-7004,0\n",
                result.get("csv").asString());
        assertTrue(result.get("recallXlsx").isString(), "recall.xlsx downloaded: " + result);
        Path recallXlsx = Path.of(result.get("recallXlsx").asString());
        assertSameTables(RecallCsv.tables(queries.recall("RM-261102-01")), recallXlsx);
        assertEquals(
                List.of("lots", "shipments", "customers", "summary"),
                XlsxCells.sheetNames(recallXlsx));
        assertEquals(
                List.of("C-400", "Casa Clima S.r.l.", "pcs", "200", "1", "DN-26-7004", "0"),
                XlsxCells.read(recallXlsx, 3).get(3));

        JsonNode direct = result.get("direct");
        assertEquals("lot:FG-261102-02", direct.get("center").asString());
        assertTrue(
                strings(direct.get("marks")).contains("lot:FG-261102-02 QC FAIL"),
                direct.toString());
        assertTrue(
                result.get("unknown").asString().contains("lot NO-SUCH-LOT is unknown"),
                result.get("unknown").asString());
        assertTrue(Files.size(out.resolve("explorer.png")) > 10_000, "screenshot");

        // the Wednesday call: the serial's unit, made in FG-261102-02, shipped to ThermoPro
        assertEquals(base + "/search?q=TC100-000612", result.get("unitSearchUrl").asString());
        JsonNode unitRows = result.get("units");
        assertEquals(1, unitRows.size(), unitRows.toString());
        List<String> unit = strings(unitRows.get(0));
        assertEquals(List.of("TC100-000612", "TC-100", "FG-261102-02"), unit.subList(0, 3));
        assertEquals("DN-26-7003", unit.get(4));
        assertTrue(unit.get(5).startsWith("C-300 "), unit.toString());

        // who else is exposed: every raw lot of the batch, all four customers
        assertEquals(base + "/exposure/FG-261102-02", result.get("exposureUrl").asString());
        assertEquals(
                Set.of(
                        "RM-261102-02",
                        "RM-261102-03",
                        "RM-261102-04",
                        "RM-261102-06",
                        "RM-261102-07",
                        "RM-261102-08"),
                Set.copyOf(strings(result.get("exposureRawLots"))));
        Set<String> customerIds = new TreeSet<>();
        result.get("exposureCustomers").forEach(c -> customerIds.add(c.asString().split(" ")[0]));
        assertEquals(Set.of("C-100", "C-200", "C-300", "C-400"), customerIds);
        String exposureCsv = result.get("exposureCsv").asString();
        List<String> csvLines = exposureCsv.strip().lines().toList();
        assertEquals(
                "customerId,customerName,dispatchIds,quantities,firstShippedAt,lastShippedAt",
                csvLines.get(0));
        assertEquals(5, csvLines.size(), "header and four customers: " + exposureCsv);
        assertTrue(result.get("exposureXlsx").isString(), "exposure.xlsx downloaded: " + result);
        Path exposureXlsx = Path.of(result.get("exposureXlsx").asString());
        List<ReportTable> exposure =
                ExposureCsv.tables(
                        unitQueries.exposure(
                                "FG-261102-02", new UnitQueries.Limits(null, null, null, null)));
        assertSameTables(exposure, exposureXlsx);
        assertEquals(7, XlsxCells.read(exposureXlsx, 1).size(), "header and six raw lots");
        assertEquals(5, XlsxCells.read(exposureXlsx, 4).size(), "header and four customers");
        assertEquals(csvLines.get(0), String.join(",", XlsxCells.read(exposureXlsx, 4).get(0)));
    }

    /** A new alert, as the lineage job would index it while the page is open. */
    private static void raiseLiveAlert() {
        String doc =
                "{\"alertId\":\""
                        + LIVE_ALERT
                        + "\",\"flagId\":\"FLAG-IT-1\",\"flaggedLotCode\":\"RM-IT-LIVE\","
                        + "\"kind\":\"SHIPPED_WHILE_ON_HOLD\",\"status\":\"OPEN\","
                        + "\"dispatchId\":\"DN-IT-1\",\"customerId\":\"C-100\","
                        + "\"customerName\":\"HeatWise GmbH\",\"lotCode\":\"FG-261102-01\","
                        + "\"quantity\":5.0,\"unit\":\"pcs\","
                        + "\"path\":[\"RM-IT-LIVE\",\"FG-261102-01\"],"
                        + "\"raisedAt\":\""
                        + Instant.now()
                        + "\"}";
        try {
            client.index(
                    i ->
                            i.index(TraceIndex.ALERTS.alias())
                                    .id(LIVE_ALERT)
                                    .document(JsonData.fromJson(doc))
                                    .refresh(Refresh.True));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * target/browser with puppeteer-core and @sparticuz/chromium at the versions of
     * src/test/browser/package-lock.json; installed with npm ci when missing (.ci/run makes sure
     * npm exists). Skips, saying why, only when there is no npm at all.
     */
    private static Path browserTools() throws Exception {
        Path source = Path.of("src", "test", "browser").toAbsolutePath();
        Path target = Path.of("target", "browser").toAbsolutePath();
        Files.createDirectories(target);
        for (String file : List.of("package.json", "package-lock.json", "explorer-check.mjs")) {
            Files.copy(
                    source.resolve(file),
                    target.resolve(file),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        if (Files.exists(target.resolve("node_modules/puppeteer-core/package.json"))
                && Files.exists(target.resolve("node_modules/@sparticuz/chromium/package.json"))) {
            return target;
        }
        Assumptions.assumeTrue(
                onPath("npm") && onPath("node"),
                "SKIPPED: the real-browser test needs node and npm (Debian: apt-get install -y"
                        + " nodejs npm; .ci/run installs them)");
        Process install =
                new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                        .directory(target.toFile())
                        .redirectErrorStream(true)
                        .start();
        String output = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(install.waitFor(10, TimeUnit.MINUTES), "npm ci did not end");
        assertEquals(0, install.exitValue(), () -> "npm ci failed in " + target + ":\n" + output);
        return target;
    }

    private static boolean onPath(String command) {
        for (String dir :
                System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static Set<String> texts(JsonNode array, String field) {
        Set<String> values = new TreeSet<>();
        array.forEach(n -> values.add(n.get(field).asString()));
        return values;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(n -> values.add(n.asString()));
        return values;
    }
}
