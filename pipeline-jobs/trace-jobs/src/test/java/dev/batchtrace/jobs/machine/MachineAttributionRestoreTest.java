package dev.batchtrace.jobs.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.machine.MachineEvents;
import dev.batchtrace.machine.MachineReference;
import dev.batchtrace.machine.MachineRunSummary;
import dev.batchtrace.machine.MachineShiftGenerator;
import java.time.Duration;
import java.util.ArrayList;
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

    /**
     * An upgrade from a version before 2026-12-07: the items it kept waiting (machine events and
     * boundaries in its ring of lists, boundaries in the one list of the versions before that) are
     * moved into the lists by tick when the operator opens, and applied with the new arrivals.
     */
    @Test
    void itemsAnOlderVersionKeptWaitingAreAppliedAfterTheUpgrade() throws Exception {
        WorkOrderEvent start1 = MachineEvents.started("WO-1", "M-1", MachineEvents.at(100));
        WorkOrderEvent end1 = MachineEvents.completed("WO-1", "M-1", MachineEvents.at(200));
        WorkOrderEvent start2 = MachineEvents.started("WO-2", "M-2", MachineEvents.at(100));
        WorkOrderEvent end2 = MachineEvents.completed("WO-2", "M-2", MachineEvents.at(400));
        List<Object> kept =
                List.of(
                        MachineEvents.cycle("M-1", MachineEvents.at(10)),
                        MachineEvents.cycle("M-1", MachineEvents.at(150)),
                        MachineEvents.cycle("M-2", MachineEvents.at(120)),
                        MachineEvents.cycle("M-2", MachineEvents.at(390)));
        List<Object> after =
                List.of(
                        MachineEvents.cycle("M-1", MachineEvents.at(160)),
                        MachineEvents.cycle("M-1", MachineEvents.at(250)),
                        MachineEvents.cycle("M-2", MachineEvents.at(300)));
        OperatorSubtaskState snapshot;
        AttributionHarness older =
                new AttributionHarness(
                        LATENESS, GRACE, EMIT, new EmbeddedRocksDBStateBackend(), null);
        try {
            older.keepAsAnOlderVersion(start1, true);
            older.keepAsAnOlderVersion(end1, true);
            older.keepAsAnOlderVersion(start2, false);
            older.keepAsAnOlderVersion(end2, false);
            for (Object e : kept) {
                older.keepAsAnOlderVersion(e, false);
            }
            assertEquals(
                    7, olderKeys(older)); // M-1: 1 list, 1 slot; M-2: 3 slots; both: boundaries
            snapshot = older.snapshot();
        } finally {
            older.close();
        }
        Map<String, MachineRunSummary> merged = new TreeMap<>();
        try (AttributionHarness upgraded =
                new AttributionHarness(
                        LATENESS, GRACE, EMIT, new EmbeddedRocksDBStateBackend(), snapshot)) {
            upgraded.continueWorkOrdersOf(older);
            upgraded.sendAll(after);
            upgraded.watermark(Long.MAX_VALUE);
            upgraded.emitted().forEach(s -> merged.merge(s.key(), s, MachineRunSummary::merge));
            assertEquals(0, olderKeys(upgraded), "the older lists are cleared");
        }
        List<Object> all = new ArrayList<>(kept);
        all.addAll(after);
        all.addAll(List.of(start1, end1, start2, end2));
        assertEquals(AttributionHarness.byKey(MachineReference.summaries(all)), merged);
        assertEquals(2, merged.get("wo:WO-1|M-1").eventCount());
        assertEquals(3, merged.get("wo:WO-2|M-2").eventCount());
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

    /** Keys with an entry in one of the older versions' lists, summed over the lists. */
    private static long olderKeys(AttributionHarness h) {
        long keys = h.keysIn(MachineAttributionFunction.OLDER_BOUNDARIES.getName());
        for (int i = 0; i < MachineAttributionFunction.OLDER_SLOTS; i++) {
            keys += h.keysIn(MachineAttributionFunction.OLDER_EVENT_SLOTS.get(i).getName());
            keys += h.keysIn(MachineAttributionFunction.OLDER_BOUNDARY_SLOTS.get(i).getName());
        }
        return keys;
    }

    private static long time(Object event) {
        return MachineShiftGenerator.occurredAt(event).toEpochMilli();
    }
}
