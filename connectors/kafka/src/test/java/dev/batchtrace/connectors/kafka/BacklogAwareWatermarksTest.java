package dev.batchtrace.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.ManualClock;
import org.junit.jupiter.api.Test;

/** The idleness rule: quiet for the timeout AND the backlog read; activity ends idleness. */
class BacklogAwareWatermarksTest {

    private final ManualClock clock = new ManualClock();
    private final AtomicBoolean backlogRead = new AtomicBoolean();
    private final Output output = new Output();
    private final BacklogAwareWatermarks.Generator<String> generator =
            new BacklogAwareWatermarks.Generator<>(
                    new BoundedOutOfOrdernessWatermarks<>(Duration.ZERO),
                    Duration.ofSeconds(2),
                    clock,
                    backlogRead::get);

    @Test
    void aQuietSplitWithUnreadBacklogHoldsEventTimeInsteadOfGoingIdle() {
        clock.advanceTime(Duration.ofSeconds(10));
        generator.onPeriodicEmit(output);
        assertFalse(output.idle, "still reading the backlog: not idle");
        assertEquals(Long.MIN_VALUE, output.last(), "holds event time at its start");

        backlogRead.set(true);
        generator.onPeriodicEmit(output);
        assertTrue(output.idle, "backlog read and quiet: idle");
        assertEquals(1, output.idleMarks, "marked idle once");
        generator.onPeriodicEmit(output);
        assertEquals(1, output.idleMarks, "not marked again while idle");
    }

    @Test
    void aSplitWithRecentRecordsIsNotIdleAndRecordsEndIdleness() {
        backlogRead.set(true);
        generator.onEvent("e", 1_000, output);
        clock.advanceTime(Duration.ofSeconds(1));
        generator.onPeriodicEmit(output);
        assertFalse(output.idle, "one second quiet is not two");
        assertEquals(999, output.last());

        clock.advanceTime(Duration.ofSeconds(1));
        generator.onPeriodicEmit(output);
        assertTrue(output.idle);

        generator.onEvent("f", 5_000, output);
        generator.onPeriodicEmit(output);
        assertFalse(output.idle, "a record makes it active again");
        assertEquals(4_999, output.last());
    }

    /** A WatermarkOutput that remembers what it was told. */
    private static final class Output implements WatermarkOutput {
        final List<Long> watermarks = new ArrayList<>();
        boolean idle;
        int idleMarks;

        long last() {
            return watermarks.get(watermarks.size() - 1);
        }

        @Override
        public void emitWatermark(Watermark watermark) {
            watermarks.add(watermark.getTimestamp());
            idle = false;
        }

        @Override
        public void markIdle() {
            idle = true;
            idleMarks++;
        }

        @Override
        public void markActive() {
            idle = false;
        }
    }
}
