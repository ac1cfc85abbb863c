package dev.batchtrace.connectors.kafka;

import java.io.IOException;
import java.time.Duration;

/**
 * How long a record waits for a schema registry that is down, 5xx or slow (issue 13): pauses
 * doubling from {@link #FIRST_PAUSE} to {@link #MAX_PAUSE}, for at most a budget; then the caller
 * fails the task and Flink's restart strategy takes over. Below the 5 min checkpoint timeout, so a
 * short outage costs neither a restart nor a failed checkpoint. One instance per record.
 */
final class RegistryBackoff {

    static final Duration FIRST_PAUSE = Duration.ofMillis(200);
    static final Duration MAX_PAUSE = Duration.ofSeconds(10);
    static final Duration DEFAULT_BUDGET = Duration.ofMinutes(2);

    private final Duration budget;
    private final long started = System.nanoTime();
    private Duration pause = FIRST_PAUSE;
    private int attempt = 1;

    RegistryBackoff(Duration budget) {
        this.budget = budget;
    }

    /** The attempt about to fail or succeed, 1 for the first. */
    int attempt() {
        return attempt;
    }

    Duration waited() {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** The next pause, or null when it would overrun the budget (give up). */
    Duration nextPause() {
        return waited().plus(pause).compareTo(budget) > 0 ? null : pause;
    }

    /** Sleeps the pause and moves on to the next attempt. */
    void sleep() throws IOException {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the schema registry", e);
        }
        Duration doubled = pause.multipliedBy(2);
        pause = doubled.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : doubled;
        attempt++;
    }
}
