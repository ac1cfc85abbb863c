package dev.batchtrace.cli.query;

import java.time.Instant;
import java.util.List;

/**
 * One unit (serial number) and everything about it (issue 10): its {@code trace-units} document,
 * the lot that made it with its backward trace (work order, every raw lot at every level with its
 * supplier lot), the lot's operators, machine runs and QC checks, and the shipments it left with.
 *
 * @param lot the backward trace of the unit's lot; null when the lot has no document yet
 * @param tookMs wall time of the whole answer (every Elasticsearch call and the assembly)
 */
public record UnitTrace(
        String serial,
        String productCode,
        String lotCode,
        List<String> workOrderIds,
        Instant producedAt,
        List<UnitShipmentLine> shipments,
        BackwardTrace lot,
        List<String> operatorIds,
        List<String> machineIds,
        List<MachineRun> machineRuns,
        String qcStatus,
        List<QcCheckLine> qcChecks,
        long tookMs) {

    public UnitTrace {
        workOrderIds = List.copyOf(workOrderIds);
        shipments = List.copyOf(shipments);
        operatorIds = List.copyOf(operatorIds);
        machineIds = List.copyOf(machineIds);
        machineRuns = List.copyOf(machineRuns);
        qcChecks = List.copyOf(qcChecks);
    }

    /** A shipment the unit left with. */
    public record UnitShipmentLine(
            String dispatchId,
            String customerId,
            String customerName,
            Instant shippedAt,
            String lotCode,
            String destination) {}

    /** What a machine did during the lot's work order (alarms by code). */
    public record MachineRun(
            String machineId,
            String workOrderId,
            Instant startedAt,
            Instant completedAt,
            List<String> alarms) {
        public MachineRun {
            alarms = List.copyOf(alarms);
        }
    }

    /** One QC check of the lot. */
    public record QcCheckLine(
            String checkId, String characteristic, String result, Instant checkedAt) {}
}
