package dev.batchtrace.jobs.lineage;

import static dev.batchtrace.jobs.lineage.WorkOrderLinksFunctionTest.map;
import static dev.batchtrace.jobs.lineage.WorkOrderLinksFunctionTest.value;
import static dev.batchtrace.lineage.Events.T0;
import static dev.batchtrace.lineage.Events.consumed;
import static dev.batchtrace.lineage.Events.dispatch;
import static dev.batchtrace.lineage.Events.hold;
import static dev.batchtrace.lineage.Events.produced;
import static dev.batchtrace.lineage.Events.receipt;
import static dev.batchtrace.lineage.Events.release;
import static dev.batchtrace.lineage.Events.reversed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.LotFlag;
import dev.batchtrace.events.TraceAlert;
import dev.batchtrace.events.TraceAlertKind;
import dev.batchtrace.events.TraceAlertStatus;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.lineage.LineageCodec;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.closure.NodeKey;
import dev.batchtrace.lineage.closure.NodeProtocol;
import dev.batchtrace.lineage.holds.FlagHistory;
import dev.batchtrace.lineage.holds.HoldAlert;
import dev.batchtrace.lineage.holds.HoldEntry;
import dev.batchtrace.lineage.holds.LotFlags;
import dev.batchtrace.lineage.reference.LineageReference;
import dev.batchtrace.lineage.stock.GoodsReceipts;
import dev.batchtrace.lineage.stock.InMemoryDispatchStore;
import dev.batchtrace.lineage.stock.InMemoryWorkOrderStore;
import dev.batchtrace.lineage.stock.LotUsages;
import dev.batchtrace.lineage.stock.WorkOrderLinks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The node function with lot flags: the harness plays the whole node stage (closures to children
 * are fed back in, as the feedback topic does), stage 1 is the model's stateless functions, and the
 * shipment alert stages behind it ({@link ShipmentAlertStages}). Each case checks the alert records
 * of the {@link LineageNodeFunction#ALERTS} side output and of {@link ShipmentAlertsFunction}
 * against the batch reference ({@link LineageReference#withHolds}) and the state behind them.
 */
class LineageNodeFunctionHoldsTest {

    private static final Duration COALESCE = Duration.ofMillis(200);
    private static final Instant AFTER_SHIPPING = T0.plus(Duration.ofDays(1));

    private KeyedOneInputStreamOperatorTestHarness<String, LineageMessage, LineageMessage> harness;
    private final List<SpecificRecordBase> events = new ArrayList<>();
    private final Map<String, InMemoryWorkOrderStore> workOrders = new HashMap<>();
    private ShipmentAlertStages stages;
    private boolean nodeHarnessReplaced;
    private int fedBack;
    private long now;
    private long checkpoint;

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness();
        harness.open();
        harness.setProcessingTime(0);
        stages = new ShipmentAlertStages();
        stages.setProcessingTime(0);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
        stages.close();
    }

    @Test
    void holdThenReleaseRaisesEveryAffectedNodeOnceAndResolvesThem() throws Exception {
        publish(
                receipt("RM-1", "SUP-1", "S-1"),
                consumed("C-1", "WO-1", "RM-1"),
                produced("P-1", "WO-1", "FG-1"),
                dispatch("DN-1", "CUST-1", "FG-1"));
        assertTrue(alerts().isEmpty(), "no flag, no alert: " + alerts());

        publish(hold("FLAG-1", "RM-1", AFTER_SHIPPING));
        Map<String, TraceAlert> open = checkAgainstReference();
        assertEquals(
                List.of("AFFECTED_SHIPMENT", "AFFECTED_STOCK", "AFFECTED_STOCK"),
                open.values().stream().map(a -> a.getKind().name()).sorted().toList());
        TraceAlert shipment = only(open, TraceAlertKind.AFFECTED_SHIPMENT);
        assertEquals("DN-1", shipment.getDispatchId());
        assertEquals("CUST-1", shipment.getCustomerId());
        assertEquals("FG-1", shipment.getLotCode());
        assertEquals(List.of("RM-1", "FG-1"), shipment.getPath());
        assertEquals(5.0, shipment.getQuantity());
        assertEquals("FLAG-1", shipment.getFlagId());
        assertEquals(true, lastDocument("trace-lots", "FG-1").get("onHold"));
        Map<String, Object> alertDocument = lastDocument(HoldAlert.INDEX, shipment.getAlertId());
        assertEquals("OPEN", alertDocument.get("status"));
        assertEquals(shipment.getRaisedAt().toString(), alertDocument.get("raisedAt"));
        // State: the flag at the flagged lot, the raised alerts where they were raised.
        assertEquals(1, flagHistory("RM-1").holds().size());
        assertEquals(setOf(shipment.getAlertId()), raisedIds(NodeKey.shipment("DN-1")));

        now += 1000; // raisedAt / resolvedAt are processing time (of the barrier)
        long releasedAt = now;
        publish(release("REL-1", "RM-1", AFTER_SHIPPING.plusSeconds(3600)));
        assertTrue(checkAgainstReference().isEmpty(), "released: nothing open");
        List<TraceAlert> resolved =
                alerts().stream().filter(a -> a.getStatus() == TraceAlertStatus.RESOLVED).toList();
        assertEquals(open.keySet(), ids(resolved), "each raised alert resolved once");
        for (TraceAlert r : resolved) {
            assertEquals(
                    open.get(r.getAlertId()).getRaisedAt(),
                    r.getRaisedAt(),
                    "raisedAt kept from the OPEN record");
        }
        Map<String, Object> closed = lastDocument(HoldAlert.INDEX, shipment.getAlertId());
        assertEquals("RESOLVED", closed.get("status"));
        assertEquals(Instant.ofEpochMilli(releasedAt).toString(), closed.get("resolvedAt"));
        assertEquals(false, lastDocument("trace-lots", "FG-1").get("onHold"));
        assertNotNull(flagHistory("RM-1").release());
        assertTrue(flagHistory("RM-1").holds().isEmpty());
        for (String node : List.of("lot:RM-1", "lot:FG-1", "shipment:DN-1")) {
            assertTrue(raisedIds(NodeKey.parse(node)).isEmpty(), node + " keeps nothing raised");
        }
    }

    @Test
    void aFlagRaisesItsAlertsAtTheBarrierWhileTheNodesDocumentsWaitForTheirBudget()
            throws Exception {
        publish(
                receipt("RM-1", "SUP-1", "S-1"),
                consumed("C-1", "WO-1", "RM-1"),
                produced("P-1", "WO-1", "FG-1"),
                dispatch("DN-1", "CUST-1", "FG-1"));
        LineageNodeFunction function =
                (LineageNodeFunction)
                        ((LineageNodeOperator) harness.getOperator()).getUserFunction();
        function.withDocumentBudget(0, 0); // no time for documents at all
        assertNotEquals(true, lastDocument("trace-lots", "FG-1").get("onHold"));

        propagate(hold("FLAG-1", "RM-1", AFTER_SHIPPING));
        Map<String, TraceAlert> open = checkAgainstReference();
        assertEquals(3, open.size(), "every alert raised: " + open.values());
        assertNotEquals(
                true, lastDocument("trace-lots", "FG-1").get("onHold"), "the document waits");

        function.withDocumentBudget(0, Long.MAX_VALUE);
        harness.prepareSnapshotPreBarrier(++checkpoint);
        assertEquals(true, lastDocument("trace-lots", "FG-1").get("onHold"));
        assertEquals(open.keySet(), checkAgainstReference().keySet(), "nothing raised twice");
    }

    @Test
    void lessStockLeftUpdatesTheAlertDocumentWithoutRaisingItAgain() throws Exception {
        publish(receipt("RM-1", "SUP-1", "S-1")); // 100 kg
        publish(hold("FLAG-1", "RM-1", T0));
        TraceAlert stock = only(checkAgainstReference(), TraceAlertKind.AFFECTED_STOCK);
        assertEquals(100.0, stock.getQuantity());
        assertEquals(
                "REMAINING",
                lastDocument(HoldAlert.INDEX, stock.getAlertId()).get("quantityBasis"));

        now += 1000;
        WorkOrderEvent consumption =
                WorkOrderEvent.newBuilder(consumed("C-1", "WO-1", "RM-1"))
                        .setQuantity(30.0)
                        .setUnit("kg")
                        .build();
        publish(consumption);
        checkAgainstReference();
        assertEquals(1, alerts().size(), "the topic does not repeat the alert: " + alerts());
        Map<String, Object> updated = lastDocument(HoldAlert.INDEX, stock.getAlertId());
        assertEquals(70.0, ((Number) updated.get("quantity")).doubleValue(), "70 kg left");
        assertEquals("OPEN", updated.get("status"));
        assertEquals(stock.getRaisedAt().toString(), updated.get("raisedAt"), "raisedAt kept");
        KeyedStateBackend<String> backend = backend();
        backend.setCurrentKey(NodeKey.lot("RM-1").toString());
        RaisedAlert raised =
                AlertStateCodec.decodeValue(
                        map(backend, LineageNodeFunction.RAISED_ALERTS).get(stock.getAlertId()),
                        RaisedAlert.class);
        assertEquals(70.0, raised.alert().quantity(), "state holds the updated alert");
        assertEquals(stock.getRaisedAt(), raised.raisedAt());
    }

    @Test
    void releaseBeforeAnOlderHoldKeepsItFromHolding() throws Exception {
        publish(
                receipt("RM-1", "SUP-1", "S-1"),
                consumed("C-1", "WO-1", "RM-1"),
                produced("P-1", "WO-1", "FG-1"),
                dispatch("DN-1", "CUST-1", "FG-1"));
        publish(release("REL-1", "RM-1", AFTER_SHIPPING.plusSeconds(3600))); // arrives first
        publish(hold("FLAG-1", "RM-1", AFTER_SHIPPING)); // older: already released
        assertTrue(checkAgainstReference().isEmpty());
        assertTrue(alerts().isEmpty(), "nothing raised, nothing resolved: " + alerts());
        FlagHistory history = flagHistory("RM-1");
        assertEquals("REL-1", history.release().flagId());
        assertTrue(history.holds().isEmpty(), "the late older hold is dropped: " + history);
        assertEquals(false, lastDocument("trace-lots", "FG-1").get("onHold"));
    }

    @Test
    void twoHoldsOnOneLotRaiseTwoAlertsPerNodeAndOneReleaseLiftsBoth() throws Exception {
        publish(
                receipt("RM-1", "SUP-1", "S-1"),
                consumed("C-1", "WO-1", "RM-1"),
                produced("P-1", "WO-1", "FG-1"),
                dispatch("DN-1", "CUST-1", "FG-1"));
        publish(
                hold("FLAG-1", "RM-1", AFTER_SHIPPING),
                hold("FLAG-2", "RM-1", AFTER_SHIPPING.plusSeconds(60)));
        Map<String, TraceAlert> open = checkAgainstReference();
        assertEquals(6, open.size(), "3 affected nodes x 2 holds: " + open.values());
        assertEquals(
                setOf("FLAG-1", "FLAG-2"),
                new TreeSet<>(open.values().stream().map(TraceAlert::getFlagId).toList()));
        assertEquals(2, flagHistory("RM-1").holds().size());
        assertEquals(2, raisedIds(NodeKey.shipment("DN-1")).size());
        assertEquals(2, ((List<?>) lastDocument("trace-shipments", "DN-1").get("holds")).size());

        publish(release("REL-1", "RM-1", AFTER_SHIPPING.plusSeconds(120)));
        assertTrue(checkAgainstReference().isEmpty());
        assertEquals(12, alerts().size(), "6 OPEN, 6 RESOLVED");
    }

    @Test
    void holdOnARawLotReachesTwoLevelsDownAndItsShipment() throws Exception {
        publish(
                receipt("RM-1", "SUP-1", "S-1"),
                consumed("C-1", "WO-1", "RM-1"),
                produced("P-1", "WO-1", "INT-1"),
                consumed("C-2", "WO-2", "INT-1"),
                produced("P-2", "WO-2", "FG-1"),
                dispatch("DN-1", "CUST-1", "FG-1"));
        publish(hold("FLAG-1", "RM-1", AFTER_SHIPPING));
        Map<String, TraceAlert> open = checkAgainstReference();
        TraceAlert shipment = only(open, TraceAlertKind.AFFECTED_SHIPMENT);
        assertEquals(List.of("RM-1", "FG-1"), shipment.getPath(), "flagged and shipped lot");
        assertEquals("RM-1", shipment.getFlaggedLotCode());
        TraceAlert finished =
                open.values().stream()
                        .filter(a -> a.getLotCode().equals("FG-1"))
                        .filter(a -> a.getKind() == TraceAlertKind.AFFECTED_STOCK)
                        .findFirst()
                        .orElseThrow();
        assertEquals(List.of("RM-1", "FG-1"), finished.getPath());
        // State: the hold travelled inside RM-1's entry of FG-1's closure (counted once).
        List<HoldEntry> holds =
                dev.batchtrace.lineage.closure.NodeProtocol.holdsOf(
                        NodeKey.lot("FG-1"), storeOf(NodeKey.lot("FG-1")));
        assertEquals(1, holds.size());
        assertEquals("RM-1", holds.get(0).lotCode());
        assertEquals(1, storeOf(NodeKey.lot("FG-1")).inheritedHold(holds.get(0).holdKey()).count());
        assertNull(flagHistory("FG-1"), "only the flagged lot keeps a flag history");
    }

    @Test
    void aFlagReachesAShipmentThreeLevelsDownAtTheFirstBarrierThroughTheIndex() throws Exception {
        publish(
                receipt("RM-1", "SUP-1", "S-1"),
                consumed("C-1", "WO-1", "RM-1"),
                produced("P-1", "WO-1", "INT-1"),
                consumed("C-2", "WO-2", "INT-1"),
                produced("P-2", "WO-2", "INT-2"),
                consumed("C-3", "WO-3", "INT-2"),
                produced("P-3", "WO-3", "FG-1"),
                dispatch("DN-1", "CUST-1", "FG-1"));
        assertTrue(alerts().isEmpty());

        // the flag and one barrier; nothing the barrier sent to the feedback topic comes back yet
        applyOnly(hold("FLAG-1", "RM-1", AFTER_SHIPPING));
        harness.prepareSnapshotPreBarrier(++checkpoint);
        drainToStages();
        List<TraceAlert> early = shipmentAlertsSent();
        assertEquals(1, early.size(), "raised before the closure path caught up: " + alerts());
        assertEquals("DN-1", early.get(0).getDispatchId());
        assertEquals(List.of("RM-1", "FG-1"), early.get(0).getPath());
        assertEquals(TraceAlertStatus.OPEN, early.get(0).getStatus());
        assertNull(
                NodeProtocol.holdsOf(NodeKey.lot("FG-1"), storeOf(NodeKey.lot("FG-1"))).stream()
                        .findAny()
                        .orElse(null),
                "the closure path has not brought the hold to FG-1 yet");

        // the closure path catches up: the same alert, not raised twice; stock alerts join
        propagate();
        settle();
        Map<String, TraceAlert> open = checkAgainstReference();
        assertEquals(
                early.get(0).getAlertId(),
                only(open, TraceAlertKind.AFFECTED_SHIPMENT).getAlertId());
        assertEquals(
                3, open.size(), "the shipment, RM-1's and FG-1's stock (INT-* used up): " + open);
    }

    @Test
    void aFlagsShipmentAlertIsRaisedBeforeTheNextBarrierAndTheBarrierDoesNotSendItAgain()
            throws Exception {
        publish(
                receipt("RM-1", "SUP-1", "S-1"),
                consumed("C-1", "WO-1", "RM-1"),
                produced("P-1", "WO-1", "INT-1"),
                consumed("C-2", "WO-2", "INT-1"),
                produced("P-2", "WO-2", "FG-1"),
                dispatch("DN-1", "CUST-1", "FG-1"));
        int entryHoldsBefore = entryHoldsSent();

        // the flag alone, no barrier: the lot's entry goes to the index as the flag is applied,
        // so the shipment's alert is in the checkpoint the flag is in
        applyOnly(hold("FLAG-1", "RM-1", AFTER_SHIPPING));
        assertEquals(entryHoldsBefore + 1, entryHoldsSent(), "RM-1's entry holds, at once");
        drainToStages();
        List<TraceAlert> early = shipmentAlertsSent();
        assertEquals(1, early.size(), "raised before any barrier: " + alerts());
        assertEquals("DN-1", early.get(0).getDispatchId());
        assertEquals(TraceAlertStatus.OPEN, early.get(0).getStatus());

        // the barrier and the closure path: the same entry holds are not sent again, the same
        // alert is not raised twice, and the end state is the reference's
        propagate();
        settle();
        assertEquals(entryHoldsBefore + 1, entryHoldsSent(), "sent once");
        Map<String, TraceAlert> open = checkAgainstReference();
        assertEquals(
                early.get(0).getAlertId(),
                only(open, TraceAlertKind.AFFECTED_SHIPMENT).getAlertId());
    }

    /** Stage 1 and the node stage for one event, no feedback and no barrier. */
    private void applyOnly(SpecificRecordBase event) throws Exception {
        events.add(event);
        List<LineageMessage> messages = new ArrayList<>();
        stage1(event, messages::add);
        for (LineageMessage message : messages) {
            harness.processElement(message, 0);
        }
    }

    /** The AFFECTED_SHIPMENT alert records the shipment alert stage has sent so far. */
    private List<TraceAlert> shipmentAlertsSent() {
        return stages.sent().stream()
                .filter(a -> a.getKind() == TraceAlertKind.AFFECTED_SHIPMENT)
                .toList();
    }

    /** LotEntryHolds the node stage has sent the affected-shipments index so far. */
    private int entryHoldsSent() {
        var side = harness.getSideOutput(LineageNodeFunction.LOT_ENTRY_HOLDS);
        return side == null ? 0 : side.size();
    }

    @Test
    void aReversedConsumptionTakesTheShipmentOutOfTheIndexAndResolvesItsAlert() throws Exception {
        publish(
                receipt("RM-1", "SUP-1", "S-1"),
                receipt("RM-2", "SUP-2", "S-2"),
                consumed("C-1", "WO-1", "RM-1"),
                consumed("C-2", "WO-1", "RM-2"),
                produced("P-1", "WO-1", "FG-1"),
                dispatch("DN-1", "CUST-1", "FG-1"));
        publish(hold("FLAG-1", "RM-1", AFTER_SHIPPING));
        TraceAlert shipment = only(checkAgainstReference(), TraceAlertKind.AFFECTED_SHIPMENT);

        now += 1000;
        publish(reversed("C-1R", "WO-1", "RM-1", "C-1")); // RM-1 was not used after all
        Map<String, TraceAlert> open = checkAgainstReference();
        assertTrue(
                open.values().stream().noneMatch(a -> a.getDispatchId() != null),
                "no shipment affected any more: " + open.values());
        assertEquals(
                "RESOLVED", lastDocument(HoldAlert.INDEX, shipment.getAlertId()).get("status"));
        // the index forgot DN-1 under RM-1, so a later hold on RM-1 names no shipment
        assertTrue(
                stages.indexChanges().stream()
                        .anyMatch(
                                c ->
                                        c.dispatchId().equals("DN-1")
                                                && c.lotCode().equals("RM-1")
                                                && !c.present()),
                "the index lifted RM-1's hold from DN-1: " + stages.indexChanges());
        publish(hold("FLAG-2", "RM-1", AFTER_SHIPPING.plusSeconds(60)));
        checkAgainstReference();
        assertTrue(
                alerts().stream()
                        .noneMatch(
                                a -> "FLAG-2".equals(a.getFlagId()) && a.getDispatchId() != null),
                "RM-1 no longer reaches DN-1: " + alerts());
    }

    @Test
    void dispatchAfterTheHoldIsShippedWhileOnHoldAndCritical() throws Exception {
        publish(
                receipt("RM-1", "SUP-1", "S-1"),
                consumed("C-1", "WO-1", "RM-1"),
                produced("P-1", "WO-1", "FG-1"));
        publish(hold("FLAG-1", "RM-1", T0.minusSeconds(3600))); // before DN-1 leaves at T0
        assertTrue(
                alerts().stream().noneMatch(a -> a.getDispatchId() != null),
                "nothing shipped yet: " + alerts());
        publish(dispatch("DN-1", "CUST-1", "FG-1"));
        Map<String, TraceAlert> open = checkAgainstReference();
        TraceAlert shipped = only(open, TraceAlertKind.SHIPPED_WHILE_ON_HOLD);
        assertEquals("DN-1", shipped.getDispatchId());
        assertEquals(List.of("RM-1", "FG-1"), shipped.getPath());
        assertEquals(
                "CRITICAL", lastDocument(HoldAlert.INDEX, shipped.getAlertId()).get("severity"));
        assertTrue(
                open.values().stream()
                        .noneMatch(a -> a.getKind().name().equals("AFFECTED_SHIPMENT")));
        assertEquals(setOf(shipped.getAlertId()), raisedIds(NodeKey.shipment("DN-1")));
    }

    @Test
    void duplicateFlagsAndRedeliveredClosuresRaiseNothingTwiceEvenAfterARestore() throws Exception {
        publish(
                receipt("RM-1", "SUP-1", "S-1"),
                consumed("C-1", "WO-1", "RM-1"),
                produced("P-1", "WO-1", "FG-1"),
                dispatch("DN-1", "CUST-1", "FG-1"));
        LotFlag flag = hold("FLAG-1", "RM-1", AFTER_SHIPPING);
        publish(flag, flag);
        Map<String, TraceAlert> open = checkAgainstReference();
        assertEquals(3, open.size());
        assertEquals(3, alerts().size(), "each alert once: " + alerts());

        // Every closure sent so far delivered again, then a snapshot/restore and the flag again.
        List<LineageMessage> sent = messages();
        for (LineageMessage message : sent) {
            harness.processElement(message, 0);
        }
        settle();
        OperatorSubtaskState snapshot = harness.snapshot(1, 0);
        OperatorSubtaskState[] stageSnapshots = stages.snapshot(1);
        harness.close();
        stages.close();
        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        harness.setProcessingTime(now);
        stages = new ShipmentAlertStages(stageSnapshots[0], stageSnapshots[1]);
        stages.setProcessingTime(now);
        nodeHarnessReplaced = true;
        fedBack = 0;
        publish(flag);
        assertTrue(alerts().isEmpty(), "after the restore nothing is raised again: " + alerts());
        assertEquals(1, flagHistory("RM-1").holds().size());
        assertEquals(open.keySet(), allRaisedIds());
    }

    // --- the node stage in a loop ---

    private KeyedOneInputStreamOperatorTestHarness<String, LineageMessage, LineageMessage>
            newHarness() throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<String, LineageMessage, LineageMessage>(
                        new LineageNodeOperator(new LineageNodeFunction(COALESCE)),
                        message -> message.target().toString(),
                        Utf8StringTypeInfo.INSTANCE);
        h.setup(LineageMessageTypeInfo.Serializer.INSTANCE);
        return h;
    }

    /** Stage 1 as the job wires it, the node stage until quiet, then the document timers. */
    private void publish(SpecificRecordBase... input) throws Exception {
        propagate(input);
        settle();
    }

    /** Stage 1 as the job wires it and the node stage, barrier after barrier, until quiet. */
    private void propagate(SpecificRecordBase... input) throws Exception {
        harness.setProcessingTime(now);
        for (SpecificRecordBase event : input) {
            events.add(event);
            List<LineageMessage> messages = new ArrayList<>();
            stage1(event, messages::add);
            for (LineageMessage message : messages) {
                harness.processElement(message, 0);
            }
        }
        List<LineageMessage> out = messages();
        while (true) {
            while (fedBack < out.size()) {
                harness.processElement(out.get(fedBack++), 0); // the feedback topic
                out = messages();
            }
            harness.prepareSnapshotPreBarrier(++checkpoint); // what the nodes owe goes out
            out = messages();
            if (fedBack == out.size()) {
                break;
            }
        }
        drainToStages();
    }

    /** What the node stage sent the shipment alert stages, there (they feed nothing back). */
    private void drainToStages() throws Exception {
        stages.setProcessingTime(now);
        stages.drain(harness, nodeHarnessReplaced);
        nodeHarnessReplaced = false;
    }

    private void stage1(SpecificRecordBase event, Consumer<LineageMessage> out) {
        if (event instanceof GoodsReceipt r) {
            GoodsReceipts.apply(r, out);
        } else if (event instanceof WorkOrderEvent e) {
            WorkOrderLinks.apply(
                    e,
                    workOrders.computeIfAbsent(
                            e.getWorkOrderId(), k -> new InMemoryWorkOrderStore()),
                    out);
            LotUsages.apply(e, out);
        } else if (event instanceof DispatchNote n) {
            InMemoryDispatchStore.applyAlone(n, out);
            LotUsages.apply(n, out);
        } else if (event instanceof LotFlag f) {
            LotFlags.apply(f, out);
        }
    }

    private void settle() throws Exception {
        now += COALESCE.toMillis();
        harness.setProcessingTime(now);
        drainToStages();
        assertEquals(0, harness.numProcessingTimeTimers(), "every dirty node was emitted");
    }

    /**
     * The alert records so far must alternate OPEN / RESOLVED per id, and the ids left OPEN must be
     * the reference's open alerts with the same kind, flag and lot. Returns them by id.
     */
    private Map<String, TraceAlert> checkAgainstReference() {
        Map<String, TraceAlert> open = new TreeMap<>();
        for (TraceAlert alert : alerts()) {
            boolean wasOpen = open.containsKey(alert.getAlertId());
            if (alert.getStatus() == TraceAlertStatus.OPEN) {
                assertTrue(!wasOpen, "OPEN twice in a row: " + alert);
                open.put(alert.getAlertId(), alert);
            } else {
                assertTrue(wasOpen, "RESOLVED without OPEN: " + alert);
                open.remove(alert.getAlertId());
            }
        }
        Map<String, HoldAlert> expected = LineageReference.withHolds(events).alerts();
        assertEquals(expected.keySet(), open.keySet(), "open alert ids vs the reference");
        for (TraceAlert alert : open.values()) {
            HoldAlert want = expected.get(alert.getAlertId());
            assertEquals(want.kind(), alert.getKind().name());
            assertEquals(want.flagId(), alert.getFlagId());
            assertEquals(want.lotCode(), alert.getLotCode());
            assertEquals(want.path(), alert.getPath());
        }
        assertEquals(open.keySet(), allRaisedIds(), "raised-alerts state = what is open");
        return open;
    }

    private static TraceAlert only(Map<String, TraceAlert> alerts, TraceAlertKind kind) {
        List<TraceAlert> of = alerts.values().stream().filter(a -> a.getKind() == kind).toList();
        assertEquals(1, of.size(), "one " + kind + ": " + alerts.values());
        return of.get(0);
    }

    private List<LineageMessage> messages() {
        List<LineageMessage> out = new ArrayList<>();
        for (Object record : harness.getOutput()) {
            if (record instanceof StreamRecord<?> stream) {
                out.add((LineageMessage) stream.getValue());
            }
        }
        return out;
    }

    private List<TraceAlert> alerts() {
        List<TraceAlert> out = new ArrayList<>();
        var side = harness.getSideOutput(LineageNodeFunction.ALERTS);
        if (side != null) {
            side.forEach(r -> out.add(r.getValue()));
        }
        out.addAll(stages.sent());
        return out;
    }

    private Map<String, Object> lastDocument(String index, String id) {
        DocumentUpdate last = null;
        var side = harness.getSideOutput(LineageNodeFunction.DOCUMENTS);
        if (side != null) {
            for (StreamRecord<DocumentUpdate> r : side) {
                if (r.getValue().index().equals(index) && r.getValue().id().equals(id)) {
                    last = r.getValue();
                }
            }
        }
        for (DocumentUpdate d : stages.documents()) {
            if (d.index().equals(index) && d.id().equals(id)) {
                last = d;
            }
        }
        assertNotNull(last, "a document " + index + "/" + id);
        return LineageCodec.fromJson(last.json());
    }

    private static TreeSet<String> ids(List<TraceAlert> alerts) {
        return new TreeSet<>(alerts.stream().map(TraceAlert::getAlertId).toList());
    }

    @SafeVarargs
    private static <T extends Comparable<T>> TreeSet<T> setOf(T... values) {
        return new TreeSet<>(List.of(values));
    }

    private FlagHistory flagHistory(String lot) throws Exception {
        return storeOf(NodeKey.lot(lot)).flagHistory();
    }

    private TreeSet<String> raisedIds(NodeKey node) throws Exception {
        KeyedStateBackend<String> backend = backend();
        backend.setCurrentKey(node.toString());
        TreeSet<String> ids = new TreeSet<>();
        for (String id : map(backend, LineageNodeFunction.RAISED_ALERTS).keys()) {
            ids.add(id);
        }
        if (node.isShipment()) {
            ids.addAll(stages.raisedIds(node.code()));
        }
        return ids;
    }

    /** The raised alerts of every node that received a message. */
    private TreeSet<String> allRaisedIds() {
        TreeSet<String> nodes = new TreeSet<>();
        for (LineageMessage m : messages()) {
            nodes.add(m.target().toString());
        }
        List<LineageMessage> stage1 = new ArrayList<>();
        for (SpecificRecordBase event : events) {
            stage1(event, stage1::add);
        }
        stage1.forEach(m -> nodes.add(m.target().toString()));
        TreeSet<String> ids = new TreeSet<>();
        try {
            for (String node : nodes) {
                ids.addAll(raisedIds(NodeKey.parse(node)));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    private FlinkNodeStore storeOf(NodeKey node) throws Exception {
        KeyedStateBackend<String> backend = backend();
        backend.setCurrentKey(node.toString());
        return new FlinkNodeStore(
                value(backend, LineageNodeFunction.LOT_FACTS),
                map(backend, LineageNodeFunction.LOT_SOURCES),
                value(backend, LineageNodeFunction.SHIPMENT_FACTS),
                map(backend, LineageNodeFunction.PARENTS),
                map(backend, LineageNodeFunction.CHILDREN),
                map(backend, LineageNodeFunction.CONTRIBUTIONS),
                value(backend, LineageNodeFunction.HEADER),
                map(backend, LineageNodeFunction.CLOSURE),
                map(backend, LineageNodeFunction.INHERITED_HOLDS),
                value(backend, LineageNodeFunction.FLAG_HISTORY),
                map(backend, LineageNodeFunction.LOT_USAGE),
                value(backend, LineageNodeFunction.QC_CHECKS),
                value(backend, LineageNodeFunction.MACHINE_RUNS),
                new AnnouncementMarks(), // on the heap: a snapshot has none
                node::toString);
    }

    @SuppressWarnings("unchecked")
    private KeyedStateBackend<String> backend() {
        return (KeyedStateBackend<String>)
                (KeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend();
    }
}
