package dev.batchtrace.jobs.lineage;

import dev.batchtrace.events.TraceAlert;
import dev.batchtrace.lineage.holds.HoldAlert;
import dev.batchtrace.lineage.holds.HoldAlerts;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.state.MapState;

/**
 * The alerts a node or shipment has raised (state alertId -> {@link RaisedAlert}) and what to send
 * when its current alert set differs: new ids OPEN, vanished ids RESOLVED (with the raisedAt of
 * their OPEN), as Avro records and as {@code trace-alerts} documents; an alert whose content
 * changed under the same id only updates its document. Ids are deterministic and the raised set is
 * checkpointed with the output, so a restore or a replay sends no alert twice. Raised alerts are
 * kept in {@link AlertStateCodec}'s layout ({@link FlinkState}), a lot's and a shipment's alike.
 */
final class AlertLedger {

    /** Where the records and documents go. */
    interface Sink {
        void alert(TraceAlert alert);

        void document(DocumentUpdate document);
    }

    private AlertLedger() {}

    static void send(
            MapState<String, byte[]> raisedAlerts,
            List<HoldAlert> current,
            Instant now,
            Sink sink) {
        Map<String, RaisedAlert> raised = new HashMap<>();
        // sorted by id: HoldAlerts.changes walks it in that order without a copy of its own
        TreeMap<String, HoldAlert> raisedById = new TreeMap<>();
        for (Map.Entry<String, RaisedAlert> entry :
                FlinkState.entries(raisedAlerts, RaisedAlert.class)) {
            raised.put(entry.getKey(), entry.getValue());
            raisedById.put(entry.getKey(), entry.getValue().alert());
        }
        for (HoldAlert change : HoldAlerts.changes(raisedById, current)) {
            if (change.isOpen()) {
                FlinkState.put(raisedAlerts, change.alertId(), new RaisedAlert(change, now));
                sink.alert(change.toTraceAlert(now));
                sink.document(DocumentUpdate.of(change.toDocument(now, null)));
            } else {
                Instant raisedAt = raised.get(change.alertId()).raisedAt();
                FlinkState.put(raisedAlerts, change.alertId(), null);
                sink.alert(change.toTraceAlert(raisedAt));
                sink.document(DocumentUpdate.of(change.toDocument(raisedAt, now)));
            }
        }
        // Same id, new content (less stock left, another route): the document follows, the
        // topic does not repeat the alert.
        for (HoldAlert update : HoldAlerts.updates(raisedById, current)) {
            Instant raisedAt = raised.get(update.alertId()).raisedAt();
            FlinkState.put(raisedAlerts, update.alertId(), new RaisedAlert(update, raisedAt));
            sink.document(DocumentUpdate.of(update.toDocument(raisedAt, null)));
        }
    }

    /** Takes over alerts raised elsewhere (keeping their raisedAt) unless already raised here. */
    static void adopt(MapState<String, byte[]> raisedAlerts, List<RaisedAlert> adopted) {
        for (RaisedAlert alert : adopted) {
            if (FlinkState.get(raisedAlerts, alert.alert().alertId(), RaisedAlert.class) == null) {
                FlinkState.put(raisedAlerts, alert.alert().alertId(), alert);
            }
        }
    }
}
