package dev.batchtrace.connectors.webhook;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * When to send a webhook delivery again. Attempt 1 is the first send; before attempt {@code n > 1}
 * wait {@code initialBackoff * 2^(n-2)}, capped at {@code maxBackoff}. A receiver's {@code
 * Retry-After} (seconds or HTTP date) lengthens the wait, up to {@code maxBackoff}. After {@code
 * maxAttempts} sends the writer keeps trying at {@code maxBackoff} and warns each round.
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

    /** Whether a delivery that has been sent {@code attemptsSoFar} times may be sent again. */
    public boolean mayRetry(int attemptsSoFar) {
        return attemptsSoFar < maxAttempts;
    }

    /** Whether an HTTP status means "try again later": 408, 425, 429 and every 5xx. */
    public static boolean isRetryable(int status) {
        return status == 408 || status == 425 || status == 429 || (status >= 500 && status < 600);
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

    /**
     * The wait before attempt {@code nextAttempt}: the exponential backoff, or the receiver's
     * Retry-After when that is longer, never more than {@code maxBackoff}.
     */
    public Duration delayBefore(int nextAttempt, Optional<Duration> retryAfter) {
        Duration backoff = backoffBefore(nextAttempt);
        if (retryAfter.isEmpty() || retryAfter.get().compareTo(backoff) <= 0) {
            return backoff;
        }
        return retryAfter.get().compareTo(maxBackoff) > 0 ? maxBackoff : retryAfter.get();
    }

    /**
     * Parses a {@code Retry-After} header value (RFC 9110: delay-seconds or an HTTP date, relative
     * to {@code now}); empty when absent or unreadable, so the plain backoff applies.
     */
    public static Optional<Duration> parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.strip();
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException e) {
                return Optional.empty(); // more digits than a long: ignore rather than fail
            }
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(now, at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
