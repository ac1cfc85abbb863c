package dev.batchtrace.jobs.lineage;

import dev.batchtrace.events.TraceAlert;
import dev.batchtrace.lineage.holds.LotEntryHolds;
import dev.batchtrace.lineage.holds.ShipmentHoldChange;
import dev.batchtrace.lineage.holds.ShipmentReachChange;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;

/**
 * The two stages behind the node stage that raise shipment alerts, in Flink's keyed two-input
 * harnesses, wired as the job wires them: the node's reach and entry-hold side outputs into the
 * affected-shipments index ({@link AffectedShipmentsFunction}), its output and the node's shipment
 * views into {@link ShipmentAlertsFunction}. {@link #drain} forwards what a node harness emitted
 * since the last call.
 */
final class ShipmentAlertStages implements AutoCloseable {

    final KeyedTwoInputStreamOperatorTestHarness<
                    String, ShipmentReachChange, LotEntryHolds, ShipmentHoldChange>
            index;
    final KeyedTwoInputStreamOperatorTestHarness<
                    String, ShipmentHoldView, ShipmentHoldChange, TraceAlert>
            alerts;
    private int reachSeen;
    private int entrySeen;
    private int viewSeen;
    private int indexSeen;

    ShipmentAlertStages() throws Exception {
        this(null, null);
    }

    /** Restored from two snapshots of an earlier instance ({@link #snapshot}) if not null. */
    ShipmentAlertStages(OperatorSubtaskState indexState, OperatorSubtaskState alertState)
            throws Exception {
        index =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(new AffectedShipmentsFunction()),
                        ShipmentReachChange::lotCode,
                        LotEntryHolds::lotCode,
                        Utf8StringTypeInfo.INSTANCE);
        alerts =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(new ShipmentAlertsFunction()),
                        ShipmentHoldView::dispatchId,
                        ShipmentHoldChange::dispatchId,
                        Utf8StringTypeInfo.INSTANCE);
        if (indexState != null) {
            index.initializeState(indexState);
        }
        if (alertState != null) {
            alerts.initializeState(alertState);
        }
        index.open();
        alerts.open();
    }

    void setProcessingTime(long now) throws Exception {
        index.setProcessingTime(now);
        alerts.setProcessingTime(now);
    }

    /**
     * Forwards the node harness's side outputs not yet forwarded; {@code fromStart} after the node
     * harness was replaced (its queues start empty).
     */
    void drain(AbstractStreamOperatorTestHarness<?> node, boolean fromStart) throws Exception {
        if (fromStart) {
            reachSeen = 0;
            entrySeen = 0;
            viewSeen = 0;
        }
        List<ShipmentReachChange> reach =
                since(node, LineageNodeFunction.SHIPMENT_REACH, reachSeen);
        reachSeen += reach.size();
        for (ShipmentReachChange change : reach) {
            index.processElement1(new StreamRecord<>(change, 0));
        }
        List<LotEntryHolds> entries = since(node, LineageNodeFunction.LOT_ENTRY_HOLDS, entrySeen);
        entrySeen += entries.size();
        for (LotEntryHolds update : entries) {
            index.processElement2(new StreamRecord<>(update, 0));
        }
        List<ShipmentHoldView> views =
                since(node, LineageNodeFunction.SHIPMENT_HOLD_VIEWS, viewSeen);
        viewSeen += views.size();
        for (ShipmentHoldView view : views) {
            alerts.processElement1(new StreamRecord<>(view, 0));
        }
        List<ShipmentHoldChange> changes = indexChanges();
        for (int i = indexSeen; i < changes.size(); i++) {
            alerts.processElement2(new StreamRecord<>(changes.get(i), 0));
        }
        indexSeen = changes.size();
    }

    /** Every change the index sent so far. */
    @SuppressWarnings("unchecked")
    List<ShipmentHoldChange> indexChanges() {
        List<ShipmentHoldChange> out = new ArrayList<>();
        for (Object record : index.getOutput()) {
            if (record instanceof StreamRecord<?> stream) {
                out.add((ShipmentHoldChange) stream.getValue());
            }
        }
        return out;
    }

    /** The alert records the shipment stage sent so far. */
    List<TraceAlert> sent() {
        List<TraceAlert> out = new ArrayList<>();
        for (Object record : alerts.getOutput()) {
            if (record instanceof StreamRecord<?> stream) {
                out.add((TraceAlert) stream.getValue());
            }
        }
        return out;
    }

    /** The trace-alerts documents the shipment stage sent so far. */
    List<DocumentUpdate> documents() {
        List<DocumentUpdate> out = new ArrayList<>();
        var side = alerts.getSideOutput(ShipmentAlertsFunction.DOCUMENTS);
        if (side != null) {
            side.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    /** The alert ids the shipment stage keeps as raised for {@code dispatchId}. */
    TreeSet<String> raisedIds(String dispatchId) throws Exception {
        @SuppressWarnings("unchecked")
        KeyedStateBackend<String> backend =
                (KeyedStateBackend<String>)
                        (KeyedStateBackend<?>) alerts.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(dispatchId);
        TreeSet<String> ids = new TreeSet<>();
        for (String id :
                WorkOrderLinksFunctionTest.map(backend, ShipmentAlertsFunction.RAISED_ALERTS)
                        .keys()) {
            ids.add(id);
        }
        return ids;
    }

    /**
     * The index's and the alert stage's snapshots, for {@link
     * #ShipmentAlertStages(OperatorSubtaskState, OperatorSubtaskState)}.
     */
    OperatorSubtaskState[] snapshot(long checkpointId) throws Exception {
        return new OperatorSubtaskState[] {
            index.snapshot(checkpointId, 0), alerts.snapshot(checkpointId, 0)
        };
    }

    @Override
    public void close() throws Exception {
        index.close();
        alerts.close();
    }

    private static <X> List<X> since(
            AbstractStreamOperatorTestHarness<?> node, OutputTag<X> tag, int seen) {
        Collection<StreamRecord<X>> side = node.getSideOutput(tag);
        List<X> out = new ArrayList<>();
        if (side == null) {
            return out;
        }
        int i = 0;
        for (StreamRecord<X> record : side) {
            if (i++ >= seen) {
                out.add(record.getValue());
            }
        }
        return out;
    }
}
