package dev.batchtrace.lineage.holds;

import static dev.batchtrace.lineage.Events.T0;
import static dev.batchtrace.lineage.Events.consumed;
import static dev.batchtrace.lineage.Events.dispatchAt;
import static dev.batchtrace.lineage.Events.hold;
import static dev.batchtrace.lineage.Events.produced;
import static dev.batchtrace.lineage.Events.receipt;
import static dev.batchtrace.lineage.Events.release;
import static dev.batchtrace.lineage.Events.reversed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.lineage.DocumentDiff;
import dev.batchtrace.lineage.InMemoryLineage;
import dev.batchtrace.lineage.LineageCodec;
import dev.batchtrace.lineage.closure.AncestorEntry;
import dev.batchtrace.lineage.closure.InMemoryNodeStore;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.closure.NodeHeader;
import dev.batchtrace.lineage.closure.NodeKey;
import dev.batchtrace.lineage.closure.NodeProtocol;
import dev.batchtrace.lineage.documents.TraceDocument;
import dev.batchtrace.lineage.reference.LineageReference;
import dev.batchtrace.lineage.stock.LotUsage;
import dev.batchtrace.lineage.stock.LotUsages;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Holds through the node protocol (FIFO router, events in the order given), compared with the batch
 * reference each time: RM-1 -> SA-1 (WO-1) -> FG-1 (WO-2) -> DN-1 (shipped 10:00), plus RM-2 ->
 * SA-1.
 */
class HoldsTest {

    static final Instant SHIPPED = Instant.parse("2026-11-02T10:00:00Z");
    static final Instant H1 = Instant.parse("2026-11-02T12:00:00Z"); // after DN-1 left

    private final List<Object> events = new ArrayList<>();
    private final InMemoryLineage lineage = new InMemoryLineage().checkingChangeSignals();

    private void genealogy() {
        send(
                receipt("RM-1", "SUP-A", "L1", 100),
                receipt("RM-2", "SUP-B", "L2", 50),
                consumed("E1", "WO-1", "RM-1"),
                consumed("E2", "WO-1", "RM-2"),
                produced("E3", "WO-1", "SA-1", 20),
                consumed("E4", "WO-2", "SA-1"),
                produced("E5", "WO-2", "FG-1", 10),
                dispatchAt("DN-1", "C-1", SHIPPED, "FG-1"));
    }

    private void send(Object... more) {
        for (Object e : more) {
            events.add(e);
            lineage.accept(e);
        }
        lineage.runToQuiescence(100_000);
        LineageReference.Result expected = LineageReference.withHolds(events);
        assertNull(DocumentDiff.first(expected.documents(), lineage.documents()));
        assertEquals(expected.alerts(), lineage.openAlerts());
    }

    private Map<String, Object> doc(String key) {
        return lineage.documents().get(key).source();
    }

    @SuppressWarnings("unchecked")
    private List<String> holdFlags(String key) {
        return ((List<Map<String, Object>>) doc(key).get("holds"))
                .stream().map(h -> (String) h.get("flagId")).toList();
    }

    private List<HoldAlert> open(String kind) {
        return lineage.openAlerts().values().stream().filter(a -> a.kind().equals(kind)).toList();
    }

    @Test
    void holdThenReleaseRaisesAlertsAndThenResolvesEachOfThem() {
        genealogy();
        assertEquals(false, doc("trace-shipments/DN-1").get("onHold"));
        send(hold("F-1", "RM-1", H1));
        for (String key :
                List.of(
                        "trace-lots/RM-1",
                        "trace-lots/SA-1",
                        "trace-lots/FG-1",
                        "trace-shipments/DN-1")) {
            assertEquals(true, doc(key).get("onHold"), key);
            assertEquals(List.of("F-1"), holdFlags(key), key);
        }
        assertEquals(false, doc("trace-lots/RM-2").get("onHold"), "RM-2 is a sibling input");
        List<HoldAlert> shipments = open(HoldAlert.AFFECTED_SHIPMENT);
        assertEquals(1, shipments.size());
        HoldAlert a = shipments.get(0);
        assertEquals("DN-1", a.dispatchId());
        assertEquals("C-1", a.customerId());
        assertEquals("FG-1", a.lotCode());
        assertEquals(5.0, a.quantity());
        assertEquals("pcs", a.unit());
        assertEquals(SHIPPED, a.shippedAt());
        assertEquals(List.of("RM-1", "FG-1"), a.path());
        assertEquals(
                List.of("FG-1", "RM-1", "SA-1"),
                open(HoldAlert.AFFECTED_STOCK).stream().map(HoldAlert::lotCode).sorted().toList());
        int sentBefore = lineage.sentAlerts().size();
        assertEquals(4, sentBefore, "one shipment and three stock alerts, each once");

        send(release("F-2", "RM-1", H1.plusSeconds(60)));
        assertEquals(false, doc("trace-shipments/DN-1").get("onHold"));
        assertEquals(List.of(), doc("trace-lots/FG-1").get("holds"));
        assertTrue(lineage.openAlerts().isEmpty());
        List<HoldAlert> resolutions =
                lineage.sentAlerts().subList(sentBefore, lineage.sentAlerts().size());
        assertEquals(4, resolutions.size());
        assertTrue(resolutions.stream().allMatch(r -> r.status().equals(HoldAlert.RESOLVED)));
        assertEquals(
                lineage.sentAlerts().subList(0, sentBefore).stream()
                        .map(HoldAlert::alertId)
                        .sorted()
                        .toList(),
                resolutions.stream().map(HoldAlert::alertId).sorted().toList(),
                "each raised alert is resolved once");
    }

    @Test
    void aLateOlderHoldDoesNotReHoldAndAnOlderReleaseDoesNotLift() {
        genealogy();
        // the release (13:00) arrives before the hold it lifts (12:00)
        send(release("F-2", "RM-1", H1.plusSeconds(3600)));
        send(hold("F-1", "RM-1", H1));
        assertEquals(false, doc("trace-lots/FG-1").get("onHold"));
        assertTrue(lineage.sentAlerts().isEmpty(), "never on hold, never alerted");
        // a newer hold (14:00) applies; a release of 11:30 arriving late changes nothing
        send(hold("F-3", "RM-1", H1.plusSeconds(7200)));
        send(release("F-0", "RM-1", H1.minusSeconds(1800)));
        assertEquals(List.of("F-3"), holdFlags("trace-shipments/DN-1"));
    }

    @Test
    void twoHoldsOnOneLotBothApplyAndOneNewerReleaseLiftsBoth() {
        genealogy();
        send(hold("F-1", "SA-1", H1), hold("F-2", "SA-1", H1.plusSeconds(60)));
        assertEquals(List.of("F-1", "F-2"), holdFlags("trace-lots/FG-1"));
        assertEquals(List.of("F-1", "F-2"), holdFlags("trace-shipments/DN-1"));
        assertEquals(2, open(HoldAlert.AFFECTED_SHIPMENT).size(), "one per flag");
        assertEquals(false, doc("trace-lots/RM-1").get("onHold"), "holds flow downstream only");
        // a release between the two lifts only the older one
        send(release("F-R1", "SA-1", H1.plusSeconds(30)));
        assertEquals(List.of("F-2"), holdFlags("trace-lots/FG-1"));
        send(release("F-R2", "SA-1", H1.plusSeconds(90)));
        assertEquals(false, doc("trace-shipments/DN-1").get("onHold"));
    }

    @Test
    void holdsOnAncestorsAtSeveralLevelsCombineWithTheirRoutes() {
        genealogy();
        send(hold("F-RM", "RM-1", H1), hold("F-SA", "SA-1", H1));
        assertEquals(List.of("F-RM", "F-SA"), holdFlags("trace-shipments/DN-1"));
        Map<String, List<String>> paths = new java.util.TreeMap<>();
        open(HoldAlert.AFFECTED_SHIPMENT).forEach(a -> paths.put(a.flagId(), a.path()));
        assertEquals(List.of("RM-1", "FG-1"), paths.get("F-RM"), "two levels up");
        assertEquals(List.of("SA-1", "FG-1"), paths.get("F-SA"));
        // reversing RM-1's consumption cuts the route: F-RM's alerts resolve, F-SA's stay
        send(reversed("E6", "WO-1", "RM-1", "E1"));
        assertEquals(List.of("F-SA"), holdFlags("trace-shipments/DN-1"));
        assertTrue(
                lineage.sentAlerts().stream()
                        .anyMatch(
                                a ->
                                        a.flagId().equals("F-RM")
                                                && a.status().equals(HoldAlert.RESOLVED)
                                                && "DN-1".equals(a.dispatchId())));
    }

    @Test
    void aDispatchAfterTheHoldIsShippedWhileOnHoldAndCritical() {
        genealogy();
        send(hold("F-1", "FG-1", SHIPPED.plusSeconds(600))); // 10:10, after DN-1
        send(dispatchAt("DN-2", "C-2", SHIPPED.plusSeconds(1800), "FG-1")); // 10:30
        List<HoldAlert> critical = open(HoldAlert.SHIPPED_WHILE_ON_HOLD);
        assertEquals(1, critical.size());
        assertEquals("DN-2", critical.get(0).dispatchId());
        assertEquals("CRITICAL", critical.get(0).severity());
        assertEquals(List.of("FG-1"), critical.get(0).path());
        assertEquals(
                List.of("DN-1"),
                open(HoldAlert.AFFECTED_SHIPMENT).stream().map(HoldAlert::dispatchId).toList());
    }

    @Test
    void duplicateFlagsChangeNothing() {
        genealogy();
        send(hold("F-1", "RM-1", H1));
        InMemoryNodeStore rm1 = lineage.node(NodeKey.lot("RM-1"));
        NodeHeader before = rm1.header();
        int sent = lineage.sentAlerts().size();
        send(hold("F-1", "RM-1", H1), hold("F-1", "RM-1", H1));
        assertEquals(before, rm1.header(), "no new version");
        assertEquals(sent, lineage.sentAlerts().size(), "no alert twice");
        assertFalse(
                NodeProtocol.apply(
                        new LineageMessage.LotFlagUpdate(
                                NodeKey.lot("RM-1"), FlagEvent.of(hold("F-1", "RM-1", H1))),
                        rm1,
                        m -> {}));
    }

    @Test
    void stockAlertsNameWhatIsLeftAndNothingWhenAllIsShipped() {
        genealogy();
        send(hold("F-1", "SA-1", H1));
        Map<String, HoldAlert> stock = new java.util.TreeMap<>();
        open(HoldAlert.AFFECTED_STOCK).forEach(a -> stock.put(a.lotCode(), a));
        assertEquals(10.0, stock.get("SA-1").quantity(), "20 produced, 10 consumed by WO-2");
        assertEquals("REMAINING", stock.get("SA-1").quantityBasis());
        assertEquals(5.0, stock.get("FG-1").quantity(), "10 produced, 5 shipped on DN-1");
        Map<String, HoldAlert> raised = HoldAlerts.byId(lineage.openAlerts().values());
        // the rest of FG-1 leaves: its stock alert resolves, the shipment alerts stay
        send(dispatchAt("DN-0", "C-2", SHIPPED.minusSeconds(60), "FG-1"));
        assertEquals(
                List.of("SA-1"),
                open(HoldAlert.AFFECTED_STOCK).stream().map(HoldAlert::lotCode).toList());
        assertEquals(2, open(HoldAlert.AFFECTED_SHIPMENT).size());
        assertEquals(
                List.of(),
                HoldAlerts.updates(raised, lineage.openAlerts().values()),
                "the SA-1 alert stays as it was");
        send(consumed("E7", "WO-2", "SA-1")); // 10 more pcs of SA-1 used: nothing left
        assertEquals(
                List.of(),
                open(HoldAlert.AFFECTED_STOCK).stream().map(HoldAlert::lotCode).toList(),
                "SA-1 fully consumed");
        send(reversed("E8", "WO-2", "SA-1", "E7")); // scanned by mistake: 10 pcs back
        assertEquals(10.0, open(HoldAlert.AFFECTED_STOCK).get(0).quantity());
        // a consumption in another unit than the lot's: the whole quantity, to be safe
        send(hold("F-2", "RM-1", H1));
        HoldAlert rm1 =
                open(HoldAlert.AFFECTED_STOCK).stream()
                        .filter(a -> a.lotCode().equals("RM-1"))
                        .findFirst()
                        .orElseThrow();
        assertEquals(100.0, rm1.quantity());
        assertEquals("RECEIVED_OR_PRODUCED", rm1.quantityBasis());
    }

    @Test
    void aReleaseLiftsAHoldThatACycleInBadDataPassesRound() {
        genealogy();
        // rework booked wrongly: FG-1 consumed into SA-1 closes SA-1 -> FG-1 -> SA-1
        send(consumed("E9", "WO-9", "FG-1"), produced("E10", "WO-9", "SA-1", 1));
        send(hold("F-1", "RM-1", H1));
        assertEquals(List.of("F-1"), holdFlags("trace-lots/SA-1"));
        send(release("F-2", "RM-1", H1.plusSeconds(60)));
        for (String key : List.of("trace-lots/SA-1", "trace-lots/FG-1", "trace-shipments/DN-1")) {
            assertEquals(false, doc(key).get("onHold"), key);
        }
    }

    @Test
    void alertIdsAreStableAndTheAvroRecordIsComplete() {
        genealogy();
        send(hold("F-1", "RM-1", H1));
        HoldAlert a = open(HoldAlert.AFFECTED_SHIPMENT).get(0);
        HoldEntry h =
                new HoldEntry(
                        "F-1", "RM-1", null, null, null, H1, null, List.of("RM-1", "SA-1", "FG-1"));
        assertEquals(
                HoldAlerts.alertId(HoldAlert.AFFECTED_SHIPMENT, h, NodeKey.shipment("DN-1"), ""),
                a.alertId());
        var avro = a.toTraceAlert(Instant.parse("2026-11-02T12:00:00Z"));
        assertEquals(a.alertId(), avro.getAlertId());
        assertEquals(List.of("RM-1", "FG-1"), avro.getPath());
        assertEquals("OPEN", avro.getStatus().name());
        assertEquals(5.0, avro.getQuantity());
        HoldAlert smaller =
                new HoldAlert(
                        a.alertId(),
                        a.kind(),
                        a.status(),
                        a.severity(),
                        a.flagId(),
                        a.flaggedLotCode(),
                        a.flagReason(),
                        a.holdSince(),
                        a.dispatchId(),
                        a.customerId(),
                        a.customerName(),
                        a.destination(),
                        a.shippedAt(),
                        a.lotCode(),
                        1.0,
                        a.unit(),
                        a.quantityBasis(),
                        a.path(),
                        a.lotCodes());
        Map<String, HoldAlert> raised = HoldAlerts.byId(List.of(a));
        assertEquals(List.of(smaller), HoldAlerts.updates(raised, List.of(smaller)));
        assertEquals(
                List.of(), HoldAlerts.changes(raised, List.of(smaller)), "same id: not re-sent");
        // Flink state keeps raised alerts as codec JSON
        assertEquals(a, LineageCodec.decodeValue(LineageCodec.encodeValue(a), HoldAlert.class));
        LotUsage usage = lineage.node(NodeKey.lot("SA-1")).lotUsage();
        assertEquals(
                usage, LineageCodec.decodeValue(LineageCodec.encodeValue(usage), LotUsage.class));
        TraceDocument d = a.withStatus(HoldAlert.RESOLVED).toDocument(null, H1);
        assertEquals("RESOLVED", d.source().get("status"));
        assertEquals(a.alertId(), d.documentId());
    }

    @Test
    void holdMessagesAndClosuresWithHoldsRoundTrip() {
        // and the new messages round-trip
        LineageMessage flag =
                new LineageMessage.LotFlagUpdate(
                        NodeKey.lot("RM-1"), FlagEvent.of(hold("F-1", "RM-1", H1)));
        assertEquals(flag, LineageCodec.decode(LineageCodec.encode(flag)));
        LineageMessage withHolds =
                new LineageMessage.Closure(
                        NodeKey.lot("B"),
                        NodeKey.lot("A"),
                        4,
                        3,
                        false,
                        List.of(
                                new AncestorEntry(
                                        "A",
                                        null,
                                        null,
                                        null,
                                        0,
                                        false,
                                        2,
                                        List.of(HoldEntry.of(FlagEvent.of(hold("F-1", "A", H1)))))),
                        List.of("X"));
        assertEquals(withHolds, LineageCodec.decode(LineageCodec.encode(withHolds)));
        List<LineageMessage> usage = new ArrayList<>();
        LotUsages.apply(consumed("E1", "WO-1", "RM-1"), usage::add);
        LotUsages.apply(reversed("E2", "WO-1", "RM-1", "E1"), usage::add);
        LotUsages.apply(dispatchAt("DN-1", "C-1", SHIPPED, "FG-1"), usage::add);
        assertEquals(3, usage.size());
        for (LineageMessage u : usage) {
            assertEquals(u, LineageCodec.decode(LineageCodec.encode(u)));
        }
        FlagHistory history =
                FlagHistory.EMPTY
                        .with(FlagEvent.of(hold("F-1", "A", H1)))
                        .with(FlagEvent.of(release("F-0", "A", T0)));
        assertEquals(
                history,
                LineageCodec.decodeValue(LineageCodec.encodeValue(history), FlagHistory.class));
    }
}
