package dev.batchtrace.cli.query;

import java.util.List;

/**
 * The {@code balance} object of a trace-lots document (see notes/balance-contract.md): what came
 * into the lot and what left it, in the lot's unit. Quantities in another unit are never converted;
 * they are listed in {@link #unaccounted()} and set {@link #unitMismatch()}.
 *
 * @param receivedOrProduced quantity received or produced; null when unknown
 * @param remaining received or produced minus consumed minus shipped; null on a unit mismatch or an
 *     unknown quantity
 */
public record MassBalance(
        String unit,
        Double receivedOrProduced,
        Double consumed,
        List<WorkOrderUse> consumedBy,
        Double shipped,
        List<DispatchUse> shippedBy,
        Double remaining,
        boolean unitMismatch,
        List<UnaccountedUnit> unaccounted) {

    /** What one work order consumed of the lot (reversals removed). */
    public record WorkOrderUse(String workOrderId, Double quantity, String unit) {}

    /** What one dispatch shipped of the lot. */
    public record DispatchUse(String dispatchId, String customerId, Double quantity, String unit) {}

    /** Consumed and shipped in a unit other than the lot's: not counted in the lot's unit. */
    public record UnaccountedUnit(String unit, Double consumed, Double shipped) {}

    public MassBalance {
        consumedBy = List.copyOf(consumedBy);
        shippedBy = List.copyOf(shippedBy);
        unaccounted = List.copyOf(unaccounted);
    }
}
