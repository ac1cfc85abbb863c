package dev.batchtrace.jobs.lineage;

import dev.batchtrace.lineage.closure.LineageMessage;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;
import org.apache.flink.util.OutputTag;

/**
 * Runs {@link LineageNodeFunction} and, just before each checkpoint barrier leaves, flushes every
 * node changed since the last one: its difference to its children and its document go into the
 * checkpoint's transactions, the first moment they could become visible. A KeyedProcessFunction has
 * no hook there, hence the operator.
 *
 * <p>When a barrier leaves documents waiting (over its budget), a tick every {@link
 * #IDLE_TICK_MILLIS} writes them for as long as the task waited for records since the last tick
 * (gaps between records over {@link #IDLE_GAP_NANOS}), at most {@link #IDLE_DRAIN_NANOS} (so a
 * barrier waits at most that long for it): idle time goes to documents instead of waiting for the
 * next barrier. A tick with no record since the last one (a quiet input) writes for {@link
 * #IDLE_DRAIN_NANOS} and ticks again at once: the replay's tail and a lull go to documents whole.
 * In a replay records come back to back and the tick writes nothing; at a steady rate the task
 * waits between records most of the time, and before 2026-12-06 evening, when only a tick with no
 * record at all since the last one wrote, thousands of documents waited seconds for their barrier
 * while the task idled between probes.
 */
public final class LineageNodeOperator
        extends KeyedProcessOperator<String, LineageMessage, LineageMessage> {

    private static final long serialVersionUID = 1L;

    static final long IDLE_TICK_MILLIS = 100;
    static final long IDLE_DRAIN_NANOS = 50_000_000L;

    /**
     * A longer gap between two records is time the task waited for input. A backlog's records come
     * a few µs apart (the next record's decoding); at a steady rate of a few thousand messages a
     * second the task waits a few hundred µs between them. With 1 ms here that waiting went
     * uncounted and documents waited ~1.1 s longer for a barrier (freshness probes, 2026-12-07).
     */
    static final long IDLE_GAP_NANOS = 50_000L;

    private transient LineageNodeFunction.Outputs outputs;

    private transient boolean tickPending;

    /** Whether a record came since the last tick (else the input is quiet). */
    private transient boolean recordSinceTick;

    /** A quiet task's next tick comes this soon: its time goes to the waiting documents. */
    static final long QUIET_TICK_MILLIS = 1;

    /** System.nanoTime(), replaceable in tests. */
    private transient LongSupplier nanoClock;

    /** When the task last finished work of its own (a record, a tick, a barrier). */
    private transient long workEndedNanos;

    /**
     * Time waited for records since the last barrier or tick: the gaps over {@link
     * #IDLE_GAP_NANOS}.
     */
    private transient long idleNanos;

    public LineageNodeOperator(LineageNodeFunction function) {
        super(function);
    }

    @Override
    public void open() throws Exception {
        super.open();
        ((LineageNodeFunction) getUserFunction()).keyedBy(this::getCurrentKey);
        if (nanoClock == null) {
            nanoClock = System::nanoTime;
        }
        workEndedNanos = nanoClock.getAsLong();
        // the documents a restored snapshot's barrier left waiting (their marks)
        try (Stream<String> owed =
                this.<String>getKeyedStateBackend()
                        .getKeys(
                                LineageNodeFunction.DOCUMENT_TIMER.getName(),
                                VoidNamespace.INSTANCE)) {
            ((LineageNodeFunction) getUserFunction()).owed(owed);
        }
        outputs =
                new LineageNodeFunction.Outputs() {
                    @Override
                    public void feedback(LineageMessage message) {
                        output.collect(new StreamRecord<>(message));
                    }

                    @Override
                    public <X> void side(OutputTag<X> tag, X value) {
                        output.collect(tag, new StreamRecord<>(value));
                    }
                };
    }

    /** Another clock for the idle time (tests). */
    LineageNodeOperator withNanoClock(LongSupplier clock) {
        this.nanoClock = clock;
        this.workEndedNanos = clock.getAsLong();
        return this;
    }

    @Override
    public void processElement(StreamRecord<LineageMessage> element) throws Exception {
        idleNanos += idleSince(workEndedNanos);
        recordSinceTick = true;
        super.processElement(element);
        LineageNodeFunction function = (LineageNodeFunction) getUserFunction();
        if (function.marksOverLimit()) {
            function.announceNow(this::setCurrentKey, outputs);
        }
        workEndedNanos = nanoClock.getAsLong();
    }

    private long idleSince(long nanos) {
        long gap = nanoClock.getAsLong() - nanos;
        return gap > IDLE_GAP_NANOS ? gap : 0;
    }

    /** After a barrier that left documents waiting: one tick, again while they wait. */
    private void scheduleTick(long delayMillis) {
        if (tickPending) {
            return;
        }
        tickPending = true;
        recordSinceTick = false;
        ProcessingTimeService time = getProcessingTimeService();
        time.registerTimer(time.getCurrentProcessingTime() + delayMillis, this::tick);
    }

    private void tick(long now) {
        tickPending = false;
        LineageNodeFunction function = (LineageNodeFunction) getUserFunction();
        long idle = idleNanos + idleSince(workEndedNanos);
        idleNanos = 0;
        // no record since the last tick: the input is quiet (a replay's tail, a lull), and the
        // waiting documents get the task's whole time, in slices so a record waits at most one
        boolean quiet = !recordSinceTick;
        long budget = quiet ? IDLE_DRAIN_NANOS : Math.min(IDLE_DRAIN_NANOS, idle);
        int written =
                budget > 0 ? function.drainDocuments(now, this::setCurrentKey, outputs, budget) : 0;
        workEndedNanos = nanoClock.getAsLong();
        if (function.documentsWait()) {
            // only paced documents left (none written): no 1 ms ticks while they wait their pace
            scheduleTick(quiet && written > 0 ? QUIET_TICK_MILLIS : IDLE_TICK_MILLIS);
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        LineageNodeFunction function = (LineageNodeFunction) getUserFunction();
        long now = getProcessingTimeService().getCurrentProcessingTime();
        function.barrier(now, this::setCurrentKey, outputs);
        workEndedNanos = nanoClock.getAsLong();
        idleNanos = 0; // the first tick counts from here, not from a quiet hour long past
        if (function.documentsWait()) {
            scheduleTick(IDLE_TICK_MILLIS);
        }
    }
}
