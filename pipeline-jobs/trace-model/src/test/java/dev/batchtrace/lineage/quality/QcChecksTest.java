package dev.batchtrace.lineage.quality;

import static dev.batchtrace.lineage.Events.produced;
import static dev.batchtrace.lineage.Events.qc;
import static dev.batchtrace.lineage.Events.receipt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.events.QcOutcome;
import dev.batchtrace.events.QcResult;
import dev.batchtrace.lineage.Events;
import dev.batchtrace.lineage.InMemoryLineage;
import dev.batchtrace.lineage.LineageCodec;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.closure.NodeKey;
import dev.batchtrace.lineage.documents.TraceDocument;
import dev.batchtrace.lineage.reference.LineageReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QcChecksTest {

    @Test
    void aResentCheckCountsOnceAndACorrectionWinsInAnyOrder() {
        QcCheck first = QcCheck.of(qc("QC-1", "L1", "WO-1", true, 0));
        QcCheck corrected =
                QcCheck.of(
                        QcResult.newBuilder(qc("QC-1", "L1", "WO-1", true, 0))
                                .setResult(QcOutcome.FAIL)
                                .setCheckedAt(Events.T0.plusSeconds(30))
                                .build());
        QcChecks a = QcChecks.NONE.with(first).with(corrected).with(first);
        QcChecks b = QcChecks.NONE.with(corrected).with(first).with(corrected);
        assertEquals(a, b);
        assertEquals(1, a.byId().size());
        assertEquals(corrected, a.byId().get("QC-1"));
        assertTrue(a.with(first) == a, "a duplicate is no change");
        // same time, other content (bad data): still one deterministic winner
        QcCheck other =
                QcCheck.of(
                        QcResult.newBuilder(qc("QC-1", "L1", "WO-1", true, 0))
                                .setInspectorId("QA-9")
                                .build());
        assertEquals(QcCheck.merge(first, other), QcCheck.merge(other, first));
    }

    @Test
    void statusIsFailedIfAnyFailedPassedIfAllPassedPendingIfNone() {
        QcCheck pass = QcCheck.of(qc("QC-1", "L1", null, true, 0));
        QcCheck fail = QcCheck.of(qc("QC-2", "L1", null, false, 1));
        assertEquals(QcChecks.PASSED, QcChecks.status(List.of(pass), true));
        assertEquals(QcChecks.FAILED, QcChecks.status(List.of(pass, fail), true));
        assertEquals(QcChecks.PENDING, QcChecks.status(List.of(), true));
        assertNull(QcChecks.status(List.of(), false));
    }

    @Test
    void aCheckGoesToItsLotAndToTheWorkOrderItNames() {
        List<LineageMessage> out = new ArrayList<>();
        QcResults.apply(qc("QC-1", "L1", "WO-1", true, 0), out::add);
        assertEquals(
                List.of(
                        new LineageMessage.QcCheckUpdate(
                                NodeKey.lot("L1"), QcCheck.of(qc("QC-1", "L1", "WO-1", true, 0)))),
                out);
        assertEquals(
                "WO-1",
                QcResults.forWorkOrder(qc("QC-1", "L1", "WO-1", true, 0)).get().workOrderId());
        assertTrue(QcResults.forWorkOrder(qc("QC-2", "L1", null, true, 0)).isEmpty());
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        new LineageMessage.QcCheckUpdate(
                                NodeKey.lot("L2"),
                                out.get(0) instanceof LineageMessage.QcCheckUpdate q
                                        ? q.check()
                                        : null));
    }

    @Test
    void documentsCarryChecksSortedAndStatusByKindOfLot() {
        InMemoryLineage lineage = new InMemoryLineage().checkingChangeSignals();
        lineage.accept(receipt("RM-1", "SUP", "S1"));
        lineage.accept(receipt("RM-2", "SUP", "S2"));
        lineage.accept(Events.consumed("E1", "WO-1", "RM-1"));
        lineage.accept(produced("E2", "WO-1", "P-1"));
        lineage.accept(produced("E3", "WO-2", "P-2"));
        lineage.accept(qc("QC-2", "P-1", "WO-1", false, 5));
        lineage.accept(qc("QC-1", "P-1", "WO-1", true, 9));
        lineage.accept(qc("QC-1", "P-1", "WO-1", true, 9));
        lineage.accept(qc("QC-3", "RM-1", null, true, 1));
        lineage.runToQuiescence(10_000);
        Map<String, TraceDocument> docs = lineage.documents();

        Map<String, Object> p1 = docs.get("trace-lots/P-1").source();
        assertEquals("FAILED", p1.get("qcStatus"));
        List<?> checks = (List<?>) p1.get("qcChecks");
        assertEquals(2, checks.size());
        Map<?, ?> firstCheck = (Map<?, ?>) checks.get(0);
        assertEquals("QC-2", firstCheck.get("checkId"), "in time order");
        assertEquals("FAIL", firstCheck.get("result"));
        assertEquals(2.3, firstCheck.get("value"));
        assertEquals(1.9, firstCheck.get("lowerLimit"));
        assertEquals(2.1, firstCheck.get("upperLimit"));
        assertEquals("mm", firstCheck.get("unit"));
        assertEquals("QA-1", firstCheck.get("inspectorId"));
        assertEquals(5, firstCheck.get("sampleSize"));
        assertEquals("2026-11-02T06:05:00Z", firstCheck.get("checkedAt"));
        // produced, not inspected yet: PENDING; purchased: a status only with checks
        assertEquals("PENDING", docs.get("trace-lots/P-2").source().get("qcStatus"));
        assertEquals("PASSED", docs.get("trace-lots/RM-1").source().get("qcStatus"));
        assertFalse(docs.get("trace-lots/RM-2").source().containsKey("qcStatus"));
        assertEquals(List.of(), docs.get("trace-lots/RM-2").source().get("qcChecks"));

        Map<String, Object> wo1 = docs.get("trace-work-orders/WO-1").source();
        assertEquals("FAILED", wo1.get("qcStatus"));
        assertEquals(2, ((List<?>) wo1.get("qcChecks")).size());
        assertEquals("PENDING", docs.get("trace-work-orders/WO-2").source().get("qcStatus"));
        assertEquals(
                LineageReference.documents(
                        List.of(
                                receipt("RM-1", "SUP", "S1"),
                                receipt("RM-2", "SUP", "S2"),
                                Events.consumed("E1", "WO-1", "RM-1"),
                                produced("E2", "WO-1", "P-1"),
                                produced("E3", "WO-2", "P-2"),
                                qc("QC-2", "P-1", "WO-1", false, 5),
                                qc("QC-1", "P-1", "WO-1", true, 9),
                                qc("QC-3", "RM-1", null, true, 1))),
                docs);
    }

    @Test
    void aCheckAloneMakesNoLotDocumentButAWorkOrderDocument() {
        List<Object> events = new ArrayList<>(List.of(qc("QC-1", "LX", "WO-X", false, 0)));
        Map<String, TraceDocument> reference = LineageReference.documents(events);
        assertFalse(reference.containsKey("trace-lots/LX"));
        assertEquals("FAILED", reference.get("trace-work-orders/WO-X").source().get("qcStatus"));
        // once the lot is produced, it shows the check that came first
        events.add(produced("E1", "WO-X", "LX"));
        Collections.shuffle(events, new Random(1));
        InMemoryLineage lineage = new InMemoryLineage().checkingChangeSignals();
        events.forEach(lineage::accept);
        lineage.runToQuiescence(1_000);
        assertEquals(LineageReference.documents(events), lineage.documents());
        assertEquals("FAILED", lineage.documents().get("trace-lots/LX").source().get("qcStatus"));
    }

    @Test
    void anUntaggedCheckReachesTheWorkOrderThatProducedItsLotWhateverComesFirst() {
        List<Object> events =
                new ArrayList<>(
                        List.of(
                                qc("QC-1", "P-1", null, false, 5), // final inspection, untagged
                                qc("QC-1", "P-1", null, false, 5), // retried
                                produced("E1", "WO-1", "P-1"),
                                receipt("RM-1", "SUP", "S1"),
                                qc("QC-2", "RM-1", null, true, 1))); // incoming inspection
        Map<String, TraceDocument> reference = LineageReference.documents(events);
        Map<String, Object> wo1 = reference.get("trace-work-orders/WO-1").source();
        assertEquals("FAILED", wo1.get("qcStatus"));
        assertEquals(1, ((List<?>) wo1.get("qcChecks")).size());
        assertEquals("PASSED", reference.get("trace-lots/RM-1").source().get("qcStatus"));
        for (long seed = 1; seed <= 20; seed++) {
            Collections.shuffle(events, new Random(seed));
            InMemoryLineage lineage = new InMemoryLineage().checkingChangeSignals();
            events.forEach(lineage::accept);
            lineage.runToQuiescence(1_000);
            assertEquals(reference, lineage.documents(), "seed " + seed);
        }
        // the stage itself: the pair is sent once, from whichever side completes it
        InMemoryQcRouteStore store = new InMemoryQcRouteStore();
        List<WorkOrderAttachment> out = new ArrayList<>();
        QcRouting.apply(qc("QC-1", "P-1", null, false, 5), store, out::add);
        assertEquals(List.of(), out, "no producer known yet");
        QcRouting.apply(produced("E1", "WO-1", "P-1"), store, out::add);
        QcRouting.apply(produced("E1", "WO-1", "P-1"), store, out::add);
        QcRouting.apply(qc("QC-1", "P-1", null, false, 5), store, out::add);
        QcRouting.apply(qc("QC-9", "P-1", "WO-7", true, 5), store, out::add); // tagged: not here
        assertEquals(
                List.of(
                        new WorkOrderAttachment.Check(
                                "WO-1", QcCheck.of(qc("QC-1", "P-1", null, false, 5)))),
                out);
    }

    @Test
    void checksSurviveTheCodec() {
        QcCheck check = QcCheck.of(qc("QC-1", "L1", "WO-1", true, 0));
        LineageMessage m = new LineageMessage.QcCheckUpdate(NodeKey.lot("L1"), check);
        assertEquals(m, LineageCodec.decode(LineageCodec.encode(m)));
        QcChecks checks = QcChecks.NONE.with(check);
        assertEquals(
                checks, LineageCodec.decodeValue(LineageCodec.encodeValue(checks), QcChecks.class));
        WorkOrderAttachment a = new WorkOrderAttachment.Check("WO-1", check);
        assertEquals(
                a,
                LineageCodec.decodeValue(LineageCodec.encodeValue(a), WorkOrderAttachment.class));
    }
}
