package dev.batchtrace.machine;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.batchtrace.json.ModelJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one machine did during one work order's run on it ({@code workOrderId != null}), or while no
 * work order ran ({@code workOrderId == null}: an idle bucket of the machine, {@link
 * MachineReference#IDLE_BUCKET} long, aligned to UTC).
 *
 * <p>Attribution (see {@link MachineReference}): a machine event at {@code t} belongs to the run of
 * the work order whose STARTED on that machine is the latest at or before {@code t}, if that run
 * has no COMPLETED at or before {@code t}: runs are {@code [STARTED, COMPLETED)}, and a STARTED
 * takes the machine over from a run that never completed.
 *
 * <p>{@code stateMillis}: each STATE event counts from its time until the next STATE event of the
 * same summary, the last one until the summary's end (COMPLETED, or the idle bucket's end); the
 * last one of a run still going is not counted yet, nor is the time before a summary's first STATE
 * event (the PLC reports its state when a run starts).
 *
 * @param workOrderId the work order, null for an idle bucket
 * @param machineId the machine
 * @param lineId the line, from the work order's STARTED event, else the machine events; may be null
 * @param startedAt run: STARTED time; idle: bucket start
 * @param completedAt run: COMPLETED time, null while running; idle: bucket end
 * @param eventCount machine events counted in this summary
 * @param cycles sum of CYCLE events (their value, or 1 per event without a value)
 * @param alarms by alarm code
 * @param measurements by parameter
 * @param stateMillis event-time millis in each machine state inside the interval
 */
public record MachineRunSummary(
        String workOrderId,
        String machineId,
        String lineId,
        Instant startedAt,
        Instant completedAt,
        long eventCount,
        long cycles,
        SortedMap<String, AlarmSummary> alarms,
        SortedMap<String, MeasurementSummary> measurements,
        SortedMap<String, Long> stateMillis) {

    /** Which of two summaries of one key covers more; the winner of {@link #merge}. */
    private static final Comparator<MachineRunSummary> COVERAGE =
            Comparator.comparingLong(MachineRunSummary::eventCount)
                    .thenComparing(s -> s.completedAt() != null)
                    .thenComparingLong(MachineRunSummary::totalStateMillis)
                    .thenComparing(s -> new String(s.encode(), StandardCharsets.UTF_8));

    public MachineRunSummary {
        Objects.requireNonNull(machineId, "machineId");
        Objects.requireNonNull(startedAt, "startedAt");
        alarms = Collections.unmodifiableSortedMap(new TreeMap<>(orEmpty(alarms)));
        measurements = Collections.unmodifiableSortedMap(new TreeMap<>(orEmpty(measurements)));
        stateMillis = Collections.unmodifiableSortedMap(new TreeMap<>(orEmpty(stateMillis)));
    }

    @JsonIgnore
    public boolean isIdle() {
        return workOrderId == null;
    }

    /**
     * Order-insensitive and idempotent: of two summaries of the same key the one that covers more
     * events wins; on a tie a completed one beats a running one, then more state time, then the
     * larger JSON text (deterministic). Consumers keep {@code merge(old, new)}.
     */
    public static MachineRunSummary merge(MachineRunSummary a, MachineRunSummary b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        if (!a.key().equals(b.key())) {
            throw new IllegalArgumentException(
                    "cannot merge machine summaries of different keys: "
                            + a.key()
                            + " and "
                            + b.key());
        }
        return COVERAGE.compare(a, b) >= 0 ? a : b;
    }

    /** Kafka key: {@code wo:<workOrderId>|<machineId>} or {@code idle:<machineId>|<startedAt>}. */
    public String key() {
        return isIdle()
                ? "idle:" + machineId + "|" + startedAt
                : "wo:" + workOrderId + "|" + machineId;
    }

    /**
     * The fields for trace-work-orders / trace-lots documents: sorted maps and lists, ISO-8601
     * times, nulls left out.
     */
    public Map<String, Object> toDocument() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("machineId", machineId);
        putIfNotNull(d, "lineId", lineId);
        d.put("startedAt", startedAt.toString());
        if (completedAt != null) {
            d.put("completedAt", completedAt.toString());
        }
        d.put("eventCount", eventCount);
        d.put("cycles", cycles);
        List<Map<String, Object>> alarmList = new ArrayList<>();
        alarms.forEach(
                (code, a) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("code", code);
                    m.put("count", a.count());
                    putIfNotNull(m, "firstAt", a.firstAt() == null ? null : a.firstAt().toString());
                    putIfNotNull(m, "lastAt", a.lastAt() == null ? null : a.lastAt().toString());
                    putIfNotNull(m, "highestSeverity", a.highestSeverity());
                    alarmList.add(m);
                });
        d.put("alarms", alarmList);
        List<Map<String, Object>> measurementList = new ArrayList<>();
        measurements.forEach(
                (parameter, s) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("parameter", parameter);
                    putIfNotNull(m, "unit", s.unit());
                    m.put("count", s.count());
                    m.put("min", s.min());
                    m.put("max", s.max());
                    m.put("mean", s.mean());
                    putIfNotNull(m, "lowerLimit", s.lowerLimit());
                    putIfNotNull(m, "upperLimit", s.upperLimit());
                    m.put("outsideLimits", s.outsideLimits());
                    measurementList.add(m);
                });
        d.put("measurements", measurementList);
        List<Map<String, Object>> states = new ArrayList<>();
        stateMillis.forEach(
                (state, millis) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("state", state);
                    m.put("millis", millis);
                    states.add(m);
                });
        d.put("states", states);
        return d;
    }

    /** Kafka value: UTF-8 JSON, times ISO-8601, nulls left out. */
    public byte[] encode() {
        return ModelJson.encode(this);
    }

    public static MachineRunSummary decode(byte[] json) {
        return ModelJson.decode(json, MachineRunSummary.class);
    }

    long totalStateMillis() {
        long total = 0;
        for (long millis : stateMillis.values()) {
            total += millis;
        }
        return total;
    }

    private static void putIfNotNull(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }
}
