package dev.batchtrace.jobs.lineage;

import dev.batchtrace.lineage.holds.HoldAlerts;
import dev.batchtrace.lineage.holds.HoldEntry;
import dev.batchtrace.lineage.holds.LotEntryHolds;
import dev.batchtrace.lineage.holds.ShipmentHoldChange;
import dev.batchtrace.lineage.holds.ShipmentReachChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The affected-shipments index (issue 9: a flag names its shipments within seconds), keyed by lot
 * code: which shipments reach the lot, through which shipped lots ({@link ShipmentReachChange},
 * from the shipments), and which holds the lot's own entry carries ({@link LotEntryHolds}, from the
 * lot). When either changes, each affected shipment hears it at once ({@link ShipmentHoldChange},
 * to {@link ShipmentAlertsFunction}): a flag crosses no barrier (the flagged lot tells the index as
 * it applies the flag), however deep its shipments are, instead of one checkpoint per level of the
 * closure path, which still carries the same holds and stays the reference (the alert stage takes
 * the union of both).
 *
 * <p>State per lot: one entry per (shipment, shipped lot) reaching it, written only when that
 * changes, and the entry's holds when it has any. A flag reads the lot's entries once.
 */
public final class AffectedShipmentsFunction
        extends KeyedCoProcessFunction<
                String, ShipmentReachChange, LotEntryHolds, ShipmentHoldChange> {

    private static final long serialVersionUID = 1L;

    /** "dispatchId\tshippedLot" -> true: the shipments that reach this lot. */
    static final MapStateDescriptor<String, Boolean> REACHING_SHIPMENTS =
            new MapStateDescriptor<>(
                    "reaching-shipments", Utf8StringTypeInfo.INSTANCE, Types.BOOLEAN);

    /** LotEntryHolds: the holds this lot's entry carries; absent when none. */
    static final ValueStateDescriptor<byte[]> ENTRY_HOLDS =
            new ValueStateDescriptor<>(
                    "entry-holds", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    private transient MapState<String, Boolean> reaching;
    private transient ValueState<byte[]> entryHolds;

    @Override
    public void open(OpenContext context) {
        reaching = getRuntimeContext().getMapState(REACHING_SHIPMENTS);
        entryHolds = getRuntimeContext().getState(ENTRY_HOLDS);
    }

    @Override
    public void processElement1(
            ShipmentReachChange change, Context context, Collector<ShipmentHoldChange> out) {
        String key = HoldAlerts.reachKey(change.dispatchId(), change.shippedLot());
        if (FlinkState.contains(reaching, key) == change.present()) {
            return;
        }
        if (change.present()) {
            FlinkState.mark(reaching, key);
        } else {
            FlinkState.unmark(reaching, key);
        }
        for (HoldEntry hold : holds()) {
            out.collect(
                    new ShipmentHoldChange(
                            change.dispatchId(),
                            change.lotCode(),
                            hold,
                            List.of(change.shippedLot()),
                            change.present()));
        }
    }

    @Override
    public void processElement2(
            LotEntryHolds update, Context context, Collector<ShipmentHoldChange> out) {
        List<HoldEntry> before = holds();
        List<HoldEntry> after = update.holds();
        if (before.equals(after)) {
            return;
        }
        FlinkState.update(entryHolds, after.isEmpty() ? null : update);
        List<HoldEntry> lifted = new ArrayList<>(before);
        lifted.removeAll(after);
        List<HoldEntry> added = new ArrayList<>(after);
        added.removeAll(before);
        // one change per (shipment, hold) naming all its shipped lots: the alert's first record
        // lists every affected line
        for (Map.Entry<String, List<String>> shipment : shipments().entrySet()) {
            for (HoldEntry hold : lifted) {
                out.collect(change(shipment, update.lotCode(), hold, false));
            }
            for (HoldEntry hold : added) {
                out.collect(change(shipment, update.lotCode(), hold, true));
            }
        }
    }

    private static ShipmentHoldChange change(
            Map.Entry<String, List<String>> shipment,
            String lotCode,
            HoldEntry hold,
            boolean present) {
        return new ShipmentHoldChange(
                shipment.getKey(), lotCode, hold, shipment.getValue(), present);
    }

    private List<HoldEntry> holds() {
        LotEntryHolds holds = FlinkState.value(entryHolds, LotEntryHolds.class);
        return holds == null ? List.of() : holds.holds();
    }

    /** dispatchId -> shipped lots, sorted. */
    private TreeMap<String, List<String>> shipments() {
        TreeMap<String, List<String>> shipments = new TreeMap<>();
        for (String key : FlinkState.keys(reaching)) {
            int tab = key.indexOf('\t');
            shipments
                    .computeIfAbsent(key.substring(0, tab), k -> new ArrayList<>())
                    .add(key.substring(tab + 1));
        }
        shipments.values().forEach(lots -> lots.sort(null));
        return shipments;
    }
}
