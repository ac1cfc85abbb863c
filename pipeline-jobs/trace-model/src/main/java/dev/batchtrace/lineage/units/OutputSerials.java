package dev.batchtrace.lineage.units;

import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import java.util.List;
import java.util.function.Consumer;

/**
 * Stage 1 for units made (issue 10), keyed by {@link #key} (work order and output eventId): an
 * OUTPUT_PRODUCED with serials tells each unit the lot and work order that made it; its
 * OUTPUT_REVERSED (which carries no serials) takes that back from every one of them, which is why
 * the output's serials are kept ({@link OutputSerialsState}). A reversal may come first: then the
 * output's units are never told.
 */
public final class OutputSerials {

    private OutputSerials() {}

    /** Whether this stage needs the event: an output with serials, or an output reversal. */
    public static boolean routes(WorkOrderEvent e) {
        return (e.getEventType() == WorkOrderEventType.OUTPUT_PRODUCED
                        && e.getLotCode() != null
                        && e.getSerials() != null
                        && !e.getSerials().isEmpty())
                || (e.getEventType() == WorkOrderEventType.OUTPUT_REVERSED
                        && e.getReversesEventId() != null);
    }

    /** Key: the work order and the output event (a reversal names an output of its own order). */
    public static String key(WorkOrderEvent e) {
        String output =
                e.getEventType() == WorkOrderEventType.OUTPUT_REVERSED
                        ? e.getReversesEventId()
                        : e.getEventId();
        return e.getWorkOrderId() + "\n" + output;
    }

    /** The state of one output: its units (by lot, as bad data may name two) or reversed. */
    public interface Store {
        OutputSerialsState state();

        void put(OutputSerialsState state);
    }

    public static void apply(WorkOrderEvent e, Store store, Consumer<UnitUpdate> out) {
        OutputSerialsState before = OutputSerialsState.orNone(store.state());
        if (e.getEventType() == WorkOrderEventType.OUTPUT_REVERSED) {
            if (before.reversed()) {
                return;
            }
            store.put(OutputSerialsState.REVERSED);
            for (OutputSerialsState.Made made : before.made()) {
                for (String serial : made.serials()) {
                    out.accept(
                            UnitUpdate.of(
                                    UnitFacts.output(
                                            made.productCode(),
                                            serial,
                                            made.outputEventId(),
                                            UnitOutput.REVERSED)));
                }
            }
            return;
        }
        if (before.reversed()) {
            return;
        }
        OutputSerialsState.Made made =
                new OutputSerialsState.Made(
                        e.getEventId(),
                        e.getLotCode(),
                        e.getProductCode(),
                        List.copyOf(e.getSerials()));
        OutputSerialsState after = before.with(made);
        if (after.equals(before)) {
            return; // a retry
        }
        store.put(after);
        UnitOutput output =
                new UnitOutput(false, e.getLotCode(), e.getWorkOrderId(), e.getOccurredAt());
        for (String serial : made.serials()) {
            out.accept(
                    UnitUpdate.of(
                            UnitFacts.output(e.getProductCode(), serial, e.getEventId(), output)));
        }
    }
}
