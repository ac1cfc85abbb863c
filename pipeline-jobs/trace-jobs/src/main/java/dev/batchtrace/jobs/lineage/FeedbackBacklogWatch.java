package dev.batchtrace.jobs.lineage;

import dev.batchtrace.connectors.kafka.KafkaBacklog;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the feedback's backlog ({@link KafkaBacklog#pendingRecords()}) every poll interval on one
 * daemon thread and keeps {@link FeedbackBacklogHold}'s answer. One per {@link InputHold} in a
 * TaskManager, shared by every input subtask there ({@link #acquire}/{@link #release}), so the
 * broker answers one set of admin requests per interval, not one per subtask.
 */
final class FeedbackBacklogWatch {
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackBacklogWatch.class);
    private static final Map<InputHold, FeedbackBacklogWatch> WATCHES = new HashMap<>();

    private final InputHold hold;
    private final KafkaBacklog backlog;
    private final FeedbackBacklogHold rule;
    private final ScheduledExecutorService poller;
    private volatile boolean holding;
    private int users;

    private FeedbackBacklogWatch(InputHold hold) {
        this.hold = hold;
        this.backlog =
                new KafkaBacklog(
                        hold.kafka().clientProperties(true),
                        hold.feedbackTopic(),
                        hold.feedbackGroupId(),
                        Duration.ofSeconds(10));
        this.rule = new FeedbackBacklogHold(hold.holdAbove(), hold.resumeBelow());
        this.poller =
                Executors.newSingleThreadScheduledExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, "batchtrace-" + backlog);
                            thread.setDaemon(true);
                            return thread;
                        });
        poller.scheduleWithFixedDelay(
                this::poll, 0, hold.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The watch of {@code hold}, started by its first user. */
    static synchronized FeedbackBacklogWatch acquire(InputHold hold) {
        FeedbackBacklogWatch watch = WATCHES.computeIfAbsent(hold, FeedbackBacklogWatch::new);
        watch.users++;
        return watch;
    }

    /** One user less; the last one stops the thread and closes the admin client. */
    static synchronized void release(FeedbackBacklogWatch watch) {
        if (--watch.users == 0) {
            WATCHES.remove(watch.hold);
            watch.poller.shutdownNow();
            watch.backlog.close();
        }
    }

    boolean holding() {
        return holding;
    }

    private void poll() {
        long pending;
        try {
            pending = backlog.pendingRecords();
        } catch (Exception e) {
            // never hold on what cannot be read
            LOG.debug("{} not readable: {}", backlog, e.toString());
            pending = 0;
        }
        boolean was = holding;
        holding = rule.update(pending);
        if (holding != was) {
            LOG.info("{}: {} records, input {}", backlog, pending, holding ? "held" : "goes on");
        }
    }
}
