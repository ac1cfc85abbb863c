package dev.batchtrace.machine;

import static dev.batchtrace.machine.MachineEvents.alarm;
import static dev.batchtrace.machine.MachineEvents.at;
import static dev.batchtrace.machine.MachineEvents.completed;
import static dev.batchtrace.machine.MachineEvents.cycle;
import static dev.batchtrace.machine.MachineEvents.measurement;
import static dev.batchtrace.machine.MachineEvents.started;
import static dev.batchtrace.machine.MachineEvents.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MachineReferenceTest {

    private static Map<String, MachineRunSummary> byKey(List<?> events) {
        return MachineReference.summaries(events).stream()
                .collect(Collectors.toMap(MachineRunSummary::key, Function.identity()));
    }

    @Test
    void eventsBeforeDuringAndAfterARunGoToIdleRunIdle() {
        Map<String, MachineRunSummary> s =
                byKey(
                        List.of(
                                started("WO-1", "M-1", at(600)),
                                completed("WO-1", "M-1", at(1200)),
                                cycle("M-1", at(599)),
                                cycle("M-1", at(600)), // STARTED is inclusive
                                cycle("M-1", at(1199)),
                                cycle("M-1", at(1200)))); // COMPLETED is exclusive
        assertEquals(2, s.size());
        MachineRunSummary run = s.get("wo:WO-1|M-1");
        assertEquals(2, run.eventCount());
        assertEquals(2, run.cycles());
        assertEquals(at(600), run.startedAt());
        assertEquals(at(1200), run.completedAt());
        assertEquals("LINE-1", run.lineId());
        MachineRunSummary idle = s.get("idle:M-1|2026-11-02T06:00:00Z");
        assertNull(idle.workOrderId());
        assertEquals(2, idle.eventCount());
        assertEquals(Instant.parse("2026-11-02T07:00:00Z"), idle.completedAt());
    }

    @Test
    void backToBackRunsSplitAtTheHandover() {
        Map<String, MachineRunSummary> s =
                byKey(
                        List.of(
                                started("WO-1", "M-1", at(0)),
                                completed("WO-1", "M-1", at(100)),
                                started("WO-2", "M-1", at(100)),
                                cycle("M-1", at(99)),
                                cycle("M-1", at(100)),
                                cycle("M-1", at(150))));
        assertEquals(1, s.get("wo:WO-1|M-1").eventCount());
        assertEquals(2, s.get("wo:WO-2|M-1").eventCount());
        assertNull(s.get("wo:WO-2|M-1").completedAt());
    }

    @Test
    void completedWithoutMachineClosesTheStartedRunAndOtherMachinesAreSeparate() {
        Map<String, MachineRunSummary> s =
                byKey(
                        List.of(
                                started("WO-1", "M-1", at(0)),
                                completed("WO-1", null, at(100)),
                                cycle("M-1", at(50)),
                                cycle("M-1", at(150)),
                                cycle("M-2", at(50))));
        assertEquals(at(100), s.get("wo:WO-1|M-1").completedAt());
        assertEquals(1, s.get("wo:WO-1|M-1").eventCount());
        assertEquals(1, s.get("idle:M-1|2026-11-02T06:00:00Z").eventCount());
        assertEquals(1, s.get("idle:M-2|2026-11-02T06:00:00Z").eventCount());
    }

    @Test
    void aStartedTakesTheMachineOverFromARunThatNeverCompleted() {
        Map<String, MachineRunSummary> s =
                byKey(
                        List.of(
                                started("WO-1", "M-1", at(0)),
                                started("WO-2", "M-1", at(100)),
                                completed("WO-2", "M-1", at(200)),
                                cycle("M-1", at(50)),
                                cycle("M-1", at(150)),
                                cycle("M-1", at(250))));
        assertEquals(1, s.get("wo:WO-1|M-1").eventCount());
        assertEquals(1, s.get("wo:WO-2|M-1").eventCount());
        assertEquals(1, s.get("idle:M-1|2026-11-02T06:00:00Z").eventCount());
    }

    @Test
    void summarisesAlarmsMeasurementsAndStateTime() {
        MachineRunSummary run =
                byKey(
                                List.of(
                                        started("WO-1", "M-1", at(0)),
                                        completed("WO-1", "M-1", at(100)),
                                        state("M-1", at(10), "SETUP"),
                                        state("M-1", at(30), "RUNNING"),
                                        state("M-1", at(60), "DOWN"),
                                        state("M-1", at(70), "RUNNING"),
                                        alarm("M-1", at(60), "A-7", "WARNING"),
                                        alarm("M-1", at(65), "A-7", "FAULT"),
                                        alarm("M-1", at(66), "A-7", "warning"),
                                        measurement("M-1", at(20), "temp", 200.0, 190.0, 210.0),
                                        measurement("M-1", at(40), "temp", 215.0, 190.0, 210.0),
                                        measurement("M-1", at(50), "temp", 185.0, 190.0, 210.0)))
                        .get("wo:WO-1|M-1");
        assertEquals(
                Map.of("SETUP", 20_000L, "RUNNING", 60_000L, "DOWN", 10_000L), run.stateMillis());
        AlarmSummary a = run.alarms().get("A-7");
        assertEquals(new AlarmSummary(3, at(60), at(66), "FAULT"), a);
        MeasurementSummary m = run.measurements().get("temp");
        assertEquals(3, m.count());
        assertEquals(185.0, m.min());
        assertEquals(215.0, m.max());
        assertEquals(200.0, m.mean());
        assertEquals(2, m.outsideLimits());
        assertEquals(190.0, m.lowerLimit());
        assertEquals(10, run.eventCount());
    }

    @Test
    void aRunningRunDoesNotCountItsLastStateYet() {
        MachineRunSummary run =
                byKey(
                                List.of(
                                        started("WO-1", "M-1", at(0)),
                                        state("M-1", at(10), "RUNNING"),
                                        state("M-1", at(30), "DOWN")))
                        .get("wo:WO-1|M-1");
        assertEquals(Map.of("RUNNING", 20_000L), run.stateMillis());
    }

    @Test
    void idleBucketsAreHourlyAndAlignedToUtc() {
        Instant late = Instant.parse("2026-11-02T08:59:59.999Z");
        Map<String, MachineRunSummary> s =
                byKey(List.of(cycle("M-1", at(0)), cycle("M-1", late), state("M-1", late, "IDLE")));
        MachineRunSummary bucket = s.get("idle:M-1|2026-11-02T08:00:00Z");
        assertEquals(2, bucket.eventCount());
        assertEquals(Map.of("IDLE", 1L), bucket.stateMillis());
        assertEquals(2, s.size());
    }

    @Test
    void orderAndDuplicatesOfBoundariesDoNotMatter() {
        List<Object> events = new ArrayList<>();
        events.add(started("WO-1", "M-1", at(0)));
        events.add(started("WO-1", "M-1", at(0)));
        events.add(completed("WO-1", "M-1", at(500)));
        events.add(completed("WO-1", "M-1", at(500)));
        for (int i = 0; i < 100; i++) {
            events.add(cycle("M-1", at(i * 7)));
        }
        List<MachineRunSummary> expected = MachineReference.summaries(events);
        Collections.shuffle(events, new Random(7));
        assertEquals(expected, MachineReference.summaries(events));
        assertEquals(72, byKey(events).get("wo:WO-1|M-1").eventCount());
    }
}
