package dev.batchtrace.machine;

import java.util.TreeMap;

/**
 * The work orders known to run on one machine, as the streaming job holds them: per work order the
 * earliest STARTED and earliest COMPLETED on this machine. The same rule as {@link
 * MachineReference}: an event at {@code t} belongs to the run with the latest start at or before
 * {@code t} (equal starts: the larger work order id) unless that run completed at or before {@code
 * t}. Order-insensitive (min/max only); small (a machine runs a few work orders per shift, and
 * finished ones are {@link #remove}d). Mutable, public fields: stored as JSON in the job's state.
 */
public final class MachineRuns {

    /** One work order's run on the machine; {@code startedAt} is null until its STARTED arrives. */
    public static final class Run {
        public String workOrderId;
        public String lineId;
        public Long startedAt;
        public Long completedAt;
    }

    public TreeMap<String, Run> runs = new TreeMap<>();

    /** Applies a STARTED ({@code started}) or COMPLETED; returns the run. */
    public Run apply(boolean started, String workOrderId, String lineId, long at) {
        Run run = runs.computeIfAbsent(workOrderId, k -> newRun(workOrderId));
        if (started) {
            run.startedAt = run.startedAt == null ? at : Math.min(run.startedAt, at);
            if (lineId != null && (run.lineId == null || lineId.compareTo(run.lineId) > 0)) {
                run.lineId = lineId;
            }
        } else {
            run.completedAt = run.completedAt == null ? at : Math.min(run.completedAt, at);
        }
        return run;
    }

    /** The run that owns an event at {@code t}, or null (the machine was idle). */
    public Run ownerAt(long t) {
        Run owner = null;
        for (Run run : runs.values()) {
            if (run.startedAt != null
                    && run.startedAt <= t
                    && (owner == null
                            || run.startedAt > owner.startedAt
                            || (run.startedAt.equals(owner.startedAt)
                                    && run.workOrderId.compareTo(owner.workOrderId) > 0))) {
                owner = run;
            }
        }
        return owner == null || (owner.completedAt != null && t >= owner.completedAt)
                ? null
                : owner;
    }

    /**
     * From when on the run owns nothing any more: its COMPLETED, or the STARTED of a later run that
     * took the machine over, whichever is earlier; null while it may still own events.
     */
    public Long ownsNothingFrom(Run run) {
        if (run.startedAt == null) {
            return run.completedAt; // a COMPLETED without STARTED owns nothing
        }
        Long end = run.completedAt;
        for (Run other : runs.values()) {
            if (other != run
                    && other.startedAt != null
                    && (other.startedAt > run.startedAt
                            || (other.startedAt.equals(run.startedAt)
                                    && other.workOrderId.compareTo(run.workOrderId) > 0))) {
                end = end == null ? other.startedAt : Math.min(end, other.startedAt);
            }
        }
        return end;
    }

    public void remove(String workOrderId) {
        runs.remove(workOrderId);
    }

    private static Run newRun(String workOrderId) {
        Run run = new Run();
        run.workOrderId = workOrderId;
        return run;
    }
}
