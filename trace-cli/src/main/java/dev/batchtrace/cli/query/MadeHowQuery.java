package dev.batchtrace.cli.query;

import java.time.Instant;

/**
 * Which produced lots {@code bin/trace lots} looks for: by QC status, and/or made on a machine in a
 * time window while an alarm was active. Null means any.
 *
 * @param qcStatus PASSED, FAILED or PENDING
 * @param machineId a run of the lot's work order on this machine
 * @param alarmCode that run had this alarm, its first occurrence before {@code to} and its last
 *     after {@code from} ("active" in the window: the summary keeps first/last per code)
 * @param from the run (or the alarm) reaches at least this time
 * @param to the run (or the alarm) started by this time
 */
public record MadeHowQuery(
        String qcStatus, String machineId, String alarmCode, Instant from, Instant to) {

    public MadeHowQuery {
        if (from != null && to != null && from.isAfter(to)) {
            throw new IllegalArgumentException("--from " + from + " is after --to " + to);
        }
    }

    boolean isEmpty() {
        return qcStatus == null && !byMachineRun();
    }

    boolean byMachineRun() {
        return machineId != null || alarmCode != null || from != null || to != null;
    }
}
