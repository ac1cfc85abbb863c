package dev.batchtrace.lineage.stock;

import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.units.UnitShipment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** {@link DispatchStore} on an insertion-ordered map, for tests and the batch simulation. */
public final class InMemoryDispatchStore implements DispatchStore {

    /** One note seen alone: as the first note of its dispatch id. */
    public static void applyAlone(DispatchNote note, Consumer<LineageMessage> out) {
        DispatchLinks.apply(note, new InMemoryDispatchStore(), out);
    }

    private ShipmentFacts facts;
    private final Map<String, DispatchLotEmission> lots = new LinkedHashMap<>();
    private final Map<String, UnitShipment> units = new LinkedHashMap<>();

    @Override
    public UnitShipment unit(String unitKey) {
        return units.get(unitKey);
    }

    @Override
    public void putUnit(String unitKey, UnitShipment shipment) {
        units.put(unitKey, shipment);
    }

    @Override
    public Iterable<Map.Entry<String, UnitShipment>> units() {
        return units.entrySet();
    }

    @Override
    public ShipmentFacts facts() {
        return facts;
    }

    @Override
    public void putFacts(ShipmentFacts facts) {
        this.facts = facts;
    }

    @Override
    public DispatchLotEmission lot(String lotCode) {
        return lots.get(lotCode);
    }

    @Override
    public void putLot(String lotCode, DispatchLotEmission emission) {
        lots.put(lotCode, emission);
    }

    @Override
    public Iterable<Map.Entry<String, DispatchLotEmission>> lots() {
        return lots.entrySet();
    }
}
