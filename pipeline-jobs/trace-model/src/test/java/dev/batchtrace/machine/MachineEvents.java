package dev.batchtrace.machine;

import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.events.MachineEventType;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import java.time.Instant;

/** Small machine and work-order event builders for tests; trace-jobs uses them too (test-jar). */
public final class MachineEvents {

    public static final Instant T0 = Instant.parse("2026-11-02T06:00:00Z");

    private MachineEvents() {}

    /** {@code T0} plus seconds. */
    public static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    public static WorkOrderEvent started(String wo, String machine, Instant at) {
        return boundary(wo, WorkOrderEventType.STARTED, machine, at);
    }

    public static WorkOrderEvent completed(String wo, String machine, Instant at) {
        return boundary(wo, WorkOrderEventType.COMPLETED, machine, at);
    }

    public static WorkOrderEvent boundary(
            String wo, WorkOrderEventType type, String machine, Instant at) {
        return WorkOrderEvent.newBuilder()
                .setEventId(wo + "-" + type + "-" + at.toEpochMilli())
                .setWorkOrderId(wo)
                .setEventType(type)
                .setOccurredAt(at)
                .setProductCode("PROD-" + wo)
                .setMachineId(machine)
                .setLineId("LINE-1")
                .setOperatorId("OP-1")
                .build();
    }

    public static MachineEvent state(String machine, Instant at, String state) {
        return base(machine, at, MachineEventType.STATE).setState(state).build();
    }

    public static MachineEvent alarm(String machine, Instant at, String code, String severity) {
        return base(machine, at, MachineEventType.ALARM)
                .setAlarmCode(code)
                .setSeverity(severity)
                .build();
    }

    public static MachineEvent measurement(
            String machine,
            Instant at,
            String parameter,
            double value,
            Double lower,
            Double upper) {
        return base(machine, at, MachineEventType.MEASUREMENT)
                .setParameter(parameter)
                .setValue(value)
                .setUnit("degC")
                .setLowerLimit(lower)
                .setUpperLimit(upper)
                .build();
    }

    public static MachineEvent cycle(String machine, Instant at) {
        return base(machine, at, MachineEventType.CYCLE).build();
    }

    private static MachineEvent.Builder base(String machine, Instant at, MachineEventType type) {
        return MachineEvent.newBuilder()
                .setMachineId(machine)
                .setOccurredAt(at)
                .setEventType(type)
                .setLineId("LINE-1");
    }
}
