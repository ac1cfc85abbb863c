package dev.batchtrace.lineage.stock;

import static dev.batchtrace.lineage.Events.consumed;
import static dev.batchtrace.lineage.Events.dispatch;
import static dev.batchtrace.lineage.Events.hold;
import static dev.batchtrace.lineage.Events.produced;
import static dev.batchtrace.lineage.Events.receipt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.DispatchStatus;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import dev.batchtrace.lineage.DocumentDiff;
import dev.batchtrace.lineage.Events;
import dev.batchtrace.lineage.FactoryHistoryGenerator;
import dev.batchtrace.lineage.InMemoryLineage;
import dev.batchtrace.lineage.documents.TraceDocument;
import dev.batchtrace.lineage.reference.LineageReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: corrections move the answer. Each scenario is checked in the reference and in the
 * incremental pipeline, in file order and in shuffled orders with duplicates (corrections before
 * what they correct included).
 */
class CorrectionsTest {

    @Test
    void correctedReceiptReplacesTheEarlierOneWholeEverywhereDownstream() {
        GoodsReceipt original = receipt("RM-1", "SUP-A", "L-TYPO", 100);
        GoodsReceipt fixed =
                GoodsReceipt.newBuilder(original)
                        .setRevision(1)
                        .setSupplierLotCode("L-RIGHT")
                        .setQuantity(80)
                        .build();
        // an older correction that arrives last must not win on value order ("L-ZZZ" > "L-RIGHT")
        GoodsReceipt stale = GoodsReceipt.newBuilder(original).setSupplierLotCode("L-ZZZ").build();
        List<Object> events =
                List.of(
                        original,
                        stale,
                        fixed,
                        consumed("C1", "WO-1", "RM-1"),
                        produced("P1", "WO-1", "SA-1"),
                        consumed("C2", "WO-2", "SA-1"),
                        produced("P2", "WO-2", "FG-1"),
                        dispatch("DN-1", "C-1", "FG-1"));

        Map<String, TraceDocument> docs = converged(events);

        Map<String, Object> rm1 = docs.get("trace-lots/RM-1").source();
        assertEquals("L-RIGHT", rm1.get("supplierLotCode"));
        assertEquals(80.0, rm1.get("quantity"));
        Map<String, Object> dn1 = docs.get("trace-shipments/DN-1").source();
        assertEquals(List.of("SUP-A/L-RIGHT"), dn1.get("ancestorSupplierLots"));
        assertEquals(
                List.of("L-RIGHT"),
                docs.get("trace-lots/FG-1").source().get("ancestorSupplierLotCodes"));
    }

    @Test
    void aCorrectedLotCodeMovesTheReceiptToTheRightLotAndBackAgain() {
        GoodsReceipt typo = receipt("RM-1X", "SUP-A", "L-1", 100);
        GoodsReceipt fixed =
                GoodsReceipt.newBuilder(typo).setRevision(1).setLotCode("RM-1").build();
        List<Object> events =
                List.of(
                        typo,
                        fixed,
                        consumed("C1", "WO-1", "RM-1"),
                        produced("P1", "WO-1", "FG-1"),
                        dispatch("DN-1", "C-1", "FG-1"));

        Map<String, TraceDocument> docs = converged(events);

        // the wrongly typed lot is gone (no facts, no edges), the right one has the receipt
        TraceDocument typoLot = docs.get("trace-lots/RM-1X");
        assertTrue(typoLot == null || typoLot.source() == null, String.valueOf(typoLot));
        assertEquals("L-1", docs.get("trace-lots/RM-1").source().get("supplierLotCode"));
        // the FSMA receiving reference follows the receipt
        assertEquals(
                List.of(typo.getReceiptId()),
                docs.get("trace-lots/RM-1").source().get("receiptIds"));
        assertEquals(
                List.of("SUP-A/L-1"),
                docs.get("trace-shipments/DN-1").source().get("ancestorSupplierLots"));

        // a later revision naming the first lot again moves the receipt back
        GoodsReceipt back = GoodsReceipt.newBuilder(typo).setRevision(2).build();
        List<Object> again = new java.util.ArrayList<>(events);
        again.add(back);
        Map<String, TraceDocument> moved = converged(again);
        assertEquals("L-1", moved.get("trace-lots/RM-1X").source().get("supplierLotCode"));
        assertNull(moved.get("trace-lots/RM-1").source().get("supplierLotCode"));
        assertNull(moved.get("trace-lots/RM-1").source().get("receiptIds"));
        assertEquals(
                List.of(typo.getReceiptId()),
                moved.get("trace-lots/RM-1X").source().get("receiptIds"));
    }

    @Test
    void twoReceiptsOfOneLotDoNotMixSupplierAndSupplierLot() {
        GoodsReceipt first = receipt("RM-1", "SUP-A", "L-1", 10);
        GoodsReceipt second =
                GoodsReceipt.newBuilder(receipt("RM-1", "SUP-B", "L-0", 5))
                        .setReceiptId("GR-RM-1-B")
                        .setReceivedAt(Events.T0.plusSeconds(3600))
                        .build();

        Map<String, Object> rm1 = converged(List.of(first, second)).get("trace-lots/RM-1").source();

        // the earliest receipt's identity, both quantities
        assertEquals("SUP-A", rm1.get("supplierId"));
        assertEquals("L-1", rm1.get("supplierLotCode"));
        assertEquals(15.0, rm1.get("quantity"));
        assertEquals(List.of(first.getReceiptId(), "GR-RM-1-B"), rm1.get("receiptIds"));
    }

    @Test
    void cancelledDispatchLeavesEveryAnswerAndResolvesItsAlerts() {
        DispatchNote note = dispatch("DN-1", "C-1", "FG-1", "FG-2");
        DispatchNote cancelled =
                DispatchNote.newBuilder(note)
                        .setRevision(1)
                        .setStatus(DispatchStatus.CANCELLED)
                        .build();
        List<Object> shipped =
                List.of(
                        receipt("RM-1", "SUP-A", "L-1"),
                        consumed("C1", "WO-1", "RM-1"),
                        produced("P1", "WO-1", "FG-1"),
                        produced("P2", "WO-1", "FG-2"),
                        note,
                        hold("H1", "RM-1", Events.T0.minusSeconds(60)));
        LineageReference.Result before = LineageReference.withHolds(shipped);
        assertTrue(before.documents().containsKey("trace-shipments/DN-1"));
        assertTrue(before.alerts().values().stream().anyMatch(a -> "DN-1".equals(a.dispatchId())));

        List<Object> events = new ArrayList<>(shipped);
        events.add(cancelled);
        LineageReference.Result after = converged(events, true);

        assertFalse(after.documents().containsKey("trace-shipments/DN-1"));
        Map<String, Object> fg1 = after.documents().get("trace-lots/FG-1").source();
        assertEquals(List.of(), fg1.get("shipmentIds"));
        assertEquals(List.of(), fg1.get("customerIds"));
        assertTrue(after.alerts().values().stream().noneMatch(a -> "DN-1".equals(a.dispatchId())));
        // what was shipped is stock again: the stock alert counts it
        assertTrue(
                after.alerts().values().stream()
                        .anyMatch(a -> "FG-1".equals(a.lotCode()) && a.dispatchId() == null));
    }

    @Test
    void correctedDispatchMovesItsLinesAndCustomer() {
        DispatchNote note = dispatch("DN-1", "C-1", "FG-1");
        DispatchNote corrected =
                DispatchNote.newBuilder(dispatch("DN-1", "C-2", "FG-2")).setRevision(1).build();
        List<Object> events =
                List.of(
                        produced("P1", "WO-1", "FG-1"),
                        produced("P2", "WO-1", "FG-2"),
                        note,
                        corrected);

        Map<String, TraceDocument> docs = converged(events);

        Map<String, Object> dn1 = docs.get("trace-shipments/DN-1").source();
        assertEquals(List.of("FG-2"), dn1.get("lotCodes"));
        assertEquals("C-2", dn1.get("customerId"));
        assertEquals(List.of(), docs.get("trace-lots/FG-1").source().get("shipmentIds"));
        assertEquals(List.of("C-2"), docs.get("trace-lots/FG-2").source().get("customerIds"));
        @SuppressWarnings("unchecked")
        Map<String, Object> balance =
                (Map<String, Object>) docs.get("trace-lots/FG-1").source().get("balance");
        assertEquals(0.0, balance.get("shipped"));
    }

    @Test
    void reversedOutputLeavesTheWorkOrderAndItsLotWithoutFactsOrEdges() {
        WorkOrderEvent wrong = produced("P1", "WO-1", "FG-TYPO");
        WorkOrderEvent reversal =
                WorkOrderEvent.newBuilder(
                                Events.wo(
                                        "X1",
                                        "WO-1",
                                        WorkOrderEventType.OUTPUT_REVERSED,
                                        "FG-TYPO",
                                        "P1",
                                        10.0))
                        .build();
        List<Object> events =
                List.of(
                        receipt("RM-1", "SUP-A", "L-1"),
                        consumed("C1", "WO-1", "RM-1"),
                        wrong,
                        reversal,
                        produced("P2", "WO-1", "FG-1"));

        Map<String, TraceDocument> docs = converged(events);

        assertNull(docs.get("trace-lots/FG-TYPO"));
        Map<String, Object> wo1 = docs.get("trace-work-orders/WO-1").source();
        assertEquals(List.of("FG-1"), wo1.get("producedLotCodes"));
        assertTrue(
                docs.keySet().stream().noneMatch(k -> k.contains("FG-TYPO")),
                docs.keySet()::toString);
        assertEquals(List.of("RM-1"), docs.get("trace-lots/FG-1").source().get("inputLotCodes"));
    }

    @Test
    void reversedOutputOfALotConsumedLaterKeepsTheLotButNotItsFacts() {
        WorkOrderEvent reversal =
                Events.wo("X1", "WO-1", WorkOrderEventType.OUTPUT_REVERSED, "SA-1", "P1", 10.0);
        List<Object> events =
                List.of(
                        receipt("RM-1", "SUP-A", "L-1"),
                        consumed("C1", "WO-1", "RM-1"),
                        produced("P1", "WO-1", "SA-1"),
                        reversal,
                        consumed("C2", "WO-2", "SA-1"),
                        produced("P3", "WO-2", "FG-1"));

        Map<String, TraceDocument> docs = converged(events);

        Map<String, Object> sa1 = docs.get("trace-lots/SA-1").source();
        assertNull(sa1.get("kind"));
        assertNull(sa1.get("workOrderId"));
        assertEquals(List.of(), sa1.get("inputLotCodes"));
        assertEquals(List.of("SA-1"), docs.get("trace-lots/FG-1").source().get("ancestorLotCodes"));
    }

    private static Map<String, TraceDocument> converged(List<Object> events) {
        return converged(events, false).documents();
    }

    /**
     * The reference's answer, after checking that the incremental pipeline reaches it in file order
     * and in 30 shuffled orders with duplicates.
     */
    private static LineageReference.Result converged(List<Object> events, boolean holds) {
        LineageReference.Result expected =
                holds
                        ? LineageReference.withHolds(events)
                        : new LineageReference.Result(LineageReference.documents(events), Map.of());
        for (int seed = 0; seed <= 30; seed++) {
            Random r = new Random(seed);
            List<Object> arrivals = new ArrayList<>(events);
            if (seed > 0) {
                arrivals = FactoryHistoryGenerator.shuffleWithDuplicates(events, r, 0.3);
                Collections.shuffle(arrivals, r);
            }
            InMemoryLineage lineage =
                    seed == 0 ? new InMemoryLineage() : new InMemoryLineage(r, 0.1, 0.1);
            arrivals.forEach(lineage::accept);
            lineage.runToQuiescence(1_000_000);
            Map<String, TraceDocument> actual = lineage.documents();
            String diff = DocumentDiff.first(expected.documents(), actual);
            assertNull(diff, "order " + seed + ": " + diff);
            if (holds) {
                assertEquals(expected.alerts(), lineage.openAlerts(), "order " + seed);
            }
        }
        return expected;
    }
}
