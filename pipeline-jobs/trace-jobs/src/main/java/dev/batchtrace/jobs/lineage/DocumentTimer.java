package dev.batchtrace.jobs.lineage;

import java.io.IOException;
import java.time.Duration;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * Per key, at most one pending processing-time timer after which the key's trace document is
 * written: a burst of changes (a closure wave, a work order's events) becomes one document write.
 */
final class DocumentTimer {

    /** Processing time of the pending document timer; null when the document is not dirty. */
    static ValueStateDescriptor<Long> descriptor() {
        return new ValueStateDescriptor<>("document-timer", Types.LONG);
    }

    private final ValueState<Long> pending;
    private final long coalesceMillis;

    DocumentTimer(ValueState<Long> pending, Duration coalesceDelay) {
        this.pending = pending;
        this.coalesceMillis = coalesceDelay.toMillis();
    }

    /** After a change of the document: a timer unless one is pending. */
    void changed(boolean documentChanged, TimerService timers) throws IOException {
        if (documentChanged && pending.value() == null) {
            long at = timers.currentProcessingTime() + coalesceMillis;
            timers.registerProcessingTimeTimer(at);
            pending.update(at);
        }
    }

    /** When the timer fires: the document is written now, the next change starts a new timer. */
    void fired() {
        pending.clear();
    }
}
