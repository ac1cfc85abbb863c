package dev.batchtrace.jobs.lineage.inputwait;

import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/**
 * Passes input records on, waiting while {@link InputWait} says the feedback's backlog is too
 * large. A record waits at most {@link #MAX_WAIT_MILLIS} per call, so checkpoints and cancellation
 * are never held up for longer; a backlog that cannot be read (Kafka down, no rights) never holds
 * anything. Flink has no priority between the inputs of one operator, hence this gate before them.
 * The subtasks of one TaskManager share one {@link FeedbackBacklogWatch}.
 */
public final class InputWaitFunction<T> extends RichMapFunction<T, T> {
    private static final long serialVersionUID = 1L;

    /** The longest one record waits before it passes anyway (ms). */
    static final long MAX_WAIT_MILLIS = 100;

    private final InputWait setting;
    private transient FeedbackBacklogWatch watch;
    private transient Counter heldMillis;

    public InputWaitFunction(InputWait setting) {
        this.setting = setting;
    }

    @Override
    public void open(OpenContext openContext) {
        heldMillis = getRuntimeContext().getMetricGroup().counter("inputWaitedMillis");
        if (!setting.enabled()) {
            return;
        }
        watch = FeedbackBacklogWatch.acquire(setting);
    }

    @Override
    public T map(T value) throws InterruptedException {
        if (waiting()) {
            long start = System.nanoTime();
            long until = start + TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MILLIS);
            while (waiting() && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            heldMillis.inc(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
        return value;
    }

    /** Whether input waits now (the poller's latest answer). */
    boolean waiting() {
        return watch != null && watch.waiting();
    }

    /** Milliseconds records have waited so far. */
    long heldMillis() {
        return heldMillis.getCount();
    }

    @Override
    public void close() throws Exception {
        if (watch != null) {
            FeedbackBacklogWatch.release(watch);
            watch = null;
        }
    }
}
