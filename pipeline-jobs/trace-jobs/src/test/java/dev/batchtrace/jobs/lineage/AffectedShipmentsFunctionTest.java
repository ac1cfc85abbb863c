package dev.batchtrace.jobs.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.lineage.holds.HoldEntry;
import dev.batchtrace.lineage.holds.LotEntryHolds;
import dev.batchtrace.lineage.holds.ShipmentHoldChange;
import dev.batchtrace.lineage.holds.ShipmentReachChange;
import java.time.Instant;
import java.util.List;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The affected-shipments index, keyed by lot, in Flink's keyed two-input harness. */
class AffectedShipmentsFunctionTest {

    static final HoldEntry FLAG_1 = hold("FLAG-1", "RM-1");
    static final HoldEntry FLAG_2 = hold("FLAG-2", "RM-1");

    private KeyedTwoInputStreamOperatorTestHarness<
                    String, ShipmentReachChange, LotEntryHolds, ShipmentHoldChange>
            harness;
    private int seen;

    @BeforeEach
    void setUp() throws Exception {
        harness = ShipmentAlertStages.indexHarness();
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void aHoldNamesEveryShipmentReachingTheLotOnceWithAllItsShippedLots() throws Exception {
        reach("RM-1", "DN-1", "FG-1", true);
        reach("RM-1", "DN-1", "FG-2", true);
        reach("RM-1", "DN-2", "FG-3", true);
        reach("RM-9", "DN-3", "FG-9", true); // another lot: not affected
        assertTrue(sent().isEmpty(), "no hold, nothing to tell");

        entry("RM-1", FLAG_1);
        assertEquals(
                List.of(
                        new ShipmentHoldChange(
                                "DN-1", "RM-1", FLAG_1, List.of("FG-1", "FG-2"), true),
                        new ShipmentHoldChange("DN-2", "RM-1", FLAG_1, List.of("FG-3"), true)),
                sent());
        assertEquals(List.of(FLAG_1), entryHolds("RM-1").holds());

        entry("RM-1", FLAG_1); // the same holds again: nothing
        assertTrue(sent().isEmpty());

        entry("RM-1", FLAG_1, FLAG_2); // a second hold: only it is news
        assertEquals(
                List.of(
                        new ShipmentHoldChange(
                                "DN-1", "RM-1", FLAG_2, List.of("FG-1", "FG-2"), true),
                        new ShipmentHoldChange("DN-2", "RM-1", FLAG_2, List.of("FG-3"), true)),
                sent());

        entry("RM-1"); // released: both lifted, the lot keeps no holds
        List<ShipmentHoldChange> lifted = sent();
        assertEquals(4, lifted.size(), lifted.toString());
        assertTrue(lifted.stream().noneMatch(ShipmentHoldChange::present), lifted.toString());
        assertNull(entryHolds("RM-1"), "no holds, no state");
    }

    @Test
    void aShipmentThatComesToReachAHeldLotHearsItsHoldsAndLosesThemWhenItNoLongerDoes()
            throws Exception {
        entry("RM-1", FLAG_1);
        assertTrue(sent().isEmpty(), "nobody reaches the lot yet");

        reach("RM-1", "DN-1", "FG-1", true);
        assertEquals(
                List.of(new ShipmentHoldChange("DN-1", "RM-1", FLAG_1, List.of("FG-1"), true)),
                sent());
        reach("RM-1", "DN-1", "FG-1", true); // a duplicate: nothing
        assertTrue(sent().isEmpty());

        reach("RM-1", "DN-1", "FG-1", false); // the consumption was reversed
        assertEquals(
                List.of(new ShipmentHoldChange("DN-1", "RM-1", FLAG_1, List.of("FG-1"), false)),
                sent());
        entry("RM-1"); // released: no shipment reaches the lot any more, nothing to lift
        assertTrue(sent().isEmpty());
    }

    static HoldEntry hold(String flagId, String lot) {
        return new HoldEntry(
                flagId,
                lot,
                "reason " + flagId,
                "HIGH",
                "qa",
                Instant.parse("2026-11-01T08:00:00Z"),
                null,
                List.of(lot));
    }

    private void reach(String lot, String dispatchId, String shipped, boolean present)
            throws Exception {
        harness.processElement1(
                new StreamRecord<>(new ShipmentReachChange(lot, dispatchId, shipped, present), 0));
    }

    private void entry(String lot, HoldEntry... holds) throws Exception {
        harness.processElement2(new StreamRecord<>(new LotEntryHolds(lot, List.of(holds)), 0));
    }

    /** What the index sent since the last call. */
    private List<ShipmentHoldChange> sent() {
        List<ShipmentHoldChange> out = ShipmentAlertStages.records(harness, seen);
        seen += out.size();
        return out;
    }

    private LotEntryHolds entryHolds(String lot) throws Exception {
        @SuppressWarnings("unchecked")
        KeyedStateBackend<String> backend =
                (KeyedStateBackend<String>)
                        (KeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(lot);
        return FlinkState.value(
                WorkOrderLinksFunctionTest.value(backend, AffectedShipmentsFunction.ENTRY_HOLDS),
                LotEntryHolds.class);
    }
}
