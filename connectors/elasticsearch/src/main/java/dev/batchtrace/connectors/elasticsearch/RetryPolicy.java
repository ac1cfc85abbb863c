package dev.batchtrace.connectors.elasticsearch;

import java.io.Serializable;
import java.time.Duration;

/**
 * Exponential backoff for bulk operations that Elasticsearch could not take right now (429, 5xx,
 * I/O errors): attempt 1 is the first send; before attempt {@code n > 1} wait {@code initialBackoff
 * * 2^(n-2)}, capped at {@code maxBackoff}; after {@code maxAttempts} sends the task fails and
 * Flink restores it from the last checkpoint.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException(
                    "maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "need 0 <= initialBackoff <= maxBackoff, was "
                            + initialBackoff
                            + " and "
                            + maxBackoff);
        }
    }

    /** Whether an operation that has been sent {@code attemptsSoFar} times may be sent again. */
    public boolean mayRetry(int attemptsSoFar) {
        return attemptsSoFar < maxAttempts;
    }

    /** How long to wait before sending attempt number {@code nextAttempt} (2 = first retry). */
    public Duration backoffBefore(int nextAttempt) {
        if (nextAttempt <= 1) {
            return Duration.ZERO;
        }
        int doublings = Math.min(nextAttempt - 2, 30);
        long millis = initialBackoff.toMillis() << doublings;
        if (millis < 0 || millis > maxBackoff.toMillis()) {
            return maxBackoff;
        }
        return Duration.ofMillis(millis);
    }
}
