package dev.batchtrace.jobs.lineage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * Per key, at most one pending processing-time timer after which the key's trace document is
 * written and its difference sent, unless a checkpoint barrier did it first: a burst of changes (a
 * closure wave, a work order's events) becomes one document write.
 *
 * <p>Paced (issue 9): a key whose last document took at least {@link #SLOW_BUILD_MILLIS} to build
 * (a silo lot reads its 20,000 parents, its filling order 20,000 consumptions) waits {@link #PACE}
 * times that long before the next, at most {@link #MAX_DELAY_MILLIS}, so building such a document
 * takes at most a tenth of the task's time. The pace is kept per task, not in state: a restore
 * forgets it, which only means one quick write.
 */
final class DocumentTimer {

    static final long SLOW_BUILD_MILLIS = 20;
    static final long PACE = 10;
    static final long MAX_DELAY_MILLIS = 5_000;

    /** Processing time of the pending document timer; null when the document is not dirty. */
    static ValueStateDescriptor<Long> descriptor() {
        return new ValueStateDescriptor<>("document-timer", Types.LONG);
    }

    private final ValueState<Long> pending;
    private final long coalesceMillis;
    private final boolean paced;

    /** key -> {build millis, processing time of that build}, for slow documents only. */
    private final Map<Object, long[]> slowBuilds = new HashMap<>();

    DocumentTimer(ValueState<Long> pending, Duration coalesceDelay) {
        this(pending, coalesceDelay, false);
    }

    /**
     * @param paced whether slow documents are written less often (jobs: yes; harness tests: no)
     */
    DocumentTimer(ValueState<Long> pending, Duration coalesceDelay, boolean paced) {
        this.pending = pending;
        this.coalesceMillis = coalesceDelay.toMillis();
        this.paced = paced;
    }

    /** After a change of the document: a timer unless one is pending. */
    void changed(boolean documentChanged, TimerService timers, Object key) throws IOException {
        if (documentChanged && pending.value() == null) {
            long at =
                    timers.currentProcessingTime()
                            + delayMillis(coalesceMillis, paced ? buildMillis(key) : null);
            timers.registerProcessingTimeTimer(at);
            pending.update(at);
        }
    }

    /** When the work is done (timer or barrier): the next change starts a new timer. */
    void fired() {
        pending.clear();
    }

    /** Whether the timer firing at {@code timestamp} is the pending one (not one a barrier did). */
    boolean isDue(long timestamp) throws IOException {
        Long at = pending.value();
        return at != null && at <= timestamp;
    }

    /**
     * Whether the key's document still waits for its pace at processing time {@code now}: its last
     * build was slow and was less than {@link #PACE} times its build time ago.
     */
    boolean isPaced(Object key, long now) {
        long[] slow = paced ? slowBuilds.get(key) : null;
        return slow != null && now < slow[1] + delayMillis(coalesceMillis, slow[0]);
    }

    /**
     * Marks the key's work as owed without a timer (a barrier will do it; a restore reads the
     * marks): no timer fires for it ({@link #isDue} is false).
     */
    void markOwed() {
        try {
            pending.update(Long.MAX_VALUE);
        } catch (IOException e) {
            throw new UncheckedIOException("document mark write failed: " + e, e);
        }
    }

    /** How long the key's document took to build and send, at processing time {@code now}. */
    void built(Object key, long millis, long now) {
        if (!paced) {
            return;
        }
        if (millis >= SLOW_BUILD_MILLIS) {
            slowBuilds.put(key, new long[] {millis, now});
        } else {
            slowBuilds.remove(key);
        }
    }

    private Long buildMillis(Object key) {
        long[] slow = slowBuilds.get(key);
        return slow == null ? null : slow[0];
    }

    /** The wait before writing a document whose last build took {@code lastBuildMillis}. */
    static long delayMillis(long coalesceMillis, Long lastBuildMillis) {
        if (lastBuildMillis == null || lastBuildMillis < SLOW_BUILD_MILLIS) {
            return coalesceMillis;
        }
        return Math.max(coalesceMillis, Math.min(MAX_DELAY_MILLIS, PACE * lastBuildMillis));
    }
}
