package dev.batchtrace.jobs;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A daemon thread that runs a blocking Kafka question at a fixed delay, off the task thread (the
 * input wait's backlog, the check for hanging transactions). Daemon: a poller its owner forgot to
 * stop never keeps a TaskManager's JVM alive. Stop it with {@code shutdownNow()}.
 */
public final class KafkaPoller {
    private KafkaPoller() {}

    /** Runs {@code task} after {@code first}, then {@code every} after each run ends. */
    public static ScheduledExecutorService start(
            String threadName, Duration first, Duration every, Runnable task) {
        ScheduledExecutorService poller =
                Executors.newSingleThreadScheduledExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, threadName);
                            thread.setDaemon(true);
                            return thread;
                        });
        poller.scheduleWithFixedDelay(
                task, first.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return poller;
    }
}
