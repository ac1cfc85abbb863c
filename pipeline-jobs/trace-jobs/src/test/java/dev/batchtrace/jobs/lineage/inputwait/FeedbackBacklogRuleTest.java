package dev.batchtrace.jobs.lineage.inputwait;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FeedbackBacklogRuleTest {

    @Test
    void waitsAboveTheMarkAndGoesOnOnlyBelowTheLowerOne() {
        FeedbackBacklogRule setting = new FeedbackBacklogRule(20_000, 5_000);
        assertFalse(setting.update(0));
        assertFalse(setting.update(20_000), "at the mark: not yet");
        assertTrue(setting.update(20_001));
        assertTrue(setting.update(12_000), "between the marks a setting stays");
        assertTrue(setting.update(5_000));
        assertFalse(setting.update(4_999));
        assertFalse(setting.update(12_000), "between the marks no setting starts");
        assertTrue(setting.update(1_000_000));
    }

    @Test
    void zeroNeverHolds() {
        FeedbackBacklogRule never = new FeedbackBacklogRule(0, 0);
        assertFalse(never.update(Long.MAX_VALUE));
        assertFalse(never.waiting());
    }

    @Test
    void marksOutOfOrderAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FeedbackBacklogRule(10, 20));
        assertThrows(IllegalArgumentException.class, () -> new FeedbackBacklogRule(-1, 0));
    }
}
