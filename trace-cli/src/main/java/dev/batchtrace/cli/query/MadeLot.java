package dev.batchtrace.cli.query;

import java.time.Instant;
import java.util.List;

/**
 * A lot found by {@link MadeHowQuery}: what it is, its QC status and the machine runs of its work
 * order(s) that matched (all runs when the query names none).
 */
public record MadeLot(
        String lotCode,
        String materialCode,
        String materialName,
        String workOrderId,
        Instant producedAt,
        List<String> machineIds,
        Instant workOrderStartedAt,
        Instant workOrderCompletedAt,
        String qcStatus,
        List<String> failedChecks,
        List<Run> runs) {

    /** One work order's run on one machine, with the alarms that matched. */
    public record Run(
            String workOrderId,
            String machineId,
            Instant startedAt,
            Instant completedAt,
            long eventCount,
            List<Alarm> alarms) {}

    /** An alarm code's occurrences in a run. */
    public record Alarm(
            String code, long count, Instant firstAt, Instant lastAt, String severity) {}
}
