package dev.batchtrace.lineage;

import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.WorkOrderEvent;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * What is known about one lot from its goods receipt(s) and/or the OUTPUT_PRODUCED event(s) that
 * made it. Merged with {@link #merge}: per field a value beats null and of two different values the
 * larger wins; times: earliest wins; quantities are kept per source event (receiptId or eventId),
 * so a retried event counts once and several partial outputs add up.
 *
 * @param kind {@link #PURCHASED} or {@link #PRODUCED}
 * @param quantities quantity per source event id; {@link #quantity()} is their sum
 * @param workOrderStartedAt when the work order(s) that produced it started (earliest)
 * @param workOrderCompletedAt when they completed (latest), as on their work-order documents
 */
public record LotFacts(
        String kind,
        String materialCode,
        String materialName,
        String supplierId,
        String supplierName,
        String supplierLotCode,
        SortedMap<String, Double> quantities,
        String unit,
        String site,
        Instant receivedAt,
        Instant expiresAt,
        Instant producedAt,
        String workOrderId,
        SortedSet<String> operatorIds,
        SortedSet<String> machineIds,
        String lineId,
        Instant workOrderStartedAt,
        Instant workOrderCompletedAt) {

    public static final String PURCHASED = "PURCHASED";
    public static final String PRODUCED = "PRODUCED";

    public LotFacts {
        quantities = Collections.unmodifiableSortedMap(new TreeMap<>(nonNull(quantities)));
        operatorIds = Collections.unmodifiableSortedSet(Merge.sortedCopy(operatorIds));
        machineIds = Collections.unmodifiableSortedSet(Merge.sortedCopy(machineIds));
    }

    private static Map<String, Double> nonNull(Map<String, Double> m) {
        return m == null ? Map.of() : m;
    }

    public static LotFacts fromReceipt(GoodsReceipt r) {
        return new LotFacts(
                PURCHASED,
                r.getMaterialCode(),
                r.getMaterialName(),
                r.getSupplierId(),
                r.getSupplierName(),
                r.getSupplierLotCode(),
                new TreeMap<>(Map.of(r.getReceiptId(), r.getQuantity())),
                r.getUnit(),
                r.getSite(),
                r.getReceivedAt(),
                r.getExpiresAt(),
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /** Facts of the lot an OUTPUT_PRODUCED event produced. */
    public static LotFacts fromOutput(WorkOrderEvent e) {
        TreeMap<String, Double> q = new TreeMap<>();
        if (e.getQuantity() != null) {
            q.put(e.getEventId(), e.getQuantity());
        }
        return new LotFacts(
                PRODUCED,
                e.getProductCode(),
                e.getProductName(),
                null,
                null,
                null,
                q,
                e.getUnit(),
                e.getSite(),
                null,
                null,
                e.getOccurredAt(),
                e.getWorkOrderId(),
                e.getOperatorId() == null ? null : Merge.sortedCopy(List.of(e.getOperatorId())),
                e.getMachineId() == null ? null : Merge.sortedCopy(List.of(e.getMachineId())),
                e.getLineId(),
                null,
                null);
    }

    /**
     * The producing work order's run window for a lot it produced (only these two fields; the
     * work-order stage sends it when the window changes and to lots produced later).
     */
    public static LotFacts workOrderRun(Instant startedAt, Instant completedAt) {
        return new LotFacts(
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                startedAt,
                completedAt);
    }

    /** Order-insensitive, idempotent merge; either side may be null. */
    public static LotFacts merge(LotFacts a, LotFacts b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        TreeMap<String, Double> q = new TreeMap<>(a.quantities);
        b.quantities.forEach((source, qty) -> q.merge(source, qty, Math::max));
        return new LotFacts(
                Merge.larger(a.kind, b.kind),
                Merge.larger(a.materialCode, b.materialCode),
                Merge.larger(a.materialName, b.materialName),
                Merge.larger(a.supplierId, b.supplierId),
                Merge.larger(a.supplierName, b.supplierName),
                Merge.larger(a.supplierLotCode, b.supplierLotCode),
                q,
                Merge.larger(a.unit, b.unit),
                Merge.larger(a.site, b.site),
                Merge.smaller(a.receivedAt, b.receivedAt),
                Merge.smaller(a.expiresAt, b.expiresAt),
                Merge.smaller(a.producedAt, b.producedAt),
                Merge.larger(a.workOrderId, b.workOrderId),
                Merge.union(a.operatorIds, b.operatorIds),
                Merge.union(a.machineIds, b.machineIds),
                Merge.larger(a.lineId, b.lineId),
                Merge.smaller(a.workOrderStartedAt, b.workOrderStartedAt),
                Merge.larger(a.workOrderCompletedAt, b.workOrderCompletedAt));
    }

    /** Total quantity over all source events (summed in source-id order: bit-exact), or null. */
    public Double quantity() {
        if (quantities.isEmpty()) {
            return null;
        }
        double sum = 0;
        for (double q : quantities.values()) {
            sum += q;
        }
        return sum;
    }
}
