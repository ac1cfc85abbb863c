package dev.batchtrace.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.connectors.kafka.RecordDecodingException.Reason;
import dev.batchtrace.events.DeadLetter;
import dev.batchtrace.events.DispatchLine;
import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.LotFlag;
import dev.batchtrace.events.LotFlagAction;
import dev.batchtrace.events.LotFlagSeverity;
import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.events.MachineEventType;
import dev.batchtrace.events.QcOutcome;
import dev.batchtrace.events.QcResult;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventRulesTest {

    private static final Instant WRITTEN = Instant.parse("2026-11-24T12:00:00Z");
    private static final Instant WALL_CLOCK = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void goodEventsOfEveryTypePass() {
        for (Object event :
                List.of(
                        Samples.receipt(3),
                        consumption(),
                        dispatch(3),
                        hold(),
                        qc(9.5, 10.0),
                        measurement(1.0, 2.0))) {
            assertDoesNotThrow(() -> check(event), event.toString());
        }
    }

    @Test
    void timestampBefore2000OrMoreThanADayAfterTheRecordIsOutOfRange() {
        GoodsReceipt epoch = Samples.receipt(1);
        epoch.setReceivedAt(Instant.EPOCH);
        assertReason(Reason.TIMESTAMP_OUT_OF_RANGE, epoch, "receivedAt");
        GoodsReceipt future = Samples.receipt(1);
        future.setReceivedAt(Instant.parse("2100-01-01T00:00:00Z"));
        assertReason(Reason.TIMESTAMP_OUT_OF_RANGE, future, "receivedAt");
        // the bound is the record's timestamp plus a day, to the millisecond
        GoodsReceipt edge = Samples.receipt(1);
        edge.setReceivedAt(WRITTEN.plus(EventRules.MAX_AHEAD));
        assertDoesNotThrow(() -> check(edge));
        edge.setReceivedAt(WRITTEN.plus(EventRules.MAX_AHEAD).plusMillis(1));
        assertReason(Reason.TIMESTAMP_OUT_OF_RANGE, edge, "receivedAt");
        // an expiry date lies in the future by nature
        GoodsReceipt expiring = Samples.receipt(1);
        expiring.setExpiresAt(Instant.parse("2031-01-01T00:00:00Z"));
        assertDoesNotThrow(() -> check(expiring));
        expiring.setExpiresAt(Instant.parse("1999-12-31T23:59:59Z"));
        assertReason(Reason.TIMESTAMP_OUT_OF_RANGE, expiring, "expiresAt");
    }

    @Test
    void recordWithoutAPlausibleTimestampIsComparedWithTheClock() {
        GoodsReceipt receipt = Samples.receipt(1);
        receipt.setReceivedAt(WALL_CLOCK.plus(Duration.ofHours(23)));
        assertDoesNotThrow(() -> EventRules.check(receipt, -1, WALL_CLOCK));
        assertDoesNotThrow(() -> EventRules.check(receipt, 1_000L, WALL_CLOCK));
        receipt.setReceivedAt(WALL_CLOCK.plus(Duration.ofHours(25)));
        assertThrows(
                RecordDecodingException.class, () -> EventRules.check(receipt, -1, WALL_CLOCK));
    }

    @Test
    void negativeNanOrInfiniteQuantitiesAreRefused() {
        GoodsReceipt negative = Samples.receipt(1);
        negative.setQuantity(-1.0);
        assertReason(Reason.NEGATIVE_QUANTITY, negative, "quantity");
        GoodsReceipt nan = Samples.receipt(1);
        nan.setQuantity(Double.NaN);
        assertReason(Reason.INVALID_NUMBER, nan, "quantity");
        GoodsReceipt infinite = Samples.receipt(1);
        infinite.setUnitCost(Double.POSITIVE_INFINITY);
        assertReason(Reason.INVALID_NUMBER, infinite, "unitCost");
        WorkOrderEvent consumption = consumption();
        consumption.setQuantity(-50.0);
        assertReason(Reason.NEGATIVE_QUANTITY, consumption, "quantity");
        DispatchNote note = dispatch(2);
        note.getLines().get(1).setQuantity(-3.0);
        assertReason(Reason.NEGATIVE_QUANTITY, note, "lines[1].quantity");
        MachineEvent measurement = measurement(1.0, 2.0);
        measurement.setValue(Double.NaN);
        assertReason(Reason.INVALID_NUMBER, measurement, "value");
        // a quantity of zero is odd but not malformed
        GoodsReceipt zero = Samples.receipt(1);
        zero.setQuantity(0.0);
        assertDoesNotThrow(() -> check(zero));
    }

    @Test
    void blankIdentifiersAndFieldsAnEventTypeNeedsAreMissing() {
        GoodsReceipt empty = Samples.receipt(1);
        empty.setLotCode("");
        assertReason(Reason.MISSING_FIELD, empty, "lotCode");
        LotFlag flag = hold();
        flag.setLotCode("   ");
        assertReason(Reason.MISSING_FIELD, flag, "lotCode");
        DispatchNote note = dispatch(2);
        note.getLines().get(0).setLotCode("");
        assertReason(Reason.MISSING_FIELD, note, "lines[0].lotCode");
        WorkOrderEvent noLot = consumption();
        noLot.setLotCode(null);
        assertReason(Reason.MISSING_FIELD, noLot, "'lotCode' is required for eventType");
        WorkOrderEvent reversal = consumption();
        reversal.setEventType(WorkOrderEventType.CONSUMPTION_REVERSED);
        assertReason(Reason.MISSING_FIELD, reversal, "reversesEventId");
        MachineEvent alarm = measurement(1.0, 2.0);
        alarm.setEventType(MachineEventType.ALARM);
        assertReason(Reason.MISSING_FIELD, alarm, "alarmCode");
        // an optional identifier may be absent
        WorkOrderEvent released = consumption();
        released.setEventType(WorkOrderEventType.RELEASED);
        released.setLotCode(null);
        released.setQuantity(null);
        assertDoesNotThrow(() -> check(released));
    }

    @Test
    void lowerLimitAboveUpperLimitIsReversed() {
        assertReason(Reason.LIMITS_REVERSED, qc(10.5, 9.5), "lowerLimit 10.5");
        assertReason(Reason.LIMITS_REVERSED, measurement(5.0, 1.0), "lowerLimit 5.0");
        assertDoesNotThrow(() -> check(qc(10.0, 10.0)));
        QcResult oneSided = qc(1.0, 2.0);
        oneSided.setUpperLimit(null);
        assertDoesNotThrow(() -> check(oneSided));
    }

    @Test
    void aStringOverTheFieldLimitIsTooLong() {
        GoodsReceipt receipt = Samples.receipt(1);
        receipt.setMaterialName("x".repeat(1_000_000));
        assertReason(Reason.FIELD_TOO_LONG, receipt, "materialName");
        QcResult note = qc(1.0, 2.0);
        note.setNote("n".repeat(EventRules.MAX_STRING_CHARS));
        assertDoesNotThrow(() -> check(note));
        note.setNote("n".repeat(EventRules.MAX_STRING_CHARS + 1));
        assertReason(Reason.FIELD_TOO_LONG, note, "note");
        DispatchNote serial = dispatch(1);
        serial.getLines().get(0).setSerials(List.of("S1", "S".repeat(5000)));
        assertReason(Reason.FIELD_TOO_LONG, serial, "lines[0].serials[1]");
    }

    @Test
    void aDispatchNoteOverTheLineLimitHasTooManyItems() {
        assertDoesNotThrow(() -> check(dispatch(EventRules.MAX_DISPATCH_LINES)));
        assertReason(Reason.TOO_MANY_ITEMS, dispatch(10_000), "10000 items");
    }

    @Test
    void ourOwnRecordsAreNotChecked() {
        DeadLetter letter =
                DeadLetter.newBuilder()
                        .setSourceTopic("t")
                        .setPartition(0)
                        .setOffset(0)
                        .setValue(ByteBuffer.wrap(new byte[0]))
                        .setError("x".repeat(10_000))
                        .setFailedAt(Instant.EPOCH)
                        .build();
        assertDoesNotThrow(() -> check(letter));
    }

    private static void check(Object event) throws RecordDecodingException {
        EventRules.check(event, WRITTEN.toEpochMilli(), WALL_CLOCK);
    }

    private static void assertReason(Reason reason, Object event, String mention) {
        RecordDecodingException e = assertThrows(RecordDecodingException.class, () -> check(event));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.reason().isRecordFault());
        assertTrue(e.getMessage().startsWith(reason + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(mention), e.getMessage());
    }

    static WorkOrderEvent consumption() {
        return WorkOrderEvent.newBuilder()
                .setEventId("WO-1-E03")
                .setWorkOrderId("WO-1")
                .setEventType(WorkOrderEventType.MATERIAL_CONSUMED)
                .setOccurredAt(WRITTEN.minusSeconds(60))
                .setProductCode("HSG-1")
                .setLotCode("RM-1")
                .setQuantity(50.0)
                .setUnit("kg")
                .build();
    }

    static DispatchNote dispatch(int lines) {
        List<DispatchLine> all = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            all.add(
                    DispatchLine.newBuilder()
                            .setLotCode("FG-" + i)
                            .setProductCode("TC-100")
                            .setQuantity(10.0)
                            .setUnit("pcs")
                            .build());
        }
        return DispatchNote.newBuilder()
                .setDispatchId("DN-1")
                .setCustomerId("C-1")
                .setCustomerName("Customer")
                .setDestination("Ulm")
                .setVehicle("UL-1")
                .setCarrier("Carrier")
                .setRecipient("Goods in")
                .setShippedAt(WRITTEN.minusSeconds(60))
                .setLines(all)
                .build();
    }

    static LotFlag hold() {
        return LotFlag.newBuilder()
                .setFlagId("FLAG-1")
                .setLotCode("RM-1")
                .setAction(LotFlagAction.HOLD)
                .setReason("contamination")
                .setSeverity(LotFlagSeverity.values()[0])
                .setFlaggedBy("QA-1")
                .setFlaggedAt(WRITTEN.minusSeconds(60))
                .build();
    }

    static QcResult qc(double lower, double upper) {
        return QcResult.newBuilder()
                .setCheckId("QC-1")
                .setLotCode("FG-1")
                .setCharacteristic("weight")
                .setValue(9.8)
                .setLowerLimit(lower)
                .setUpperLimit(upper)
                .setResult(QcOutcome.PASS)
                .setInspectorId("QA-2")
                .setCheckedAt(WRITTEN.minusSeconds(60))
                .build();
    }

    static MachineEvent measurement(double lower, double upper) {
        return MachineEvent.newBuilder()
                .setMachineId("IMM-01")
                .setOccurredAt(WRITTEN.minusSeconds(60))
                .setEventType(MachineEventType.MEASUREMENT)
                .setParameter("melt_temp")
                .setValue(1.5)
                .setLowerLimit(lower)
                .setUpperLimit(upper)
                .build();
    }
}
