package dev.batchtrace.lineage.holds;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.batchtrace.connectors.gateway.JsonLinesReader;
import dev.batchtrace.connectors.gateway.ParsedEvent;
import dev.batchtrace.lineage.LineagePropertyTest;
import dev.batchtrace.lineage.documents.TraceDocument;
import dev.batchtrace.lineage.reference.LineageReference;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hold of the sample day (deploy/sample-data/README.md, "The hold" and "Alerts after the
 * hold"): FLAG-26-0042 puts RM-261102-01 on hold at 16:30.
 */
class SampleDayHoldTest {
    static final Path DEMO_HOLD = Path.of("../../deploy/sample-data/demo-hold.jsonl");

    private static LineageReference.Result sampleDay() throws IOException {
        List<Object> events = LineagePropertyTest.sampleDayEvents();
        return LineageReference.withHolds(events);
    }

    private static String describe(HoldAlert a) {
        return String.join(
                " ",
                a.kind(),
                String.valueOf(a.dispatchId()),
                String.valueOf(a.customerId()),
                a.lotCode(),
                String.valueOf(a.quantity()),
                String.valueOf(a.unit()),
                String.join(">", a.path()));
    }

    @Test
    void theReadmeAlertsAreRaised() throws IOException {
        Map<String, HoldAlert> alerts = sampleDay().alerts();
        List<String> shipments =
                alerts.values().stream()
                        .filter(a -> a.dispatchId() != null)
                        .map(SampleDayHoldTest::describe)
                        .sorted()
                        .toList();
        assertEquals(
                List.of(
                        "AFFECTED_SHIPMENT DN-26-7001 C-100 FG-261102-01 250.0 pcs"
                                + " RM-261102-01>FG-261102-01",
                        "AFFECTED_SHIPMENT DN-26-7002 C-200 FG-261102-01 150.0 pcs"
                                + " RM-261102-01>FG-261102-01",
                        "SHIPPED_WHILE_ON_HOLD DN-26-7004 C-400 FG-261102-03 200.0 pcs"
                                + " RM-261102-01>FG-261102-03"),
                shipments,
                "DN-26-7003 (C-300) is not affected; DN-26-7004 left at 17:00, after the hold");
        // stock to quarantine: what is left of each held lot (README: RM-01 900 kg, the reversed
        // 50 kg do not count; SA-01 600; SA-02 400; FG-01 and FG-03 fully shipped: no alert)
        List<String> stock =
                alerts.values().stream()
                        .filter(a -> a.kind().equals(HoldAlert.AFFECTED_STOCK))
                        .map(
                                a ->
                                        String.join(
                                                " ",
                                                a.lotCode(),
                                                String.valueOf(a.quantity()),
                                                a.unit(),
                                                a.quantityBasis(),
                                                String.join(">", a.path())))
                        .sorted()
                        .toList();
        assertEquals(
                List.of(
                        "RM-261102-01 900.0 kg REMAINING RM-261102-01",
                        "SA-261102-01 600.0 pcs REMAINING RM-261102-01>SA-261102-01",
                        "SA-261102-02 400.0 pcs REMAINING RM-261102-01>SA-261102-02"),
                stock);
        alerts.values()
                .forEach(
                        a -> {
                            assertEquals("FLAG-26-0042", a.flagId());
                            assertEquals("RM-261102-01", a.flaggedLotCode());
                            assertEquals(
                                    a.kind().equals(HoldAlert.SHIPPED_WHILE_ON_HOLD)
                                            ? "CRITICAL"
                                            : "MAJOR",
                                    a.severity());
                        });
    }

    /**
     * The demo's live hold (deploy/sample-data/demo-hold.jsonl): the PCBA lot RM-261102-06 went
     * into FG-02 and FG-03, all of them shipped before the 18:00 hold: three shipment alerts, no
     * stock (RM-06 fully consumed, FG-02/03 fully shipped), and C-300 is affected this time.
     */
    @Test
    void theDemoHoldOfThePcbaLotRaisesThreeShipmentAlerts() throws IOException {
        List<Object> events = new ArrayList<>();
        for (Path file : List.of(LineagePropertyTest.SAMPLE, DEMO_HOLD)) {
            new JsonLinesReader().readAll(file).forEach(l -> events.add(((ParsedEvent) l).value()));
        }
        List<String> alerts =
                LineageReference.withHolds(events).alerts().values().stream()
                        .filter(a -> a.flagId().equals("FLAG-26-0043"))
                        .map(SampleDayHoldTest::describe)
                        .sorted()
                        .toList();
        assertEquals(
                List.of(
                        "AFFECTED_SHIPMENT DN-26-7002 C-200 FG-261102-02 100.0 pcs"
                                + " RM-261102-06>FG-261102-02",
                        "AFFECTED_SHIPMENT DN-26-7003 C-300 FG-261102-02 200.0 pcs"
                                + " RM-261102-06>FG-261102-02",
                        "AFFECTED_SHIPMENT DN-26-7004 C-400 FG-261102-03 200.0 pcs"
                                + " RM-261102-06>FG-261102-03"),
                alerts);
    }

    @Test
    void documentsShowTheHoldOnEveryDescendantAndNowhereElse() throws IOException {
        Map<String, TraceDocument> docs = sampleDay().documents();
        List<String> held =
                docs.values().stream()
                        .filter(d -> Boolean.TRUE.equals(d.source().get("onHold")))
                        .map(TraceDocument::key)
                        .sorted()
                        .toList();
        assertEquals(
                List.of(
                        "trace-lots/FG-261102-01",
                        "trace-lots/FG-261102-03",
                        "trace-lots/RM-261102-01",
                        "trace-lots/SA-261102-01",
                        "trace-lots/SA-261102-02",
                        "trace-shipments/DN-26-7001",
                        "trace-shipments/DN-26-7002",
                        "trace-shipments/DN-26-7004"),
                held);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> holds =
                (List<Map<String, Object>>)
                        docs.get("trace-shipments/DN-26-7004").source().get("holds");
        assertEquals(1, holds.size());
        Map<String, Object> hold = holds.get(0);
        assertEquals("FLAG-26-0042", hold.get("flagId"));
        assertEquals("RM-261102-01", hold.get("lotCode"));
        assertEquals("MAJOR", hold.get("severity"));
        assertEquals("2026-11-02T16:30:00Z", hold.get("since"));
        assertEquals(
                List.of("flagId", "lotCode", "reason", "severity", "since"),
                List.copyOf(hold.keySet()),
                "the fields the index templates map, no route");
    }
}
