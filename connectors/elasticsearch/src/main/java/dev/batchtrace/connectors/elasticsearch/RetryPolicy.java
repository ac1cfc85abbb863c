package dev.batchtrace.connectors.elasticsearch;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Exponential backoff for bulk operations that Elasticsearch could not take right now (429, 5xx,
 * I/O errors): attempt 1 is the first send; before attempt {@code n > 1} wait {@code initialBackoff
 * * 2^(n-2)}, capped at {@code maxBackoff}.
 *
 * <p>When to give up: an operation is sent again while it has been sent fewer than {@code
 * maxAttempts} times <em>or</em> has been failing for less than {@code outageBudget} (since its
 * first transient failure); only when both are used up does the task fail and Flink restore it from
 * the last checkpoint. So a node that is down for a minute (restarted, rolling upgrade, full GC)
 * costs a delay, not a job restart, while a cluster that stays away longer than the budget fails
 * the job with a message naming the budget. {@code outageBudget} zero: attempts alone decide.
 */
public record RetryPolicy(
        int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration outageBudget)
        implements Serializable {

    private static final long serialVersionUID = 2L;

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
        Objects.requireNonNull(outageBudget, "outageBudget");
        if (outageBudget.isNegative()) {
            throw new IllegalArgumentException(
                    "outageBudget must not be negative, was " + outageBudget);
        }
    }

    /** A policy where only the number of attempts decides (no outage budget). */
    public RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        this(maxAttempts, initialBackoff, maxBackoff, Duration.ZERO);
    }

    /** Whether an operation that has been sent {@code attemptsSoFar} times may be sent again. */
    public boolean mayRetry(int attemptsSoFar) {
        return attemptsSoFar < maxAttempts;
    }

    /**
     * Whether an operation that has been sent {@code attemptsSoFar} times and has been failing
     * transiently for {@code failingFor} may be sent again: while either budget is left.
     */
    public boolean mayRetry(int attemptsSoFar, Duration failingFor) {
        return attemptsSoFar < maxAttempts || failingFor.compareTo(outageBudget) < 0;
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
