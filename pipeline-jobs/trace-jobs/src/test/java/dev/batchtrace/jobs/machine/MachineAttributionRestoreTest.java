package dev.batchtrace.jobs.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.machine.MachineEvents;
import dev.batchtrace.machine.MachineReference;
import dev.batchtrace.machine.MachineRunSummary;
import dev.batchtrace.machine.MachineShiftGenerator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.junit.jupiter.api.Test;

/**
 * A snapshot taken mid-shift with RocksDB state (waiting events, runs, open summaries, timers) and
 * restored into a new operator: the run goes on as if nothing happened.
 */
class MachineAttributionRestoreTest {

    private static final Duration LATENESS = Duration.ofMinutes(2);
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final Duration EMIT = Duration.ofSeconds(10);

    @Test
    void aRestoredOperatorEndsWithTheReferenceSummaries() throws Exception {
        List<SpecificRecordBase> shift =
                MachineShiftGenerator.generate(
                        7, new MachineShiftGenerator.Options(3, Duration.ofHours(2), 6));
        List<SpecificRecordBase> arrivals =
                MachineShiftGenerator.arrivalOrder(shift, Duration.ofSeconds(20), new Random(7));
        int half = arrivals.size() / 2;

        Map<String, MachineRunSummary> merged = new TreeMap<>();
        OperatorSubtaskState snapshot;
        long highest = Long.MIN_VALUE;
        AttributionHarness first =
                new AttributionHarness(
                        LATENESS, GRACE, EMIT, new EmbeddedRocksDBStateBackend(), null);
        try {
            for (int i = 0; i < half; i++) {
                first.send(arrivals.get(i));
                highest = Math.max(highest, time(arrivals.get(i)));
                if (i % 50 == 0) {
                    first.watermark(highest - 5_001);
                }
            }
            snapshot = first.snapshot();
            first.emitted().forEach(s -> merged.merge(s.key(), s, MachineRunSummary::merge));
        } finally {
            first.close();
        }
        try (AttributionHarness second =
                new AttributionHarness(
                        LATENESS, GRACE, EMIT, new EmbeddedRocksDBStateBackend(), snapshot)) {
            second.continueWorkOrdersOf(first);
            for (int i = half; i < arrivals.size(); i++) {
                second.send(arrivals.get(i));
                highest = Math.max(highest, time(arrivals.get(i)));
                if (i % 50 == 0) {
                    second.watermark(highest - 5_001);
                }
            }
            second.watermark(Long.MAX_VALUE);
            second.emitted().forEach(s -> merged.merge(s.key(), s, MachineRunSummary::merge));
        }
        Map<String, MachineRunSummary> expected =
                AttributionHarness.byKey(MachineReference.summaries(shift));
        assertEquals(expected, merged);
    }

    @Test
    void aRetryAfterTheRestoreOfAnEventAppliedBeforeTheSnapshotCountsOnce() throws Exception {
        MachineEvent first = MachineEvents.cycle("M-1", MachineEvents.at(150));
        first.setEventId("PLC-M-1-0001");
        List<Object> events =
                List.of(
                        MachineEvents.started("WO-1", "M-1", MachineEvents.at(100)),
                        first,
                        MachineEvents.completed("WO-1", "M-1", MachineEvents.at(300)));
        Map<String, MachineRunSummary> merged = new TreeMap<>();
        OperatorSubtaskState snapshot;
        AttributionHarness before =
                new AttributionHarness(
                        LATENESS, GRACE, EMIT, new EmbeddedRocksDBStateBackend(), null);
        try {
            before.sendAll(events);
            before.watermark(MachineEvents.at(200)); // the original is applied
            snapshot = before.snapshot();
            before.emitted().forEach(s -> merged.merge(s.key(), s, MachineRunSummary::merge));
        } finally {
            before.close();
        }
        try (AttributionHarness after =
                new AttributionHarness(
                        LATENESS, GRACE, EMIT, new EmbeddedRocksDBStateBackend(), snapshot)) {
            after.continueWorkOrdersOf(before);
            after.watermark(MachineEvents.at(200));
            after.send(MachineEvent.newBuilder(first).build()); // within the 2 min lateness
            after.watermark(Long.MAX_VALUE);
            after.emitted().forEach(s -> merged.merge(s.key(), s, MachineRunSummary::merge));
            assertEquals(1, after.function.duplicateEventCount());
        }
        assertEquals(AttributionHarness.byKey(MachineReference.summaries(events)), merged);
        assertEquals(1, merged.get("wo:WO-1|M-1").eventCount());
    }

    @Test
    void withoutTheSnapshotTheSecondHalfComesOutWrong() throws Exception {
        // guards the test above: the restored state is what carries the runs across
        List<SpecificRecordBase> shift =
                MachineShiftGenerator.generate(
                        7, new MachineShiftGenerator.Options(3, Duration.ofHours(2), 6));
        List<SpecificRecordBase> arrivals =
                MachineShiftGenerator.arrivalOrder(shift, Duration.ofSeconds(20), new Random(7));
        int half = arrivals.size() / 2;
        Map<String, MachineRunSummary> merged = new TreeMap<>();
        for (List<SpecificRecordBase> part :
                List.of(arrivals.subList(0, half), arrivals.subList(half, arrivals.size()))) {
            try (AttributionHarness h = new AttributionHarness(LATENESS, GRACE, EMIT, null, null)) {
                h.sendAll(part);
                h.watermark(Long.MAX_VALUE);
                h.emitted().forEach(s -> merged.merge(s.key(), s, MachineRunSummary::merge));
            }
        }
        assertNotEquals(AttributionHarness.byKey(MachineReference.summaries(shift)), merged);
    }

    private static long time(Object event) {
        return MachineShiftGenerator.occurredAt(event).toEpochMilli();
    }
}
