package dev.batchtrace.lineage;

import dev.batchtrace.events.DispatchLine;
import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.LotFlag;
import dev.batchtrace.events.LotFlagAction;
import dev.batchtrace.events.LotFlagSeverity;
import dev.batchtrace.events.QcOutcome;
import dev.batchtrace.events.QcResult;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import java.time.Instant;
import java.util.Arrays;

/** Small event builders for tests; trace-jobs uses them too (test-jar). */
public final class Events {

    public static final Instant T0 = Instant.parse("2026-11-02T06:00:00Z");

    private Events() {}

    public static GoodsReceipt receipt(
            String lot, String supplier, String supplierLot, double qty) {
        return GoodsReceipt.newBuilder()
                .setReceiptId("GR-" + lot)
                .setLotCode(lot)
                .setMaterialCode("MAT-" + lot)
                .setMaterialName("Material " + lot)
                .setSupplierId(supplier)
                .setSupplierName(supplier + " GmbH")
                .setSupplierLotCode(supplierLot)
                .setQuantity(qty)
                .setUnit("kg")
                .setReceivedAt(T0)
                .setSite("PLANT")
                .build();
    }

    public static GoodsReceipt receipt(String lot, String supplier, String supplierLot) {
        return receipt(lot, supplier, supplierLot, 100.0);
    }

    public static WorkOrderEvent consumed(String eventId, String wo, String lot) {
        return wo(eventId, wo, WorkOrderEventType.MATERIAL_CONSUMED, lot, null, 10.0);
    }

    public static WorkOrderEvent reversed(String eventId, String wo, String lot, String reverses) {
        return wo(eventId, wo, WorkOrderEventType.CONSUMPTION_REVERSED, lot, reverses, 10.0);
    }

    public static WorkOrderEvent produced(String eventId, String wo, String lot, double qty) {
        return wo(eventId, wo, WorkOrderEventType.OUTPUT_PRODUCED, lot, null, qty);
    }

    public static WorkOrderEvent produced(String eventId, String wo, String lot) {
        return produced(eventId, wo, lot, 10.0);
    }

    public static WorkOrderEvent wo(
            String eventId,
            String wo,
            WorkOrderEventType type,
            String lot,
            String reverses,
            Double qty) {
        return WorkOrderEvent.newBuilder()
                .setEventId(eventId)
                .setWorkOrderId(wo)
                .setEventType(type)
                .setOccurredAt(T0.plusSeconds(eventId.hashCode() & 0xffff))
                .setProductCode("PROD-" + wo)
                .setProductName("Product of " + wo)
                .setMachineId("M-1")
                .setLineId("LINE-1")
                .setOperatorId("OP-1")
                .setLotCode(lot)
                .setQuantity(lot == null ? null : qty)
                .setUnit(lot == null ? null : "pcs")
                .setReversesEventId(reverses)
                .build();
    }

    public static DispatchNote dispatch(String id, String customer, String... lots) {
        return DispatchNote.newBuilder()
                .setDispatchId(id)
                .setCustomerId(customer)
                .setCustomerName("Customer " + customer)
                .setDestination("Dest")
                .setVehicle("V")
                .setCarrier("C")
                .setRecipient("R")
                .setShippedAt(T0)
                .setLines(
                        Arrays.stream(lots)
                                .map(
                                        l ->
                                                DispatchLine.newBuilder()
                                                        .setLotCode(l)
                                                        .setProductCode("P")
                                                        .setQuantity(5)
                                                        .setUnit("pcs")
                                                        .setSerials(null)
                                                        .build())
                                .toList())
                .build();
    }

    public static DispatchNote dispatchAt(
            String id, String customer, Instant shippedAt, String... lots) {
        DispatchNote n = dispatch(id, customer, lots);
        n.setShippedAt(shippedAt);
        return n;
    }

    public static LotFlag hold(String flagId, String lot, Instant at) {
        return flag(flagId, lot, LotFlagAction.HOLD, at);
    }

    public static LotFlag release(String flagId, String lot, Instant at) {
        return flag(flagId, lot, LotFlagAction.RELEASE, at);
    }

    public static LotFlag flag(String flagId, String lot, LotFlagAction action, Instant at) {
        return LotFlag.newBuilder()
                .setFlagId(flagId)
                .setLotCode(lot)
                .setAction(action)
                .setReason("reason " + flagId)
                .setSeverity(LotFlagSeverity.MAJOR)
                .setFlaggedBy("QA-1")
                .setFlaggedAt(at)
                .setReference(null)
                .build();
    }

    /** A QC check at T0 + {@code minute}; {@code wo} may be null (incoming inspection). */
    public static QcResult qc(String checkId, String lot, String wo, boolean pass, int minute) {
        return QcResult.newBuilder()
                .setCheckId(checkId)
                .setLotCode(lot)
                .setWorkOrderId(wo)
                .setCharacteristic("wall_thickness")
                .setValue(pass ? 2.0 : 2.3)
                .setLowerLimit(1.9)
                .setUpperLimit(2.1)
                .setUnit("mm")
                .setResult(pass ? QcOutcome.PASS : QcOutcome.FAIL)
                .setInspectorId("QA-1")
                .setCheckedAt(T0.plusSeconds(60L * minute))
                .setSampleSize(5)
                .build();
    }
}
