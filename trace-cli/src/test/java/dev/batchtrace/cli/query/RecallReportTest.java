package dev.batchtrace.cli.query;

import static dev.batchtrace.cli.query.RecallFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The report's arithmetic: share accounted for, customer sums, stock, levels, alert counts. */
class RecallReportTest {

    private static ShareAccounted share(String balance) {
        return ShareAccounted.of(Documents.balance(json("{\"balance\":" + balance + "}")));
    }

    @Test
    void shareAccountedCountsConsumedShippedAndRemainingAgainstTheQuantity() {
        ShareAccounted share = share(RecallFixtures.RESIN_BALANCE);

        assertEquals(100.0, share.percent(), 1e-9);
        assertEquals(1000.0, share.accounted(), 1e-9);
        assertEquals(
                "(consumed 100 + shipped 0 + remaining 900) / received or produced 1000 kg",
                share.formula());
        assertEquals(List.of(), share.notes());

        ShareAccounted partly =
                share(
                        "{\"unit\":\"kg\",\"receivedOrProduced\":1000.0,\"consumed\":100.0,"
                                + "\"shipped\":250.0}");
        assertEquals(35.0, partly.percent(), 1e-9, "remaining absent: not counted");
        assertTrue(
                partly.notes().get(0).startsWith("remaining unknown"), partly.notes().toString());
    }

    @Test
    void aUnitMismatchShowsBelowHundredAndNamesWhatWasNotCounted() {
        ShareAccounted share =
                share(
                        """
                        {"unit":"kg","receivedOrProduced":1000.0,"consumed":600.0,"shipped":0.0,
                         "unitMismatch":true,"unaccounted":[{"unit":"pcs","consumed":3.0,"shipped":0.0}]}
                        """);

        assertEquals(60.0, share.percent(), 1e-9);
        assertTrue(share.formula().contains("remaining unknown"), share.formula());
        assertEquals(
                List.of(
                        "unit mismatch: 3 pcs consumed and 0 pcs shipped are not in kg and not"
                                + " counted",
                        "remaining unknown (unit mismatch or missing quantity): not counted"),
                share.notes());
    }

    @Test
    void overConsumptionShowsAboveHundredEvenWithANegativeRemainder() {
        ShareAccounted share =
                share(
                        "{\"unit\":\"kg\",\"receivedOrProduced\":100.0,\"consumed\":120.0,"
                                + "\"shipped\":0.0,\"remaining\":-20.0}");

        assertEquals(120.0, share.percent(), 1e-9);
        assertTrue(
                share.notes().get(0).startsWith("over-consumption: 120 kg"), share.notes().get(0));
    }

    @Test
    void noBalanceOrNoQuantityGivesNoPercentButSaysWhy() {
        ShareAccounted none = ShareAccounted.of(null);
        assertNull(none.percent());
        assertTrue(none.notes().get(0).contains("no mass balance"), none.notes().toString());

        ShareAccounted unknown = share("{\"unit\":\"kg\",\"consumed\":5.0,\"shipped\":0.0}");
        assertNull(unknown.percent());
        assertEquals(5.0, unknown.accounted(), 1e-9);
        assertTrue(
                unknown.notes().contains("received or produced quantity unknown: share unknown"),
                unknown.notes().toString());
    }

    @Test
    void customersSumOnlyTheirAffectedLinesPerUnit() {
        Set<String> affected = Set.of("F1", "H1");
        List<CustomerExposure> customers =
                CustomerExposure.of(
                        List.of(
                                RecallFixtures.shipment(
                                        "D1",
                                        "C1",
                                        10,
                                        "[{\"lotCode\":\"F1\",\"quantity\":200.0,\"unit\":\"pcs\"},"
                                                + "{\"lotCode\":\"X9\",\"quantity\":999.0,\"unit\":\"pcs\"}]",
                                        affected),
                                RecallFixtures.shipment(
                                        "D2",
                                        "C1",
                                        11,
                                        "[{\"lotCode\":\"F1\",\"quantity\":50.0,\"unit\":\"pcs\"},"
                                                + "{\"lotCode\":\"H1\",\"quantity\":2.5,\"unit\":\"kg\"},"
                                                + "{\"lotCode\":\"H1\",\"unit\":\"kg\"}]",
                                        affected),
                                RecallFixtures.shipment(
                                        "D3",
                                        "C2",
                                        12,
                                        "[{\"lotCode\":\"F1\",\"quantity\":150.0,\"unit\":\"pcs\"}]",
                                        affected)));

        assertEquals(
                List.of(
                        new CustomerExposure(
                                "C1", "Customer C1, Ulm", "kg", 2.5, 1, List.of("D2"), 1),
                        new CustomerExposure(
                                "C1", "Customer C1, Ulm", "pcs", 250.0, 2, List.of("D1", "D2"), 0),
                        new CustomerExposure(
                                "C2", "Customer C2, Ulm", "pcs", 150.0, 1, List.of("D3"), 0)),
                customers);
    }

    @Test
    void aShipmentWithoutAffectedLinesStillNamesItsCustomer() {
        List<CustomerExposure> customers =
                CustomerExposure.of(
                        List.of(RecallFixtures.shipment("D9", "C9", 10, "[]", Set.of("F1"))));

        assertEquals(
                List.of(
                        new CustomerExposure(
                                "C9", "Customer C9, Ulm", null, 0.0, 1, List.of("D9"), 0)),
                customers);
    }

    @Test
    void assembleOrdersLotsByLevelShipmentsByTimeAndCountsAlertsAndStock() {
        RecallReport report = RecallFixtures.report();

        assertEquals(
                List.of("1 H1", "2 F1"),
                report.lots().stream().map(l -> l.level() + " " + l.lotCode()).toList());
        assertEquals(
                List.of("D1", "D2", "D3"),
                report.shipments().stream().map(AffectedShipment::dispatchId).toList());
        assertEquals(List.of("F1"), report.shipments().get(2).affectedLotCodes());
        assertFalse(report.shipments().get(2).lines().get(1).affected(), "X9 is not affected");
        assertEquals(2, report.customerCount());
        assertEquals(3, report.openAlertCount());
        assertEquals(
                Map.of("AFFECTED_SHIPMENT", 1, "AFFECTED_STOCK", 2), report.openAlertsByKind());
        assertEquals(
                List.of("A1", "A2", "A3"),
                report.openAlerts().stream().map(RecallAlert::alertId).toList());
        assertEquals(
                List.of(
                        new StockToQuarantine("kg", 900.0, 1, 0),
                        new StockToQuarantine("pcs", 0.0, 2, 0)),
                report.stockToQuarantine());
        assertEquals(100.0, report.lot().shareAccounted().percent(), 1e-9);
        assertEquals(
                List.of(
                        new Hold(
                                "FLAG-1",
                                "R1",
                                "contamination",
                                "MAJOR",
                                RecallFixtures.DAY.plusSeconds(37800))),
                report.lot().holds());
    }

    @Test
    void tablesShowTheShareWithItsFormulaAndMarkAffectedLines() {
        String text = RecallTables.report(RecallFixtures.report());

        assertTrue(
                text.startsWith(
                        "Mock recall of lot R1  PURCHASED  PC/ABS resin (RESIN)  1000 kg\n"),
                text);
        assertTrue(
                text.contains(
                        "Accounted for: 100.0 % = (consumed 100 + shipped 0 + remaining 900) /"
                                + " received or produced 1000 kg\n"),
                text);
        assertTrue(text.contains("consumed 100 (WO-1 60 kg, WO-2 40 kg)"), text);
        assertTrue(text.contains("*F1 150 pcs, X9 100 pcs"), text);
        assertTrue(text.contains("stock to quarantine (this lot included): 900 kg, 0 pcs"), text);
        assertTrue(
                text.contains("Open alerts for R1: 3 (AFFECTED_SHIPMENT 1, AFFECTED_STOCK 2)"),
                text);
        assertTrue(text.contains("Report took 12 ms (Elasticsearch 7 ms)"), text);
    }
}
