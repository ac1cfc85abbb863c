package dev.batchtrace.jobs.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.DispatchStatus;
import dev.batchtrace.lineage.Events;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.closure.LineageMessage.EdgeChange;
import dev.batchtrace.lineage.closure.LineageMessage.LotUsageUpdate;
import dev.batchtrace.lineage.closure.LineageMessage.ShipmentFactsUpdate;
import dev.batchtrace.lineage.closure.NodeKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DispatchNoteFunctionTest {

    private KeyedOneInputStreamOperatorTestHarness<String, DispatchNote, LineageMessage> harness;

    private static KeyedOneInputStreamOperatorTestHarness<String, DispatchNote, LineageMessage>
            newHarness() throws Exception {
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new DispatchNoteFunction()),
                        DispatchNote::getDispatchId,
                        Utf8StringTypeInfo.INSTANCE);
        harness.setup(LineageMessageTypeInfo.Serializer.INSTANCE);
        return harness;
    }

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void noteSendsFactsEdgesAndLinesOnceAndARetrySendsNothing() throws Exception {
        DispatchNote note = Events.dispatch("DN-1", "C-1", "FG-1", "FG-2");
        harness.processElement(note, 0);
        List<LineageMessage> first = messages();
        // facts, per lot the edge to both ends and its lines
        assertEquals(1 + 2 * 3, first.size(), first.toString());
        assertTrue(first.get(0) instanceof ShipmentFactsUpdate);

        harness.processElement(note, 0);
        assertEquals(first, messages());
    }

    @Test
    void cancellationAfterARestoreTakesBackEveryLineAndAStaleRevisionChangesNothing()
            throws Exception {
        DispatchNote note = Events.dispatch("DN-1", "C-1", "FG-1", "FG-2");
        harness.processElement(note, 0);
        var snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        harness.processElement(
                DispatchNote.newBuilder(note)
                        .setRevision(1)
                        .setStatus(DispatchStatus.CANCELLED)
                        .build(),
                0);
        List<LineageMessage> cancelled = messages();
        List<String> removed = new ArrayList<>();
        for (LineageMessage m : cancelled) {
            if (m instanceof EdgeChange e && e.target().equals(e.child())) {
                assertEquals(2, e.seq());
                assertTrue(!e.added(), e.toString());
                removed.add(e.parent().code());
            }
            if (m instanceof LotUsageUpdate u) {
                assertEquals(List.of(), u.usage().shipped().get("DN-1"));
                assertEquals(2L, u.usage().shippedSeqs().get("DN-1"));
            }
        }
        assertEquals(List.of("FG-1", "FG-2"), removed);
        assertTrue(
                ((ShipmentFactsUpdate) cancelled.get(0)).facts().cancelled(),
                cancelled.get(0).toString());
        assertEquals(NodeKey.shipment("DN-1"), cancelled.get(0).target());

        // the original again (a late retry): revision 0 loses, nothing is sent
        harness.processElement(note, 0);
        assertEquals(cancelled, messages());
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
}
