package dev.batchtrace.jobs.lineage;

import dev.batchtrace.lineage.stock.DispatchLotEmission;
import dev.batchtrace.lineage.stock.DispatchStore;
import dev.batchtrace.lineage.stock.ShipmentFacts;
import dev.batchtrace.lineage.units.UnitShipment;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;

/** The model's {@link DispatchStore} over the keyed state of {@link DispatchNoteFunction}. */
final class FlinkDispatchStore implements DispatchStore {

    private final ValueState<byte[]> facts;
    private final MapState<String, byte[]> lots;
    private final MapState<String, byte[]> units;

    FlinkDispatchStore(
            ValueState<byte[]> facts,
            MapState<String, byte[]> lots,
            MapState<String, byte[]> units) {
        this.facts = facts;
        this.lots = lots;
        this.units = units;
    }

    @Override
    public UnitShipment unit(String unitKey) {
        return FlinkState.get(units, unitKey, UnitShipment.class);
    }

    @Override
    public void putUnit(String unitKey, UnitShipment shipment) {
        FlinkState.put(units, unitKey, shipment);
    }

    @Override
    public Iterable<Map.Entry<String, UnitShipment>> units() {
        return FlinkState.entries(units, UnitShipment.class);
    }

    @Override
    public ShipmentFacts facts() {
        return FlinkState.value(facts, ShipmentFacts.class);
    }

    @Override
    public void putFacts(ShipmentFacts value) {
        FlinkState.update(facts, value);
    }

    @Override
    public DispatchLotEmission lot(String lotCode) {
        return FlinkState.get(lots, lotCode, DispatchLotEmission.class);
    }

    @Override
    public void putLot(String lotCode, DispatchLotEmission emission) {
        FlinkState.put(lots, lotCode, emission);
    }

    @Override
    public Iterable<Map.Entry<String, DispatchLotEmission>> lots() {
        return FlinkState.entries(lots, DispatchLotEmission.class);
    }
}
