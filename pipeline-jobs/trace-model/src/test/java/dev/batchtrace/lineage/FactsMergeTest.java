package dev.batchtrace.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class FactsMergeTest {

    @Test
    void partialOutputsAddUpAndRetriesCountOnce() {
        LotFacts first = LotFacts.fromOutput(Events.produced("E1", "WO-1", "SA-1", 100));
        LotFacts second = LotFacts.fromOutput(Events.produced("E2", "WO-1", "SA-1", 50));
        LotFacts merged = LotFacts.merge(LotFacts.merge(first, second), first);
        assertEquals(150.0, merged.quantity());
        assertEquals(merged, LotFacts.merge(second, LotFacts.merge(first, first)));
    }

    @Test
    void aValueBeatsNullAndTheLargerValueWinsWhateverTheOrder() {
        LotFacts receipt = LotFacts.fromReceipt(Events.receipt("RM-1", "SUP-A", "L1", 10));
        LotFacts other = LotFacts.fromReceipt(Events.receipt("RM-1", "SUP-B", "L0", 10));
        assertEquals(LotFacts.merge(receipt, other), LotFacts.merge(other, receipt));
        assertEquals("SUP-B", LotFacts.merge(receipt, other).supplierId());
        assertEquals("L1", LotFacts.merge(receipt, other).supplierLotCode());
        // same receiptId twice: counted once
        assertEquals(10.0, LotFacts.merge(receipt, other).quantity());
        assertNull(LotFacts.merge(null, null));
    }

    @Test
    void ancestorEntriesTakeTheShortestPathsFieldsAndMergeTiesFieldWise() {
        // the far entry may be an old value still circling in a cycle (issue 10): it loses whole
        AncestorEntry far = new AncestorEntry("RM-1", "MAT", null, null, 3);
        AncestorEntry near = new AncestorEntry("RM-1", null, "SUP-A", "L1", 1);
        assertEquals(near, far.merge(near));
        assertEquals(far.merge(near), near.merge(far));
        AncestorEntry tie = new AncestorEntry("RM-1", "MAT", null, null, 1);
        assertEquals(new AncestorEntry("RM-1", "MAT", "SUP-A", "L1", 1), tie.merge(near));
        assertEquals(tie.merge(near), near.merge(tie));
        assertEquals("SUP-A/L1", near.supplierLot());
        assertNull(far.supplierLot());
    }

    @Test
    void workOrderTimesTakeFirstStartAndLastCompletion() {
        var started1 =
                WorkOrderFacts.of(
                        Events.wo(
                                "E1",
                                "WO-1",
                                dev.batchtrace.events.WorkOrderEventType.STARTED,
                                null,
                                null,
                                null));
        var started2 =
                WorkOrderFacts.of(
                        Events.wo(
                                "E2",
                                "WO-1",
                                dev.batchtrace.events.WorkOrderEventType.STARTED,
                                null,
                                null,
                                null));
        var merged = WorkOrderFacts.merge(started1, started2);
        assertEquals(
                List.of(started1.startedAt(), started2.startedAt()).stream()
                        .min(java.util.Comparator.naturalOrder())
                        .orElseThrow(),
                merged.startedAt());
        assertEquals(merged, WorkOrderFacts.merge(started2, started1));
    }
}
