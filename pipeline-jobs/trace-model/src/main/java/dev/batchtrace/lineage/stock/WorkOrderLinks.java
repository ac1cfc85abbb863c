package dev.batchtrace.lineage.stock;

import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.lineage.Merge;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.closure.NodeKey;
import dev.batchtrace.lineage.machine.MachineRunSummaries;
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
                    if (!store.isReversed(event.getEventId())
                            && (old == null || !old.lotCode().equals(kept.lotCode()))) {
                        if (old != null) {
                            consumed(workOrderId, old.lotCode(), -1, store, out);
                        }
                        consumed(workOrderId, kept.lotCode(), +1, store, out);
                    }
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
                    consumed(workOrderId, c.lotCode(), -1, store, out);
                }
            }
            case OUTPUT_PRODUCED -> {
                if (lot == null) {
                    break;
                }
                String eventId = event.getEventId();
                String key = outputKey(eventId, lot);
                boolean newOutput = store.output(key) == null;
                if (newOutput) {
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
                    // the output's facts and the run window in one message: one merge at the lot
                    out.accept(
                            new LineageMessage.LotFactsUpdate(
                                    NodeKey.lot(lot),
                                    LotFacts.merge(
                                            LotFacts.fromOutput(event), run(eventId, after))));
                    if (newOutput) {
                        produced(workOrderId, lot, +1, store, out);
                    }
                }
            }
            case OUTPUT_REVERSED -> {
                String reversed = event.getReversesEventId();
                if (reversed == null || store.isOutputReversed(reversed)) {
                    break;
                }
                store.markOutputReversed(reversed);
                changed = true;
                // a reversal is rare: finding its outputs by reading them all is fine
                for (Map.Entry<String, String> output : store.outputs()) {
                    if (outputEventId(output.getKey()).equals(reversed)) {
                        // the output's facts (and run window) leave the lot; edges follow
                        out.accept(
                                new LineageMessage.LotFactsUpdate(
                                        NodeKey.lot(output.getValue()),
                                        LotFacts.reversedOutput(reversed)));
                        produced(workOrderId, output.getValue(), -1, store, out);
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
        LotFacts run = run(outputEventId, facts);
        if (run != null) {
            out.accept(new LineageMessage.LotFactsUpdate(NodeKey.lot(lot), run));
        }
    }

    /** The run window as the output's facts; null while neither time is known. */
    private static LotFacts run(String outputEventId, WorkOrderFacts facts) {
        if (facts == null || (facts.startedAt() == null && facts.completedAt() == null)) {
            return null;
        }
        return LotFacts.workOrderRun(outputEventId, facts.startedAt(), facts.completedAt());
    }

    /** Key of an output in {@link WorkOrderStore#outputs()}: event id and lot (no line breaks). */
    static String outputKey(String outputEventId, String lot) {
        return outputEventId + '\n' + lot;
    }

    private static String outputEventId(String outputKey) {
        int nl = outputKey.indexOf('\n');
        return nl < 0 ? outputKey : outputKey.substring(0, nl);
    }

    /** Lots the work order produces now: named by an output that is not reversed, sorted. */
    public static SortedSet<String> activeProducedLots(WorkOrderStore store) {
        TreeSet<String> active = new TreeSet<>();
        for (String lot : store.producedLotCodes()) {
            if (store.activeOutputs(lot) > 0) {
                active.add(lot);
            }
        }
        return active;
    }

    /** Lots with at least one consumption that is not reversed, sorted. */
    public static SortedSet<String> activeConsumedLots(WorkOrderStore store) {
        TreeSet<String> lots = new TreeSet<>();
        store.activelyConsumedLotCodes().forEach(lots::add);
        return lots;
    }

    /**
     * One consumption of {@code lot} more or less; when the lot starts or stops being consumed its
     * edges to every produced lot follow (the only moment they change).
     */
    private static void consumed(
            String workOrderId,
            String lot,
            int delta,
            WorkOrderStore store,
            Consumer<LineageMessage> out) {
        int before = store.activeConsumptions(lot);
        int after = Math.max(0, before + delta);
        store.putActiveConsumptions(lot, after);
        if ((before > 0) != (after > 0)) {
            for (String produced : activeProducedLots(store)) {
                reconcileEdge(workOrderId, lot, produced, after > 0, store, out);
            }
        }
    }

    /** One output naming {@code lot} more or less; edges follow when it starts or stops. */
    private static void produced(
            String workOrderId,
            String lot,
            int delta,
            WorkOrderStore store,
            Consumer<LineageMessage> out) {
        int before = store.activeOutputs(lot);
        int after = Math.max(0, before + delta);
        store.putActiveOutputs(lot, after);
        if ((before > 0) != (after > 0)) {
            for (String consumed : activeConsumedLots(store)) {
                reconcileEdge(workOrderId, consumed, lot, after > 0, store, out);
            }
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
