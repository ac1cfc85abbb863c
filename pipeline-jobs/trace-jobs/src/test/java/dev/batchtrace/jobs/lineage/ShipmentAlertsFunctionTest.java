package dev.batchtrace.jobs.lineage;

import static dev.batchtrace.lineage.Events.T0;
import static dev.batchtrace.lineage.Events.dispatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.events.TraceAlert;
import dev.batchtrace.events.TraceAlertKind;
import dev.batchtrace.events.TraceAlertStatus;
import dev.batchtrace.lineage.LineageCodec;
import dev.batchtrace.lineage.holds.HoldAlert;
import dev.batchtrace.lineage.holds.HoldAlerts;
import dev.batchtrace.lineage.holds.HoldEntry;
import dev.batchtrace.lineage.holds.ShipmentHoldChange;
import dev.batchtrace.lineage.stock.ShipmentFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shipment alert stage, keyed by dispatch id: its alerts are the union of the holds the
 * shipment's closure brings and those the affected-shipments index names, raised once per episode.
 */
class ShipmentAlertsFunctionTest {

    private static final Instant AFTER_SHIPPING = T0.plus(Duration.ofDays(1));
    private static final HoldEntry FLAG_1 = hold("FLAG-1", "RM-1");
    private static final ShipmentFacts DN_1 =
            ShipmentFacts.of(dispatch("DN-1", "CUST-1", "FG-1", "FG-2"));

    private KeyedTwoInputStreamOperatorTestHarness<
                    String, ShipmentHoldView, ShipmentHoldChange, TraceAlert>
            harness;
    private int seen;

    @BeforeEach
    void setUp() throws Exception {
        harness = ShipmentAlertStages.alertHarness();
        harness.open();
        harness.setProcessingTime(1_000);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void theIndexRaisesTheAlertAtOnceAndTheClosureCatchingUpRaisesNothingTwice() throws Exception {
        view(List.of());
        assertTrue(sent().isEmpty(), "no hold, no alert");

        index("RM-1", FLAG_1, List.of("FG-1", "FG-2"), true);
        List<TraceAlert> open = sent();
        assertEquals(1, open.size(), "one alert per (flag, shipment): " + open);
        TraceAlert alert = open.get(0);
        assertEquals(TraceAlertKind.AFFECTED_SHIPMENT, alert.getKind());
        assertEquals(TraceAlertStatus.OPEN, alert.getStatus());
        assertEquals(List.of("FG-1", "FG-2"), alert.getLotCodes(), "every affected line");
        assertEquals(List.of("RM-1", "FG-1"), alert.getPath());
        assertEquals(Instant.ofEpochMilli(1_000), alert.getRaisedAt());
        assertEquals(1, documents().size(), "its trace-alerts document");
        assertEquals(new TreeSet<>(List.of(alert.getAlertId())), raisedIds("DN-1"));

        // the closure path brings the same hold later: the same alert, nothing sent again
        harness.setProcessingTime(2_000);
        view(closureHolds("FG-1", "FG-2"));
        assertTrue(sent().isEmpty());

        // the index lifts it first (released) while the closure still has it: still open
        index("RM-1", FLAG_1, List.of("FG-1", "FG-2"), false);
        assertTrue(sent().isEmpty(), "the closure still brings the hold");

        harness.setProcessingTime(3_000);
        view(List.of());
        List<TraceAlert> resolved = sent();
        assertEquals(1, resolved.size());
        assertEquals(TraceAlertStatus.RESOLVED, resolved.get(0).getStatus());
        assertEquals(alert.getAlertId(), resolved.get(0).getAlertId());
        assertEquals(Instant.ofEpochMilli(1_000), resolved.get(0).getRaisedAt(), "raisedAt kept");
        assertTrue(raisedIds("DN-1").isEmpty());
    }

    @Test
    void indexHoldsWaitForTheShipmentsFacts() throws Exception {
        index("RM-1", FLAG_1, List.of("FG-1"), true);
        assertTrue(sent().isEmpty(), "no dispatch note known yet: no alert");
        view(List.of());
        List<TraceAlert> open = sent();
        assertEquals(1, open.size());
        assertEquals(List.of("FG-1"), open.get(0).getLotCodes());
    }

    @Test
    void theSameHoldThroughTwoEntriesStaysUntilBothLiftIt() throws Exception {
        view(List.of());
        // the flagged lot's own entry, and a hub above it that carries its hold
        index("RM-1", FLAG_1, List.of("FG-1"), true);
        index("HUB-1", FLAG_1.extendedTo("HUB-1"), List.of("FG-1"), true);
        assertEquals(1, sent().size(), "one hold, one alert");

        index("HUB-1", FLAG_1.extendedTo("HUB-1"), List.of("FG-1"), false);
        assertTrue(sent().isEmpty(), "RM-1's entry still brings it");
        index("RM-1", FLAG_1, List.of("FG-1"), false);
        List<TraceAlert> resolved = sent();
        assertEquals(1, resolved.size());
        assertEquals(TraceAlertStatus.RESOLVED, resolved.get(0).getStatus());
    }

    @Test
    void alertsTheShipmentsNodeRaisedBeforeVersion10AreAdoptedNotRaisedAgain() throws Exception {
        List<HoldEntry> closure = closureHolds("FG-1", "FG-2");
        HoldAlert earlier = HoldAlerts.shipmentAlerts("DN-1", DN_1, closure, List.of()).get(0);
        Instant raisedAt = Instant.parse("2026-11-30T10:00:00Z");
        harness.processElement1(
                new StreamRecord<>(
                        new ShipmentHoldView(
                                "DN-1", DN_1, closure, List.of(new RaisedAlert(earlier, raisedAt))),
                        0));
        assertTrue(sent().isEmpty(), "already OPEN on the topic: " + sent());
        assertEquals(new TreeSet<>(List.of(earlier.alertId())), raisedIds("DN-1"));

        view(List.of());
        List<TraceAlert> resolved = sent();
        assertEquals(1, resolved.size());
        assertEquals(TraceAlertStatus.RESOLVED, resolved.get(0).getStatus());
        assertEquals(raisedAt, resolved.get(0).getRaisedAt(), "the node's raisedAt kept");
    }

    private static HoldEntry hold(String flagId, String lot) {
        return new HoldEntry(
                flagId, lot, "reason " + flagId, "HIGH", "qa", AFTER_SHIPPING, null, List.of(lot));
    }

    /** FLAG_1 as the closure brings it through each shipped lot. */
    private static List<HoldEntry> closureHolds(String... shipped) {
        List<HoldEntry> holds = new ArrayList<>();
        for (String lot : shipped) {
            holds.add(HoldAlerts.reaching(FLAG_1, lot));
        }
        return holds;
    }

    private void view(List<HoldEntry> closureHolds) throws Exception {
        harness.processElement1(
                new StreamRecord<>(new ShipmentHoldView("DN-1", DN_1, closureHolds, null), 0));
    }

    private void index(String entryLot, HoldEntry hold, List<String> shipped, boolean present)
            throws Exception {
        harness.processElement2(
                new StreamRecord<>(
                        new ShipmentHoldChange("DN-1", entryLot, hold, shipped, present), 0));
    }

    /** The alert records sent since the last call. */
    private List<TraceAlert> sent() {
        List<TraceAlert> out = ShipmentAlertStages.records(harness, seen);
        seen += out.size();
        return out;
    }

    private List<Map<String, Object>> documents() {
        List<Map<String, Object>> out = new ArrayList<>();
        var side = harness.getSideOutput(ShipmentAlertsFunction.DOCUMENTS);
        if (side != null) {
            side.forEach(r -> out.add(LineageCodec.fromJson(r.getValue().json())));
        }
        return out;
    }

    private TreeSet<String> raisedIds(String dispatchId) throws Exception {
        return ShipmentAlertStages.raisedIds(harness, dispatchId);
    }
}
