package dev.batchtrace.lineage.stock;

import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.closure.NodeKey;
import dev.batchtrace.lineage.units.UnitFacts;
import dev.batchtrace.lineage.units.UnitShipment;
import dev.batchtrace.lineage.units.UnitUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Stage 1 for dispatch notes, keyed by dispatch id (issue 10: corrections): the notes of one id
 * merge to the winning facts ({@link ShipmentFacts#merge}: highest revision wins, a CANCELLED one
 * has no lines). When they change, the shipment gets the new facts and every lot that is or was on
 * the note gets its edge lot -> shipment (via the dispatch id, carrying the customer) and its lines
 * ({@link LotUsage}) again where they changed, each lot's changes under a growing sequence number:
 * a corrected note moves its lines, a cancelled one removes them all. An older revision arriving
 * late or a retried note changes nothing, so nothing is sent. The serials on the lines go to their
 * units the same way ({@link UnitShipment}, one {@link UnitUpdate} per unit whose shipment
 * changed); they stay out of the messages to the nodes.
 */
public final class DispatchLinks {

    private DispatchLinks() {}

    public static void apply(DispatchNote note, DispatchStore store, Consumer<LineageMessage> out) {
        apply(note, store, out, unit -> {});
    }

    public static void apply(
            DispatchNote note,
            DispatchStore store,
            Consumer<LineageMessage> out,
            Consumer<UnitUpdate> units) {
        ShipmentFacts before = store.facts();
        ShipmentFacts after = ShipmentFacts.merge(before, ShipmentFacts.of(note));
        if (after.equals(before)) {
            return;
        }
        store.putFacts(after);
        String dispatchId = note.getDispatchId();
        NodeKey shipment = NodeKey.shipment(dispatchId);
        out.accept(new LineageMessage.ShipmentFactsUpdate(shipment, after.withoutSerials()));
        Map<String, List<ShipmentLine>> wanted = linesByLot(after);
        TreeSet<String> lots = new TreeSet<>(wanted.keySet());
        for (Map.Entry<String, DispatchLotEmission> sent : store.lots()) {
            lots.add(sent.getKey());
        }
        for (String lot : lots) {
            DispatchLotEmission last = store.lot(lot);
            boolean present = wanted.containsKey(lot);
            List<ShipmentLine> lines = wanted.getOrDefault(lot, List.of());
            String customer = present ? after.customerId() : last.customerId();
            if (last != null
                    && last.present() == present
                    && Objects.equals(last.customerId(), customer)
                    && last.lines().equals(lines)) {
                continue;
            }
            long seq = last == null ? 1 : last.seq() + 1;
            store.putLot(lot, new DispatchLotEmission(seq, present, customer, lines));
            LineageMessage.EdgeChange.toBothEnds(
                            NodeKey.lot(lot), shipment, dispatchId, seq, present, customer)
                    .forEach(out);
            out.accept(
                    new LineageMessage.LotUsageUpdate(
                            NodeKey.lot(lot), LotUsage.shipment(dispatchId, seq, lines)));
        }
        applyUnits(dispatchId, after, store, units);
    }

    /** Every unit that is or was on the note gets what changed for it. */
    private static void applyUnits(
            String dispatchId, ShipmentFacts facts, DispatchStore store, Consumer<UnitUpdate> out) {
        Map<String, String[]> wanted = new TreeMap<>(); // unit key -> product, serial, lot
        for (ShipmentLine line : facts.standingLines()) {
            for (String serial : line.serials()) {
                wanted.merge(
                        UnitFacts.key(line.productCode(), serial),
                        new String[] {line.productCode(), serial, line.lotCode()},
                        (a, b) -> a[2].compareTo(b[2]) >= 0 ? a : b);
            }
        }
        TreeMap<String, UnitShipment> sent = new TreeMap<>();
        for (Map.Entry<String, UnitShipment> unit : store.units()) {
            sent.put(unit.getKey(), unit.getValue());
        }
        TreeSet<String> keys = new TreeSet<>(wanted.keySet());
        keys.addAll(sent.keySet());
        for (String key : keys) {
            UnitShipment last = sent.get(key);
            String[] unit = wanted.get(key);
            boolean present = unit != null;
            String lot = present ? unit[2] : last.lotCode();
            UnitShipment next =
                    new UnitShipment(
                            last == null ? 1 : last.seq() + 1,
                            present,
                            lot,
                            facts.customerId(),
                            facts.customerName(),
                            facts.shippedAt());
            if (last != null && sameBut(last, next)) {
                continue;
            }
            store.putUnit(key, next);
            String[] productSerial = key.split("\n", 2);
            out.accept(
                    UnitUpdate.of(
                            UnitFacts.shipment(
                                    productSerial[0], productSerial[1], dispatchId, next)));
        }
    }

    private static boolean sameBut(UnitShipment a, UnitShipment b) {
        return a.present() == b.present()
                && Objects.equals(a.lotCode(), b.lotCode())
                && Objects.equals(a.customerId(), b.customerId())
                && Objects.equals(a.customerName(), b.customerName())
                && Objects.equals(a.shippedAt(), b.shippedAt());
    }

    /** The standing lines by lot without serials, each lot's sorted (none when cancelled). */
    public static Map<String, List<ShipmentLine>> linesByLot(ShipmentFacts facts) {
        Map<String, List<ShipmentLine>> byLot = new TreeMap<>();
        for (ShipmentLine line : facts.standingLines()) {
            byLot.computeIfAbsent(line.lotCode(), k -> new ArrayList<>())
                    .add(line.withoutSerials());
        }
        byLot.replaceAll(
                (lot, lines) -> {
                    List<ShipmentLine> sorted = new ArrayList<>(lines);
                    sorted.sort(null);
                    return List.copyOf(sorted);
                });
        return byLot;
    }
}
