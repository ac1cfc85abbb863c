package dev.batchtrace.jobs.machine;

import dev.batchtrace.machine.MachineActivity;

/**
 * A summary the attribution still holds: a run's or an idle bucket's activity. Public fields:
 * stored as JSON in the job's state.
 */
public final class OpenSummary {

    /** The work order, null for an idle bucket. */
    public String workOrderId;

    /** Idle bucket start (epoch millis), null for a run. */
    public Long bucketStart;

    public MachineActivity activity = new MachineActivity();

    static OpenSummary run(String workOrderId) {
        OpenSummary s = new OpenSummary();
        s.workOrderId = workOrderId;
        return s;
    }

    static OpenSummary idle(long bucketStart) {
        OpenSummary s = new OpenSummary();
        s.bucketStart = bucketStart;
        return s;
    }
}
