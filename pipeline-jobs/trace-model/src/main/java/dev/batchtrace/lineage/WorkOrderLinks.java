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
                for (Map.Entry<String, String> output : store.outputs()) {
                    String eventId = outputEventId(output.getKey());
                    if (!store.isOutputReversed(eventId)) {
                        sendRun(eventId, output.getValue(), after, out);
                    }
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
                String eventId = event.getEventId();
                String key = outputKey(eventId, lot);
                if (store.output(key) == null) {
                    store.putOutput(key, lot);
                    changed = true;
                }
                if (!store.isProduced(lot)) {
                    store.markProduced(lot);
                    changed = true;
                    // machine runs that arrived before this lot was produced (issue 5); they
                    // stay with every lot an output named, reversed or not (as QC routing does)
                    for (var run : MachineRunSummaries.orNone(store.machineRuns()).summaries()) {
                        out.accept(new LineageMessage.MachineRunUpdate(NodeKey.lot(lot), run));
                    }
                }
                if (!store.isOutputReversed(eventId)) {
                    out.accept(
                            new LineageMessage.LotFactsUpdate(
                                    NodeKey.lot(lot), LotFacts.fromOutput(event)));
                    sendRun(eventId, lot, after, out);
                    reconcileProducedLot(workOrderId, lot, store, out);
                }
            }
            case OUTPUT_REVERSED -> {
                String reversed = event.getReversesEventId();
                if (reversed == null || store.isOutputReversed(reversed)) {
                    break;
                }
                store.markOutputReversed(reversed);
                changed = true;
                for (Map.Entry<String, String> output : store.outputs()) {
                    if (outputEventId(output.getKey()).equals(reversed)) {
                        // the output's facts (and run window) leave the lot; edges follow
                        out.accept(
                                new LineageMessage.LotFactsUpdate(
                                        NodeKey.lot(output.getValue()),
                                        LotFacts.reversedOutput(reversed)));
                        reconcileProducedLot(workOrderId, output.getValue(), store, out);
                    }
                }
            }
            default -> {
                // RELEASED, STARTED, COMPLETED: header facts only
            }
        }
        return changed;
    }

    /**
     * The work order's run window to a lot it produced, as part of the output's facts (nothing
     * while neither time is known).
     */
    private static void sendRun(
            String outputEventId, String lot, WorkOrderFacts facts, Consumer<LineageMessage> out) {
        if (facts != null && (facts.startedAt() != null || facts.completedAt() != null)) {
            out.accept(
                    new LineageMessage.LotFactsUpdate(
                            NodeKey.lot(lot),
                            LotFacts.workOrderRun(
                                    outputEventId, facts.startedAt(), facts.completedAt())));
        }
    }

    /** Key of an output in {@link WorkOrderStore#outputs()}: event id and lot (no line breaks). */
    static String outputKey(String outputEventId, String lot) {
        return outputEventId + '\n' + lot;
    }

    private static String outputEventId(String outputKey) {
        int nl = outputKey.indexOf('\n');
        return nl < 0 ? outputKey : outputKey.substring(0, nl);
    }

    /**
     * Lots the work order produces now: named by an output that is not reversed, sorted. A lot
     * marked produced by state from before outputs were kept (no output recorded) counts too.
     */
    public static SortedSet<String> activeProducedLots(WorkOrderStore store) {
        TreeSet<String> active = new TreeSet<>();
        TreeSet<String> withOutputs = new TreeSet<>();
        for (Map.Entry<String, String> output : store.outputs()) {
            withOutputs.add(output.getValue());
            if (!store.isOutputReversed(outputEventId(output.getKey()))) {
                active.add(output.getValue());
            }
        }
        for (String lot : store.producedLotCodes()) {
            if (!withOutputs.contains(lot)) {
                active.add(lot);
            }
        }
        return active;
    }

    /** Edges of every active consumed lot to {@code lot}, present while the lot is produced. */
    private static void reconcileProducedLot(
            String workOrderId, String lot, WorkOrderStore store, Consumer<LineageMessage> out) {
        boolean produced = activeProducedLots(store).contains(lot);
        for (String consumed : activeConsumedLots(store)) {
            reconcileEdge(workOrderId, consumed, lot, produced, store, out);
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
        for (String produced : activeProducedLots(store)) {
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
