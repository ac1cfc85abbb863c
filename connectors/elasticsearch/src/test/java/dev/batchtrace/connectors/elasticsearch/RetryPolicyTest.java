package dev.batchtrace.connectors.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy =
            new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(1000));

    @Test
    void backoffDoublesFromTheInitialValueAndIsCapped() {
        assertEquals(Duration.ZERO, policy.backoffBefore(1));
        assertEquals(Duration.ofMillis(100), policy.backoffBefore(2));
        assertEquals(Duration.ofMillis(200), policy.backoffBefore(3));
        assertEquals(Duration.ofMillis(400), policy.backoffBefore(4));
        assertEquals(Duration.ofMillis(800), policy.backoffBefore(5));
        assertEquals(Duration.ofMillis(1000), policy.backoffBefore(6));
        assertEquals(Duration.ofMillis(1000), policy.backoffBefore(200), "no overflow");
    }

    @Test
    void allowsRetriesUntilMaxAttemptsSendsHaveBeenMade() {
        assertTrue(policy.mayRetry(1));
        assertTrue(policy.mayRetry(4));
        assertFalse(policy.mayRetry(5));
        assertFalse(new RetryPolicy(1, Duration.ZERO, Duration.ZERO).mayRetry(1));
    }

    @Test
    void anOutageBudgetKeepsRetryingAfterTheAttemptsUntilItIsSpent() {
        RetryPolicy budget =
                new RetryPolicy(
                        3, Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofMinutes(10));
        assertTrue(budget.mayRetry(1, Duration.ZERO));
        assertTrue(budget.mayRetry(50, Duration.ofMinutes(9)), "attempts spent, budget left");
        assertTrue(budget.mayRetry(2, Duration.ofMinutes(11)), "budget spent, attempts left");
        assertFalse(budget.mayRetry(3, Duration.ofMinutes(10)), "both spent");
        assertFalse(policy.mayRetry(5, Duration.ZERO), "no budget: attempts alone decide");
        assertEquals(Duration.ZERO, policy.outageBudget());
    }

    @Test
    void rejectsNonsense() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new RetryPolicy(0, Duration.ofMillis(1), Duration.ofMillis(1)));
        assertThrows(
                IllegalArgumentException.class,
                () -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        new RetryPolicy(
                                3,
                                Duration.ofSeconds(1),
                                Duration.ofSeconds(1),
                                Duration.ofSeconds(-1)));
    }
}
