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
        index = indexHarness();
        alerts = alertHarness();
        if (indexState != null) {
            index.initializeState(indexState);
        }
        if (alertState != null) {
            alerts.initializeState(alertState);
        }
        index.open();
        alerts.open();
    }

    /** {@link AffectedShipmentsFunction} keyed as the job keys it (not yet opened). */
    static KeyedTwoInputStreamOperatorTestHarness<
                    String, ShipmentReachChange, LotEntryHolds, ShipmentHoldChange>
            indexHarness() throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new AffectedShipmentsFunction()),
                ShipmentReachChange::lotCode,
                LotEntryHolds::lotCode,
                Utf8StringTypeInfo.INSTANCE);
    }

    /** {@link ShipmentAlertsFunction} keyed as the job keys it (not yet opened). */
    static KeyedTwoInputStreamOperatorTestHarness<
                    String, ShipmentHoldView, ShipmentHoldChange, TraceAlert>
            alertHarness() throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new ShipmentAlertsFunction()),
                ShipmentHoldView::dispatchId,
                ShipmentHoldChange::dispatchId,
                Utf8StringTypeInfo.INSTANCE);
    }

    /** The records a harness emitted so far, from the {@code from}-th on. */
    @SuppressWarnings("unchecked")
    static <T> List<T> records(AbstractStreamOperatorTestHarness<T> harness, int from) {
        List<T> out = new ArrayList<>();
        int i = 0;
        for (Object record : harness.getOutput()) {
            if (record instanceof StreamRecord<?> stream && i++ >= from) {
                out.add((T) stream.getValue());
            }
        }
        return out;
    }

    /** The alert ids {@link ShipmentAlertsFunction} keeps as raised for {@code dispatchId}. */
    static TreeSet<String> raisedIds(
            AbstractStreamOperatorTestHarness<?> alertStage, String dispatchId) throws Exception {
        @SuppressWarnings("unchecked")
        KeyedStateBackend<String> backend =
                (KeyedStateBackend<String>)
                        (KeyedStateBackend<?>) alertStage.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(dispatchId);
        TreeSet<String> ids = new TreeSet<>();
        for (String id :
                WorkOrderLinksFunctionTest.map(backend, ShipmentAlertsFunction.RAISED_ALERTS)
                        .keys()) {
            ids.add(id);
        }
        return ids;
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
    List<ShipmentHoldChange> indexChanges() {
        return records(index, 0);
    }

    /** The alert records the shipment stage sent so far. */
    List<TraceAlert> sent() {
        return records(alerts, 0);
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
        return raisedIds(alerts, dispatchId);
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
