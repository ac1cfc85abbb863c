package dev.batchtrace.lineage.stock;

import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import dev.batchtrace.lineage.Merge;
import java.time.Instant;
import java.util.List;
import java.util.SortedSet;

/**
 * The header of a work order, merged from all its events: values as for {@link LotFacts}; released
 * and started: earliest; completed: latest (a work order may be paused and completed twice).
 */
public record WorkOrderFacts(
        String workOrderId,
        String productCode,
        String productName,
        String lineId,
        String site,
        SortedSet<String> machineIds,
        SortedSet<String> operatorIds,
        Instant releasedAt,
        Instant startedAt,
        Instant completedAt) {

    public WorkOrderFacts {
        machineIds = Merge.frozenSet(machineIds);
        operatorIds = Merge.frozenSet(operatorIds);
    }

    public static WorkOrderFacts of(WorkOrderEvent e) {
        WorkOrderEventType t = e.getEventType();
        return new WorkOrderFacts(
                e.getWorkOrderId(),
                e.getProductCode(),
                e.getProductName(),
                e.getLineId(),
                e.getSite(),
                e.getMachineId() == null ? null : Merge.frozenSet(List.of(e.getMachineId())),
                e.getOperatorId() == null ? null : Merge.frozenSet(List.of(e.getOperatorId())),
                t == WorkOrderEventType.RELEASED ? e.getOccurredAt() : null,
                t == WorkOrderEventType.STARTED ? e.getOccurredAt() : null,
                t == WorkOrderEventType.COMPLETED ? e.getOccurredAt() : null);
    }

    public static WorkOrderFacts merge(WorkOrderFacts a, WorkOrderFacts b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return new WorkOrderFacts(
                Merge.larger(a.workOrderId, b.workOrderId),
                Merge.larger(a.productCode, b.productCode),
                Merge.larger(a.productName, b.productName),
                Merge.larger(a.lineId, b.lineId),
                Merge.larger(a.site, b.site),
                Merge.frozenUnion(a.machineIds, b.machineIds),
                Merge.frozenUnion(a.operatorIds, b.operatorIds),
                Merge.smaller(a.releasedAt, b.releasedAt),
                Merge.smaller(a.startedAt, b.startedAt),
                Merge.larger(a.completedAt, b.completedAt));
    }
}
