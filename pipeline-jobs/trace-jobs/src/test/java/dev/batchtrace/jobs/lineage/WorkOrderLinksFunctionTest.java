package dev.batchtrace.jobs.lineage;

import static dev.batchtrace.lineage.Events.consumed;
import static dev.batchtrace.lineage.Events.produced;
import static dev.batchtrace.lineage.Events.qc;
import static dev.batchtrace.lineage.Events.reversed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.lineage.LineageCodec;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.closure.LineageMessage.EdgeChange;
import dev.batchtrace.lineage.closure.NodeKey;
import dev.batchtrace.lineage.documents.TraceDocuments;
import dev.batchtrace.lineage.quality.QcResults;
import dev.batchtrace.lineage.quality.WorkOrderAttachment;
import dev.batchtrace.lineage.stock.InMemoryWorkOrderStore;
import dev.batchtrace.lineage.stock.WorkOrderLinks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WorkOrderLinksFunctionTest {

    private static final Duration COALESCE = Duration.ofMillis(200);

    private KeyedTwoInputStreamOperatorTestHarness<
                    String, WorkOrderEvent, WorkOrderAttachment, LineageMessage>
            harness;

    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, WorkOrderEvent, WorkOrderAttachment, LineageMessage>
            newHarness() throws Exception {
        var harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(new WorkOrderLinksFunction(COALESCE)),
                        WorkOrderEvent::getWorkOrderId,
                        WorkOrderAttachment::workOrderId,
                        Utf8StringTypeInfo.INSTANCE);
        harness.setup(LineageMessageTypeInfo.Serializer.INSTANCE);
        return harness;
    }

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness();
        harness.open();
        harness.setProcessingTime(0);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void edgesOfConsumedTimesProducedAndReversalTakesItsEdgeBack() throws Exception {
        List<WorkOrderEvent> events =
                List.of(
                        consumed("E1", "WO-1", "LOT-A"),
                        consumed("E2", "WO-1", "LOT-B"),
                        produced("E3", "WO-1", "LOT-P"),
                        reversed("E4", "WO-1", "LOT-B", "E2"),
                        consumed("E1", "WO-1", "LOT-A")); // gateway retry
        for (WorkOrderEvent event : events) {
            harness.processElement1(event, 0);
        }

        List<LineageMessage> output = messages();
        // Same messages as the model on its in-memory store: the Flink store behaves the same.
        assertEquals(modelOutput(events), output);

        Set<String> edges =
                output.stream()
                        .filter(EdgeChange.class::isInstance)
                        .map(EdgeChange.class::cast)
                        .map(
                                e ->
                                        e.target()
                                                + ": "
                                                + e.parent()
                                                + "->"
                                                + e.child()
                                                + (e.added() ? " +" : " -")
                                                + e.via())
                        .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(
                new TreeSet<>(
                        List.of(
                                "lot:LOT-A: lot:LOT-A->lot:LOT-P +WO-1",
                                "lot:LOT-P: lot:LOT-A->lot:LOT-P +WO-1",
                                "lot:LOT-B: lot:LOT-B->lot:LOT-P +WO-1",
                                "lot:LOT-P: lot:LOT-B->lot:LOT-P +WO-1",
                                "lot:LOT-B: lot:LOT-B->lot:LOT-P -WO-1",
                                "lot:LOT-P: lot:LOT-B->lot:LOT-P -WO-1")),
                edges);
        assertTrue(
                output.stream()
                        .anyMatch(
                                m ->
                                        m instanceof LineageMessage.LotFactsUpdate f
                                                && f.target().equals(NodeKey.lot("LOT-P"))),
                "the produced lot's facts go to the lot");

        // State: what the work order remembers, through the same store the function uses.
        FlinkWorkOrderStore store = storeOf("WO-1");
        assertEquals(Set.of("LOT-A"), WorkOrderLinks.activeConsumedLots(store));
        assertTrue(store.isReversed("E2"));
        assertFalse(store.isReversed("E1"));
        assertEquals(List.of("LOT-P"), store.producedLotCodes());
        assertTrue(store.edge("LOT-A", "LOT-P").present());
        assertFalse(store.edge("LOT-B", "LOT-P").present());
        assertEquals("LOT-B", store.consumption("E2").lotCode(), "consumption kept after reversal");
    }

    @Test
    void reversalBeforeItsConsumptionNeverEmitsTheEdge() throws Exception {
        harness.processElement1(produced("E3", "WO-2", "LOT-P"), 0);
        harness.processElement1(reversed("E4", "WO-2", "LOT-B", "E2"), 0);
        harness.processElement1(consumed("E2", "WO-2", "LOT-B"), 0);
        assertTrue(
                messages().stream().noneMatch(EdgeChange.class::isInstance),
                "a reversed consumption must not link its lot: " + messages());
        assertTrue(storeOf("WO-2").isReversed("E2"));
    }

    @Test
    void documentIsCoalescedIntoOneTimerPerKeyAndTheTimerMarkerIsCleared() throws Exception {
        harness.processElement1(consumed("E1", "WO-1", "LOT-A"), 0);
        harness.setProcessingTime(50);
        harness.processElement1(produced("E3", "WO-1", "LOT-P"), 0);
        harness.processElement1(consumed("E9", "WO-2", "LOT-Z"), 0);
        assertEquals(2, harness.numProcessingTimeTimers(), "one pending timer per dirty key");
        assertTrue(documents().isEmpty(), "nothing before the coalescing delay");

        harness.setProcessingTime(COALESCE.toMillis());
        assertEquals(
                List.of("WO-1"),
                documents().stream().map(DocumentUpdate::id).toList(),
                "WO-1 once (two changes), WO-2 not yet (dirty since 50 ms)");
        harness.setProcessingTime(50 + COALESCE.toMillis());
        List<DocumentUpdate> documents = documents();
        assertEquals(2, documents.size(), "one document per work order: " + documents);
        DocumentUpdate wo1 =
                documents.stream().filter(d -> d.id().equals("WO-1")).findFirst().orElseThrow();
        assertEquals(TraceDocuments.WORK_ORDERS, wo1.index());
        assertEquals(
                TraceDocuments.workOrder(
                                "WO-1",
                                modelStore(
                                        List.of(
                                                consumed("E1", "WO-1", "LOT-A"),
                                                produced("E3", "WO-1", "LOT-P"))))
                        .toJson(),
                wo1.json());
        assertEquals(List.of("LOT-P"), LineageCodec.fromJson(wo1.json()).get("producedLotCodes"));

        assertEquals(0, harness.numProcessingTimeTimers());
        assertNull(timerOf("WO-1").value(), "timer marker cleared");
        // An unchanged document (duplicate event) schedules nothing.
        harness.processElement1(consumed("E1", "WO-1", "LOT-A"), 0);
        assertEquals(0, harness.numProcessingTimeTimers());
    }

    @Test
    void stateSurvivesASnapshotAndRestore() throws Exception {
        harness.processElement1(consumed("E1", "WO-1", "LOT-A"), 0);
        var snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        harness.processElement1(produced("E3", "WO-1", "LOT-P"), 0);
        assertTrue(
                messages().stream()
                        .anyMatch(
                                m ->
                                        m instanceof EdgeChange e
                                                && e.parent().equals(NodeKey.lot("LOT-A"))
                                                && e.added()),
                "the restored consumption links to the new output");
    }

    @Test
    void qcChecksNamingTheWorkOrderLandOnItsDocumentOncePerChange() throws Exception {
        harness.processElement1(produced("E1", "WO-1", "LOT-P"), 0);
        harness.processElement2(attachment(qc("QC-1", "LOT-P", "WO-1", true, 1)), 0);
        harness.processElement2(attachment(qc("QC-2", "LOT-P", "WO-1", false, 2)), 0);
        harness.setProcessingTime(COALESCE.toMillis());
        List<DocumentUpdate> docs = documents();
        assertEquals(1, docs.size(), "two checks, one coalesced write");
        var wo1 = LineageCodec.fromJson(docs.get(0).json());
        assertEquals("FAILED", wo1.get("qcStatus"));
        assertEquals(2, ((List<?>) wo1.get("qcChecks")).size());
        assertEquals(2, storeOf("WO-1").qcChecks().byId().size());
        assertTrue(messages().stream().noneMatch(m -> m instanceof LineageMessage.QcCheckUpdate));
        // a re-sent check changes nothing: no timer, no write
        harness.processElement2(attachment(qc("QC-2", "LOT-P", "WO-1", false, 2)), 0);
        assertEquals(0, harness.numProcessingTimeTimers());

        // and the checks survive a restore
        var snapshot = harness.snapshot(2L, 2L);
        harness.close();
        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        harness.setProcessingTime(0);
        harness.processElement2(attachment(qc("QC-3", "LOT-P", "WO-1", true, 3)), 0);
        harness.setProcessingTime(COALESCE.toMillis());
        var after = LineageCodec.fromJson(documents().get(0).json());
        assertEquals(3, ((List<?>) after.get("qcChecks")).size());
        assertEquals("FAILED", after.get("qcStatus"));
    }

    @Test
    void machineRunsReachTheWorkOrderAndEveryLotItProducesBeforeOrAfter() throws Exception {
        var partial = MachineSummarySourceTest.summary();
        var fuller =
                new dev.batchtrace.machine.MachineRunSummary(
                        "WO-1",
                        "M-1",
                        "LINE-1",
                        partial.startedAt(),
                        partial.startedAt().plusSeconds(600),
                        5,
                        4,
                        null,
                        null,
                        null);
        harness.processElement1(produced("E1", "WO-1", "LOT-P"), 0);
        harness.processElement2(new WorkOrderAttachment.MachineRun(partial), 0);
        harness.processElement1(produced("E2", "WO-1", "LOT-Q"), 0); // produced after it
        harness.processElement2(new WorkOrderAttachment.MachineRun(fuller), 0);
        harness.processElement2(new WorkOrderAttachment.MachineRun(partial), 0); // late, smaller
        List<LineageMessage.MachineRunUpdate> runs =
                messages().stream()
                        .filter(m -> m instanceof LineageMessage.MachineRunUpdate)
                        .map(m -> (LineageMessage.MachineRunUpdate) m)
                        .toList();
        assertEquals(
                List.of(
                        new LineageMessage.MachineRunUpdate(NodeKey.lot("LOT-P"), partial),
                        new LineageMessage.MachineRunUpdate(NodeKey.lot("LOT-Q"), partial),
                        new LineageMessage.MachineRunUpdate(NodeKey.lot("LOT-P"), fuller),
                        new LineageMessage.MachineRunUpdate(NodeKey.lot("LOT-Q"), fuller)),
                runs);
        harness.setProcessingTime(COALESCE.toMillis());
        var doc = LineageCodec.fromJson(documents().get(documents().size() - 1).json());
        List<?> machineRuns = (List<?>) doc.get("machineRuns");
        assertEquals(1, machineRuns.size(), "one run per machine");
        assertEquals(5, ((java.util.Map<?, ?>) machineRuns.get(0)).get("eventCount"));
        assertEquals(fuller, storeOf("WO-1").machineRuns().byKey().get(fuller.key()));
    }

    private static WorkOrderAttachment attachment(dev.batchtrace.events.QcResult result) {
        return QcResults.forWorkOrder(result).orElseThrow();
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

    private List<DocumentUpdate> documents() {
        var side = harness.getSideOutput(WorkOrderLinksFunction.DOCUMENTS);
        List<DocumentUpdate> out = new ArrayList<>();
        if (side != null) {
            side.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    private static List<LineageMessage> modelOutput(List<WorkOrderEvent> events) {
        InMemoryWorkOrderStore store = new InMemoryWorkOrderStore();
        List<LineageMessage> out = new ArrayList<>();
        for (WorkOrderEvent event : events) {
            WorkOrderLinks.apply(event, store, out::add);
        }
        return out;
    }

    private static InMemoryWorkOrderStore modelStore(List<WorkOrderEvent> events) {
        InMemoryWorkOrderStore store = new InMemoryWorkOrderStore();
        for (WorkOrderEvent event : events) {
            WorkOrderLinks.apply(event, store, message -> {});
        }
        return store;
    }

    private FlinkWorkOrderStore storeOf(String workOrderId) throws Exception {
        KeyedStateBackend<String> backend = backend();
        backend.setCurrentKey(workOrderId);
        return new FlinkWorkOrderStore(
                value(backend, WorkOrderLinksFunction.FACTS),
                map(backend, WorkOrderLinksFunction.CONSUMPTIONS),
                map(backend, WorkOrderLinksFunction.REVERSED),
                map(backend, WorkOrderLinksFunction.PRODUCED),
                map(backend, WorkOrderLinksFunction.EDGES),
                value(backend, WorkOrderLinksFunction.QC_CHECKS),
                value(backend, WorkOrderLinksFunction.MACHINE_RUNS),
                map(backend, WorkOrderLinksFunction.OUTPUTS),
                map(backend, WorkOrderLinksFunction.REVERSED_OUTPUTS),
                map(backend, WorkOrderLinksFunction.ACTIVE_CONSUMPTIONS),
                map(backend, WorkOrderLinksFunction.ACTIVE_OUTPUTS));
    }

    private ValueState<Long> timerOf(String workOrderId) throws Exception {
        KeyedStateBackend<String> backend = backend();
        backend.setCurrentKey(workOrderId);
        return value(backend, WorkOrderLinksFunction.DOCUMENT_TIMER);
    }

    @SuppressWarnings("unchecked")
    private KeyedStateBackend<String> backend() {
        return (KeyedStateBackend<String>)
                (KeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend();
    }

    static <T> ValueState<T> value(KeyedStateBackend<String> backend, ValueStateDescriptor<T> d)
            throws Exception {
        return backend.getPartitionedState(
                VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, d);
    }

    static <K, V> MapState<K, V> map(KeyedStateBackend<String> backend, MapStateDescriptor<K, V> d)
            throws Exception {
        return backend.getPartitionedState(
                VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, d);
    }
}
