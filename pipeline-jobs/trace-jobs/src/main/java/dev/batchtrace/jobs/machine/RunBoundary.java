package dev.batchtrace.jobs.machine;

/**
 * A work order's STARTED ({@code started}) or COMPLETED on one machine, as the attribution needs
 * it: a COMPLETED booked without a machine has been sent to the machines the work order STARTED on.
 *
 * @param workOrderId the work order
 * @param machineId the machine (never null)
 * @param lineId the line of the STARTED event, may be null
 * @param started true for STARTED, false for COMPLETED
 * @param at event time, epoch millis
 */
public record RunBoundary(
        String workOrderId, String machineId, String lineId, boolean started, long at) {}
