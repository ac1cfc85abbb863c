package dev.batchtrace.cli.query;

import static dev.batchtrace.cli.CliRun.trace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.batchtrace.cli.CliRun;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchClients;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchSettings;
import dev.batchtrace.connectors.elasticsearch.IndexTemplates;
import dev.batchtrace.stack.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Wednesday call (issue 10) against a real Elasticsearch node holding the sample day's
 * documents as the batch reference computes them: a unit by serial, and the exposure of its lot.
 */
class UnitExposureITCase {

    private static final String FAILED_UNIT = "TC100-000612";

    private static ElasticsearchClient client;
    private static UnitQueries queries;
    private static String url;

    @BeforeAll
    static void seed() throws Exception {
        url = TestServers.elasticsearchUrl();
        client = ElasticsearchClients.create(ElasticsearchSettings.forHosts(url));
        IndexTemplates.install(client, line -> {});
        SampleDayDocuments.index(client, Instant.parse("2026-11-02T16:30:05Z"));
        queries = new UnitQueries(client, url);
    }

    @AfterAll
    static void close() throws Exception {
        client.close();
    }

    @Test
    void aSerialFindsItsLotGenealogyShipmentAndCustomer() {
        List<UnitTrace> units = queries.units(FAILED_UNIT, null);

        assertEquals(1, units.size());
        UnitTrace unit = units.get(0);
        assertEquals("TC-100", unit.productCode());
        assertEquals("FG-261102-02", unit.lotCode());
        assertEquals(List.of("WO-26-2002"), unit.workOrderIds());
        assertEquals(List.of("OP-022"), unit.operatorIds());
        assertEquals("FAILED", unit.qcStatus());
        assertEquals(1, unit.shipments().size());
        assertEquals("DN-26-7003", unit.shipments().get(0).dispatchId());
        assertEquals("C-300", unit.shipments().get(0).customerId());
        Map<String, String> supplierLots = new TreeMap<>();
        unit.lot()
                .ancestors()
                .forEach(
                        a -> {
                            if (a.supplierLotCode() != null) {
                                supplierLots.put(a.lotCode(), a.supplierLotCode());
                            }
                        });
        // the corrected receipt (revision 1) replaced the typo everywhere
        assertEquals("SZ-D-9010", supplierLots.get("RM-261102-08"));
        assertEquals("SZ-44121", supplierLots.get("RM-261102-06"));
    }

    @Test
    void exposureNarrowedToTheSuspectBoardNamesThreeCustomers() {
        ExposureReport report =
                queries.exposureOfUnit(
                        FAILED_UNIT, null, new UnitQueries.Limits("PCBA-TC100", null, null, null));

        assertEquals("FG-261102-02", report.batch().lotCode());
        assertEquals(1, report.rawLots().size());
        ExposureReport.RawLot board = report.rawLots().get(0);
        assertEquals("RM-261102-06", board.lot().lotCode());
        assertEquals(List.of("WO-26-2003"), board.otherWorkOrderIds());
        assertEquals(
                List.of("FG-261102-02", "FG-261102-03"),
                board.lotsMadeFromIt().stream().map(ExposureReport.MadeLot::lotCode).toList());
        assertEquals(
                List.of("C-200", "C-300", "C-400"),
                report.customers().stream().map(ExposureReport.Customer::customerId).toList());
        ExposureReport.Customer thermoPro = report.customers().get(1);
        assertEquals(Map.of("pcs", 200.0), thermoPro.quantityByUnit());
        // finished lots carry no unit cost: their shipped quantity is at stake at an unknown value
        assertTrue(
                report.valueAtStake().stream()
                        .anyMatch(
                                v ->
                                        v.currency().equals("unknown")
                                                && "pcs".equals(v.unit())
                                                && v.shipped() == 500.0),
                report.valueAtStake()::toString);
    }

    @Test
    void exposureOfTheWholeBatchReachesEveryCustomer() {
        ExposureReport report = queries.exposure("FG-261102-02", UnitQueries.Limits.NONE);

        assertEquals(
                List.of(
                        "RM-261102-02",
                        "RM-261102-03",
                        "RM-261102-04",
                        "RM-261102-06",
                        "RM-261102-07",
                        "RM-261102-08"),
                report.rawLots().stream().map(r -> r.lot().lotCode()).sorted().toList());
        assertEquals(
                List.of("C-100", "C-200", "C-300", "C-400"),
                report.customers().stream().map(ExposureReport.Customer::customerId).toList());
        // the resin lot RM-02: 1000 kg at 3.10 EUR, 90 kg consumed
        assertTrue(
                report.valueAtStake().stream()
                        .anyMatch(v -> v.currency().equals("EUR") && v.inStock() > 0),
                report.valueAtStake()::toString);
    }

    @Test
    void commandsPrintTablesWithTheTimeTakenJsonAndCsv(@TempDir Path dir) throws Exception {
        CliRun unit = trace("unit", FAILED_UNIT, "--elasticsearch-url", url);
        assertEquals(0, unit.exitCode(), unit.err());
        assertTrue(
                unit.out().matches("(?s)Unit TC100-000612  product TC-100  \\(\\d+ ms\\).*"),
                unit.out());
        assertTrue(unit.out().contains("DN-26-7003"), unit.out());
        assertTrue(unit.out().contains("SZ-D-9010"), unit.out());

        CliRun exposure =
                trace(
                        "exposure",
                        "--serial",
                        FAILED_UNIT,
                        "--material",
                        "PCBA-TC100",
                        "--csv",
                        dir.toString(),
                        "--elasticsearch-url",
                        url);
        assertEquals(0, exposure.exitCode(), exposure.err());
        assertTrue(exposure.out().contains("Customers to call: 3"), exposure.out());
        List<String> customers = Files.readAllLines(dir.resolve(ExposureCsv.CUSTOMERS));
        assertEquals(4, customers.size(), customers.toString());
        assertTrue(customers.get(2).startsWith("C-300,"), customers.toString());

        CliRun json = trace("exposure", "FG-261102-02", "--json", "--elasticsearch-url", url);
        assertEquals(0, json.exitCode(), json.err());
        assertTrue(json.out().contains("\"rawLots\""), json.out());

        CliRun unknown = trace("unit", "TC100-999999", "--elasticsearch-url", url);
        assertEquals(4, unknown.exitCode(), unknown.out());
        CliRun neither = trace("exposure", "--elasticsearch-url", url);
        assertEquals(2, neither.exitCode(), neither.out());
    }
}
