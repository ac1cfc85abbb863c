package dev.batchtrace.lineage.machine;

import static dev.batchtrace.lineage.Events.consumed;
import static dev.batchtrace.lineage.Events.produced;
import static dev.batchtrace.lineage.Events.receipt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.events.MachineEventType;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import dev.batchtrace.lineage.Events;
import dev.batchtrace.lineage.InMemoryLineage;
import dev.batchtrace.lineage.LineageCodec;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.closure.NodeKey;
import dev.batchtrace.lineage.documents.TraceDocument;
import dev.batchtrace.lineage.quality.WorkOrderAttachment;
import dev.batchtrace.lineage.reference.LineageReference;
import dev.batchtrace.lineage.stock.InMemoryWorkOrderStore;
import dev.batchtrace.lineage.stock.WorkOrderAttachments;
import dev.batchtrace.lineage.stock.WorkOrderLinks;
import dev.batchtrace.machine.MachineReference;
import dev.batchtrace.machine.MachineRunSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MachineRunsTest {

    static final Instant T0 = Events.T0;

    static WorkOrderEvent boundary(String wo, WorkOrderEventType type, String machine, int minute) {
        return WorkOrderEvent.newBuilder(Events.wo(wo + "-" + type, wo, type, null, null, null))
                .setMachineId(machine)
                .setOccurredAt(T0.plusSeconds(60L * minute))
                .build();
    }

    static MachineEvent alarm(String machine, String code, int minute) {
        return MachineEvent.newBuilder()
                .setMachineId(machine)
                .setOccurredAt(T0.plusSeconds(60L * minute))
                .setEventType(MachineEventType.ALARM)
                .setAlarmCode(code)
                .setSeverity("FAULT")
                .build();
    }

    static MachineEvent cycle(String machine, int minute) {
        return MachineEvent.newBuilder()
                .setMachineId(machine)
                .setOccurredAt(T0.plusSeconds(60L * minute))
                .setEventType(MachineEventType.CYCLE)
                .build();
    }

    /** WO-1 on M-1 from minute 0 to 30 (alarm A-1 at 10), producing LOT-P; idle events later. */
    static List<Object> history() {
        return new ArrayList<>(
                List.of(
                        receipt("RM-1", "SUP", "S1"),
                        boundary("WO-1", WorkOrderEventType.STARTED, "M-1", 0),
                        consumed("E1", "WO-1", "RM-1"),
                        cycle("M-1", 5),
                        alarm("M-1", "A-1", 10),
                        cycle("M-1", 12),
                        produced("E2", "WO-1", "LOT-P"),
                        boundary("WO-1", WorkOrderEventType.COMPLETED, "M-1", 30),
                        alarm("M-1", "A-9", 45))); // idle: on no document
    }

    @Test
    void aRunReachesTheWorkOrderAndItsLotsWhateverComesFirst() {
        List<Object> history = history();
        Map<String, TraceDocument> expected = LineageReference.documents(history);
        List<?> woRuns =
                (List<?>) expected.get("trace-work-orders/WO-1").source().get("machineRuns");
        assertEquals(1, woRuns.size());
        Map<?, ?> run = (Map<?, ?>) woRuns.get(0);
        assertEquals("M-1", run.get("machineId"));
        assertEquals("WO-1", run.get("workOrderId"));
        assertEquals(3L, run.get("eventCount"));
        assertEquals(2L, run.get("cycles"));
        assertEquals("A-1", ((Map<?, ?>) ((List<?>) run.get("alarms")).get(0)).get("code"));
        assertEquals(
                woRuns, expected.get("trace-lots/LOT-P").source().get("machineRuns"), "same run");
        assertEquals(List.of(), expected.get("trace-lots/RM-1").source().get("machineRuns"));

        // the lineage gets summaries (a partial one, the final one, an idle one), not events
        List<MachineRunSummary> all = MachineReference.summaries(history);
        assertTrue(all.stream().anyMatch(s -> s.workOrderId() == null), "an idle bucket too");
        MachineRunSummary partial =
                MachineReference.summaries(history.subList(0, 5)).stream()
                        .filter(s -> s.workOrderId() != null)
                        .findFirst()
                        .orElseThrow();
        List<Object> inputs = new ArrayList<>(history);
        inputs.addAll(all);
        inputs.add(partial);
        for (long seed = 1; seed <= 30; seed++) {
            Collections.shuffle(inputs, new Random(seed));
            InMemoryLineage lineage = new InMemoryLineage().checkingChangeSignals();
            inputs.forEach(lineage::accept);
            lineage.runToQuiescence(10_000);
            assertEquals(expected, lineage.documents(), "seed " + seed);
        }
    }

    @Test
    void aLotProducedAfterTheSummaryStillGetsIt() {
        List<Object> history = history();
        MachineRunSummary run = runOf(history);
        InMemoryWorkOrderStore store = new InMemoryWorkOrderStore();
        List<LineageMessage> out = new ArrayList<>();
        assertTrue(
                WorkOrderAttachments.apply(
                        WorkOrderAttachments.of(run).orElseThrow(), store, out::add));
        assertEquals(List.of(), out, "no lot produced yet");
        WorkOrderLinks.apply(produced("E2", "WO-1", "LOT-P"), store, out::add);
        assertTrue(
                out.contains(new LineageMessage.MachineRunUpdate(NodeKey.lot("LOT-P"), run)),
                out.toString());
        // a re-sent summary changes nothing and sends nothing
        out.clear();
        assertEquals(
                false,
                WorkOrderAttachments.apply(
                        WorkOrderAttachments.of(run).orElseThrow(), store, out::add));
        assertEquals(List.of(), out);
    }

    static MachineRunSummary runOf(List<Object> history) {
        return MachineReference.summaries(history).stream()
                .filter(s -> s.workOrderId() != null)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void idleSummariesAreNotTheLineages() {
        MachineRunSummary idle =
                MachineReference.summaries(List.of(alarm("M-1", "A-9", 45))).get(0);
        assertTrue(WorkOrderAttachments.of(idle).isEmpty());
        assertThrows(
                IllegalArgumentException.class, () -> new WorkOrderAttachment.MachineRun(idle));
        InMemoryLineage lineage = new InMemoryLineage();
        lineage.accept(idle);
        assertEquals(Map.of(), lineage.documents());
    }

    @Test
    void runsSurviveTheCodec() {
        MachineRunSummary run = runOf(history());
        LineageMessage m = new LineageMessage.MachineRunUpdate(NodeKey.lot("LOT-P"), run);
        assertEquals(m, LineageCodec.decode(LineageCodec.encode(m)));
        WorkOrderAttachment a = WorkOrderAttachments.of(run).orElseThrow();
        assertEquals(
                a,
                LineageCodec.decodeValue(LineageCodec.encodeValue(a), WorkOrderAttachment.class));
        MachineRunSummaries runs = MachineRunSummaries.NONE.with(run);
        assertEquals(
                runs,
                LineageCodec.decodeValue(
                        LineageCodec.encodeValue(runs), MachineRunSummaries.class));
    }
}
