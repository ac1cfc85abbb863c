package dev.batchtrace.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.batchtrace.events.DispatchLine;
import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HistoryGraphTest {
    static final Instant T = Instant.parse("2026-01-05T06:00:00Z");

    static GoodsReceipt receipt(String lot, String supplier, String supplierLot) {
        return GoodsReceipt.newBuilder()
                .setReceiptId("GR-" + lot)
                .setLotCode(lot)
                .setMaterialCode("M")
                .setMaterialName("M")
                .setSupplierId(supplier)
                .setSupplierName(supplier)
                .setSupplierLotCode(supplierLot)
                .setQuantity(1)
                .setUnit("kg")
                .setReceivedAt(T)
                .setSite("S")
                .build();
    }

    static WorkOrderEvent wo(
            String id, String eventId, WorkOrderEventType type, String lot, String reverses) {
        return WorkOrderEvent.newBuilder()
                .setEventId(eventId)
                .setWorkOrderId(id)
                .setEventType(type)
                .setOccurredAt(T)
                .setProductCode("P")
                .setLotCode(lot)
                .setQuantity(lot == null ? null : 1.0)
                .setUnit(lot == null ? null : "pcs")
                .setReversesEventId(reverses)
                .build();
    }

    static DispatchNote dispatch(String id, String customer, String... lots) {
        return DispatchNote.newBuilder()
                .setDispatchId(id)
                .setCustomerId(customer)
                .setCustomerName(customer)
                .setDestination("D")
                .setVehicle("V")
                .setCarrier("C")
                .setRecipient("R")
                .setShippedAt(T)
                .setLines(
                        java.util.Arrays.stream(lots)
                                .map(
                                        l ->
                                                DispatchLine.newBuilder()
                                                        .setLotCode(l)
                                                        .setProductCode("P")
                                                        .setQuantity(1)
                                                        .setUnit("pcs")
                                                        .build())
                                .toList())
                .build();
    }

    /** A1, A2 (same supplier lot as A1 from another supplier) -> B (A2 reversed) -> C -> DN-1. */
    static List<Object> history() {
        return List.of(
                receipt("A1", "SUP-1", "X"),
                receipt("A2", "SUP-2", "X"),
                wo("WO-1", "e1", WorkOrderEventType.MATERIAL_CONSUMED, "A1", null),
                wo("WO-1", "e2", WorkOrderEventType.MATERIAL_CONSUMED, "A2", null),
                wo("WO-1", "e3", WorkOrderEventType.CONSUMPTION_REVERSED, "A2", "e2"),
                wo("WO-1", "e4", WorkOrderEventType.OUTPUT_PRODUCED, "B", null),
                wo("WO-2", "e5", WorkOrderEventType.MATERIAL_CONSUMED, "B", null),
                wo("WO-2", "e6", WorkOrderEventType.OUTPUT_PRODUCED, "C", null),
                // bad data: C consumed into B again closes a cycle; the walks still end
                wo("WO-3", "e7", WorkOrderEventType.MATERIAL_CONSUMED, "C", null),
                wo("WO-3", "e8", WorkOrderEventType.OUTPUT_PRODUCED, "B", null),
                dispatch("DN-1", "CUST-1", "C"),
                dispatch("DN-2", "CUST-2", "A2"));
    }

    @Test
    void edgesLeaveOutReversedConsumptions() {
        HistoryGraph graph = HistoryGraph.of(history());
        assertEquals(Set.of("A1", "B"), graph.ancestors("C"));
        // the cycle: C is upstream of B and B of C; a lot is never its own ancestor
        assertEquals(Set.of("A1", "C"), graph.ancestors("B"));
        assertEquals(Set.of("B", "C"), graph.descendants("A1"));
        assertEquals(Set.of(), graph.descendants("A2"));
        assertEquals(Set.of("A1", "B", "C"), graph.shipmentAncestors("DN-1"));
    }

    @Test
    void supplierLotsAreTheSupplierAndItsCode() {
        HistoryGraph graph = HistoryGraph.of(history());
        assertEquals(
                Set.of("DN-1"),
                graph.shipmentsOfSupplierLot(new HistoryGraph.SupplierLot("SUP-1", "X")));
        assertEquals(
                Set.of("DN-2"),
                graph.shipmentsOfSupplierLot(new HistoryGraph.SupplierLot("SUP-2", "X")));
        assertEquals(Set.of("WO-1", "WO-2", "WO-3"), graph.workOrders());
        assertEquals(3, graph.edges().size()); // A1->B, B->C, C->B, and no A2->B
    }
}
