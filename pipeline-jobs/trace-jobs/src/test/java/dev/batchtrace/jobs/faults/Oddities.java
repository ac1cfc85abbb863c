package dev.batchtrace.jobs.faults;

import dev.batchtrace.events.LotFlag;
import dev.batchtrace.events.LotFlagAction;
import dev.batchtrace.events.LotFlagSeverity;
import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.events.MachineEventType;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Events of the sample day's plant that decode and pass the rules but are odd in the domain: they
 * are processed, not dead-lettered, and what they do is documented (README, bad input catalogue).
 */
public final class Oddities {

    static final Instant AT = Instant.parse("2026-11-02T18:00:00Z");

    private Oddities() {}

    static WorkOrderEvent workOrder(
            String id, String eventId, WorkOrderEventType type, int minute) {
        return WorkOrderEvent.newBuilder()
                .setEventId(eventId)
                .setWorkOrderId(id)
                .setEventType(type)
                .setOccurredAt(AT.plusSeconds(60L * minute))
                .setProductCode("HSG-ODD")
                .build();
    }

    static WorkOrderEvent lot(
            String id,
            String eventId,
            WorkOrderEventType type,
            int minute,
            String lot,
            double qty) {
        WorkOrderEvent e = workOrder(id, eventId, type, minute);
        e.setLotCode(lot);
        e.setQuantity(qty);
        e.setUnit("kg");
        return e;
    }

    /** A consumption of a lot that never arrives (no goods receipt, no producing work order). */
    public static List<SpecificRecordBase> consumptionOfALotThatNeverArrives() {
        return List.of(
                workOrder("WO-ODD-1", "WO-ODD-1-E01", WorkOrderEventType.RELEASED, 0),
                lot(
                        "WO-ODD-1",
                        "WO-ODD-1-E02",
                        WorkOrderEventType.MATERIAL_CONSUMED,
                        1,
                        "RM-NEVER-01",
                        5),
                lot(
                        "WO-ODD-1",
                        "WO-ODD-1-E03",
                        WorkOrderEventType.OUTPUT_PRODUCED,
                        2,
                        "SA-ODD-01",
                        100));
    }

    /** A work order consuming its own output: a cycle in the genealogy. */
    public static List<SpecificRecordBase> workOrderConsumingItsOwnOutput() {
        return List.of(
                workOrder("WO-ODD-2", "WO-ODD-2-E01", WorkOrderEventType.RELEASED, 0),
                lot(
                        "WO-ODD-2",
                        "WO-ODD-2-E02",
                        WorkOrderEventType.OUTPUT_PRODUCED,
                        1,
                        "SA-ODD-02",
                        10),
                lot(
                        "WO-ODD-2",
                        "WO-ODD-2-E03",
                        WorkOrderEventType.MATERIAL_CONSUMED,
                        2,
                        "SA-ODD-02",
                        1));
    }

    /** A reversal naming an event that does not exist. */
    public static List<SpecificRecordBase> reversalOfAnEventThatDoesNotExist() {
        WorkOrderEvent e =
                lot(
                        "WO-ODD-3",
                        "WO-ODD-3-E02",
                        WorkOrderEventType.CONSUMPTION_REVERSED,
                        1,
                        "RM-261102-02",
                        5);
        e.setReversesEventId("WO-ODD-3-E99");
        return List.of(workOrder("WO-ODD-3", "WO-ODD-3-E01", WorkOrderEventType.RELEASED, 0), e);
    }

    /** The same eventId twice with different content (a second quantity for one consumption). */
    public static List<SpecificRecordBase> sameEventIdWithDifferentContent() {
        return List.of(
                workOrder("WO-ODD-4", "WO-ODD-4-E01", WorkOrderEventType.RELEASED, 0),
                lot(
                        "WO-ODD-4",
                        "WO-ODD-4-E02",
                        WorkOrderEventType.MATERIAL_CONSUMED,
                        1,
                        "RM-261102-02",
                        5),
                lot(
                        "WO-ODD-4",
                        "WO-ODD-4-E02",
                        WorkOrderEventType.MATERIAL_CONSUMED,
                        1,
                        "RM-261102-02",
                        7),
                lot(
                        "WO-ODD-4",
                        "WO-ODD-4-E03",
                        WorkOrderEventType.OUTPUT_PRODUCED,
                        2,
                        "SA-ODD-04",
                        50));
    }

    static LotFlag flag(String id, String lot, LotFlagAction action) {
        return LotFlag.newBuilder()
                .setFlagId(id)
                .setLotCode(lot)
                .setAction(action)
                .setReason("odd")
                .setSeverity(LotFlagSeverity.MINOR)
                .setFlaggedBy("qa.test")
                .setFlaggedAt(AT.plusSeconds(600))
                .build();
    }

    /** A HOLD on a lot the plant never saw. */
    public static List<SpecificRecordBase> flagForAnUnknownLot() {
        return List.of(flag("FLAG-ODD-1", "RM-UNKNOWN-9", LotFlagAction.HOLD));
    }

    /** A RELEASE of a lot that was never held. */
    public static List<SpecificRecordBase> releaseWithoutHold() {
        return List.of(flag("FLAG-ODD-2", "RM-261102-02", LotFlagAction.RELEASE));
    }

    /** A machine event of a machine no work order runs on. */
    public static List<SpecificRecordBase> machineEventForAnUnknownMachine() {
        return List.of(
                MachineEvent.newBuilder()
                        .setMachineId("IMM-99")
                        .setOccurredAt(AT)
                        .setEventType(MachineEventType.ALARM)
                        .setAlarmCode("A-999")
                        .setEventId("IMM-99-0001")
                        .build());
    }

    public static List<SpecificRecordBase> all() {
        return java.util.stream.Stream.of(
                        consumptionOfALotThatNeverArrives(),
                        workOrderConsumingItsOwnOutput(),
                        reversalOfAnEventThatDoesNotExist(),
                        sameEventIdWithDifferentContent(),
                        flagForAnUnknownLot(),
                        releaseWithoutHold(),
                        machineEventForAnUnknownMachine())
                .flatMap(List::stream)
                .toList();
    }
}
