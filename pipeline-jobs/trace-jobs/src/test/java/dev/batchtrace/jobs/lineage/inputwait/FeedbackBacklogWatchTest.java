package dev.batchtrace.jobs.lineage.inputwait;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.batchtrace.connectors.kafka.KafkaSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FeedbackBacklogWatchTest {

    // nothing listens on port 1: the watch never learns a backlog, so it never holds
    private static final InputWait SETTING =
            new InputWait(
                    KafkaSettings.of("127.0.0.1:1"),
                    "feedback",
                    "group",
                    10,
                    2,
                    Duration.ofSeconds(1));

    @Test
    void subtasksOfOneTaskManagerShareOneWatchUntilTheLastLetsGo() {
        FeedbackBacklogWatch first = FeedbackBacklogWatch.acquire(SETTING);
        FeedbackBacklogWatch second = FeedbackBacklogWatch.acquire(SETTING);
        assertSame(first, second, "one poller per setting");
        FeedbackBacklogWatch.release(first);
        FeedbackBacklogWatch third = FeedbackBacklogWatch.acquire(SETTING);
        assertSame(first, third, "still in use by the second");
        FeedbackBacklogWatch.release(second);
        FeedbackBacklogWatch.release(third);
        FeedbackBacklogWatch fresh = FeedbackBacklogWatch.acquire(SETTING);
        assertNotSame(first, fresh, "the last release stopped it; a new user starts another");
        assertFalse(fresh.waiting());
        FeedbackBacklogWatch.release(fresh);
    }
}
