package dev.batchtrace.jobs.machine;

import dev.batchtrace.events.DeadLetter;
import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.lineage.LineageCodec;
import dev.batchtrace.machine.MachineReference;
import dev.batchtrace.machine.MachineRunSummary;
import dev.batchtrace.machine.MachineRuns;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by machine: attributes machine events, in event time, to the work order running on the
 * machine (input 2: its {@link RunBoundary}s) or to the machine's idle bucket, by the rule of
 * {@link MachineReference}, and emits the {@link MachineRunSummary}s.
 *
 * <p>How: an event or boundary ahead of the watermark waits in a list (appending is cheap in
 * RocksDB) until the watermark passes it; then, on a timer coalesced to the emit interval, the
 * waiting items are applied in time order, boundaries before events of the same millisecond. So
 * events reordered within the watermark's bound are attributed exactly. An event behind the
 * watermark but within the allowed lateness is attributed at once against the runs still held (late
 * machine events are exact too); one later than that goes to {@link #TOO_LATE} as a dead letter and
 * is counted. A boundary behind the watermark applies to the events that arrive after it only (the
 * aggregates cannot be split again): it is counted as {@code lateRunBoundaries}.
 *
 * <p>State per machine, all small: the waiting items (only while ahead of the watermark); the
 * machine's runs; per open run or idle bucket an aggregate ({@link OpenSummary}). A summary whose
 * run ended (COMPLETED, or another run's STARTED) or whose bucket ended more than the allowed
 * lateness before the watermark is emitted a last time and removed, and so is its run. A run whose
 * COMPLETED never comes is held until another STARTED on the machine.
 *
 * <p>Emissions are coalesced: at most one per summary per emit interval of event time, plus a final
 * one; consumers keep {@link MachineRunSummary#merge}.
 */
public class MachineAttributionFunction
        extends KeyedCoProcessFunction<String, MachineEvent, RunBoundary, MachineSummaryUpdate> {

    private static final long serialVersionUID = 1L;

    private static final TypeInformation<byte[]> BYTES =
            PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;

    /** Machine events later than the allowed lateness, as dead letters. */
    public static final OutputTag<DeadLetter> TOO_LATE =
            new OutputTag<>("too-late-machine-events", TypeInformation.of(DeadLetter.class));

    public static final ListStateDescriptor<MachineEvent> PENDING_EVENTS =
            new ListStateDescriptor<>(
                    "pending-machine-events", TypeInformation.of(MachineEvent.class));
    public static final ListStateDescriptor<RunBoundary> PENDING_BOUNDARIES =
            new ListStateDescriptor<>(
                    "pending-run-boundaries", TypeInformation.of(RunBoundary.class));

    /** {@link MachineRuns} as JSON. */
    public static final ValueStateDescriptor<byte[]> RUNS =
            new ValueStateDescriptor<>("machine-runs", BYTES);

    /** Summary key -> {@link OpenSummary} as JSON. */
    public static final MapStateDescriptor<String, byte[]> SUMMARIES =
            new MapStateDescriptor<>("open-summaries", Types.STRING, BYTES);

    public static final String METRIC_TOO_LATE_EVENTS = "tooLateMachineEvents";
    public static final String METRIC_LATE_EVENTS = "lateMachineEvents";
    public static final String METRIC_LATE_BOUNDARIES = "lateRunBoundaries";
    public static final String METRIC_TOO_LATE_BOUNDARIES = "tooLateRunBoundaries";

    private static final long IDLE_BUCKET_MILLIS = MachineReference.IDLE_BUCKET.toMillis();

    private final long allowedLatenessMillis;
    private final long emitIntervalMillis;
    private final String sourceTopic;

    private transient ListState<MachineEvent> pendingEvents;
    private transient ListState<RunBoundary> pendingBoundaries;
    private transient ValueState<byte[]> runsState;
    private transient MapState<String, byte[]> summaries;
    private transient Counter tooLateEvents;
    private transient Counter lateEvents;
    private transient Counter lateBoundaries;
    private transient Counter tooLateBoundaries;

    /**
     * The last timer registered per machine: skips re-registering the same grid timer for every
     * event (not state: after a restore a timer is simply registered again, which is harmless).
     */
    private transient Map<String, Long> lastTimer;

    /**
     * @param allowedLateness how far behind the watermark an event is still attributed
     * @param emitInterval event time between two emissions of one summary (also the timer grid)
     * @param sourceTopic the machine-events topic, named in the dead letters
     */
    public MachineAttributionFunction(
            Duration allowedLateness, Duration emitInterval, String sourceTopic) {
        if (allowedLateness.isNegative() || emitInterval.isNegative() || emitInterval.isZero()) {
            throw new IllegalArgumentException(
                    "allowed lateness must be >= 0 and the emit interval > 0");
        }
        this.allowedLatenessMillis = allowedLateness.toMillis();
        this.emitIntervalMillis = emitInterval.toMillis();
        this.sourceTopic = sourceTopic;
    }

    @Override
    public void open(OpenContext context) {
        pendingEvents = getRuntimeContext().getListState(PENDING_EVENTS);
        pendingBoundaries = getRuntimeContext().getListState(PENDING_BOUNDARIES);
        runsState = getRuntimeContext().getState(RUNS);
        summaries = getRuntimeContext().getMapState(SUMMARIES);
        var metrics = getRuntimeContext().getMetricGroup();
        tooLateEvents = metrics.counter(METRIC_TOO_LATE_EVENTS);
        lateEvents = metrics.counter(METRIC_LATE_EVENTS);
        lateBoundaries = metrics.counter(METRIC_LATE_BOUNDARIES);
        tooLateBoundaries = metrics.counter(METRIC_TOO_LATE_BOUNDARIES);
        lastTimer = new HashMap<>();
    }

    /** Too-late machine events so far in this task (also the metric). */
    public long tooLateEventCount() {
        return tooLateEvents.getCount();
    }

    /** Late (but not too late) machine events so far in this task. */
    public long lateEventCount() {
        return lateEvents.getCount();
    }

    @Override
    public void processElement1(
            MachineEvent event, Context context, Collector<MachineSummaryUpdate> out)
            throws Exception {
        TimerService timers = context.timerService();
        long t = event.getOccurredAt().toEpochMilli();
        long watermark = timers.currentWatermark();
        if (t > watermark) {
            pendingEvents.add(event);
            registerTick(context.getCurrentKey(), tick(t), timers);
            return;
        }
        if (t < horizon(watermark)) {
            tooLateEvents.inc();
            context.output(TOO_LATE, deadLetter(event, watermark, timers));
            return;
        }
        lateEvents.inc();
        Batch batch = drain(context.getCurrentKey(), watermark, timers);
        batch.add(event);
        batch.save();
        timers.registerEventTimeTimer(tick(watermark + 1));
    }

    @Override
    public void processElement2(
            RunBoundary boundary, Context context, Collector<MachineSummaryUpdate> out)
            throws Exception {
        TimerService timers = context.timerService();
        long watermark = timers.currentWatermark();
        if (boundary.at() > watermark) {
            pendingBoundaries.add(boundary);
            timers.registerEventTimeTimer(tick(boundary.at()));
            return;
        }
        if (boundary.at() < horizon(watermark)) {
            tooLateBoundaries.inc();
            return;
        }
        lateBoundaries.inc();
        Batch batch = drain(context.getCurrentKey(), watermark, timers);
        batch.apply(boundary);
        batch.save();
        timers.registerEventTimeTimer(tick(watermark + 1));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<MachineSummaryUpdate> out)
            throws Exception {
        long watermark = context.timerService().currentWatermark();
        Batch batch = drain(context.getCurrentKey(), watermark, context.timerService());
        batch.save();
        emitAndRetire(context.getCurrentKey(), batch.runs(), watermark, out);
    }

    /** Applies every waiting item at or before the watermark, in time order. */
    private Batch drain(String machine, long watermark, TimerService timers) throws Exception {
        Batch batch = new Batch(machine, timers);
        List<RunBoundary> readyBoundaries = new ArrayList<>();
        List<RunBoundary> laterBoundaries = new ArrayList<>();
        for (RunBoundary b : orEmpty(pendingBoundaries.get())) {
            (b.at() <= watermark ? readyBoundaries : laterBoundaries).add(b);
        }
        List<MachineEvent> readyEvents = new ArrayList<>();
        List<MachineEvent> laterEvents = new ArrayList<>();
        for (MachineEvent e : orEmpty(pendingEvents.get())) {
            (e.getOccurredAt().toEpochMilli() <= watermark ? readyEvents : laterEvents).add(e);
        }
        if (!readyBoundaries.isEmpty()) {
            if (laterBoundaries.isEmpty()) {
                pendingBoundaries.clear();
            } else {
                pendingBoundaries.update(laterBoundaries);
            }
        }
        if (!readyEvents.isEmpty()) {
            if (laterEvents.isEmpty()) {
                pendingEvents.clear();
            } else {
                pendingEvents.update(laterEvents);
            }
        }
        readyBoundaries.sort(Comparator.comparingLong(RunBoundary::at));
        readyEvents.sort(Comparator.comparing(MachineEvent::getOccurredAt));
        Iterator<RunBoundary> boundaries = readyBoundaries.iterator();
        RunBoundary next = boundaries.hasNext() ? boundaries.next() : null;
        for (MachineEvent e : readyEvents) {
            long t = e.getOccurredAt().toEpochMilli();
            while (next != null && next.at() <= t) {
                batch.apply(next);
                next = boundaries.hasNext() ? boundaries.next() : null;
            }
            batch.add(e);
        }
        while (next != null) {
            batch.apply(next);
            next = boundaries.hasNext() ? boundaries.next() : null;
        }
        return batch;
    }

    /**
     * Emits every changed summary; emits a last time and removes those whose run or bucket ended
     * more than the allowed lateness ago, and their runs.
     */
    private void emitAndRetire(
            String machine, MachineRuns runs, long watermark, Collector<MachineSummaryUpdate> out)
            throws Exception {
        long horizon = horizon(watermark);
        List<String> retired = new ArrayList<>();
        Map<String, byte[]> changed = new HashMap<>();
        for (Map.Entry<String, byte[]> entry : summaries.entries()) {
            OpenSummary s = LineageCodec.decodeValue(entry.getValue(), OpenSummary.class);
            Long end;
            if (s.workOrderId == null) {
                end = s.bucketStart + IDLE_BUCKET_MILLIS;
            } else {
                MachineRuns.Run run = runs.runs.get(s.workOrderId);
                end = run == null ? Long.valueOf(Long.MIN_VALUE) : runs.ownsNothingFrom(run);
            }
            boolean retire = end != null && end <= horizon;
            if (s.dirty) {
                out.collect(MachineSummaryUpdate.of(summary(machine, runs, s)));
                s.dirty = false;
                if (!retire) {
                    changed.put(entry.getKey(), LineageCodec.encodeValue(s));
                }
            }
            if (retire) {
                retired.add(entry.getKey());
            }
        }
        summaries.putAll(changed);
        for (String key : retired) {
            summaries.remove(key);
        }
        if (summaries.isEmpty()) {
            summaries.clear(); // an empty map is still an entry in some backends
        }
        boolean runsChanged = false;
        for (MachineRuns.Run run : new ArrayList<>(runs.runs.values())) {
            Long end = runs.ownsNothingFrom(run);
            if (end != null && end <= horizon) {
                runs.remove(run.workOrderId);
                runsChanged = true;
            }
        }
        if (runsChanged) {
            if (runs.runs.isEmpty()) {
                runsState.clear();
            } else {
                runsState.update(LineageCodec.encodeValue(runs));
            }
        }
    }

    private static MachineRunSummary summary(String machine, MachineRuns runs, OpenSummary s) {
        if (s.workOrderId == null) {
            Instant start = Instant.ofEpochMilli(s.bucketStart);
            return s.activity.toIdleSummary(machine, start, start.plusMillis(IDLE_BUCKET_MILLIS));
        }
        MachineRuns.Run run = runs.runs.get(s.workOrderId);
        return s.activity.toRunSummary(
                s.workOrderId,
                machine,
                run.lineId,
                Instant.ofEpochMilli(run.startedAt),
                run.completedAt == null ? null : Instant.ofEpochMilli(run.completedAt));
    }

    /** The runs and the summaries one drain touches, read once and written once. */
    private final class Batch {
        private final String machine;
        private final TimerService timers;
        private MachineRuns runs;
        private boolean runsChanged;
        private final Map<String, OpenSummary> touched = new HashMap<>();

        Batch(String machine, TimerService timers) {
            this.machine = machine;
            this.timers = timers;
        }

        MachineRuns runs() throws IOException {
            if (runs == null) {
                byte[] bytes = runsState.value();
                runs =
                        bytes == null
                                ? new MachineRuns()
                                : LineageCodec.decodeValue(bytes, MachineRuns.class);
            }
            return runs;
        }

        void apply(RunBoundary b) throws Exception {
            runs().apply(b.started(), b.workOrderId(), b.lineId(), b.at());
            runsChanged = true;
        }

        void add(MachineEvent e) throws Exception {
            long t = e.getOccurredAt().toEpochMilli();
            MachineRuns.Run owner = runs().ownerAt(t);
            String key;
            if (owner != null) {
                key = "wo:" + owner.workOrderId + "|" + machine;
            } else {
                key = "idle:" + machine + "|" + Math.floorDiv(t, IDLE_BUCKET_MILLIS);
            }
            OpenSummary s = touched.get(key);
            if (s == null) {
                s = load(key);
                if (s == null) {
                    if (owner != null) {
                        s = OpenSummary.run(owner.workOrderId);
                    } else {
                        long bucket = Math.floorDiv(t, IDLE_BUCKET_MILLIS) * IDLE_BUCKET_MILLIS;
                        s = OpenSummary.idle(bucket);
                        timers.registerEventTimeTimer(
                                saturatedAdd(bucket + IDLE_BUCKET_MILLIS, allowedLatenessMillis));
                    }
                }
                touched.put(key, s);
            }
            s.activity.add(e);
            s.dirty = true;
        }

        private OpenSummary load(String key) throws Exception {
            byte[] bytes = summaries.get(key);
            return bytes == null ? null : LineageCodec.decodeValue(bytes, OpenSummary.class);
        }

        void save() throws Exception {
            if (runsChanged) {
                runsState.update(LineageCodec.encodeValue(runs));
                for (MachineRuns.Run run : runs.runs.values()) {
                    // a changed run changes its summary (times), and may end: retire it in time
                    String key = "wo:" + run.workOrderId + "|" + machine;
                    if (!touched.containsKey(key)) {
                        OpenSummary s = load(key);
                        if (s != null) {
                            touched.put(key, s);
                        }
                    }
                    OpenSummary s = touched.get(key);
                    if (s != null) {
                        s.dirty = true;
                    }
                    Long end = runs.ownsNothingFrom(run);
                    if (end != null) {
                        timers.registerEventTimeTimer(saturatedAdd(end, allowedLatenessMillis));
                    }
                }
            }
            if (!touched.isEmpty()) {
                Map<String, byte[]> encoded = new HashMap<>();
                touched.forEach((k, v) -> encoded.put(k, LineageCodec.encodeValue(v)));
                summaries.putAll(encoded);
            }
        }
    }

    private DeadLetter deadLetter(MachineEvent event, long watermark, TimerService timers)
            throws IOException {
        return DeadLetter.newBuilder()
                .setSourceTopic(sourceTopic)
                .setPartition(-1)
                .setOffset(-1)
                .setKey(ByteBuffer.wrap(event.getMachineId().getBytes(StandardCharsets.UTF_8)))
                .setValue(event.toByteBuffer())
                .setError(
                        "machine event at "
                                + event.getOccurredAt()
                                + " arrived "
                                + Duration.ofMillis(
                                        watermark - event.getOccurredAt().toEpochMilli())
                                + " behind the event-time watermark "
                                + Instant.ofEpochMilli(watermark)
                                + ", more than the allowed lateness "
                                + Duration.ofMillis(allowedLatenessMillis)
                                + ": too late to attribute (its summary was final); value is the"
                                + " event in Avro single-object encoding")
                .setFailedAt(Instant.ofEpochMilli(timers.currentProcessingTime()))
                .build();
    }

    private void registerTick(String machine, long at, TimerService timers) {
        Long last = lastTimer.get(machine);
        if (last == null || last != at) {
            timers.registerEventTimeTimer(at);
            lastTimer.put(machine, at);
        }
    }

    /** Events before this are too late. */
    private long horizon(long watermark) {
        return watermark < Long.MIN_VALUE + allowedLatenessMillis
                ? Long.MIN_VALUE
                : watermark - allowedLatenessMillis;
    }

    /** The timer grid: the next multiple of the emit interval at or after {@code t}. */
    private long tick(long t) {
        long r = Math.floorMod(t, emitIntervalMillis);
        return r == 0 ? t : saturatedAdd(t - r, emitIntervalMillis);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private static <T> Iterable<T> orEmpty(Iterable<T> items) {
        return items == null ? List.of() : items;
    }
}
