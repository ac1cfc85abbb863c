package dev.batchtrace.lineage;

import dev.batchtrace.events.DispatchLine;
import dev.batchtrace.events.DispatchNote;
import java.util.function.Consumer;

/**
 * Stage 1 for dispatch notes, stateless: the shipment's facts and, per line, the edge lot ->
 * shipment (via the dispatch id, carrying the customer). A dispatch cannot be taken back, so every
 * edge has sequence 1 and is "added"; a retried note repeats the same messages, which the nodes
 * ignore.
 */
public final class DispatchLinks {

    private DispatchLinks() {}

    public static void apply(DispatchNote note, Consumer<LineageMessage> out) {
        NodeKey shipment = NodeKey.shipment(note.getDispatchId());
        out.accept(new LineageMessage.ShipmentFactsUpdate(shipment, ShipmentFacts.of(note)));
        for (DispatchLine line : note.getLines()) {
            LineageMessage.EdgeChange.toBothEnds(
                            NodeKey.lot(line.getLotCode()),
                            shipment,
                            note.getDispatchId(),
                            1,
                            true,
                            note.getCustomerId())
                    .forEach(out);
        }
    }
}
