package dev.batchtrace.jobs.lineage;

import dev.batchtrace.events.TraceAlert;
import dev.batchtrace.lineage.holds.HoldAlert;
import dev.batchtrace.lineage.holds.HoldAlerts;
import dev.batchtrace.lineage.holds.HoldEntry;
import dev.batchtrace.lineage.holds.ShipmentHoldChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * A shipment's hold alerts (AFFECTED_SHIPMENT, SHIPPED_WHILE_ON_HOLD), keyed by dispatch id, from
 * two sources of its holds: the shipment's node (facts and the holds its closure brings: {@link
 * ShipmentHoldView}) and the affected-shipments index ({@link ShipmentHoldChange} from {@link
 * AffectedShipmentsFunction}), which is there in the checkpoint a flag is in. Both converge to the
 * same holds, so their union ({@link HoldAlerts#shipmentAlerts(String,
 * dev.batchtrace.lineage.stock.ShipmentFacts, java.util.Collection, java.util.Collection)}) is the
 * closure's set once the closure path has caught up, and before that raises what the index already
 * knows. The raised alerts are kept here ({@link AlertLedger}): each id OPEN once per episode,
 * RESOLVED with the raisedAt of its OPEN.
 *
 * <p>State per shipment: the view (once the node has written the shipment), one entry per (hold,
 * shipped lot, lot whose entry carries it) from the index, and the raised alerts; the index entries
 * and raised alerts go when the holds do.
 */
public final class ShipmentAlertsFunction
        extends KeyedCoProcessFunction<String, ShipmentHoldView, ShipmentHoldChange, TraceAlert> {

    private static final long serialVersionUID = 1L;

    /** Side output: trace-alerts documents (OPEN, RESOLVED, updated content). */
    public static final OutputTag<DocumentUpdate> DOCUMENTS =
            new OutputTag<>("shipment-alert-documents", TypeInformation.of(DocumentUpdate.class));

    private static final PrimitiveArrayTypeInfo<byte[]> BYTES =
            PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;

    /** ShipmentHoldView without adopted alerts: the node's facts and closure holds. */
    static final ValueStateDescriptor<byte[]> VIEW =
            new ValueStateDescriptor<>("shipment-hold-view", BYTES);

    /** "holdKey\tshippedLot\tentry lot" -> HoldEntry (route to the shipped lot), from the index. */
    static final MapStateDescriptor<String, byte[]> INDEX_HOLDS =
            new MapStateDescriptor<>("index-holds", Utf8StringTypeInfo.INSTANCE, BYTES);

    /** alertId -> RaisedAlert: the shipment's alerts sent as OPEN and not resolved. */
    static final MapStateDescriptor<String, byte[]> RAISED_ALERTS =
            new MapStateDescriptor<>("shipment-raised-alerts", Utf8StringTypeInfo.INSTANCE, BYTES);

    private transient ValueState<byte[]> view;
    private transient MapState<String, byte[]> indexHolds;
    private transient MapState<String, byte[]> raisedAlerts;

    @Override
    public void open(OpenContext context) {
        view = getRuntimeContext().getState(VIEW);
        indexHolds = getRuntimeContext().getMapState(INDEX_HOLDS);
        raisedAlerts = getRuntimeContext().getMapState(RAISED_ALERTS);
    }

    @Override
    public void processElement1(
            ShipmentHoldView update, Context context, Collector<TraceAlert> out) {
        AlertLedger.adopt(raisedAlerts, update.adopted());
        FlinkState.update(view, update.withoutAdopted());
        sendChanges(context, out);
    }

    @Override
    public void processElement2(
            ShipmentHoldChange change, Context context, Collector<TraceAlert> out) {
        for (String shipped : change.shippedLots()) {
            String key =
                    HoldAlerts.reachKey(
                            HoldAlerts.reachKey(change.hold().holdKey(), shipped),
                            change.lotCode());
            FlinkState.put(
                    indexHolds,
                    key,
                    change.present() ? HoldAlerts.reaching(change.hold(), shipped) : null);
        }
        sendChanges(context, out);
    }

    private void sendChanges(Context context, Collector<TraceAlert> out) {
        ShipmentHoldView known = FlinkState.value(view, ShipmentHoldView.class);
        List<HoldEntry> fromIndex = new ArrayList<>();
        for (Map.Entry<String, HoldEntry> entry : FlinkState.entries(indexHolds, HoldEntry.class)) {
            fromIndex.add(entry.getValue());
        }
        List<HoldAlert> current =
                known == null
                        ? List.of()
                        : HoldAlerts.shipmentAlerts(
                                context.getCurrentKey(),
                                known.facts(),
                                known.closureHolds(),
                                fromIndex);
        Instant now = Instant.ofEpochMilli(context.timerService().currentProcessingTime());
        AlertLedger.send(
                raisedAlerts,
                current,
                now,
                new AlertLedger.Sink() {
                    @Override
                    public void alert(TraceAlert alert) {
                        out.collect(alert);
                    }

                    @Override
                    public void document(DocumentUpdate document) {
                        context.output(DOCUMENTS, document);
                    }
                });
    }
}
