package dev.batchtrace.jobs.machine;

import static dev.batchtrace.machine.MachineEvents.at;
import static dev.batchtrace.machine.MachineEvents.completed;
import static dev.batchtrace.machine.MachineEvents.started;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import dev.batchtrace.machine.MachineEvents;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class WorkOrderMachinesFunctionTest {

    private static KeyedOneInputStreamOperatorTestHarness<String, WorkOrderEvent, RunBoundary>
            harness() throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new WorkOrderMachinesFunction(Duration.ofSeconds(60))),
                        WorkOrderEvent::getWorkOrderId,
                        Types.STRING);
        h.open();
        return h;
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, WorkOrderEvent, RunBoundary> h,
            WorkOrderEvent e)
            throws Exception {
        h.processElement(new StreamRecord<>(e, e.getOccurredAt().toEpochMilli()));
    }

    @Test
    void aCompletedWithoutMachineReachesEveryMachineTheOrderStartedOnBeforeOrAfterIt()
            throws Exception {
        try (var h = harness()) {
            send(h, started("WO-1", "M-1", at(0)));
            send(h, completed("WO-1", null, at(100)));
            send(h, started("WO-1", "M-2", at(10))); // arrives after the COMPLETED
            send(h, MachineEvents.boundary("WO-1", WorkOrderEventType.RELEASED, null, at(0)));
            assertEquals(
                    List.of(
                            new RunBoundary("WO-1", "M-1", "LINE-1", true, at(0).toEpochMilli()),
                            new RunBoundary("WO-1", "M-1", null, false, at(100).toEpochMilli()),
                            new RunBoundary("WO-1", "M-2", "LINE-1", true, at(10).toEpochMilli()),
                            new RunBoundary("WO-1", "M-2", null, false, at(100).toEpochMilli())),
                    h.extractOutputValues());
        }
    }

    @Test
    void stateIsClearedAfterTheCompletedPlusTheAllowedLateness() throws Exception {
        try (var h = harness()) {
            send(h, started("WO-1", "M-1", at(0)));
            send(h, completed("WO-1", null, at(100)));
            h.processWatermark(new Watermark(at(159).toEpochMilli()));
            assertEquals(2, h.numKeyedStateEntries());
            h.processWatermark(new Watermark(at(160).toEpochMilli()));
            assertEquals(0, h.numKeyedStateEntries());
        }
    }
}
