package dev.batchtrace.jobs.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.machine.MachineReference;
import dev.batchtrace.machine.MachineShiftGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

/**
 * Many generated shifts, delivered out of order: machine events up to the allowed lateness late
 * (many behind the watermark), work-order events up to the work-order grace late, and gateway
 * retries (the same eventId again) of some machine events, most of them after their original's
 * timer. Whatever the order, the final summaries (merged per key, as a consumer keeps them) equal
 * the batch reference, which counts a retry once.
 */
class MachineAttributionPropertyTest {

    private static final Duration LATENESS = Duration.ofMinutes(2);
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(5);
    private static final Duration GRACE = Duration.ofSeconds(30);

    @Test
    void shuffledShiftsConvergeToTheReference() throws Exception {
        long lateTotal = 0;
        long copiesTotal = 0;
        for (long seed = 1; seed <= 10; seed++) {
            Random random = new Random(seed);
            List<SpecificRecordBase> shift =
                    MachineShiftGenerator.generate(
                            seed,
                            new MachineShiftGenerator.Options(
                                    1 + random.nextInt(4), Duration.ofHours(3), 4));
            List<SpecificRecordBase> machineEvents = new ArrayList<>();
            List<SpecificRecordBase> workOrders = new ArrayList<>();
            for (SpecificRecordBase e : shift) {
                (e instanceof MachineEvent ? machineEvents : workOrders).add(e);
            }
            // a gateway buffering up to the allowed lateness; the MES up to the grace
            List<Object> arrivals = new ArrayList<>();
            arrivals.addAll(withArrival(machineEvents, LATENESS, random));
            arrivals.addAll(withArrival(workOrders, GRACE, random));
            List<Arrival> copies = retries(machineEvents, random);
            arrivals.addAll(copies);
            List<Object> withCopies = new ArrayList<>(shift);
            copies.forEach(c -> withCopies.add(c.event()));
            arrivals.sort(java.util.Comparator.comparingLong(a -> ((Arrival) a).at()));

            try (AttributionHarness h =
                    new AttributionHarness(LATENESS, GRACE, Duration.ofSeconds(30), null)) {
                long highest = Long.MIN_VALUE;
                int n = 0;
                for (Object a : arrivals) {
                    Arrival arrival = (Arrival) a;
                    h.send(arrival.event());
                    highest =
                            Math.max(
                                    highest,
                                    MachineShiftGenerator.occurredAt(arrival.event())
                                            .toEpochMilli());
                    if (++n % 20 == 0) {
                        h.watermark(highest - OUT_OF_ORDERNESS.toMillis() - 1);
                    }
                }
                h.watermark(Long.MAX_VALUE);
                assertEquals(
                        AttributionHarness.byKey(MachineReference.summaries(withCopies)),
                        h.merged(),
                        "seed " + seed);
                assertTrue(h.tooLate().isEmpty(), "seed " + seed);
                assertEquals(0, h.function.lateBoundaryCount(), "seed " + seed);
                assertEquals(copies.size(), h.function.duplicateEventCount(), "seed " + seed);
                lateTotal += h.function.lateEventCount();
                copiesTotal += copies.size();
            }
        }
        assertTrue(lateTotal > 1000, "the late path was exercised: " + lateTotal);
        assertTrue(copiesTotal > 100, "retries were delivered: " + copiesTotal);
    }

    /**
     * Everything waits, then one watermark passes hours of ticks at once (a work-order input that
     * starts late holds the watermark back): the ring of waiting items wraps many times, and every
     * timer must still apply only its own ticks' items after their boundaries.
     */
    @Test
    void oneWatermarkOverHoursOfWaitingItemsConvergesToTheReference() throws Exception {
        for (long seed = 1; seed <= 5; seed++) {
            Random random = new Random(seed);
            List<SpecificRecordBase> shift =
                    MachineShiftGenerator.generate(
                            seed,
                            new MachineShiftGenerator.Options(
                                    1 + random.nextInt(3), Duration.ofHours(3), 4));
            List<Object> shuffled = new ArrayList<>(shift);
            List<SpecificRecordBase> machineEvents = new ArrayList<>();
            for (SpecificRecordBase e : shift) {
                if (e instanceof MachineEvent) {
                    machineEvents.add(e);
                }
            }
            List<Arrival> copies = retries(machineEvents, random);
            copies.forEach(c -> shuffled.add(c.event()));
            java.util.Collections.shuffle(shuffled, random);
            try (AttributionHarness h =
                    new AttributionHarness(LATENESS, GRACE, Duration.ofSeconds(30), null)) {
                h.sendAll(shuffled);
                h.watermark(Long.MAX_VALUE);
                assertEquals(
                        AttributionHarness.byKey(MachineReference.summaries(shuffled)),
                        h.merged(),
                        "seed " + seed);
                assertEquals(copies.size(), h.function.duplicateEventCount(), "seed " + seed);
            }
        }
    }

    private record Arrival(long at, Object event) {}

    /**
     * Gateway retries of about 3 % of the machine events: a copy (same eventId and content)
     * delivered 75 to 115 s after the event's time, so mostly after the original's timer has
     * applied it (the watermark trails the arrivals by about 10 s; the grace is 30 s and the timer
     * grid 30 s), and never later than the allowed lateness (2 min).
     */
    private static List<Arrival> retries(List<SpecificRecordBase> machineEvents, Random random) {
        List<Arrival> out = new ArrayList<>();
        for (SpecificRecordBase e : machineEvents) {
            if (random.nextInt(100) < 3) {
                MachineEvent copy = MachineEvent.newBuilder((MachineEvent) e).build();
                long delay = 75_000 + (long) (random.nextDouble() * 40_000);
                out.add(new Arrival(copy.getOccurredAt().toEpochMilli() + delay, copy));
            }
        }
        return out;
    }

    private static List<Arrival> withArrival(
            List<SpecificRecordBase> events, Duration maxDelay, Random random) {
        List<Arrival> out = new ArrayList<>();
        for (SpecificRecordBase e : events) {
            long delay = (long) (random.nextDouble() * maxDelay.toMillis());
            out.add(new Arrival(MachineShiftGenerator.occurredAt(e).toEpochMilli() + delay, e));
        }
        return out;
    }
}
