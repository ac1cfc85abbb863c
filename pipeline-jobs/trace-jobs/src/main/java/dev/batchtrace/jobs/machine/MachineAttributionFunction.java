package dev.batchtrace.jobs.machine;

import dev.batchtrace.events.DeadLetter;
import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.machine.MachineReference;
import dev.batchtrace.machine.MachineRunSummary;
import dev.batchtrace.machine.MachineRuns;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.codec.digest.MurmurHash3;
import org.apache.flink.api.common.functions.OpenContext;
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
 * <p>How: an event or boundary waits in state until the watermark is the work-order grace past it;
 * then the timer of its emit-interval tick applies the boundaries, then the events (attribution
 * depends on time only, so the order of applying does not matter once every boundary up to an
 * event's time is known). So events reordered within the watermark's bound, and STARTED / COMPLETED
 * events up to the grace behind the watermark (the MES and the PLC gateways are separate systems),
 * are attributed exactly. A machine event later than that but within the allowed lateness is
 * applied by the next timer against the runs still held (late machine events are exact too) and its
 * summary emitted again; one later than the allowed lateness goes to {@link #TOO_LATE} as a dead
 * letter and is counted. A boundary later than the grace applies only to the events applied after
 * it (the aggregates cannot be split again): it is counted as {@code lateRunBoundaries}.
 *
 * <p>A gateway's retry (the same eventId, the same time) counts once however late it comes within
 * the allowed lateness: the ids a timer applies are kept, as 64-bit hashes by emit-interval bucket
 * of event time ({@link #APPLIED_EVENT_IDS}), until the allowed lateness has passed the bucket, and
 * an event whose id is in its bucket (or was applied by the same timer) is dropped and counted as
 * {@code duplicateMachineEvents}. A timer reads and writes one bucket per emit interval of event
 * time its events fall into (one for on-time events), never a state entry per event.
 *
 * <p>State per machine, all small: the waiting events and boundaries (one list per timer tick, so a
 * timer reads exactly its own items once; an item waits about the grace plus the watermark's bound,
 * longer while a replay's watermark trails the read); the machine's runs ({@link MachineRuns}); per
 * open run or idle bucket an aggregate ({@link OpenSummary}); 8 bytes per event with an id within
 * the allowed lateness (the applied ids). A summary whose run ended (COMPLETED, or another run's
 * STARTED) or whose bucket ended more than the allowed lateness before the watermark is removed
 * after its last emission, and so is its run. A run whose COMPLETED never comes is held until
 * another STARTED on the machine.
 *
 * <p>Emissions are coalesced: a changed summary is sent at the next checkpoint barrier, its newest
 * version only ({@link #barrier}; the exactly-once sink makes nothing visible before the checkpoint
 * anyway), and a retiring one when it retires; consumers keep {@link MachineRunSummary#merge}.
 */
public class MachineAttributionFunction
        extends KeyedCoProcessFunction<String, MachineEvent, RunBoundary, MachineSummaryUpdate> {

    private static final long serialVersionUID = 1L;

    private static final TypeInformation<byte[]> BYTES =
            PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;

    /** Machine events later than the allowed lateness, as dead letters. */
    public static final OutputTag<DeadLetter> TOO_LATE =
            new OutputTag<>("too-late-machine-events", TypeInformation.of(DeadLetter.class));

    /**
     * Waiting machine events, one list per timer tick (the list's namespace is the tick): a timer
     * reads exactly its own events once, and appending is a cheap RocksDB merge. Namespaced state
     * is reached through {@link MachineAttributionOperator}.
     */
    public static final ListStateDescriptor<MachineEvent> WAITING_EVENTS =
            new ListStateDescriptor<>(
                    "waiting-machine-events", TypeInformation.of(MachineEvent.class));

    /** Waiting run boundaries, one list per timer tick like the events. */
    public static final ListStateDescriptor<RunBoundary> WAITING_BOUNDARIES =
            new ListStateDescriptor<>(
                    "waiting-run-boundaries", TypeInformation.of(RunBoundary.class));

    /**
     * Waiting items as versions before 2026-12-07 kept them: a ring of 16 lists by timer (each
     * timer read its slot whole, items of later ticks included: in a replay, where the watermark
     * trails the read by hours, every event was read and rewritten many times). {@link
     * MachineAttributionOperator} moves them to the lists by tick on restore.
     */
    static final int OLDER_SLOTS = 16;

    static final List<ListStateDescriptor<MachineEvent>> OLDER_EVENT_SLOTS =
            olderSlots("pending-machine-events-", MachineEvent.class);

    static final List<ListStateDescriptor<RunBoundary>> OLDER_BOUNDARY_SLOTS =
            olderSlots("pending-run-boundaries-", RunBoundary.class);

    /**
     * Boundaries as versions before the ring kept them (one list); moved on restore like the ring.
     */
    static final ListStateDescriptor<RunBoundary> OLDER_BOUNDARIES =
            new ListStateDescriptor<>(
                    "pending-run-boundaries", TypeInformation.of(RunBoundary.class));

    /** {@link MachineRuns} ({@link MachineStateCodec}; older versions: Smile). */
    public static final ValueStateDescriptor<byte[]> RUNS =
            new ValueStateDescriptor<>("machine-runs", BYTES);

    /** Summary key -> {@link OpenSummary} ({@link MachineStateCodec}; older versions: Smile). */
    public static final MapStateDescriptor<String, byte[]> SUMMARIES =
            new MapStateDescriptor<>("open-summaries", Types.STRING, BYTES);

    /**
     * The event ids applied, as 64-bit hashes ({@link #eventIdHash}), by bucket of event time: key
     * the bucket's end, the emit-interval tick at or after the events' time (so one timer's on-time
     * events fill one bucket). Read and written once per bucket and timer that applies events with
     * an id; a bucket is removed by its own timer once no copy of its events can be applied any
     * more (the allowed lateness after its end). Added in issue 9: an older savepoint has none,
     * which reads as empty.
     */
    public static final MapStateDescriptor<Long, long[]> APPLIED_EVENT_IDS =
            new MapStateDescriptor<>(
                    "applied-machine-event-ids",
                    Types.LONG,
                    PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);

    private static final String RUN_PREFIX = "wo:";
    private static final String IDLE_PREFIX = "idle:";
    private static final String RUNS_MARKER = "runs";

    public static final String METRIC_TOO_LATE_EVENTS = "tooLateMachineEvents";
    public static final String METRIC_LATE_EVENTS = "lateMachineEvents";
    public static final String METRIC_LATE_BOUNDARIES = "lateRunBoundaries";
    public static final String METRIC_TOO_LATE_BOUNDARIES = "tooLateRunBoundaries";
    public static final String METRIC_DUPLICATE_EVENTS = "duplicateMachineEvents";

    private static final long IDLE_BUCKET_MILLIS = MachineReference.IDLE_BUCKET.toMillis();

    private static final long EXPIRY_INTERVAL_MILLIS = 60_000;

    private final long allowedLatenessMillis;
    private final long emitIntervalMillis;

    /**
     * How long after its end a bucket of applied ids is kept: the allowed lateness plus 1 ms, up to
     * the next multiple of the emit interval (a copy accepted at the latest is applied by then).
     */
    private final long idsKeptMillis;

    /**
     * The grid of the applied ids' expiry timers: about a minute of emit intervals, so a machine
     * that sends an event or two per interval (a replay of slow machines) has one expiry timer a
     * minute, not one per interval (each a full timer: half of all timers, 2026-12-07).
     */
    private final long expiryIntervalMillis;

    private final long graceMillis;
    private final String sourceTopic;

    /** Set by {@link MachineAttributionOperator} (namespaced state is an operator's). */
    private transient TickLists<MachineEvent> waitingEvents;

    private transient TickLists<RunBoundary> waitingBoundaries;
    private transient ValueState<byte[]> runsState;
    private transient MapState<String, byte[]> summaries;
    private transient MapState<Long, long[]> appliedEventIds;
    private transient Counter tooLateEvents;
    private transient Counter lateEvents;
    private transient Counter lateBoundaries;
    private transient Counter tooLateBoundaries;
    private transient Counter duplicateEvents;

    /**
     * The last timer registered per machine: skips re-registering the same grid timer for every
     * event (not state: after a restore a timer is simply registered again, which is harmless).
     */
    private transient Map<String, Long> lastTimer;

    /**
     * Per machine, the earliest end (run or idle bucket) that has not retired yet, as the last look
     * at all its summaries and runs found it: a timer whose horizon is before it skips that look
     * (about a seventh of the attribution's time in a replay). Not state: after a restore a
     * machine's first timer looks again. Only a changed run or a new idle bucket can bring an
     * earlier end, and either makes the timer look.
     */
    private transient Map<String, Long> firstEnd;

    /**
     * Per machine, the summaries changed since the last barrier and not yet sent (not state: the
     * barrier sends them before its snapshot, and after a restore the replayed input changes them
     * again).
     */
    private transient Map<String, java.util.Set<String>> unsent;

    /**
     * @param allowedLateness how far behind the watermark an event is still attributed
     * @param workOrderGrace how far behind the watermark a STARTED / COMPLETED may still arrive and
     *     split the runs exactly: items wait until the watermark is this far past them
     * @param emitInterval event time between two emissions of one summary (also the timer grid)
     * @param sourceTopic the machine-events topic, named in the dead letters
     */
    public MachineAttributionFunction(
            Duration allowedLateness,
            Duration workOrderGrace,
            Duration emitInterval,
            String sourceTopic) {
        if (allowedLateness.isNegative()
                || workOrderGrace.isNegative()
                || workOrderGrace.compareTo(allowedLateness) > 0
                || emitInterval.isNegative()
                || emitInterval.isZero()) {
            throw new IllegalArgumentException(
                    "need 0 <= work-order grace <= allowed lateness and an emit interval > 0, got "
                            + workOrderGrace
                            + ", "
                            + allowedLateness
                            + ", "
                            + emitInterval);
        }
        this.allowedLatenessMillis = allowedLateness.toMillis();
        this.graceMillis = workOrderGrace.toMillis();
        this.emitIntervalMillis = emitInterval.toMillis();
        this.sourceTopic = sourceTopic;
        this.idsKeptMillis = tick(saturatedAdd(allowedLatenessMillis, 1));
        this.expiryIntervalMillis =
                emitIntervalMillis * Math.max(1, EXPIRY_INTERVAL_MILLIS / emitIntervalMillis);
    }

    @Override
    public void open(OpenContext context) {
        runsState = getRuntimeContext().getState(RUNS);
        summaries = getRuntimeContext().getMapState(SUMMARIES);
        appliedEventIds = getRuntimeContext().getMapState(APPLIED_EVENT_IDS);
        var metrics = getRuntimeContext().getMetricGroup();
        tooLateEvents = metrics.counter(METRIC_TOO_LATE_EVENTS);
        lateEvents = metrics.counter(METRIC_LATE_EVENTS);
        lateBoundaries = metrics.counter(METRIC_LATE_BOUNDARIES);
        tooLateBoundaries = metrics.counter(METRIC_TOO_LATE_BOUNDARIES);
        duplicateEvents = metrics.counter(METRIC_DUPLICATE_EVENTS);
        lastTimer = new HashMap<>();
        unsent = new HashMap<>();
        firstEnd = new HashMap<>();
    }

    /** The lists of waiting items by tick ({@link MachineAttributionOperator#open}). */
    void useTickLists(TickLists<MachineEvent> events, TickLists<RunBoundary> boundaries) {
        this.waitingEvents = events;
        this.waitingBoundaries = boundaries;
    }

    /**
     * Puts a machine event an earlier version kept waiting into the list of the tick it is due at
     * (the current key's); returns that tick, for its timer. Late items wait for their on-time
     * tick: after a restore the watermark starts over, so its timer fires with the next one.
     */
    long waitAgain(MachineEvent event) throws Exception {
        long at = applyAt(event.getOccurredAt().toEpochMilli(), Long.MIN_VALUE);
        waitingEvents.add(at, event);
        return at;
    }

    /** {@link #waitAgain(MachineEvent)} for a run boundary. */
    long waitAgain(RunBoundary boundary) throws Exception {
        long at = applyAt(boundary.at(), Long.MIN_VALUE);
        waitingBoundaries.add(at, boundary);
        return at;
    }

    /** Too-late machine events so far in this task (also the metric). */
    public long tooLateEventCount() {
        return tooLateEvents.getCount();
    }

    /** Boundaries applied later than the grace so far in this task (may misplace events). */
    public long lateBoundaryCount() {
        return lateBoundaries.getCount();
    }

    /** Late (but not too late) machine events so far in this task. */
    public long lateEventCount() {
        return lateEvents.getCount();
    }

    /** Gateway copies (an eventId already applied) dropped so far in this task. */
    public long duplicateEventCount() {
        return duplicateEvents.getCount();
    }

    @Override
    public void processElement1(
            MachineEvent event, Context context, Collector<MachineSummaryUpdate> out)
            throws Exception {
        TimerService timers = context.timerService();
        long t = event.getOccurredAt().toEpochMilli();
        long watermark = timers.currentWatermark();
        if (t < horizon(watermark)) {
            tooLateEvents.inc();
            context.output(TOO_LATE, deadLetter(event, watermark, timers));
            return;
        }
        if (t <= settled(watermark)) {
            lateEvents.inc(); // applied by the next timer, like any other waiting event
        }
        long at = applyAt(t, watermark);
        waitingEvents.add(at, event);
        registerTick(context.getCurrentKey(), at, timers);
    }

    @Override
    public void processElement2(
            RunBoundary boundary, Context context, Collector<MachineSummaryUpdate> out)
            throws Exception {
        TimerService timers = context.timerService();
        long watermark = timers.currentWatermark();
        if (boundary.at() < horizon(watermark)) {
            tooLateBoundaries.inc();
            return;
        }
        if (boundary.at() <= settled(watermark)) {
            lateBoundaries.inc();
        }
        long at = applyAt(boundary.at(), watermark);
        waitingBoundaries.add(at, boundary);
        timers.registerEventTimeTimer(at);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<MachineSummaryUpdate> out)
            throws Exception {
        TimerService timers = context.timerService();
        if (timestamp != tick(timestamp)) {
            // a timer of a version before 2026-12-07, off the grid: its work is the grid tick's
            timers.registerEventTimeTimer(tick(timestamp));
            return;
        }
        String machine = context.getCurrentKey();
        Batch batch = new Batch(machine, timers);
        // Boundaries first: the runs must know every STARTED / COMPLETED up to an event's time
        // (ownerAt is a function of time, so the order of applying does not matter otherwise).
        // A boundary due by an event's time waits in this tick's list or an earlier tick's.
        for (RunBoundary b : waitingBoundaries.take(timestamp)) {
            batch.apply(b);
        }
        for (MachineEvent e : waitingEvents.take(timestamp)) {
            if (batch.firstApplication(e)) {
                batch.add(e);
            } else {
                duplicateEvents.inc();
            }
        }
        // What ended the allowed lateness before this tick: every item it may own has been
        // applied (an accepted item of time t waits at most until tick(t + lateness + 1), and
        // the timers of earlier ticks fired before this one), even after a jump of the watermark.
        long horizon = horizon(timestamp);
        Long earliestEnd = firstEnd.get(machine);
        List<String> retiring =
                earliestEnd != null && horizon < earliestEnd && !batch.endsMayHaveMoved()
                        ? List.of() // nothing can retire yet: no need to read every summary
                        : retiring(machine, batch, horizon);

        batch.save();
        // A changed summary goes out at the next barrier (its newest version only: the sink
        // commits on checkpoints anyway); one that retires now goes out now, its last version.
        java.util.Set<String> unsentHere = unsent.get(machine);
        for (String key : retiring) {
            if (unsentHere != null && unsentHere.remove(key)) {
                batch.touch(key);
            }
        }
        for (Map.Entry<String, OpenSummary> s : batch.touched.entrySet()) {
            if (retiring.contains(s.getKey())) {
                out.collect(MachineSummaryUpdate.of(summary(machine, batch.runs(), s.getValue())));
            } else {
                if (unsentHere == null) {
                    unsentHere = new java.util.HashSet<>();
                    unsent.put(machine, unsentHere);
                }
                unsentHere.add(s.getKey());
            }
        }
        if (unsentHere != null && unsentHere.isEmpty()) {
            unsent.remove(machine);
        }
        if (!retiring.isEmpty()) {
            retire(batch.runs(), retiring, horizon);
        }
        // Buckets whose copies can no longer be applied (an accepted one waited at most for the
        // tick at idsKept after its bucket, and that timer has fired or is this one): this tick's
        // own, and at an expiry tick those of the whole expiry interval, whose timer this is.
        if (timestamp >= Long.MIN_VALUE + idsKeptMillis + expiryIntervalMillis) {
            long newest = timestamp - idsKeptMillis;
            long oldest =
                    Math.floorMod(timestamp, expiryIntervalMillis) == 0
                            ? newest - expiryIntervalMillis + emitIntervalMillis
                            : newest;
            for (long bucket = oldest; bucket <= newest; bucket += emitIntervalMillis) {
                appliedEventIds.remove(bucket);
            }
        }
    }

    /**
     * Emits the newest version of every summary changed since the last barrier (called just before
     * a checkpoint barrier leaves, and when the input ends). In a replay, where a timer fires for
     * every emit interval of a day's event time within seconds, this sends a summary once per
     * checkpoint instead of once per interval.
     *
     * @param keyContext sets the current key (the machine) for the state reads
     */
    void barrier(
            java.util.function.Consumer<String> keyContext, Collector<MachineSummaryUpdate> out)
            throws Exception {
        for (Map.Entry<String, java.util.Set<String>> machine : unsent.entrySet()) {
            keyContext.accept(machine.getKey());
            Batch stored = new Batch(machine.getKey(), null); // reads only: no timers
            for (String key : machine.getValue()) {
                OpenSummary s = stored.load(key);
                if (s != null) { // else retired, and sent then
                    out.collect(
                            MachineSummaryUpdate.of(summary(machine.getKey(), stored.runs(), s)));
                }
            }
        }
        unsent.clear();
    }

    /** Whether summaries wait for the next barrier (tests). */
    boolean summariesUnsent() {
        return !unsent.isEmpty();
    }

    /** The timer at which an item of time {@code t} is applied: on the grid, after the grace. */
    private long applyAt(long t, long watermark) {
        long due = Math.max(saturatedAdd(t, graceMillis), saturatedAdd(watermark, 1));
        return tick(due);
    }

    /**
     * The summaries whose run or bucket ended more than the allowed lateness before the watermark
     * (stored ones and new ones of this timer), plus a marker if a run itself can go.
     */
    private List<String> retiring(String machine, Batch batch, long horizon) throws Exception {
        MachineRuns runs = batch.runs();
        java.util.Set<String> keys = new java.util.HashSet<>(batch.touched.keySet());
        for (String key : summaries.keys()) {
            keys.add(key);
        }
        List<String> retiring = new ArrayList<>();
        long next = Long.MAX_VALUE;
        for (String key : keys) {
            Long end;
            if (key.startsWith(IDLE_PREFIX)) {
                long bucket = Long.parseLong(key.substring(key.lastIndexOf('|') + 1));
                end = (bucket + 1) * IDLE_BUCKET_MILLIS;
            } else {
                String workOrderId =
                        key.substring(RUN_PREFIX.length(), key.length() - machine.length() - 1);
                MachineRuns.Run run = runs.runs.get(workOrderId);
                end = run == null ? Long.valueOf(Long.MIN_VALUE) : runs.ownsNothingFrom(run);
            }
            if (end != null && end <= horizon) {
                retiring.add(key);
            } else if (end != null) {
                next = Math.min(next, end);
            }
        }
        boolean runRetires = false;
        for (MachineRuns.Run run : runs.runs.values()) {
            Long end = runs.ownsNothingFrom(run);
            if (end != null && end <= horizon) {
                runRetires = true;
            } else if (end != null) {
                next = Math.min(next, end);
            }
        }
        if (runRetires) {
            retiring.add(RUNS_MARKER);
        }
        firstEnd.put(machine, next);
        return retiring;
    }

    /** Removes retired summaries (their last emission has just happened) and ended runs. */
    private void retire(MachineRuns runs, List<String> retiring, long horizon) throws Exception {
        for (String key : retiring) {
            if (!key.equals(RUNS_MARKER)) {
                summaries.remove(key);
            }
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
                runsState.update(MachineStateCodec.encode(runs));
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

    private static String runKey(String workOrderId, String machine) {
        return RUN_PREFIX + workOrderId + "|" + machine;
    }

    /** The runs and the summaries one timer touches, read once and written once. */
    private final class Batch {
        private final String machine;
        private final TimerService timers;
        private MachineRuns runs;
        private boolean runsChanged;
        private boolean newIdleBucket;

        /** Whether an end may have come that the last look did not see. */
        boolean endsMayHaveMoved() {
            return runsChanged || newIdleBucket;
        }

        final Map<String, OpenSummary> touched = new HashMap<>();

        /**
         * Hashes of the event ids applied by this timer (a gateway's retry waiting in the same tick
         * as its original counts once, whatever its time).
         */
        private final java.util.Set<Long> eventIds = new java.util.HashSet<>();

        /**
         * The buckets of {@link #APPLIED_EVENT_IDS} this timer looked at: what earlier timers
         * applied (read once) and what this one adds (written once, by {@link #save}).
         */
        private final Map<Long, AppliedIds> appliedIds = new HashMap<>();

        Batch(String machine, TimerService timers) {
            this.machine = machine;
            this.timers = timers;
        }

        MachineRuns runs() throws IOException {
            if (runs == null) {
                byte[] bytes = runsState.value();
                runs = bytes == null ? new MachineRuns() : MachineStateCodec.decodeRuns(bytes);
            }
            return runs;
        }

        void apply(RunBoundary b) throws Exception {
            runs().apply(b.started(), b.workOrderId(), b.lineId(), b.at());
            runsChanged = true;
        }

        /**
         * False for a gateway's copy: an event whose eventId this timer or an earlier one already
         * applied. An earlier timer applied the original in the bucket of the same event time,
         * which is kept until no copy can be accepted any more (a copy arriving after that is a
         * {@link #TOO_LATE} dead letter). Events without an eventId are always applied.
         */
        boolean firstApplication(MachineEvent e) throws Exception {
            if (e.getEventId() == null) {
                return true;
            }
            long hash = eventIdHash(e.getEventId());
            if (!eventIds.add(hash)) {
                return false;
            }
            long bucket = tick(e.getOccurredAt().toEpochMilli());
            AppliedIds ids = appliedIds.get(bucket);
            if (ids == null) {
                ids = new AppliedIds(appliedEventIds.get(bucket));
                appliedIds.put(bucket, ids);
            }
            return ids.add(hash);
        }

        void add(MachineEvent e) throws Exception {
            long t = e.getOccurredAt().toEpochMilli();
            MachineRuns.Run owner = runs().ownerAt(t);
            long bucket = Math.floorDiv(t, IDLE_BUCKET_MILLIS);
            String key =
                    owner != null
                            ? runKey(owner.workOrderId, machine)
                            : IDLE_PREFIX + machine + "|" + bucket;
            OpenSummary s = touched.get(key);
            if (s == null) {
                s = load(key);
                if (s == null) {
                    if (owner != null) {
                        s = OpenSummary.run(owner.workOrderId);
                    } else {
                        s = OpenSummary.idle(bucket * IDLE_BUCKET_MILLIS);
                        newIdleBucket = true;
                        timers.registerEventTimeTimer(
                                tick(
                                        saturatedAdd(
                                                (bucket + 1) * IDLE_BUCKET_MILLIS,
                                                allowedLatenessMillis)));
                    }
                }
                touched.put(key, s);
            }
            s.activity.add(e);
        }

        /** Brings a stored summary into this batch (to be emitted). */
        void touch(String key) throws Exception {
            if (!touched.containsKey(key)) {
                OpenSummary s = load(key);
                if (s != null) {
                    touched.put(key, s);
                }
            }
        }

        private OpenSummary load(String key) throws Exception {
            byte[] bytes = summaries.get(key);
            return bytes == null ? null : MachineStateCodec.decodeSummary(bytes);
        }

        void save() throws Exception {
            if (runsChanged) {
                runsState.update(MachineStateCodec.encode(runs));
                for (MachineRuns.Run run : runs.runs.values()) {
                    // a changed run changes its summary (times), and may end: retire it in time
                    touch(runKey(run.workOrderId, machine));
                    Long end = runs.ownsNothingFrom(run);
                    if (end != null) {
                        timers.registerEventTimeTimer(
                                tick(saturatedAdd(end, allowedLatenessMillis)));
                    }
                }
            }
            if (!touched.isEmpty()) {
                Map<String, byte[]> encoded = new HashMap<>();
                touched.forEach((k, v) -> encoded.put(k, MachineStateCodec.encode(v)));
                summaries.putAll(encoded);
            }
            for (Map.Entry<Long, AppliedIds> bucket : appliedIds.entrySet()) {
                long[] all = bucket.getValue().all();
                if (all != null) {
                    appliedEventIds.put(bucket.getKey(), all);
                    if (bucket.getValue().earlier == null) {
                        // a stored bucket has its timer since it was first written: the expiry
                        // tick at or after its last copy's tick, shared by a minute of buckets
                        timers.registerEventTimeTimer(
                                onGrid(
                                        saturatedAdd(bucket.getKey(), idsKeptMillis),
                                        expiryIntervalMillis));
                    }
                }
            }
        }
    }

    /** One bucket of applied event ids as a timer sees it. */
    private static final class AppliedIds {
        /** What earlier timers applied, sorted (null: nothing). */
        private final long[] earlier;

        private long[] added = new long[8];
        private int addedCount;

        AppliedIds(long[] stored) {
            if (stored == null || stored.length == 0) {
                earlier = null;
            } else {
                earlier = stored.clone();
                java.util.Arrays.sort(earlier);
            }
        }

        /** Adds a hash not yet applied by this timer; false if an earlier timer applied it. */
        boolean add(long hash) {
            if (earlier != null && java.util.Arrays.binarySearch(earlier, hash) >= 0) {
                return false;
            }
            if (addedCount == added.length) {
                added = java.util.Arrays.copyOf(added, addedCount * 2);
            }
            added[addedCount++] = hash;
            return true;
        }

        /** Every hash of the bucket, or null if this timer added none (nothing to write). */
        long[] all() {
            if (addedCount == 0) {
                return null;
            }
            int before = earlier == null ? 0 : earlier.length;
            long[] all = new long[before + addedCount];
            if (earlier != null) {
                System.arraycopy(earlier, 0, all, 0, before);
            }
            System.arraycopy(added, 0, all, before, addedCount);
            return all;
        }
    }

    /**
     * A 64-bit hash of an event id (the first half of MurmurHash3's x64 128-bit hash of its UTF-8
     * bytes). Only ids of one machine in one bucket of {@link #APPLIED_EVENT_IDS} are compared (one
     * emit interval of events: about 100 at 10 events/s and 10 s), so the chance that a distinct
     * event is taken for a copy is about 100 / 2^64, 5e-18 per event: at 100,000 machine events/s,
     * once in about 60,000 years.
     */
    static long eventIdHash(String id) {
        return MurmurHash3.hash128x64(id.getBytes(StandardCharsets.UTF_8))[0];
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

    private static <T> List<ListStateDescriptor<T>> olderSlots(String prefix, Class<T> type) {
        List<ListStateDescriptor<T>> slots = new ArrayList<>();
        for (int i = 0; i < OLDER_SLOTS; i++) {
            slots.add(new ListStateDescriptor<>(prefix + i, TypeInformation.of(type)));
        }
        return List.copyOf(slots);
    }

    /** Items at or before this are applied: no boundary before it is expected any more. */
    private long settled(long watermark) {
        return watermark < Long.MIN_VALUE + graceMillis ? Long.MIN_VALUE : watermark - graceMillis;
    }

    /** Events before this are too late. */
    private long horizon(long watermark) {
        return watermark < Long.MIN_VALUE + allowedLatenessMillis
                ? Long.MIN_VALUE
                : watermark - allowedLatenessMillis;
    }

    /** The timer grid: the next multiple of the emit interval at or after {@code t}. */
    private long tick(long t) {
        return onGrid(t, emitIntervalMillis);
    }

    /** The next multiple of {@code grid} at or after {@code t}. */
    private static long onGrid(long t, long grid) {
        long r = Math.floorMod(t, grid);
        return r == 0 ? t : saturatedAdd(t - r, grid);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private static <T> Iterable<T> orEmpty(Iterable<T> items) {
        return items == null ? List.of() : items;
    }
}
