package dev.batchtrace.lineage;

import dev.batchtrace.events.WorkOrderEvent;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Stage 1 for work orders (keyed by work order id): turns its events into lot -> lot edge changes
 * (every active consumed lot x every produced lot) and facts of the produced lots.
 *
 * <p>The wanted edges are recomputed for the lot an event touches and compared with what was
 * emitted before ({@link WorkOrderStore#edge}); only differences are emitted, each with the next
 * sequence number of that edge. A reversal may arrive before its consumption (it is remembered and
 * the consumption never becomes active); events are idempotent, so a retried event emits nothing
 * new.
 */
public final class WorkOrderLinks {

    private WorkOrderLinks() {}

    /**
     * Applies one event.
     *
     * @return whether the work order's document changed
     */
    public static boolean apply(
            WorkOrderEvent event, WorkOrderStore store, Consumer<LineageMessage> out) {
        boolean changed = false;
        WorkOrderFacts before = store.facts();
        WorkOrderFacts after = WorkOrderFacts.merge(before, WorkOrderFacts.of(event));
        if (!after.equals(before)) {
            store.putFacts(after);
            changed = true;
            if (before == null
                    || !Objects.equals(before.startedAt(), after.startedAt())
                    || !Objects.equals(before.completedAt(), after.completedAt())) {
                for (String produced : store.producedLotCodes()) {
                    sendRun(produced, after, out);
                }
            }
        }
        String workOrderId = event.getWorkOrderId();
        String lot = event.getLotCode();
        switch (event.getEventType()) {
            case MATERIAL_CONSUMED -> {
                if (lot == null) {
                    break;
                }
                Consumption incoming =
                        new Consumption(lot, event.getQuantity(), event.getUnit(), workOrderId);
                Consumption old = store.consumption(event.getEventId());
                // same eventId with different content (bad data): the larger wins, order-free
                Consumption kept = Merge.larger(old, incoming);
                if (!kept.equals(old)) {
                    store.putConsumption(event.getEventId(), kept);
                    changed = true;
                    if (old != null && !old.lotCode().equals(kept.lotCode())) {
                        reconcileLot(workOrderId, old.lotCode(), store, out);
                    }
                    reconcileLot(workOrderId, kept.lotCode(), store, out);
                }
            }
            case CONSUMPTION_REVERSED -> {
                String reversed = event.getReversesEventId();
                if (reversed == null || store.isReversed(reversed)) {
                    break;
                }
                store.markReversed(reversed);
                Consumption c = store.consumption(reversed);
                if (c != null) {
                    changed = true;
                    reconcileLot(workOrderId, c.lotCode(), store, out);
                }
            }
            case OUTPUT_PRODUCED -> {
                if (lot == null) {
                    break;
                }
                out.accept(
                        new LineageMessage.LotFactsUpdate(
                                NodeKey.lot(lot), LotFacts.fromOutput(event)));
                if (!store.isProduced(lot)) {
                    store.markProduced(lot);
                    changed = true;
                    sendRun(lot, after, out);
                    for (String consumed : activeConsumedLots(store)) {
                        reconcileEdge(workOrderId, consumed, lot, true, store, out);
                    }
                    // machine runs that arrived before this lot was produced (issue 5)
                    for (var run : MachineRunSummaries.orNone(store.machineRuns()).summaries()) {
                        out.accept(new LineageMessage.MachineRunUpdate(NodeKey.lot(lot), run));
                    }
                }
            }
            default -> {
                // RELEASED, STARTED, COMPLETED: header facts only
            }
        }
        return changed;
    }

    /** The work order's run window to a lot it produced (nothing while neither time is known). */
    private static void sendRun(String lot, WorkOrderFacts facts, Consumer<LineageMessage> out) {
        if (facts != null && (facts.startedAt() != null || facts.completedAt() != null)) {
            out.accept(
                    new LineageMessage.LotFactsUpdate(
                            NodeKey.lot(lot),
                            LotFacts.workOrderRun(facts.startedAt(), facts.completedAt())));
        }
    }

    /** Lots with at least one consumption that is not reversed, sorted. */
    public static SortedSet<String> activeConsumedLots(WorkOrderStore store) {
        TreeSet<String> lots = new TreeSet<>();
        for (Map.Entry<String, Consumption> c : store.consumptions()) {
            if (!store.isReversed(c.getKey())) {
                lots.add(c.getValue().lotCode());
            }
        }
        return lots;
    }

    private static boolean isActive(String lot, WorkOrderStore store) {
        for (Map.Entry<String, Consumption> c : store.consumptions()) {
            if (c.getValue().lotCode().equals(lot) && !store.isReversed(c.getKey())) {
                return true;
            }
        }
        return false;
    }

    private static void reconcileLot(
            String workOrderId,
            String consumed,
            WorkOrderStore store,
            Consumer<LineageMessage> out) {
        boolean active = isActive(consumed, store);
        for (String produced : store.producedLotCodes()) {
            reconcileEdge(workOrderId, consumed, produced, active, store, out);
        }
    }

    private static void reconcileEdge(
            String workOrderId,
            String parent,
            String child,
            boolean wanted,
            WorkOrderStore store,
            Consumer<LineageMessage> out) {
        EdgeEmission last = store.edge(parent, child);
        boolean present = last != null && last.present();
        if (present == wanted) {
            return;
        }
        long seq = (last == null ? 0 : last.seq()) + 1;
        store.putEdge(parent, child, new EdgeEmission(seq, wanted));
        LineageMessage.EdgeChange.toBothEnds(
                        NodeKey.lot(parent), NodeKey.lot(child), workOrderId, seq, wanted, null)
                .forEach(out);
    }
}
