package dev.batchtrace.lineage.stock;

import dev.batchtrace.lineage.units.UnitFacts;
import dev.batchtrace.lineage.units.UnitShipment;
import java.util.Map;

/**
 * The state of ONE dispatch id in stage 1 (issue 10: corrections), as small pieces (ValueState /
 * MapState in Flink). Getters return null when nothing is stored.
 */
public interface DispatchStore {

    /** ValueState: the winning note's facts (highest revision). */
    ShipmentFacts facts();

    void putFacts(ShipmentFacts facts);

    /** MapState lot -> what was last sent for that lot's edge and lines. */
    DispatchLotEmission lot(String lotCode);

    void putLot(String lotCode, DispatchLotEmission emission);

    Iterable<Map.Entry<String, DispatchLotEmission>> lots();

    /** MapState unit key ({@link UnitFacts#key}) -> what was last sent to that unit. */
    UnitShipment unit(String unitKey);

    void putUnit(String unitKey, UnitShipment shipment);

    Iterable<Map.Entry<String, UnitShipment>> units();
}
