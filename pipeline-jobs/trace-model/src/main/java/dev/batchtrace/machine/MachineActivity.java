package dev.batchtrace.machine;

import dev.batchtrace.events.MachineEvent;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The running aggregate behind one {@link MachineRunSummary}: small whatever the event volume
 * (counts, min/max/sum per parameter, per alarm code), plus the summary's STATE changes (a machine
 * changes state a few times an hour, so these stay few) from which the time per state is derived.
 * Mutable; the batch reference and the streaming job both fill it with {@link #add}, so the two
 * count the same way. Public fields: it is stored as JSON in the job's state.
 */
public final class MachineActivity {

    public long eventCount;
    public long cycles;

    /** The larger line id the machine events named (used when the run has none). */
    public String lineId;

    public TreeMap<String, AlarmSummary> alarms = new TreeMap<>();
    public TreeMap<String, MeasurementSummary> measurements = new TreeMap<>();

    /** STATE events by time (epoch millis): the state the machine entered then. */
    public TreeMap<Long, String> stateChanges = new TreeMap<>();

    /** Counts one machine event in. */
    public void add(MachineEvent e) {
        eventCount++;
        if (e.getLineId() != null && (lineId == null || e.getLineId().compareTo(lineId) > 0)) {
            lineId = e.getLineId();
        }
        Instant at = e.getOccurredAt();
        switch (e.getEventType()) {
            case CYCLE -> cycles += e.getValue() == null ? 1 : Math.round(e.getValue());
            case ALARM -> {
                String code = e.getAlarmCode() == null ? "UNKNOWN" : e.getAlarmCode();
                alarms.merge(code, AlarmSummary.of(at, e.getSeverity()), AlarmSummary::combine);
            }
            case MEASUREMENT -> {
                if (e.getValue() != null && e.getParameter() != null) {
                    measurements.merge(
                            e.getParameter(),
                            MeasurementSummary.of(
                                    e.getValue(),
                                    e.getUnit(),
                                    e.getLowerLimit(),
                                    e.getUpperLimit()),
                            MeasurementSummary::combine);
                }
            }
            case STATE -> {
                if (e.getState() != null) {
                    // two changes in one millisecond (bad data): the larger text, never arrival
                    // order
                    stateChanges.merge(
                            at.toEpochMilli(), e.getState(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
                }
            }
        }
    }

    /**
     * Millis per state: each change until the next, the last one until {@code end} (not counted
     * when {@code end} is null: the run goes on).
     */
    public SortedMap<String, Long> stateMillis(Instant end) {
        SortedMap<String, Long> millis = new TreeMap<>();
        Iterator<Map.Entry<Long, String>> it = stateChanges.entrySet().iterator();
        Map.Entry<Long, String> current = it.hasNext() ? it.next() : null;
        while (current != null) {
            Map.Entry<Long, String> next = it.hasNext() ? it.next() : null;
            Long until = next != null ? next.getKey() : end == null ? null : end.toEpochMilli();
            if (until != null && until > current.getKey()) {
                millis.merge(current.getValue(), until - current.getKey(), Long::sum);
            }
            current = next;
        }
        return millis;
    }

    /** The summary of a work order's run. */
    public MachineRunSummary toRunSummary(
            String workOrderId,
            String machineId,
            String runLineId,
            Instant startedAt,
            Instant completedAt) {
        return new MachineRunSummary(
                workOrderId,
                machineId,
                runLineId != null ? runLineId : lineId,
                startedAt,
                completedAt,
                eventCount,
                cycles,
                alarms,
                measurements,
                stateMillis(completedAt));
    }

    /** The summary of an idle bucket. */
    public MachineRunSummary toIdleSummary(
            String machineId, Instant bucketStart, Instant bucketEnd) {
        return new MachineRunSummary(
                null,
                machineId,
                lineId,
                bucketStart,
                bucketEnd,
                eventCount,
                cycles,
                alarms,
                measurements,
                stateMillis(bucketEnd));
    }
}
