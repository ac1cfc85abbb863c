package dev.batchtrace.machine;

import static dev.batchtrace.machine.MachineEvents.alarm;
import static dev.batchtrace.machine.MachineEvents.at;
import static dev.batchtrace.machine.MachineEvents.cycle;
import static dev.batchtrace.machine.MachineEvents.measurement;
import static dev.batchtrace.machine.MachineEvents.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MachineRunSummaryTest {

    private static MachineRunSummary run(boolean completed, int cycles) {
        MachineActivity activity = new MachineActivity();
        for (int i = 0; i < cycles; i++) {
            activity.add(cycle("M-1", at(i)));
        }
        activity.add(state("M-1", at(1), "RUNNING"));
        activity.add(alarm("M-1", at(2), "A-1", "FAULT"));
        activity.add(measurement("M-1", at(3), "temp", 200.0, 190.0, null));
        return activity.toRunSummary("WO-1", "M-1", "L-1", at(0), completed ? at(100) : null);
    }

    @Test
    void keysNameTheRunOrTheIdleBucket() {
        assertEquals("wo:WO-1|M-1", run(false, 1).key());
        MachineRunSummary idle = new MachineActivity().toIdleSummary("M-1", at(0), at(3600));
        assertEquals("idle:M-1|2026-11-02T06:00:00Z", idle.key());
    }

    @Test
    void mergeKeepsTheSummaryThatCoversMoreWhateverTheOrder() {
        MachineRunSummary small = run(false, 1);
        MachineRunSummary big = run(false, 5);
        MachineRunSummary bigDone = run(true, 5);
        assertSame(big, MachineRunSummary.merge(small, big));
        assertSame(big, MachineRunSummary.merge(big, small));
        assertSame(bigDone, MachineRunSummary.merge(big, bigDone));
        assertSame(bigDone, MachineRunSummary.merge(bigDone, big));
        assertEquals(big, MachineRunSummary.merge(big, run(false, 5)));
        assertSame(small, MachineRunSummary.merge(null, small));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        MachineRunSummary.merge(
                                small,
                                new MachineActivity().toIdleSummary("M-1", at(0), at(3600))));
    }

    @Test
    void encodeDecodeRoundTrips() {
        MachineRunSummary s = run(true, 3);
        assertEquals(s, MachineRunSummary.decode(s.encode()));
        MachineRunSummary running = run(false, 0);
        assertEquals(running, MachineRunSummary.decode(running.encode()));
        assertFalse(new String(running.encode()).contains("completedAt"));
    }

    @Test
    void documentHasTheContractFields() {
        Map<String, Object> d = run(true, 2).toDocument();
        assertEquals("M-1", d.get("machineId"));
        assertEquals("L-1", d.get("lineId"));
        assertEquals("2026-11-02T06:00:00Z", d.get("startedAt"));
        assertEquals("2026-11-02T06:01:40Z", d.get("completedAt"));
        assertEquals(5L, d.get("eventCount"));
        assertEquals(2L, d.get("cycles"));
        assertEquals(
                List.of(
                        Map.of(
                                "code", "A-1",
                                "count", 1L,
                                "firstAt", "2026-11-02T06:00:02Z",
                                "lastAt", "2026-11-02T06:00:02Z",
                                "highestSeverity", "FAULT")),
                d.get("alarms"));
        assertEquals(
                List.of(
                        Map.of(
                                "parameter",
                                "temp",
                                "unit",
                                "degC",
                                "count",
                                1L,
                                "min",
                                200.0,
                                "max",
                                200.0,
                                "mean",
                                200.0,
                                "lowerLimit",
                                190.0,
                                "outsideLimits",
                                0L)),
                d.get("measurements"));
        assertEquals(List.of(Map.of("state", "RUNNING", "millis", 99_000L)), d.get("states"));
        assertFalse(run(false, 1).toDocument().containsKey("completedAt"));
    }

    @Test
    void severityRanksKnownWordsAboveUnknownOnes() {
        assertEquals("FAULT", AlarmSummary.higherSeverity("WARNING", "FAULT"));
        assertEquals("warning", AlarmSummary.higherSeverity("warning", "VENDOR-9"));
        assertEquals("Z", AlarmSummary.higherSeverity("A", "Z"));
    }
}
