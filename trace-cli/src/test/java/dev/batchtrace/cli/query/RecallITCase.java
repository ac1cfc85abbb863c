package dev.batchtrace.cli.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.batchtrace.cli.CliRun;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchClients;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchSettings;
import dev.batchtrace.connectors.elasticsearch.IndexTemplates;
import dev.batchtrace.lineage.reference.LineageReference;
import dev.batchtrace.stack.TestServers;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code trace recall} against a real Elasticsearch node holding the sample factory day's trace
 * documents and open alerts, as the batch reference ({@link LineageReference#withHolds}) computes
 * them from deploy/sample-data/factory-day.jsonl. Expected answers: deploy/sample-data/README.md
 * (the HOLD on RM-261102-01).
 */
class RecallITCase {

    private static final String RESIN = "RM-261102-01";
    private static final Instant RAISED = Instant.parse("2026-11-02T16:30:05Z");

    private static ElasticsearchClient client;
    private static TraceQueries queries;
    private static String url;

    @TempDir static Path temp;

    @BeforeAll
    static void indexTheSampleDay() throws Exception {
        url = TestServers.elasticsearchUrl();
        client = ElasticsearchClients.create(ElasticsearchSettings.forHosts(url));
        IndexTemplates.install(client, line -> {});
        queries = new TraceQueries(client, url);

        SampleDayDocuments.index(client, RAISED);
    }

    @AfterAll
    static void disconnect() throws Exception {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void theHeldResinLotReachesTwoLevelsThreeShipmentsAndThreeCustomers() {
        RecallReport report = queries.recall(RESIN);

        FlaggedLot lot = report.lot();
        assertEquals("PURCHASED", lot.facts().kind());
        assertEquals("SUP-POLY", lot.facts().supplierId());
        assertEquals("L2611-01", lot.facts().supplierLotCode());
        assertEquals(1000.0, lot.quantity());
        assertEquals("kg", lot.unit());
        assertTrue(lot.onHold());
        assertEquals(1, lot.holds().size());
        assertEquals("FLAG-26-0042", lot.holds().get(0).flagId());
        assertEquals("MAJOR", lot.holds().get(0).severity());
        assertEquals(Instant.parse("2026-11-02T16:30:00Z"), lot.holds().get(0).since());

        // SA-261102-03 and FG-261102-02 are not affected: the reversed consumption
        assertEquals(
                List.of("1 SA-261102-01", "1 SA-261102-02", "2 FG-261102-01", "2 FG-261102-03"),
                report.lots().stream().map(l -> l.level() + " " + l.lotCode()).toList());
        assertTrue(report.lots().stream().allMatch(AffectedLot::onHold));
        assertEquals(
                List.of(1200.0, 800.0, 400.0, 200.0),
                report.lots().stream().map(AffectedLot::quantity).toList());

        // DN-26-7003 (C-300) is not affected
        assertEquals(
                List.of("DN-26-7001", "DN-26-7002", "DN-26-7004"),
                report.shipments().stream().map(AffectedShipment::dispatchId).toList());
        AffectedShipment nordic = report.shipments().get(1);
        assertEquals(List.of("FG-261102-01"), nordic.affectedLotCodes());
        assertEquals(
                List.of("FG-261102-01 150.0 true", "FG-261102-02 100.0 false"),
                nordic.lines().stream()
                        .map(l -> l.lotCode() + " " + l.quantity() + " " + l.affected())
                        .toList());
        assertEquals(
                List.of(
                        new CustomerExposure(
                                "C-100",
                                "HeatWise GmbH",
                                "pcs",
                                250.0,
                                1,
                                List.of("DN-26-7001"),
                                0),
                        new CustomerExposure(
                                "C-200",
                                "Nordic Climate AB",
                                "pcs",
                                150.0,
                                1,
                                List.of("DN-26-7002"),
                                0),
                        new CustomerExposure(
                                "C-400",
                                "Casa Clima S.r.l.",
                                "pcs",
                                200.0,
                                1,
                                List.of("DN-26-7004"),
                                0)),
                report.customers());

        assertEquals(6, report.openAlertCount());
        assertEquals(
                Map.of("AFFECTED_SHIPMENT", 2, "AFFECTED_STOCK", 3, "SHIPPED_WHILE_ON_HOLD", 1),
                report.openAlertsByKind());
        assertTrue(report.openAlerts().stream().allMatch(a -> RAISED.equals(a.raisedAt())));
        assertTrue(report.totalMs() >= report.elasticsearchMs());
    }

    @Test
    void theMassBalanceAccountsForAllOfTheResinLot() {
        RecallReport report = queries.recall(RESIN);

        // by hand from factory-day.jsonl: received 1000 kg (GR-26-5501); consumed 60 kg
        // (WO-26-1001-E03) + 40 kg (WO-26-1002-E03); the 50 kg of WO-26-1003-E03 were reversed
        // (E04); nothing shipped; 900 kg left
        MassBalance balance = report.lot().balance();
        assertEquals("kg", balance.unit());
        assertEquals(1000.0, balance.receivedOrProduced());
        assertEquals(100.0, balance.consumed());
        assertEquals(
                List.of(
                        new MassBalance.WorkOrderUse("WO-26-1001", 60.0, "kg"),
                        new MassBalance.WorkOrderUse("WO-26-1002", 40.0, "kg")),
                balance.consumedBy());
        assertEquals(0.0, balance.shipped());
        assertEquals(List.of(), balance.shippedBy());
        assertEquals(900.0, balance.remaining());
        assertFalse(balance.unitMismatch());
        ShareAccounted share = report.lot().shareAccounted();
        assertEquals(100.0, share.percent(), 1e-9);
        assertEquals(
                "(consumed 100 + shipped 0 + remaining 900) / received or produced 1000 kg",
                share.formula());

        // stock to quarantine: SA-01 1200 - 600 (WO-26-2001 400, WO-26-2003 200), SA-02 800 - 400
        // (WO-26-2001); FG-01 (400) and FG-03 (200) are fully shipped
        assertEquals(
                List.of(
                        "SA-261102-01 600.0",
                        "SA-261102-02 400.0",
                        "FG-261102-01 0.0",
                        "FG-261102-03 0.0"),
                report.lots().stream().map(l -> l.lotCode() + " " + l.remaining()).toList());
        assertEquals(
                List.of(
                        new StockToQuarantine("kg", 900.0, 1, 0),
                        new StockToQuarantine("pcs", 1000.0, 4, 0)),
                report.stockToQuarantine());

        // a finished lot: FG-261102-02, 300 produced, 100 (DN-26-7002) + 200 (DN-26-7003) shipped
        MassBalance finished = queries.recall("FG-261102-02").lot().balance();
        assertEquals(
                List.of(
                        new MassBalance.DispatchUse("DN-26-7002", null, 100.0, "pcs"),
                        new MassBalance.DispatchUse("DN-26-7003", null, 200.0, "pcs")),
                finished.shippedBy());
        assertEquals(300.0, finished.shipped());
        assertEquals(0.0, finished.remaining());
    }

    @Test
    void pagesOfTwoGiveTheSameReport() {
        RecallReport whole = queries.recall(RESIN);
        RecallReport paged = new TraceQueries(client, url, 2).recall(RESIN);

        assertEquals(whole.lots(), paged.lots(), "4 lots, pages of 2");
        assertEquals(whole.shipments(), paged.shipments(), "3 shipments");
        assertEquals(whole.customers(), paged.customers());
        assertEquals(whole.openAlerts(), paged.openAlerts(), "6 alerts, pages of 2");
    }

    @Test
    void aFinishedLotNotOnHoldHasShipmentsButNoLotsAndNoAlerts() {
        RecallReport report = queries.recall("FG-261102-02");

        assertFalse(report.lot().onHold());
        assertEquals(List.of(), report.lots());
        assertEquals(
                List.of(
                        new CustomerExposure(
                                "C-200",
                                "Nordic Climate AB",
                                "pcs",
                                100.0,
                                1,
                                List.of("DN-26-7002"),
                                0),
                        new CustomerExposure(
                                "C-300",
                                "ThermoPro Ltd",
                                "pcs",
                                200.0,
                                1,
                                List.of("DN-26-7003"),
                                0)),
                report.customers(),
                "only its own line of DN-26-7002 counts");
        assertEquals(0, report.openAlertCount());
        assertEquals(List.of(), report.openAlerts());
    }

    @Test
    void commandPrintsTablesWritesCsvAndJson() throws Exception {
        Path dir = temp.resolve("recall-" + RESIN);
        CliRun tables = trace("recall", RESIN, "--csv", dir.toString(), "--elasticsearch-url", url);

        assertEquals(0, tables.exitCode(), tables.err());
        String out = tables.out();
        assertTrue(out.startsWith("CSV written: " + dir.resolve("lots.csv")), out);
        assertTrue(
                out.contains(
                        "Mock recall of lot RM-261102-01  PURCHASED  PC/ABS resin, natural"
                                + " (PCABS-NAT)  1000 kg\n"),
                out);
        assertTrue(out.contains("  ON HOLD FLAG-26-0042 MAJOR since 2026-11-02T16:30:00Z: "), out);
        assertTrue(out.contains("Affected lots: 4 lots made from RM-261102-01"), out);
        assertTrue(out.contains("Affected shipments: 3 shipments to 3 customers"), out);
        assertTrue(out.contains("Open alerts for RM-261102-01: 6 (AFFECTED_SHIPMENT 2,"), out);
        assertTrue(out.contains("Report took "), out);
        assertFalse(out.contains("DN-26-7003"), out);

        List<String> customers = Files.readAllLines(dir.resolve(RecallCsv.CUSTOMERS));
        assertEquals(
                List.of(
                        "customerId,customerName,unit,quantity,shipmentCount,dispatchIds,linesWithoutQuantity",
                        "C-100,HeatWise GmbH,pcs,250,1,DN-26-7001,0",
                        "C-200,Nordic Climate AB,pcs,150,1,DN-26-7002,0",
                        "C-400,Casa Clima S.r.l.,pcs,200,1,DN-26-7004,0"),
                customers);
        List<String> lots = Files.readAllLines(dir.resolve(RecallCsv.LOTS));
        assertEquals(
                List.of(
                        "FLAGGED,0,RM-261102-01,PURCHASED,PCABS-NAT,\"PC/ABS resin, natural\",,1000,kg,900,false,true",
                        "AFFECTED,1,SA-261102-01,PRODUCED,HSG-F-WH,\"Front housing TC-100, white\",WO-26-1001,1200,pcs,600,false,true"),
                lots.subList(1, 3),
                "header, the flagged lot, then 4 affected lots: " + lots);
        assertEquals(6, lots.size(), lots.toString());
        assertEquals(
                5, Files.readAllLines(dir.resolve(RecallCsv.SHIPMENTS)).size(), "header, 4 lines");
        assertTrue(Files.readAllLines(dir.resolve(RecallCsv.SUMMARY)).contains("openAlerts,6"));

        CliRun json = trace("recall", RESIN, "--json", "--elasticsearch-url", url);
        assertEquals(0, json.exitCode(), json.err());
        JsonNode report = TraceJson.mapper().readTree(json.out());
        assertEquals(RESIN, report.get("lotCode").asString());
        assertEquals(4, report.get("lots").size());
        assertEquals(3, report.get("shipments").size());
        assertEquals(6, report.get("openAlertCount").asInt());
        assertEquals("C-100", report.get("customers").get(0).get("customerId").asString());
        assertTrue(report.get("elasticsearchMs").asLong() >= 0);
    }

    @Test
    void exitCodesForAnUnknownLotUnreachableElasticsearchAndBadUsage() throws Exception {
        CliRun unknown = trace("recall", "RM-NOPE", "--elasticsearch-url", url);
        assertEquals(4, unknown.exitCode(), unknown.err());
        assertTrue(
                unknown.err().contains("error: lot RM-NOPE is unknown or not yet indexed"),
                unknown.err());
        assertEquals("", unknown.out());

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        CliRun nowhere =
                trace("recall", RESIN, "--elasticsearch-url", "http://127.0.0.1:" + closedPort);
        assertEquals(5, nowhere.exitCode(), nowhere.err());
        assertTrue(nowhere.err().contains("cannot reach Elasticsearch"), nowhere.err());

        Path notADirectory = Files.writeString(temp.resolve("not-a-directory"), "x");
        CliRun unwritable =
                trace(
                        "recall",
                        RESIN,
                        "--csv",
                        notADirectory.toString(),
                        "--elasticsearch-url",
                        url);
        assertEquals(1, unwritable.exitCode(), unwritable.err());
        assertTrue(
                unwritable
                        .err()
                        .startsWith("error: cannot write the CSV files into " + notADirectory),
                unwritable.err());

        assertEquals(2, trace("recall").exitCode(), "LOT missing");
        assertEquals(2, trace("recall", RESIN, "--csv").exitCode(), "--csv without DIR");
    }

    private static CliRun trace(String... args) {
        return CliRun.trace(args);
    }
}
