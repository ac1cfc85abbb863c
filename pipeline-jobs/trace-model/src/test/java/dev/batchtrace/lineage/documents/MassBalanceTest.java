package dev.batchtrace.lineage.documents;

import static dev.batchtrace.lineage.Events.consumed;
import static dev.batchtrace.lineage.Events.dispatch;
import static dev.batchtrace.lineage.Events.receipt;
import static dev.batchtrace.lineage.Events.reversed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.lineage.Events;
import dev.batchtrace.lineage.LineagePropertyTest;
import dev.batchtrace.lineage.reference.LineageReference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code balance} object of trace-lots documents (issue 4's mass balance). */
class MassBalanceTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> balanceOf(Collection<?> events, String lot) {
        TraceDocument doc = LineageReference.documents(events).get("trace-lots/" + lot);
        return (Map<String, Object>) doc.source().get("balance");
    }

    /** A receipt in pcs, the unit the test work orders consume in. */
    private static GoodsReceipt receiptInPieces(String lot, double qty) {
        GoodsReceipt r = receipt(lot, "SUP-1", "S-" + lot, qty);
        r.setUnit("pcs");
        return r;
    }

    @Test
    void consumedPerWorkOrderWithoutReversalsAndTheRemainder() {
        List<Object> events =
                List.of(
                        receiptInPieces("RM-1", 100),
                        consumed("E1", "WO-1", "RM-1"),
                        consumed("E2", "WO-1", "RM-1"),
                        reversed("E3", "WO-1", "RM-1", "E2"),
                        consumed("E4", "WO-2", "RM-1"),
                        consumed("E5", "WO-2", "RM-1"));
        Map<String, Object> b = balanceOf(events, "RM-1");
        assertEquals("pcs", b.get("unit"));
        assertEquals(100.0, b.get("receivedOrProduced"));
        assertEquals(30.0, b.get("consumed"));
        assertEquals(0.0, b.get("shipped"));
        assertEquals(70.0, b.get("remaining"));
        assertEquals(false, b.get("unitMismatch"));
        assertEquals(
                List.of(
                        Map.of("workOrderId", "WO-1", "quantity", 10.0, "unit", "pcs"),
                        Map.of("workOrderId", "WO-2", "quantity", 20.0, "unit", "pcs")),
                b.get("consumedBy"));
        assertFalse(b.containsKey("unaccounted"));
    }

    @Test
    void shippedLinesCountAndOtherUnitsAreFlaggedNotConverted() {
        // the receipt is in kg, the test dispatch lines are in pcs: no conversion is guessed
        List<Object> events = new ArrayList<>();
        events.add(receipt("FG-1", "SUP-1", "S-1", 40));
        events.add(dispatch("DN-1", "C-1", "FG-1"));
        Map<String, Object> b = balanceOf(events, "FG-1");
        assertEquals(true, b.get("unitMismatch"));
        assertNull(b.get("remaining"), "no remainder can be said across units");
        assertEquals(0.0, b.get("shipped"), "only lines in the lot's unit add up");
        assertEquals(
                List.of(Map.of("dispatchId", "DN-1", "quantity", 5.0, "unit", "pcs")),
                b.get("shippedBy"));
        assertEquals(
                List.of(Map.of("unit", "pcs", "consumed", 0.0, "shipped", 5.0)),
                b.get("unaccounted"));

        GoodsReceipt inPieces = receiptInPieces("FG-2", 40);
        Map<String, Object> same =
                balanceOf(List.of(inPieces, dispatch("DN-2", "C-1", "FG-2", "FG-2")), "FG-2");
        assertEquals(10.0, same.get("shipped"), "two lines of one note add up");
        assertEquals(30.0, same.get("remaining"));
    }

    @Test
    void aLotKnownOnlyFromConsumptionsHasNoReceivedQuantityAndIsNotAccountable() {
        WorkOrderEvent c = consumed("E1", "WO-1", "RM-UNKNOWN");
        // its edge to the output gives it a document
        Map<String, Object> b =
                balanceOf(List.of(c, Events.produced("E2", "WO-1", "FG-1")), "RM-UNKNOWN");
        assertFalse(b.containsKey("receivedOrProduced"));
        assertFalse(b.containsKey("remaining"));
        assertEquals(true, b.get("unitMismatch"), "the lot's own unit is unknown");
    }

    /**
     * Who, where, when (issue 5): a produced lot carries its work order's run window, also when the
     * machine sent nothing during the run (WO-26-1004 on IMM-02: no machine run summary).
     */
    @Test
    void aProducedLotShowsItsWorkOrdersStartAndEnd() throws IOException {
        List<Object> events = LineagePropertyTest.sampleDayEvents();
        Map<String, Object> lot =
                LineageReference.documents(events).get("trace-lots/SA-261102-04").source();
        assertEquals("WO-26-1004", lot.get("workOrderId"));
        assertEquals("2026-11-02T10:45:00Z", lot.get("workOrderStartedAt"));
        assertEquals("2026-11-02T12:32:00Z", lot.get("workOrderCompletedAt"));
        assertEquals(List.of("IMM-02"), lot.get("machineIds"));
        assertEquals(List.of(), lot.get("machineRuns"), "its PLC sent nothing during the run");
        Map<String, Object> purchased =
                LineageReference.documents(events).get("trace-lots/RM-261102-01").source();
        assertFalse(purchased.containsKey("workOrderStartedAt"));
    }

    @Test
    void theSampleDaysHeldResinLot() throws IOException {
        // deploy/sample-data: RM-261102-01 received 1000 kg; WO-26-1001 60 kg, WO-26-1002 40 kg,
        // WO-26-1003's 50 kg reversed; nothing shipped directly
        List<Object> events = LineagePropertyTest.sampleDayEvents();
        // the README's table: received or produced / consumed / shipped / left
        Map<String, List<Double>> readme =
                Map.of(
                        "RM-261102-06", List.of(500.0, 500.0, 0.0, 0.0),
                        "RM-261102-07", List.of(20000.0, 3600.0, 0.0, 16400.0),
                        "SA-261102-01", List.of(1200.0, 600.0, 0.0, 600.0),
                        "SA-261102-04", List.of(800.0, 500.0, 0.0, 300.0),
                        "FG-261102-01", List.of(400.0, 0.0, 400.0, 0.0),
                        "FG-261102-02", List.of(300.0, 0.0, 300.0, 0.0));
        readme.forEach(
                (lot, numbers) -> {
                    Map<String, Object> balance = balanceOf(events, lot);
                    assertEquals(
                            numbers,
                            List.of(
                                    balance.get("receivedOrProduced"),
                                    balance.get("consumed"),
                                    balance.get("shipped"),
                                    balance.get("remaining")),
                            lot);
                });
        Map<String, Object> b = balanceOf(events, "RM-261102-01");
        assertEquals(1000.0, b.get("receivedOrProduced"));
        assertEquals(100.0, b.get("consumed"));
        assertEquals(900.0, b.get("remaining"));
        assertEquals(
                List.of(
                        Map.of("workOrderId", "WO-26-1001", "quantity", 60.0, "unit", "kg"),
                        Map.of("workOrderId", "WO-26-1002", "quantity", 40.0, "unit", "kg")),
                b.get("consumedBy"));
    }
}
