package dev.batchtrace.jobs.lineage;

import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.stock.DispatchLinks;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Stage 1 for dispatch notes, keyed by {@code dispatchId} (issue 10: corrections): the highest
 * revision of a note wins ({@link DispatchLinks}); the shipment's facts, and per lot on the note
 * (now or before) its edge lot -> shipment and its lines go to the node stage, only where they
 * changed. A cancelled or corrected note takes back what the earlier one sent.
 *
 * <p>State kept forever (no TTL, by design): a correction may come weeks later and must know which
 * lots the note named; a note's state is small (its facts and one entry per lot).
 */
public class DispatchNoteFunction
        extends KeyedProcessFunction<String, DispatchNote, LineageMessage> {

    private static final long serialVersionUID = 1L;

    private static final TypeInformation<byte[]> BYTES =
            PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;

    /** ShipmentFacts: the winning note. */
    public static final ValueStateDescriptor<byte[]> FACTS =
            new ValueStateDescriptor<>("dispatch-note-facts", BYTES);

    /** lot code -> DispatchLotEmission: what was last sent for that lot. */
    public static final MapStateDescriptor<String, byte[]> LOTS =
            new MapStateDescriptor<>("dispatch-note-lots", Utf8StringTypeInfo.INSTANCE, BYTES);

    /** Side output: the units on the note (issue 10), to the unit stage. */
    public static final org.apache.flink.util.OutputTag<dev.batchtrace.lineage.units.UnitUpdate>
            UNITS =
                    new org.apache.flink.util.OutputTag<>(
                            "dispatch-units",
                            ModelTypeInfo.of(dev.batchtrace.lineage.units.UnitUpdate.class));

    /** unit key -> UnitShipment: what was last sent to that unit. */
    public static final MapStateDescriptor<String, byte[]> UNITS_SENT =
            new MapStateDescriptor<>("dispatch-note-units", Utf8StringTypeInfo.INSTANCE, BYTES);

    private transient FlinkDispatchStore store;

    @Override
    public void open(OpenContext context) {
        store =
                new FlinkDispatchStore(
                        getRuntimeContext().getState(FACTS),
                        getRuntimeContext().getMapState(LOTS),
                        getRuntimeContext().getMapState(UNITS_SENT));
    }

    @Override
    public void processElement(DispatchNote note, Context context, Collector<LineageMessage> out) {
        DispatchLinks.apply(note, store, out::collect, unit -> context.output(UNITS, unit));
    }
}
