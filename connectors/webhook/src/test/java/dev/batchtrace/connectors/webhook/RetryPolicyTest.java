package dev.batchtrace.connectors.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy =
            new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(1));

    @Test
    void backoffDoublesFromTheInitialValueUpToTheCap() {
        assertEquals(Duration.ZERO, policy.backoffBefore(1));
        assertEquals(Duration.ofMillis(100), policy.backoffBefore(2));
        assertEquals(Duration.ofMillis(200), policy.backoffBefore(3));
        assertEquals(Duration.ofMillis(400), policy.backoffBefore(4));
        assertEquals(Duration.ofMillis(800), policy.backoffBefore(5));
        assertEquals(Duration.ofSeconds(1), policy.backoffBefore(6));
        assertEquals(Duration.ofSeconds(1), policy.backoffBefore(200)); // no overflow
    }

    @Test
    void maxAttemptsCountsTheFirstSend() {
        assertTrue(policy.mayRetry(4));
        assertFalse(policy.mayRetry(5));
    }

    @Test
    void retryAfterLengthensTheWaitButNeverBeyondTheCap() {
        assertEquals(
                Duration.ofMillis(700), policy.delayBefore(2, Optional.of(Duration.ofMillis(700))));
        // shorter than the backoff: the backoff wins
        assertEquals(
                Duration.ofMillis(400), policy.delayBefore(4, Optional.of(Duration.ofMillis(10))));
        assertEquals(
                Duration.ofSeconds(1), policy.delayBefore(2, Optional.of(Duration.ofHours(1))));
        assertEquals(Duration.ofMillis(100), policy.delayBefore(2, Optional.empty()));
    }

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        Instant now = Instant.parse("2026-03-02T08:00:00Z");
        assertEquals(Optional.of(Duration.ofSeconds(3)), RetryPolicy.parseRetryAfter(" 3 ", now));
        assertEquals(
                Optional.of(Duration.ofSeconds(90)),
                RetryPolicy.parseRetryAfter("Mon, 02 Mar 2026 08:01:30 GMT", now));
        assertEquals(
                Optional.of(Duration.ZERO),
                RetryPolicy.parseRetryAfter("Mon, 02 Mar 2026 07:00:00 GMT", now));
        assertEquals(Optional.empty(), RetryPolicy.parseRetryAfter(null, now));
        assertEquals(Optional.empty(), RetryPolicy.parseRetryAfter("soon", now));
        assertEquals(Optional.empty(), RetryPolicy.parseRetryAfter("-5", now));
        assertEquals(Optional.empty(), RetryPolicy.parseRetryAfter("99999999999999999999999", now));
    }

    @Test
    void onlyThrottlingAndServerErrorsAreRetried() {
        assertTrue(RetryPolicy.isRetryable(429));
        assertTrue(RetryPolicy.isRetryable(503));
        assertTrue(RetryPolicy.isRetryable(500));
        assertTrue(RetryPolicy.isRetryable(408));
        assertFalse(RetryPolicy.isRetryable(400));
        assertFalse(RetryPolicy.isRetryable(401));
        assertFalse(RetryPolicy.isRetryable(404));
        assertFalse(RetryPolicy.isRetryable(301));
    }

    @Test
    void rejectsNonsense() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new RetryPolicy(0, Duration.ofMillis(1), Duration.ofMillis(1)));
        assertThrows(
                IllegalArgumentException.class,
                () -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}
