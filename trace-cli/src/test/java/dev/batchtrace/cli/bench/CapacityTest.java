package dev.batchtrace.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CapacityTest {

    @Test
    void theRateCountsFromTheFirstCommitToTheDrainedBacklog() {
        List<Capacity.Point> points =
                List.of(
                        new Capacity.Point(2, 0, 30_000), // Flink starting
                        new Capacity.Point(4, 0, 30_000),
                        new Capacity.Point(6, 2_000, 28_500),
                        new Capacity.Point(16, 22_000, 9_000),
                        new Capacity.Point(21, 30_000, 40), // drained (<= 100)
                        new Capacity.Point(23, 30_000, 0));
        Capacity.Rate rate = Capacity.rate(points, 30_000).orElseThrow();
        assertTrue(rate.drained());
        assertEquals(28_000 / 15.0, rate.eventsPerSecond(), 1e-9);
        assertEquals(21, rate.seconds());
    }

    @Test
    void aBacklogNotDrainedGivesTheRateOfItsProgress() {
        List<Capacity.Point> points =
                List.of(
                        new Capacity.Point(5, 1_000, 90_000),
                        new Capacity.Point(25, 5_000, 86_000));
        Capacity.Rate rate = Capacity.rate(points, 100_000).orElseThrow();
        assertFalse(rate.drained());
        assertEquals(200, rate.eventsPerSecond(), 1e-9);
    }

    @Test
    void drainedAtTheFirstCommitCountsFromTheStartAndNothingConsumedHasNoRate() {
        Capacity.Rate rate =
                Capacity.rate(List.of(new Capacity.Point(10, 500, 0)), 500).orElseThrow();
        assertEquals(50, rate.eventsPerSecond(), 1e-9);
        assertTrue(Capacity.rate(List.of(new Capacity.Point(10, 0, 500)), 500).isEmpty());
    }

    @Test
    void drainedAllowsAThousandthOfTheBacklogOrAHundredRecords() {
        assertTrue(Capacity.drained(100, 30_000));
        assertFalse(Capacity.drained(101, 30_000));
        assertTrue(Capacity.drained(1_000, 1_000_000));
        assertFalse(Capacity.drained(-1, 1_000)); // not read
    }
}
