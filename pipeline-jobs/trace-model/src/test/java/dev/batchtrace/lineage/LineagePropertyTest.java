package dev.batchtrace.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.batchtrace.connectors.gateway.JsonLinesReader;
import dev.batchtrace.connectors.gateway.ParsedEvent;
import dev.batchtrace.lineage.documents.TraceDocument;
import dev.batchtrace.lineage.documents.TraceDocuments;
import dev.batchtrace.lineage.holds.HoldAlert;
import dev.batchtrace.lineage.reference.LineageReference;
import dev.batchtrace.lineage.units.UnitDocuments;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The incremental protocol, fed shuffled and duplicated events and a router that reorders,
 * duplicates and re-delivers its messages, converges to the batch reference, document by document.
 * Seeds: {@code -Dlineage.seeds=N} (default 200), {@code -Dlineage.firstSeed=S}.
 */
public class LineagePropertyTest {

    public static final Path SAMPLE = Path.of("../../deploy/sample-data/factory-day.jsonl");

    /** The sample factory day's events, in file order. */
    public static List<Object> sampleDayEvents() throws IOException {
        return new JsonLinesReader()
                .readAll(SAMPLE).stream().map(l -> (Object) ((ParsedEvent) l).value()).toList();
    }

    private static List<Object> sampleDay;

    @BeforeAll
    static void readSampleDay() throws IOException {
        sampleDay = sampleDayEvents();
    }

    @Test
    void randomHistoriesConvergeToTheReference() {
        int seeds = Integer.getInteger("lineage.seeds", 200);
        long first = Long.getLong("lineage.firstSeed", 1);
        long messages = 0;
        int documents = 0;
        int alerts = 0;
        int onHold = 0;
        Map<String, Integer> byKind = new java.util.TreeMap<>();
        Map<String, Integer> qcStatus = new java.util.TreeMap<>();
        Map<String, Integer> withRuns = new java.util.TreeMap<>();
        // issue 10: units, and serials that repeat across products
        int units = 0;
        int sharedSerials = 0;
        for (long seed = first; seed < first + seeds; seed++) {
            List<Object> history =
                    MachineHistoryGenerator.withMachineEvents(
                            QcHistoryGenerator.withChecks(
                                    FactoryHistoryGenerator.generateWithCorrections(seed), seed),
                            seed);
            // the reference attributes the machine events itself; the lineage is fed the
            // summaries the machine job would send (partial and final ones, idle ones too)
            LineageReference.Result expected = LineageReference.withHolds(history);
            Random r = new Random(seed * 31 + 7);
            List<Object> inputs = new java.util.ArrayList<>(history);
            inputs.addAll(MachineHistoryGenerator.summaryUpdates(history, r));
            List<Object> arrivals = FactoryHistoryGenerator.shuffleWithDuplicates(inputs, r, 0.2);
            InMemoryLineage lineage = new InMemoryLineage(r, 0.1, 0.1).checkingChangeSignals();
            runInterleaved(lineage, arrivals, r);
            String diff = DocumentDiff.first(expected.documents(), lineage.documents());
            if (diff != null) {
                fail("seed " + seed + " (" + history.size() + " events): " + diff);
            }
            assertEquals(expected.alerts(), lineage.openAlerts(), "seed " + seed + ": alerts");
            assertAlertsSentOnce(lineage, "seed " + seed);
            messages += lineage.deliveries();
            documents += expected.documents().size();
            alerts += expected.alerts().size();
            expected.alerts()
                    .values()
                    .forEach(
                            a -> byKind.merge(a.kind() + "/" + a.quantityBasis(), 1, Integer::sum));
            expected.documents()
                    .values()
                    .forEach(
                            d ->
                                    qcStatus.merge(
                                            d.index() + ":" + d.source().get("qcStatus"),
                                            1,
                                            Integer::sum));
            for (TraceDocument d : expected.documents().values()) {
                Object runs = d.source().get("machineRuns");
                if (runs instanceof List<?> list && !list.isEmpty()) {
                    withRuns.merge(d.index(), 1, Integer::sum);
                }
            }
            Map<String, Integer> productsOfSerial = new java.util.TreeMap<>();
            for (TraceDocument d : expected.documents().values()) {
                if (d.index().equals(UnitDocuments.UNITS)) {
                    units++;
                    productsOfSerial.merge((String) d.source().get("serial"), 1, Integer::sum);
                }
            }
            sharedSerials += (int) productsOfSerial.values().stream().filter(n -> n > 1).count();
            onHold +=
                    (int)
                            expected.documents().values().stream()
                                    .filter(d -> Boolean.TRUE.equals(d.source().get("onHold")))
                                    .count();
        }
        System.out.printf(
                "LineagePropertyTest: %d seeds from %d, %d documents (%d on hold, %d units, %d"
                        + " serials under two products), %d open alerts %s, %d messages"
                        + " delivered, qcStatus %s, with machine runs %s%n",
                seeds,
                first,
                documents,
                onHold,
                units,
                sharedSerials,
                alerts,
                byKind,
                messages,
                qcStatus,
                withRuns);
        if (seeds >= 100) {
            // the generated flags reach every kind of alert
            for (String kind :
                    List.of(
                            "AFFECTED_SHIPMENT/SHIPPED",
                            "SHIPPED_WHILE_ON_HOLD/SHIPPED",
                            "AFFECTED_STOCK/REMAINING",
                            "AFFECTED_STOCK/RECEIVED_OR_PRODUCED")) {
                assertTrue(byKind.getOrDefault(kind, 0) > 0, kind + " in " + byKind);
            }
            // and the generated QC results reach every status on lots and work orders
            for (String status :
                    List.of(
                            "trace-lots:PASSED",
                            "trace-lots:FAILED",
                            "trace-lots:PENDING",
                            "trace-lots:null",
                            "trace-work-orders:PASSED",
                            "trace-work-orders:FAILED",
                            "trace-work-orders:PENDING")) {
                assertTrue(qcStatus.getOrDefault(status, 0) > 0, status + " in " + qcStatus);
            }
            assertTrue(withRuns.getOrDefault(TraceDocuments.LOTS, 0) > 100, withRuns.toString());
            assertTrue(units > 1000, "unit documents: " + units);
            assertTrue(sharedSerials > 10, "serials under two products: " + sharedSerials);
            assertTrue(
                    withRuns.getOrDefault(TraceDocuments.WORK_ORDERS, 0) > 100,
                    withRuns.toString());
        }
    }

    @Test
    void bigFanOutConverges() {
        var options = new FactoryHistoryGenerator.Options(2, 4, 3, 0.1, 3, false, 5_000);
        List<SpecificRecordBase> history =
                new java.util.ArrayList<>(new FactoryHistoryGenerator(42, options).generate());
        // and the big lot is put on hold: 5,000 lots to quarantine at once
        history.add(Events.hold("FLAG-BIG", "RM-BIG", Events.T0));
        LineageReference.Result expected = LineageReference.withHolds(history);
        Random r = new Random(42);
        InMemoryLineage lineage = new InMemoryLineage(r, 0.05, 0.05);
        runInterleaved(lineage, FactoryHistoryGenerator.shuffleWithDuplicates(history, r, 0.1), r);
        assertNull(DocumentDiff.first(expected.documents(), lineage.documents()));
        assertTrue(expected.documents().containsKey("trace-lots/FAN-04999"));
        assertEquals(expected.alerts(), lineage.openAlerts());
        // every fanned-out lot whose consumption of RM-BIG was not reversed (reversal rate 0.1)
        assertTrue(
                expected.alerts().size() > 4_500, "fanned-out lots: " + expected.alerts().size());
    }

    @Test
    void sampleDayConvergesInAnyOrderAndAnswersTheReadme() {
        LineageReference.Result withHolds = LineageReference.withHolds(sampleDay);
        Map<String, TraceDocument> expected = withHolds.documents();
        // file order, FIFO router
        // the lineage reads the machine job's summaries, not the machine events
        List<Object> withSummaries = new java.util.ArrayList<>(sampleDay);
        withSummaries.addAll(MachineHistoryGenerator.summaryUpdates(sampleDay, new Random(5)));
        InMemoryLineage fifo = new InMemoryLineage();
        withSummaries.forEach(fifo::accept);
        fifo.runToQuiescence(1_000_000);
        assertNull(DocumentDiff.first(expected, fifo.documents()));
        assertEquals(withHolds.alerts(), fifo.openAlerts());
        for (long seed = 1; seed <= 20; seed++) {
            Random r = new Random(seed);
            InMemoryLineage lineage = new InMemoryLineage(r, 0.2, 0.2).checkingChangeSignals();
            runInterleaved(
                    lineage,
                    FactoryHistoryGenerator.shuffleWithDuplicates(withSummaries, r, 0.3),
                    r);
            String diff = DocumentDiff.first(expected, lineage.documents());
            assertNull(diff, "seed " + seed + ": " + diff);
            assertEquals(withHolds.alerts(), lineage.openAlerts(), "seed " + seed);
            assertAlertsSentOnce(lineage, "seed " + seed);
        }
        // lineage only (a job that does not read lot flags): same documents, nothing on hold
        Map<String, TraceDocument> lineageOnly = LineageReference.documents(sampleDay);
        assertEquals(expected.keySet(), lineageOnly.keySet());
        assertTrue(
                lineageOnly.values().stream()
                        .filter(
                                d ->
                                        d.index().equals(TraceDocuments.LOTS)
                                                || d.index().equals(TraceDocuments.SHIPMENTS))
                        .allMatch(d -> Boolean.FALSE.equals(d.source().get("onHold"))));

        // issue 10: the corrected display-lot receipt replaced the typo everywhere downstream
        for (TraceDocument d : expected.values()) {
            Object lots = d.source().get("ancestorSupplierLots");
            assertFalse(
                    lots instanceof List<?> l && l.contains("SUP-PCB/SZ-D-9001"),
                    d.key() + " still names the corrected supplier lot");
        }
        for (String dn : List.of("DN-26-7001", "DN-26-7002", "DN-26-7003", "DN-26-7004")) {
            assertTrue(
                    list(expected.get("trace-shipments/" + dn).source(), "ancestorSupplierLots")
                            .contains("SUP-PCB/SZ-D-9010"),
                    dn);
        }
        // units: 900 serials, the Wednesday call's unit in FG-261102-02 on DN-26-7003
        assertEquals(
                900,
                expected.values().stream()
                        .filter(d -> d.index().equals(UnitDocuments.UNITS))
                        .count());
        Map<String, Object> failed = expected.get("trace-units/TC-100/TC100-000612").source();
        assertEquals("FG-261102-02", failed.get("lotCode"));
        assertEquals(List.of("DN-26-7003"), failed.get("dispatchIds"));
        assertEquals(List.of("C-300"), failed.get("customerIds"));

        Map<String, Object> dn7003 = expected.get("trace-shipments/DN-26-7003").source();
        // the supplier-lot trap: L2611-01 from SUP-FAST (screws) is in it, SUP-POLY/L2611-01 is not
        assertTrue(list(dn7003, "ancestorSupplierLotCodes").contains("L2611-01"));
        assertTrue(list(dn7003, "ancestorSupplierLots").contains("SUP-FAST/L2611-01"));
        assertFalse(list(dn7003, "ancestorSupplierLots").contains("SUP-POLY/L2611-01"));
        assertFalse(list(dn7003, "ancestorLotCodes").contains("RM-261102-01"));
        for (String dn : List.of("DN-26-7001", "DN-26-7002", "DN-26-7004")) {
            assertTrue(
                    list(expected.get("trace-shipments/" + dn).source(), "ancestorSupplierLots")
                            .contains("SUP-POLY/L2611-01"),
                    dn);
        }
        // the reversal: SA-261102-03 has no RM-261102-01
        Map<String, Object> sa03 = expected.get("trace-lots/SA-261102-03").source();
        assertEquals(List.of("RM-261102-02", "RM-261102-03"), list(sa03, "inputLotCodes"));
        assertFalse(list(sa03, "ancestorLotCodes").contains("RM-261102-01"));
        // backward trace of FG-261102-02 (README)
        assertEquals(
                List.of(
                        "RM-261102-02",
                        "RM-261102-03",
                        "RM-261102-04",
                        "RM-261102-06",
                        "RM-261102-07",
                        "RM-261102-08",
                        "SA-261102-03",
                        "SA-261102-04"),
                list(expected.get("trace-lots/FG-261102-02").source(), "ancestorLotCodes"));
        // forward trace of RM-261102-01: who has it upstream
        List<String> customers =
                expected.values().stream()
                        .filter(d -> d.index().equals(TraceDocuments.SHIPMENTS))
                        .filter(d -> list(d.source(), "ancestorLotCodes").contains("RM-261102-01"))
                        .map(d -> (String) d.source().get("customerId"))
                        .sorted()
                        .toList();
        assertEquals(List.of("C-100", "C-200", "C-400"), customers);
        Map<String, Object> fg01 = expected.get("trace-lots/FG-261102-01").source();
        assertEquals(List.of("DN-26-7001", "DN-26-7002"), list(fg01, "shipmentIds"));
        assertEquals(List.of("C-100", "C-200"), list(fg01, "customerIds"));
        // QC: the relay-test FAIL stays on record although the retest passed
        Map<String, Object> fg02 = expected.get("trace-lots/FG-261102-02").source();
        assertEquals("FAILED", fg02.get("qcStatus"));
        assertEquals(2, ((List<?>) fg02.get("qcChecks")).size());
        assertEquals(
                "FAILED", expected.get("trace-work-orders/WO-26-2002").source().get("qcStatus"));
        assertEquals("PASSED", fg01.get("qcStatus"));
        // incoming inspection: a purchased lot with a check has a status, one without has none
        assertEquals("PASSED", expected.get("trace-lots/RM-261102-01").source().get("qcStatus"));
        assertFalse(expected.get("trace-lots/RM-261102-02").source().containsKey("qcStatus"));
        Map<String, Object> wo1003 = expected.get("trace-work-orders/WO-26-1003").source();
        assertEquals(List.of("RM-261102-02", "RM-261102-03"), list(wo1003, "consumedLotCodes"));
        assertEquals("COMPLETED", wo1003.get("status"));
    }

    /**
     * With a hub fan-in of 2 most produced lots are hubs: closures are cut at every hub and holds
     * travel inside hub entries, and still every document (closure members included) and alert
     * equals the reference's, in any order, with duplicates and redeliveries.
     */
    @Test
    void withHubsEverywhereRandomHistoriesConvergeToTheReference() {
        int seeds = Integer.getInteger("lineage.hubSeeds", 100);
        int hubs = 0;
        int members = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            List<Object> history =
                    QcHistoryGenerator.withChecks(
                            FactoryHistoryGenerator.generateWithFlags(seed), seed);
            LineageReference.Result expected = LineageReference.withHolds(history, 2);
            Random r = new Random(seed * 17 + 3);
            List<Object> arrivals = FactoryHistoryGenerator.shuffleWithDuplicates(history, r, 0.2);
            InMemoryLineage lineage =
                    new InMemoryLineage(r, 0.1, 0.1).withHubFanIn(2).checkingChangeSignals();
            runInterleaved(lineage, arrivals, r);
            String diff = DocumentDiff.first(expected.documents(), lineage.documents());
            if (diff != null) {
                fail("seed " + seed + " (" + history.size() + " events, hubs): " + diff);
            }
            assertEquals(expected.alerts(), lineage.openAlerts(), "seed " + seed + ": alerts");
            assertAlertsSentOnce(lineage, "seed " + seed);
            for (TraceDocument d : expected.documents().values()) {
                if (Boolean.TRUE.equals(d.source().get("hub"))) {
                    hubs++;
                }
                if (d.index().equals(TraceDocuments.CLOSURES)) {
                    members++;
                }
            }
        }
        assertTrue(hubs > seeds, "hubs exercised: " + hubs);
        assertTrue(members > hubs, "closure members exercised: " + members);
    }

    /**
     * Per alert id the records sent alternate OPEN, RESOLVED, OPEN... starting with OPEN (a replay
     * never sends an OPEN twice in a row), and the last one is OPEN exactly for the open alerts.
     */
    static void assertAlertsSentOnce(InMemoryLineage lineage, String context) {
        Map<String, String> last = new java.util.TreeMap<>();
        for (HoldAlert a : lineage.sentAlerts()) {
            String before = last.put(a.alertId(), a.status());
            String expectedBefore = a.isOpen() ? HoldAlert.RESOLVED : HoldAlert.OPEN;
            if (before == null ? !a.isOpen() : !before.equals(expectedBefore)) {
                fail(context + ": " + a.status() + " after " + before + " for " + a);
            }
        }
        last.forEach(
                (id, status) ->
                        assertEquals(
                                lineage.openAlerts().containsKey(id),
                                status.equals(HoldAlert.OPEN),
                                context + ": " + id));
    }

    /** Events arrive one by one with a random number of message deliveries in between. */
    static void runInterleaved(InMemoryLineage lineage, List<?> arrivals, Random r) {
        for (Object event : arrivals) {
            lineage.accept(event);
            lineage.deliver(r.nextInt(8));
        }
        lineage.runToQuiescence(50_000_000);
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> doc, String field) {
        return (List<String>) doc.get(field);
    }
}
