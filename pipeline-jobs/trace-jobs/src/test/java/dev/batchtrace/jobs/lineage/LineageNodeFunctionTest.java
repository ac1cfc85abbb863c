package dev.batchtrace.jobs.lineage;

import static dev.batchtrace.jobs.lineage.WorkOrderLinksFunctionTest.map;
import static dev.batchtrace.jobs.lineage.WorkOrderLinksFunctionTest.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.lineage.Events;
import dev.batchtrace.lineage.LineageCodec;
import dev.batchtrace.lineage.closure.AncestorEntry;
import dev.batchtrace.lineage.closure.InMemoryNodeStore;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.closure.LineageMessage.Closure;
import dev.batchtrace.lineage.closure.LineageMessage.EdgeChange;
import dev.batchtrace.lineage.closure.NodeKey;
import dev.batchtrace.lineage.closure.NodeProtocol;
import dev.batchtrace.lineage.documents.TraceDocuments;
import dev.batchtrace.lineage.stock.GoodsReceipts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LineageNodeFunctionTest {

    private static final Duration COALESCE = Duration.ofMillis(200);
    private static final NodeKey A = NodeKey.lot("LOT-A");
    private static final NodeKey P = NodeKey.lot("LOT-P");
    private static final NodeKey S = NodeKey.shipment("DN-1");

    private KeyedOneInputStreamOperatorTestHarness<String, LineageMessage, LineageMessage> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness();
        harness.open();
        harness.setProcessingTime(0);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, LineageMessage, LineageMessage>
            newHarness() throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<String, LineageMessage, LineageMessage>(
                        new LineageNodeOperator(new LineageNodeFunction(COALESCE)),
                        message -> message.target().toString(),
                        Utf8StringTypeInfo.INSTANCE);
        h.setup(LineageMessageTypeInfo.Serializer.INSTANCE);
        return h;
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void parentAnnouncesItselfToANewChildAndAgainWhenItsFactsChange() throws Exception {
        List<LineageMessage> input = new ArrayList<>();
        GoodsReceipts.apply(Events.receipt("LOT-A", "SUP-1", "S-LOT-1"), input::add);
        input.add(edge(A, P, "WO-1", true).get(0)); // the parent's end
        input.add(input.get(0)); // duplicated receipt: nothing new
        for (LineageMessage message : input) {
            harness.processElement(message, 0);
        }
        assertTrue(messages().isEmpty(), "nothing is sent before the barrier: " + messages());
        harness.prepareSnapshotPreBarrier(1);

        List<LineageMessage> output = messages();
        assertEquals(modelOutput(input), output, "same as the model on its in-memory store");
        List<Closure> closures = closures(output);
        assertEquals(1, closures.size(), "one announcement to the new child: " + output);
        Closure toChild = closures.get(0);
        assertEquals(P, toChild.target());
        assertEquals(A, toChild.from());
        AncestorEntry self = toChild.entries().get(0);
        assertEquals("LOT-A", self.lotCode());
        assertEquals("SUP-1", self.supplierId());
        assertEquals("S-LOT-1", self.supplierLotCode());

        // State: the child link and the announcement.
        FlinkNodeStore store = storeOf(A);
        assertTrue(store.child(P).isPresent());
        assertNotNull(store.lotFacts());
        assertEquals(toChild.version(), store.header().version());
    }

    @Test
    void closureBeforeItsEdgeWaitsAndCountsOnceTheEdgeExistsAndRemovalTakesItBack()
            throws Exception {
        Closure fromA =
                Closure.whole(
                        P, A, 3, List.of(new AncestorEntry("LOT-A", "MAT-A", "SUP-1", "S-1", 0)));
        harness.processElement(fromA, 0); // arrives before its edge
        harness.processElement(edge(A, P, "WO-1", true).get(1), 0); // the child's end
        harness.processElement(edge(P, S, "DN-1", true).get(0), 0); // P ships in DN-1
        harness.prepareSnapshotPreBarrier(1);

        List<Closure> closures = closures(messages());
        assertFalse(closures.isEmpty(), "P announces to its shipment");
        Closure toShipment = closures.get(closures.size() - 1);
        assertEquals(S, toShipment.target());
        assertTrue(
                toShipment.entries().stream().anyMatch(e -> e.lotCode().equals("LOT-A")),
                "the waiting contribution counts once the edge exists: " + toShipment);

        harness.setProcessingTime(COALESCE.toMillis());
        Map<String, Object> document = lastDocument("LOT-P");
        assertEquals(List.of("LOT-A"), document.get("ancestorLotCodes"));
        assertEquals(List.of("S-1"), document.get("ancestorSupplierLotCodes"));
        assertEquals(List.of("DN-1"), document.get("shipmentIds"));

        // The consumption is reversed: the edge goes, and with it A from P's closure.
        harness.processElement(edge(A, P, "WO-1", false).get(1), 0);
        harness.prepareSnapshotPreBarrier(2);
        harness.setProcessingTime(2 * COALESCE.toMillis());
        Map<String, Object> after = lastDocument("LOT-P");
        assertEquals(List.of(), after.get("ancestorLotCodes"), "no ancestors: " + after);
        Closure retraction = closures(messages()).get(closures(messages()).size() - 1);
        assertEquals(S, retraction.target());
        assertTrue(retraction.version() > toShipment.version(), "newer version to the shipment");
        assertEquals(retraction.version() - 1, retraction.baseVersion(), "a difference");
        assertEquals(List.of("LOT-A"), retraction.removed(), "only what went");

        // State: the parent link is kept as a removed tombstone, the removed parent's
        // contribution and P's closure slot for it are deleted.
        FlinkNodeStore store = storeOf(P);
        assertFalse(store.parent(A).isPresent());
        assertNull(store.contribution(A));
        assertNull(store.slot("LOT-A"));
        assertTrue(store.child(S).isPresent());
        assertEquals(0, harness.numProcessingTimeTimers(), "no timer left behind");
        KeyedStateBackend<String> backend = backend();
        backend.setCurrentKey(P.toString());
        assertNull(value(backend, LineageNodeFunction.DOCUMENT_TIMER).value());
        assertFalse(map(backend, LineageNodeFunction.CONTRIBUTIONS).contains(A.toString()));
        assertFalse(map(backend, LineageNodeFunction.CLOSURE).contains("LOT-A"));
    }

    @Test
    void manyChangesOfOneNodeGiveOneDocumentPerCoalescingWindow() throws Exception {
        for (int i = 0; i < 50; i++) {
            harness.processElement(edge(A, NodeKey.lot("CHILD-" + i), "WO-" + i, true).get(0), 0);
        }
        assertEquals(1, harness.numProcessingTimeTimers());
        harness.setProcessingTime(COALESCE.toMillis());
        List<DocumentUpdate> documents = documents();
        assertEquals(1, documents.size(), "50 changes, one document");
        assertEquals(TraceDocuments.LOTS + "/LOT-A", documents.get(0).key());
    }

    @Test
    void changesBetweenTwoBarriersGoToEachChildAsOneDifferenceAndOneDocument() throws Exception {
        for (int i = 1; i <= 3; i++) {
            harness.processElement(edge(NodeKey.lot("LOT-A" + i), P, "WO-" + i, true).get(1), 0);
        }
        harness.processElement(edge(P, S, "DN-1", true).get(0), 0);
        harness.prepareSnapshotPreBarrier(1);
        assertEquals(1, closures(messages()).size(), "the whole to the new shipment");
        int documentsBefore = documentsOf("LOT-P");

        // three parents announce themselves between two barriers
        for (int i = 1; i <= 3; i++) {
            harness.processElement(
                    Closure.whole(
                            P,
                            NodeKey.lot("LOT-A" + i),
                            1,
                            List.of(new AncestorEntry("LOT-A" + i, "MAT", "SUP", "S-" + i, 0))),
                    0);
        }
        assertEquals(1, closures(messages()).size(), "nothing sent before the barrier");
        harness.prepareSnapshotPreBarrier(2);

        List<Closure> closures = closures(messages());
        assertEquals(2, closures.size(), "one more message: " + closures);
        Closure difference = closures.get(1);
        assertEquals(S, difference.target());
        assertFalse(difference.full());
        assertEquals(closures.get(0).version(), difference.baseVersion());
        assertEquals(
                List.of("LOT-A1", "LOT-A2", "LOT-A3", "LOT-P"),
                difference.entries().stream().map(AncestorEntry::lotCode).sorted().toList());
        assertEquals(documentsBefore + 1, documentsOf("LOT-P"), "one document for three changes");
        assertEquals(
                List.of("LOT-A1", "LOT-A2", "LOT-A3"),
                lastDocument("LOT-P").get("ancestorLotCodes"));

        // the first interval's fallback timers find nothing left to do
        harness.setProcessingTime(COALESCE.toMillis());
        assertEquals(2, closures(messages()).size());
        assertEquals(documentsBefore + 1, documentsOf("LOT-P"));
        assertEquals(0, harness.numProcessingTimeTimers());
        assertFalse(storeOf(P).header().flushDue(), "nothing owed");
    }

    @Test
    void overTheMarkLimitTheNodesThatOweSendTheirDifferenceBeforeTheBarrier() throws Exception {
        for (int i = 1; i <= 3; i++) {
            harness.processElement(edge(NodeKey.lot("LOT-A" + i), P, "WO-" + i, true).get(1), 0);
        }
        harness.processElement(edge(P, S, "DN-1", true).get(0), 0);
        harness.prepareSnapshotPreBarrier(1);
        assertEquals(0, nodeFunction().marksHeld(), "a barrier leaves no mark on the heap");
        int documentsBefore = documentsOf("LOT-P");
        nodeFunction().withMarkLimit(1);

        harness.processElement(parentAnnouncesItself(1), 0);
        assertEquals(1, nodeFunction().marksHeld());
        assertEquals(1, closures(messages()).size(), "one mark: within the limit");
        harness.processElement(parentAnnouncesItself(2), 0);
        List<Closure> closures = closures(messages());
        assertEquals(2, closures.size(), "the second mark passed the limit: " + closures);
        Closure early = closures.get(1);
        assertEquals(S, early.target());
        assertFalse(early.full());
        assertEquals(
                List.of("LOT-A1", "LOT-A2", "LOT-P"),
                early.entries().stream().map(AncestorEntry::lotCode).sorted().toList());
        assertEquals(0, nodeFunction().marksHeld());
        assertEquals(documentsBefore, documentsOf("LOT-P"), "the document waits for the barrier");

        harness.processElement(parentAnnouncesItself(3), 0);
        harness.prepareSnapshotPreBarrier(2);
        closures = closures(messages());
        assertEquals(3, closures.size(), "the rest at the barrier: " + closures);
        Closure atBarrier = closures.get(2);
        assertEquals(early.version(), atBarrier.baseVersion());
        assertEquals(
                List.of("LOT-A3", "LOT-P"),
                atBarrier.entries().stream().map(AncestorEntry::lotCode).sorted().toList());
        assertEquals(0, nodeFunction().marksHeld());
        assertEquals(documentsBefore + 1, documentsOf("LOT-P"), "one document, at the barrier");
        assertEquals(
                List.of("LOT-A1", "LOT-A2", "LOT-A3"),
                lastDocument("LOT-P").get("ancestorLotCodes"));
        assertFalse(storeOf(P).header().flushDue(), "nothing owed");
    }

    @Test
    void aRocksDbSnapshotThatStillHasTheFormerMarkStatesRestores() throws Exception {
        harness.close();
        harness = newHarness();
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        harness.open();
        harness.setProcessingTime(0);
        lotWithAShipmentWrittenAtTheFirstBarrier();
        // until 2026-12-07 the marks were these two MapStates, empty in every snapshot (every
        // barrier flushed them); a snapshot of that version still names them
        KeyedStateBackend<String> backend = backend();
        backend.setCurrentKey(P.toString());
        map(
                        backend,
                        new MapStateDescriptor<>(
                                "unannounced-entries", Utf8StringTypeInfo.INSTANCE, Types.BOOLEAN))
                .clear();
        map(
                        backend,
                        new MapStateDescriptor<>(
                                "wholes-owed", Utf8StringTypeInfo.INSTANCE, Types.BOOLEAN))
                .clear();
        OperatorSubtaskState snapshot = harness.snapshot(1, 0);
        harness.close();

        harness = newHarness();
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        harness.initializeState(snapshot);
        harness.open();
        int sentBefore = closures(messages()).size();
        harness.processElement(
                Closure.whole(P, A, 2, List.of(new AncestorEntry("LOT-A", "MAT", "SUP", "S-A", 0))),
                0);
        harness.prepareSnapshotPreBarrier(2);
        List<Closure> closures = closures(messages());
        assertEquals(sentBefore + 1, closures.size(), "the change goes on: " + closures);
        Closure difference = closures.get(closures.size() - 1);
        assertEquals(S, difference.target());
        assertEquals(
                List.of("LOT-A", "LOT-P"),
                difference.entries().stream().map(AncestorEntry::lotCode).sorted().toList());
        assertEquals(0, nodeFunction().marksHeld());
    }

    private static Closure parentAnnouncesItself(int i) {
        return Closure.whole(
                P,
                NodeKey.lot("LOT-A" + i),
                1,
                List.of(new AncestorEntry("LOT-A" + i, "MAT", "SUP", "S-" + i, 0)));
    }

    @Test
    void documentsOverTheBarriersBudgetWaitWhileDifferencesGoAndAMarkKeepsThemAcrossARestore()
            throws Exception {
        int documentsBefore = lotWithAShipmentWrittenAtTheFirstBarrier();
        nodeFunction().withDocumentBudget(0, 0);

        harness.processElement(
                Closure.whole(P, A, 1, List.of(new AncestorEntry("LOT-A", "MAT", "SUP", "S-A", 0))),
                0);
        harness.prepareSnapshotPreBarrier(2);
        Closure toShipment = closures(messages()).get(closures(messages()).size() - 1);
        assertEquals(S, toShipment.target());
        assertTrue(
                toShipment.entries().stream().anyMatch(e -> e.lotCode().equals("LOT-A")),
                "the difference goes at the barrier: " + toShipment);
        assertEquals(documentsBefore, documentsOf("LOT-P"), "no budget: the document waits");
        assertEquals(1, nodeFunction().documentsWaitingAfterBarrier(), "the gauge counts it");

        // no timer writes it: the barriers will, and its mark keeps it for a restore
        harness.setProcessingTime(COALESCE.toMillis());
        assertEquals(documentsBefore, documentsOf("LOT-P"));
        assertEquals(0, harness.numProcessingTimeTimers());
        KeyedStateBackend<String> backend = backend();
        backend.setCurrentKey(P.toString());
        assertNotNull(value(backend, LineageNodeFunction.DOCUMENT_TIMER).value());

        restoreAndBarrier(3);
        assertEquals(
                List.of("LOT-A"),
                lastDocument("LOT-P").get("ancestorLotCodes"),
                "after the restore the first barrier writes it");
        backend = backend();
        backend.setCurrentKey(P.toString());
        assertNull(value(backend, LineageNodeFunction.DOCUMENT_TIMER).value(), "mark cleared");
        restoreAndBarrier(4);
        assertEquals(0, documentsOf("LOT-P"), "and a restore after that owes nothing");
    }

    @Test
    void afterTheFirstBarrierNoNodeHasATimerAndADocumentLeftWaitingIsMarked() throws Exception {
        int documentsBefore = lotWithAShipmentWrittenAtTheFirstBarrier();
        harness.setProcessingTime(COALESCE.toMillis()); // the first interval's timers fire
        assertEquals(0, harness.numProcessingTimeTimers());

        // changes after a barrier: the next barrier does the work, no timer and no marker
        harness.processElement(edge(P, NodeKey.shipment("DN-2"), "DN-2", true).get(0), 0);
        assertEquals(0, harness.numProcessingTimeTimers(), "a barrier will come");
        KeyedStateBackend<String> backend = backend();
        backend.setCurrentKey(P.toString());
        assertNull(value(backend, LineageNodeFunction.DOCUMENT_TIMER).value());
        harness.prepareSnapshotPreBarrier(2);
        assertEquals(documentsBefore + 1, documentsOf("LOT-P"));
        assertEquals(0, harness.numProcessingTimeTimers());

        // a document the barrier leaves waiting is marked there (no timer), for a restore
        nodeFunction().withDocumentBudget(0, 0);
        harness.processElement(edge(P, NodeKey.shipment("DN-3"), "DN-3", true).get(0), 0);
        harness.prepareSnapshotPreBarrier(3);
        assertEquals(0, harness.numProcessingTimeTimers(), "no timer in the snapshot");
        backend.setCurrentKey(P.toString());
        assertNotNull(value(backend, LineageNodeFunction.DOCUMENT_TIMER).value());
        harness.processElement(edge(P, NodeKey.shipment("DN-4"), "DN-4", true).get(0), 0);
        harness.prepareSnapshotPreBarrier(4);
        assertEquals(documentsBefore + 1, documentsOf("LOT-P"), "still waiting");

        // written at a barrier with budget: the marker goes, the timer finds nothing to do
        nodeFunction().withDocumentBudget(0, Long.MAX_VALUE);
        harness.prepareSnapshotPreBarrier(5);
        assertEquals(
                List.of("DN-1", "DN-2", "DN-3", "DN-4"), lastDocument("LOT-P").get("shipmentIds"));
        backend.setCurrentKey(P.toString());
        assertNull(value(backend, LineageNodeFunction.DOCUMENT_TIMER).value());
        assertEquals(0, harness.numProcessingTimeTimers());
    }

    @Test
    void documentsOverTheBarriersBudgetAreWrittenForTheTimeTheTaskWaitedForRecords()
            throws Exception {
        long[] clock = {0};
        ((LineageNodeOperator) harness.getOperator()).withNanoClock(() -> clock[0]);
        int documentsBefore = lotWithAShipmentWrittenAtTheFirstBarrier();
        // a budget so small that a barrier writes no document, but documents are not held back
        nodeFunction().withDocumentBudget(1e-12, 0);

        clock[0] += 3_600_000_000_000L; // a quiet hour: idle time before the barrier does not count
        harness.processElement(
                Closure.whole(P, A, 1, List.of(new AncestorEntry("LOT-A", "MAT", "SUP", "S-A", 0))),
                0);
        harness.prepareSnapshotPreBarrier(2);
        assertEquals(documentsBefore, documentsOf("LOT-P"), "over the budget: the document waits");

        // records back to back (a backlog): the task never waited since the barrier, the tick
        // writes nothing
        List<LineageMessage> other = new ArrayList<>();
        GoodsReceipts.apply(Events.receipt("LOT-B", "SUP-1", "S-LOT-2"), other::add);
        GoodsReceipts.apply(Events.receipt("LOT-C", "SUP-1", "S-LOT-3"), other::add);
        harness.processElement(other.get(0), 0);
        harness.setProcessingTime(LineageNodeOperator.IDLE_TICK_MILLIS);
        assertEquals(documentsBefore, documentsOf("LOT-P"), "busy: the document still waits");

        // gaps of a few µs between records are still a backlog's
        clock[0] += LineageNodeOperator.IDLE_GAP_NANOS;
        harness.processElement(other.get(1), 0);
        harness.setProcessingTime(2 * LineageNodeOperator.IDLE_TICK_MILLIS);
        assertEquals(documentsBefore, documentsOf("LOT-P"), "a backlog: it still waits");

        // a steady rate: 150 records 0.4 ms apart (several thousand messages a second), so the
        // task waited 60 ms in all: that time goes to the waiting documents, oldest first
        for (int i = 0; i < 150; i++) {
            clock[0] += 400_000L;
            harness.processElement(other.get(0), 0); // a duplicate: nothing new to write
        }
        harness.setProcessingTime(3 * LineageNodeOperator.IDLE_TICK_MILLIS);
        assertEquals(documentsBefore + 1, documentsOf("LOT-P"), "written between barriers");
        assertEquals(List.of("LOT-A"), lastDocument("LOT-P").get("ancestorLotCodes"));
        assertTrue(documentsOf("LOT-B1") + documentsOf("LOT-B") > 0, "the newer ones too");

        // nothing waits any more: no tick, and the next barrier writes nothing again
        int after = documents().size();
        clock[0] += 60_000_000L;
        harness.setProcessingTime(10 * LineageNodeOperator.IDLE_TICK_MILLIS);
        harness.prepareSnapshotPreBarrier(3);
        assertEquals(after, documents().size(), "each waiting document written once");
        assertEquals(0, nodeFunction().documentsWaitingAfterBarrier());
    }

    @Test
    void documentsOverTheBarriersBudgetGetAQuietInputsWholeTime() throws Exception {
        long[] clock = {0};
        ((LineageNodeOperator) harness.getOperator()).withNanoClock(() -> clock[0]);
        int documentsBefore = lotWithAShipmentWrittenAtTheFirstBarrier();
        nodeFunction().withDocumentBudget(1e-12, 0);
        harness.processElement(
                Closure.whole(P, A, 1, List.of(new AncestorEntry("LOT-A", "MAT", "SUP", "S-A", 0))),
                0);
        harness.prepareSnapshotPreBarrier(2);
        assertEquals(documentsBefore, documentsOf("LOT-P"), "over the budget: the document waits");

        // no record after the barrier (the clock says the task never waited: the quiet input is
        // what counts), so the tick writes the waiting documents
        harness.setProcessingTime(LineageNodeOperator.IDLE_TICK_MILLIS);
        assertEquals(documentsBefore + 1, documentsOf("LOT-P"), "written in the lull");
        assertEquals(List.of("LOT-A"), lastDocument("LOT-P").get("ancestorLotCodes"));
        harness.prepareSnapshotPreBarrier(3);
        assertEquals(0, nodeFunction().documentsWaitingAfterBarrier());
    }

    @Test
    void aHoldReachingANodeWaitsForTheBudgetLikeAnyDocument() throws Exception {
        harness.processElement(edge(A, P, "WO-1", true).get(1), 0);
        harness.processElement(
                Closure.whole(P, A, 1, List.of(new AncestorEntry("LOT-A", "MAT", "SUP", "S-A", 0))),
                0);
        harness.prepareSnapshotPreBarrier(1);
        nodeFunction().withDocumentBudget(0, 0);
        int documentsBefore = documentsOf("LOT-P");

        // A's entry now carries a hold: P's alerts go at once (LineageNodeFunctionHoldsTest),
        // its document within the budget
        AncestorEntry held =
                new AncestorEntry(
                        "LOT-A",
                        "MAT",
                        "SUP",
                        "S-A",
                        0,
                        false,
                        2,
                        List.of(
                                dev.batchtrace.lineage.holds.HoldEntry.of(
                                        new dev.batchtrace.lineage.holds.FlagEvent(
                                                "FLAG-1",
                                                "LOT-A",
                                                "HOLD",
                                                "supplier recall",
                                                "HIGH",
                                                "qa",
                                                java.time.Instant.parse("2026-11-03T08:00:00Z"),
                                                null))));
        harness.processElement(new Closure(P, A, 2, 1, false, List.of(held), List.of()), 0);
        harness.prepareSnapshotPreBarrier(2);
        assertEquals(documentsBefore, documentsOf("LOT-P"), "no budget: the document waits");

        nodeFunction().withDocumentBudget(0, Long.MAX_VALUE);
        harness.prepareSnapshotPreBarrier(3);
        assertEquals(documentsBefore + 1, documentsOf("LOT-P"), "written at the next barrier");
        assertEquals(true, lastDocument("LOT-P").get("onHold"));
    }

    @Test
    void aDocumentEqualToTheOneWrittenLastIsNotWrittenAgainNorAfterARestore() throws Exception {
        int documentsBefore = lotWithAShipmentWrittenAtTheFirstBarrier();
        NodeKey s2 = NodeKey.shipment("DN-2");

        // P ships in DN-2 and the dispatch line is reversed before the next barrier: P was marked
        // for a document twice, and its document is the one written at the first barrier
        harness.processElement(edge(P, s2, "DN-2", true).get(0), 0);
        harness.processElement(edge(P, s2, "DN-2", false).get(0), 0);
        harness.prepareSnapshotPreBarrier(2);
        assertEquals(documentsBefore, documentsOf("LOT-P"), "nothing new to write");

        // a real change is written
        NodeKey s3 = NodeKey.shipment("DN-3");
        harness.processElement(edge(P, s3, "DN-3", true).get(0), 0);
        harness.prepareSnapshotPreBarrier(3);
        assertEquals(documentsBefore + 1, documentsOf("LOT-P"));
        assertEquals(List.of("DN-1", "DN-3"), lastDocument("LOT-P").get("shipmentIds"));

        // the same back-and-forth waits over the budget; after a restore the task no longer knows
        // whether the document changed, and the fingerprint (restored with it) says it did not
        nodeFunction().withDocumentBudget(0, 0);
        NodeKey s4 = NodeKey.shipment("DN-4");
        harness.processElement(edge(P, s4, "DN-4", true).get(0), 0);
        harness.processElement(edge(P, s4, "DN-4", false).get(0), 0);
        harness.prepareSnapshotPreBarrier(4);
        assertEquals(1, nodeFunction().documentsWaitingAfterBarrier());
        restoreAndBarrier(5);
        assertEquals(0, documentsOf("LOT-P"), "the owed document equals the one written already");

        // a change after the restore is written
        NodeKey s5 = NodeKey.shipment("DN-5");
        harness.processElement(edge(P, s5, "DN-5", true).get(0), 0);
        harness.prepareSnapshotPreBarrier(6);
        assertEquals(List.of("DN-1", "DN-3", "DN-5"), lastDocument("LOT-P").get("shipmentIds"));
    }

    /** LOT-P between LOT-A and shipment DN-1, after the first barrier (no budget limit). */
    private int lotWithAShipmentWrittenAtTheFirstBarrier() throws Exception {
        harness.processElement(edge(A, P, "WO-1", true).get(1), 0);
        harness.processElement(edge(P, S, "DN-1", true).get(0), 0);
        harness.prepareSnapshotPreBarrier(1); // the first barrier has no budget limit
        int documents = documentsOf("LOT-P");
        assertTrue(documents > 0);
        return documents;
    }

    /**
     * Snapshots checkpoint {@code checkpointId - 1}, restores a new task from it and passes the
     * first barrier after the restore, {@code checkpointId}.
     */
    private void restoreAndBarrier(long checkpointId) throws Exception {
        OperatorSubtaskState snapshot = harness.snapshot(checkpointId - 1, 0);
        harness.close();
        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        harness.prepareSnapshotPreBarrier(checkpointId);
    }

    private LineageNodeFunction nodeFunction() {
        return (LineageNodeFunction)
                ((LineageNodeOperator) harness.getOperator()).getUserFunction();
    }

    private int documentsOf(String id) {
        return (int) documents().stream().filter(d -> d.id().equals(id)).count();
    }

    @Test
    void aMessageRoutedToAnotherKeyFailsInsteadOfCorruptingState() throws Exception {
        var misrouted =
                new KeyedOneInputStreamOperatorTestHarness<String, LineageMessage, LineageMessage>(
                        new LineageNodeOperator(new LineageNodeFunction(COALESCE)),
                        message -> "lot:ELSEWHERE",
                        Utf8StringTypeInfo.INSTANCE);
        try {
            misrouted.setup(LineageMessageTypeInfo.Serializer.INSTANCE);
            misrouted.open();
            Exception e =
                    assertThrows(
                            IllegalStateException.class,
                            () -> misrouted.processElement(edge(A, P, "WO-1", true).get(0), 0));
            assertTrue(e.getMessage().contains("lot:ELSEWHERE"), e.getMessage());
        } finally {
            misrouted.close();
        }
    }

    private static List<EdgeChange> edge(NodeKey parent, NodeKey child, String via, boolean added) {
        return EdgeChange.toBothEnds(parent, child, via, added ? 1 : 2, added, null);
    }

    /** The model's output for {@code input} followed by one barrier (a flush of every node). */
    private static List<LineageMessage> modelOutput(List<LineageMessage> input) {
        Map<NodeKey, InMemoryNodeStore> stores = new java.util.HashMap<>();
        java.util.Set<NodeKey> changed = new java.util.LinkedHashSet<>();
        List<LineageMessage> out = new ArrayList<>();
        for (LineageMessage message : input) {
            NodeProtocol.Applied applied =
                    NodeProtocol.applyDeferred(
                            message,
                            stores.computeIfAbsent(message.target(), k -> new InMemoryNodeStore()),
                            NodeProtocol.DEFAULT_HUB_FAN_IN,
                            out::add,
                            doc -> {});
            if (applied.documentChanged() || applied.announcementPending()) {
                changed.add(message.target());
            }
        }
        for (NodeKey node : changed) {
            NodeProtocol.flush(node, stores.get(node), out::add);
        }
        return out;
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

    private static List<Closure> closures(List<LineageMessage> messages) {
        return messages.stream()
                .filter(Closure.class::isInstance)
                .map(Closure.class::cast)
                .toList();
    }

    private List<DocumentUpdate> documents() {
        var side = harness.getSideOutput(LineageNodeFunction.DOCUMENTS);
        List<DocumentUpdate> out = new ArrayList<>();
        if (side != null) {
            side.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    private Map<String, Object> lastDocument(String id) {
        DocumentUpdate last = null;
        for (DocumentUpdate update : documents()) {
            if (update.id().equals(id)) {
                last = update;
            }
        }
        assertNotNull(last, "a document for " + id);
        return last.isDeletion() ? null : LineageCodec.fromJson(last.json());
    }

    @Test
    void qcChecksMakeTheLotsStatusAndTravelNowhere() throws Exception {
        List<LineageMessage> input = new ArrayList<>();
        dev.batchtrace.lineage.stock.WorkOrderLinks.apply(
                Events.produced("E1", "WO-1", "LOT-P"),
                new dev.batchtrace.lineage.stock.InMemoryWorkOrderStore(),
                input::add);
        dev.batchtrace.lineage.quality.QcResults.apply(
                Events.qc("QC-1", "LOT-P", "WO-1", true, 1), input::add);
        dev.batchtrace.lineage.quality.QcResults.apply(
                Events.qc("QC-2", "LOT-P", "WO-1", false, 2), input::add);
        dev.batchtrace.lineage.quality.QcResults.apply(
                Events.qc("QC-2", "LOT-P", "WO-1", false, 2), input::add);
        for (LineageMessage message : input) {
            harness.processElement(message, 0);
        }
        harness.setProcessingTime(COALESCE.toMillis());
        assertEquals(modelOutput(input), messages(), "same as the model");
        assertTrue(messages().isEmpty(), "a check goes to no other node: " + messages());
        Map<String, Object> doc = lastDocument("LOT-P");
        assertEquals("FAILED", doc.get("qcStatus"));
        assertEquals(2, ((List<?>) doc.get("qcChecks")).size());
        assertEquals(2, storeOf(P).qcChecks().byId().size());
        // a re-sent check schedules no write
        harness.processElement(input.get(input.size() - 1), 0);
        assertEquals(0, harness.numProcessingTimeTimers());
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
