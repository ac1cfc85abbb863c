package dev.batchtrace.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

class MachineShiftGeneratorTest {

    private static final MachineShiftGenerator.Options SHIFT =
            new MachineShiftGenerator.Options(4, Duration.ofHours(8), 10);

    @Test
    void sameSeedSameShift() {
        assertEquals(
                MachineShiftGenerator.generate(3, SHIFT), MachineShiftGenerator.generate(3, SHIFT));
    }

    @Test
    void aShiftHasTheRateBackToBackRunsGapsAndEventsOnTheBoundaries() {
        List<SpecificRecordBase> events = MachineShiftGenerator.generate(11, SHIFT);
        long machineEvents = events.stream().filter(e -> e instanceof MachineEvent).count();
        double expected = 10.0 * 8 * 3600;
        assertTrue(
                Math.abs(machineEvents - expected) < expected * 0.05, "events: " + machineEvents);

        Map<Instant, Integer> boundaryKinds = new HashMap<>();
        Set<Instant> machineTimes = new HashSet<>();
        int completedWithoutMachine = 0;
        for (SpecificRecordBase e : events) {
            if (e instanceof WorkOrderEvent w) {
                boundaryKinds.merge(
                        w.getOccurredAt(),
                        w.getEventType() == WorkOrderEventType.STARTED ? 1 : 2,
                        Integer::sum);
                if (w.getEventType() == WorkOrderEventType.COMPLETED && w.getMachineId() == null) {
                    completedWithoutMachine++;
                }
            } else {
                machineTimes.add(((MachineEvent) e).getOccurredAt());
            }
        }
        // 3 = a STARTED and a COMPLETED at one instant: back to back
        assertTrue(boundaryKinds.containsValue(3), "no back-to-back runs");
        assertTrue(completedWithoutMachine > 0);
        assertTrue(boundaryKinds.keySet().stream().anyMatch(machineTimes::contains));

        List<MachineRunSummary> summaries = MachineReference.summaries(events);
        assertTrue(summaries.stream().anyMatch(MachineRunSummary::isIdle), "no idle gaps");
        assertTrue(summaries.stream().filter(s -> !s.isIdle()).count() > 20);
        long counted = summaries.stream().mapToLong(MachineRunSummary::eventCount).sum();
        assertEquals(machineEvents, counted);
        assertTrue(
                summaries.stream()
                        .anyMatch(
                                s ->
                                        s.measurements().values().stream()
                                                .anyMatch(m -> m.outsideLimits() > 0)));
    }

    @Test
    void arrivalOrderKeepsEventsWithinTheDelay() {
        List<SpecificRecordBase> events = MachineShiftGenerator.generate(5, SHIFT);
        List<SpecificRecordBase> arrived =
                MachineShiftGenerator.arrivalOrder(events, Duration.ofSeconds(30), new Random(1));
        assertEquals(events.size(), arrived.size());
        Instant highest = Instant.MIN;
        boolean outOfOrder = false;
        for (SpecificRecordBase e : arrived) {
            Instant t = MachineShiftGenerator.occurredAt(e);
            outOfOrder |= t.isBefore(highest);
            assertTrue(!t.plusSeconds(30).isBefore(highest), "more than 30 s behind: " + e);
            highest = t.isAfter(highest) ? t : highest;
        }
        assertTrue(outOfOrder);
        assertEquals(MachineReference.summaries(events), MachineReference.summaries(arrived));
    }
}
