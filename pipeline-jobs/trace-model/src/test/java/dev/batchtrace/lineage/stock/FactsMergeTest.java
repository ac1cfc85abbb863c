package dev.batchtrace.lineage.stock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.lineage.Events;
import dev.batchtrace.lineage.closure.AncestorEntry;
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
    void ofTwoCopiesOfAnAncestorEntryTheHigherRevisionWinsAtTheGivenDepth() {
        AncestorEntry far = new AncestorEntry("RM-1", "MAT", null, null, 3, false, 1, List.of());
        AncestorEntry near = new AncestorEntry("RM-1", null, "SUP-A", "L1", 1, false, 2, null);
        assertEquals(near.withDepth(3), far.newer(near));
        assertEquals(near, near.newer(far));
        assertTrue(far.sameContent(far.withRev(9).withDepth(1)));
        assertFalse(far.sameContent(near));
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

    @Test
    void anEventOnTheSameMachineAndOperatorKeepsTheWorkOrdersSetsAndANewOneJoinsThem() {
        WorkOrderFacts facts =
                WorkOrderFacts.merge(
                        WorkOrderFacts.of(Events.consumed("E1", "WO-1", "RM-1")),
                        WorkOrderFacts.of(Events.produced("E2", "WO-1", "SA-1")));
        WorkOrderFacts again =
                WorkOrderFacts.merge(facts, WorkOrderFacts.of(Events.consumed("E3", "WO-1", "X")));
        assertEquals(facts, again);
        // the stage merges on every event: the same sets, not copies of them (issue 9)
        assertSame(facts.machineIds(), again.machineIds());
        assertSame(facts.operatorIds(), again.operatorIds());
        WorkOrderEvent other = Events.consumed("E4", "WO-1", "RM-2");
        other.setMachineId("M-0");
        WorkOrderFacts joined = WorkOrderFacts.merge(again, WorkOrderFacts.of(other));
        assertEquals(List.of("M-0", "M-1"), List.copyOf(joined.machineIds()));
        assertEquals(joined, WorkOrderFacts.merge(WorkOrderFacts.of(other), again));
        assertEquals(List.of("M-1"), List.copyOf(again.machineIds()), "not changed by the join");
        LotFacts output = LotFacts.fromOutput(Events.produced("E2", "WO-1", "SA-1"));
        LotFacts outputAgain =
                LotFacts.mergeFlat(
                        output, LotFacts.fromOutput(Events.produced("E5", "WO-1", "SA-1")));
        assertSame(output.machineIds(), outputAgain.machineIds());
    }
}
