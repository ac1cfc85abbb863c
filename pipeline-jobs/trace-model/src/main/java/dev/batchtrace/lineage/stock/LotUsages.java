package dev.batchtrace.lineage.stock;

import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.closure.NodeKey;
import java.util.function.Consumer;

/**
 * Stage 1 for what leaves a lot, stateless and separate from {@link WorkOrderLinks} and {@link
 * DispatchLinks} (so a job that routes only the genealogy is unchanged): each consumption, reversal
 * and dispatch line goes to its lot as a {@link LineageMessage.LotUsageUpdate}. A reversal without
 * a lot code cannot be routed and is dropped here (the work-order stage still removes its edge).
 */
public final class LotUsages {

    private LotUsages() {}

    public static void apply(WorkOrderEvent e, Consumer<LineageMessage> out) {
        if (e.getLotCode() == null) {
            return;
        }
        switch (e.getEventType()) {
            case MATERIAL_CONSUMED ->
                    out.accept(
                            new LineageMessage.LotUsageUpdate(
                                    NodeKey.lot(e.getLotCode()),
                                    LotUsage.consumption(
                                            e.getEventId(),
                                            new Consumption(
                                                    e.getLotCode(),
                                                    e.getQuantity(),
                                                    e.getUnit(),
                                                    e.getWorkOrderId()))));
            case CONSUMPTION_REVERSED -> {
                if (e.getReversesEventId() != null) {
                    out.accept(
                            new LineageMessage.LotUsageUpdate(
                                    NodeKey.lot(e.getLotCode()),
                                    LotUsage.reversal(e.getReversesEventId())));
                }
            }
            default -> {}
        }
    }

    /**
     * One note seen alone, as the first of its dispatch id; the job sends lines through {@link
     * DispatchLinks}, which follows corrections.
     */
    public static void apply(DispatchNote note, Consumer<LineageMessage> out) {
        DispatchLinks.linesByLot(ShipmentFacts.of(note))
                .forEach(
                        (lot, lines) ->
                                out.accept(
                                        new LineageMessage.LotUsageUpdate(
                                                NodeKey.lot(lot),
                                                LotUsage.shipment(note.getDispatchId(), lines))));
    }
}
