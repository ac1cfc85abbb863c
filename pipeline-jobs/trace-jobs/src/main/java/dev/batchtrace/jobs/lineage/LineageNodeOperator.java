package dev.batchtrace.jobs.lineage;

import dev.batchtrace.lineage.closure.LineageMessage;
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
 * #IDLE_TICK_MILLIS} that finds no record arrived since the barrier or the last tick writes them
 * for up to {@link #IDLE_DRAIN_NANOS} (so a barrier waits at most that long for it): idle time goes
 * to documents instead of waiting for the next barrier.
 */
public final class LineageNodeOperator
        extends KeyedProcessOperator<String, LineageMessage, LineageMessage> {

    private static final long serialVersionUID = 1L;

    static final long IDLE_TICK_MILLIS = 100;
    static final long IDLE_DRAIN_NANOS = 50_000_000L;

    private transient LineageNodeFunction.Outputs outputs;

    /** Records processed, and that count at the last tick: equal means idle since then. */
    private transient long records;

    private transient long recordsAtLastTick;

    private transient boolean tickPending;

    public LineageNodeOperator(LineageNodeFunction function) {
        super(function);
    }

    @Override
    public void open() throws Exception {
        super.open();
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

    @Override
    public void processElement(StreamRecord<LineageMessage> element) throws Exception {
        records++;
        super.processElement(element);
    }

    /** After a barrier that left documents waiting: one tick, again while they wait. */
    private void scheduleTick() {
        if (tickPending) {
            return;
        }
        tickPending = true;
        recordsAtLastTick = records;
        ProcessingTimeService time = getProcessingTimeService();
        time.registerTimer(time.getCurrentProcessingTime() + IDLE_TICK_MILLIS, this::tick);
    }

    private void tick(long now) {
        tickPending = false;
        LineageNodeFunction function = (LineageNodeFunction) getUserFunction();
        if (records == recordsAtLastTick) {
            function.drainDocuments(now, this::setCurrentKey, outputs, IDLE_DRAIN_NANOS);
        }
        if (function.documentsWait()) {
            scheduleTick();
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        LineageNodeFunction function = (LineageNodeFunction) getUserFunction();
        long now = getProcessingTimeService().getCurrentProcessingTime();
        function.barrier(now, this::setCurrentKey, outputs);
        if (function.documentsWait()) {
            scheduleTick();
        }
    }
}
