package dev.batchtrace.jobs.lineage.inputwait;

import dev.batchtrace.connectors.kafka.KafkaBacklog;
import dev.batchtrace.jobs.KafkaPoller;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the feedback's backlog ({@link KafkaBacklog#pendingRecords()}) every poll interval on one
 * daemon thread and keeps {@link FeedbackBacklogRule}'s answer. One per {@link InputWait} in a
 * TaskManager, shared by every input subtask there ({@link #acquire}/{@link #release}), so the
 * broker answers one set of admin requests per interval, not one per subtask.
 */
final class FeedbackBacklogWatch {
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackBacklogWatch.class);
    private static final Map<InputWait, FeedbackBacklogWatch> WATCHES = new HashMap<>();

    private final InputWait setting;
    private final KafkaBacklog backlog;
    private final FeedbackBacklogRule rule;
    private final ScheduledExecutorService poller;
    private volatile boolean waiting;
    private int users;

    private FeedbackBacklogWatch(InputWait setting) {
        this.setting = setting;
        this.backlog =
                new KafkaBacklog(
                        setting.kafka().clientProperties(true),
                        setting.feedbackTopic(),
                        setting.feedbackGroupId(),
                        Duration.ofSeconds(10));
        this.rule = new FeedbackBacklogRule(setting.waitAbove(), setting.resumeBelow());
        this.poller =
                KafkaPoller.start(
                        "batchtrace-" + backlog, Duration.ZERO, setting.pollInterval(), this::poll);
    }

    /** The watch of {@code setting}, started by its first user. */
    static synchronized FeedbackBacklogWatch acquire(InputWait setting) {
        FeedbackBacklogWatch watch = WATCHES.computeIfAbsent(setting, FeedbackBacklogWatch::new);
        watch.users++;
        return watch;
    }

    /** One user less; the last one stops the thread and closes the admin client. */
    static synchronized void release(FeedbackBacklogWatch watch) {
        if (--watch.users == 0) {
            WATCHES.remove(watch.setting);
            watch.poller.shutdownNow();
            watch.backlog.close();
        }
    }

    boolean waiting() {
        return waiting;
    }

    private void poll() {
        long pending;
        try {
            pending = backlog.pendingRecords();
        } catch (Exception e) {
            // never setting on what cannot be read
            LOG.debug("{} not readable: {}", backlog, e.toString());
            pending = 0;
        }
        boolean was = waiting;
        waiting = rule.update(pending);
        if (waiting != was) {
            LOG.info("{}: {} records, input {}", backlog, pending, waiting ? "held" : "goes on");
        }
    }
}
