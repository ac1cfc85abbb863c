package dev.batchtrace.jobs.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Newer state is refused by an older job, with what to do instead; older state is restored. */
class StateVersionGuardTest {

    private static OneInputStreamOperatorTestHarness<String, String> harness(
            int version, OperatorSubtaskState restoreFrom) throws Exception {
        var h =
                new OneInputStreamOperatorTestHarness<>(
                        new StreamMap<>(new StateVersionGuard<String>(version)));
        if (restoreFrom != null) {
            h.initializeState(restoreFrom);
        } else {
            h.initializeEmptyState();
        }
        h.open();
        return h;
    }

    private static OperatorSubtaskState snapshotOf(int version) throws Exception {
        try (var h = harness(version, null)) {
            h.processElement(new StreamRecord<>("GR-1"));
            assertEquals("GR-1", h.extractOutputValues().get(0), "records pass unchanged");
            return h.snapshot(1, 1);
        }
    }

    @Test
    void stateOfANewerVersionIsRefusedWithWhatToDoInstead() throws Exception {
        OperatorSubtaskState newer = snapshotOf(6);
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> harness(5, newer).close());
        assertTrue(e.getMessage().contains("written by state version 6"), e.getMessage());
        assertTrue(e.getMessage().contains("this job is state version 5"), e.getMessage());
        assertTrue(e.getMessage().contains("new run id"), e.getMessage());
    }

    @Test
    void stateOfTheSameOrAnOlderVersionIsRestored() throws Exception {
        harness(6, snapshotOf(6)).close();
        try (var upgraded = harness(7, snapshotOf(6))) {
            // and from then on the state says 7: the older version would refuse it
            OperatorSubtaskState seven = upgraded.snapshot(2, 2);
            assertThrows(IllegalStateException.class, () -> harness(6, seven).close());
        }
    }
}
