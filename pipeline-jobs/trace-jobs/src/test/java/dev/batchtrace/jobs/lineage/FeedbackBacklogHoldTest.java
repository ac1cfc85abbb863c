package dev.batchtrace.jobs.lineage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FeedbackBacklogHoldTest {

    @Test
    void holdsAboveTheMarkAndGoesOnOnlyBelowTheLowerOne() {
        FeedbackBacklogHold hold = new FeedbackBacklogHold(20_000, 5_000);
        assertFalse(hold.update(0));
        assertFalse(hold.update(20_000), "at the mark: not yet");
        assertTrue(hold.update(20_001));
        assertTrue(hold.update(12_000), "between the marks a hold stays");
        assertTrue(hold.update(5_000));
        assertFalse(hold.update(4_999));
        assertFalse(hold.update(12_000), "between the marks no hold starts");
        assertTrue(hold.update(1_000_000));
    }

    @Test
    void zeroNeverHolds() {
        FeedbackBacklogHold never = new FeedbackBacklogHold(0, 0);
        assertFalse(never.update(Long.MAX_VALUE));
        assertFalse(never.holding());
    }

    @Test
    void marksOutOfOrderAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FeedbackBacklogHold(10, 20));
        assertThrows(IllegalArgumentException.class, () -> new FeedbackBacklogHold(-1, 0));
    }
}
