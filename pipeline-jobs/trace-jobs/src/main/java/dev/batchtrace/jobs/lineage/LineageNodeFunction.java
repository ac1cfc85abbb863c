package dev.batchtrace.jobs.lineage;

import dev.batchtrace.events.TraceAlert;
import dev.batchtrace.lineage.HoldAlert;
import dev.batchtrace.lineage.HoldAlerts;
import dev.batchtrace.lineage.LineageMessage;
import dev.batchtrace.lineage.NodeKey;
import dev.batchtrace.lineage.NodeProtocol;
import dev.batchtrace.lineage.NodeSnapshot;
import dev.batchtrace.lineage.TraceDocuments;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Stage 2: one genealogy node (a lot or a shipment), keyed by {@link NodeKey#toString()}. Runs the
 * model's closure protocol ({@link NodeProtocol}) over this node's Flink state; messages for other
 * nodes (closures to children) are the main output and go to the feedback topic. When the node's
 * document changed it is marked dirty and emitted once from a processing-time timer {@code
 * coalesceDelay} later (side output {@link #DOCUMENTS}): a resin lot consumed 10,000 times is
 * rewritten a handful of times, not 10,000.
 *
 * <p>Quality holds (issue 4): lot flags and lot usages arrive as messages like the rest; the holds
 * travel with the closures. On the same timer the node derives its hold alerts ({@link
 * HoldAlerts#of}), compares them with the alerts it has raised (state {@link #RAISED_ALERTS}) and
 * sends the difference: new ids OPEN, vanished ids RESOLVED, as Avro records to {@link #ALERTS} and
 * as {@code trace-alerts} documents to {@link #DOCUMENTS}. Alert ids are deterministic and the
 * raised set is checkpointed with the output, so a restore or a replay sends no alert twice.
 *
 * <p>State kept forever (no TTL, by design): facts, parent and child links (including removed-via
 * tombstones), the contributions of current parents (a removed parent's is deleted), the closure
 * slots, the inherited hold counts and the header. The genealogy is the product: a recall reaches
 * back years, to lots whose last event is long past, and a new work order may consume a lot at any
 * time; expiring any piece would silently cut the closure. Size grows with lots and edges, which is
 * why every piece is its own RocksDB-friendly ValueState/MapState. The flag history, the lot usage
 * and the raised alerts are kept the same way (a hold may be released years later), and so are the
 * lot's QC checks and machine runs (a recall asks for them years later; a lot keeps one small
 * summary per machine of the work order that made it, whatever the event volume). Only the
 * pending-timer marker is cleared (by its timer).
 */
public class LineageNodeFunction
        extends KeyedProcessFunction<String, LineageMessage, LineageMessage> {

    private static final long serialVersionUID = 1L;

    /** Side output: trace documents of lots and shipments (coalesced). */
    public static final OutputTag<DocumentUpdate> DOCUMENTS =
            new OutputTag<>("node-documents", TypeInformation.of(DocumentUpdate.class));

    /**
     * Side output: hold alert records for the topic trace.alerts (OPEN when raised, RESOLVED when
     * the hold or the path that carried it is gone), each id OPEN at most once per episode.
     */
    public static final OutputTag<TraceAlert> ALERTS =
            new OutputTag<>("hold-alerts", TypeInformation.of(TraceAlert.class));

    private static final TypeInformation<byte[]> BYTES =
            PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;

    /** LotFactsSummary: the lot's flat facts and exact quantity, derived from its sources. */
    public static final ValueStateDescriptor<byte[]> LOT_FACTS =
            new ValueStateDescriptor<>("lot-facts-summary", BYTES);

    /** source key (receiptId, output eventId) -> LotSource: one entry per source (issue 9). */
    public static final MapStateDescriptor<String, byte[]> LOT_SOURCES =
            new MapStateDescriptor<>("lot-sources", Types.STRING, BYTES);

    public static final ValueStateDescriptor<byte[]> SHIPMENT_FACTS =
            new ValueStateDescriptor<>("shipment-facts", BYTES);

    /** parent node key -> Link (vias); the edge exists while a via is present. */
    public static final MapStateDescriptor<String, byte[]> PARENTS =
            new MapStateDescriptor<>("parents", Types.STRING, BYTES);

    /** child node key -> Link (vias). */
    public static final MapStateDescriptor<String, byte[]> CHILDREN =
            new MapStateDescriptor<>("children", Types.STRING, BYTES);

    /** sender node key -> its newest Announcement (waits here until the sender is a parent). */
    public static final MapStateDescriptor<String, byte[]> CONTRIBUTIONS =
            new MapStateDescriptor<>("contributions", Types.STRING, BYTES);

    /** NodeHeader: announcement version, the lot's own entry, parent and closure counts. */
    public static final ValueStateDescriptor<byte[]> HEADER =
            new ValueStateDescriptor<>("node-header", BYTES);

    /** lot code -> ClosureSlot: the node's closure, one entry per ancestor lot. */
    public static final MapStateDescriptor<String, byte[]> CLOSURE =
            new MapStateDescriptor<>("closure", Types.STRING, BYTES);

    /** hold key -> HoldCount: holds carried by closure entries, counted. */
    public static final MapStateDescriptor<String, byte[]> INHERITED_HOLDS =
            new MapStateDescriptor<>("inherited-holds", Types.STRING, BYTES);

    /** FlagHistory: the lot's newest RELEASE and the HOLDs after it (only a flagged lot). */
    public static final ValueStateDescriptor<byte[]> FLAG_HISTORY =
            new ValueStateDescriptor<>("flag-history", BYTES);

    /** LotUsage: consumptions, reversals and dispatch lines of the lot (for AFFECTED_STOCK). */
    public static final MapStateDescriptor<String, byte[]> LOT_USAGE =
            new MapStateDescriptor<>("lot-usage-items", Types.STRING, BYTES);

    /** QcChecks: the lot's QC checks by checkId (issue 5). */
    public static final ValueStateDescriptor<byte[]> QC_CHECKS =
            new ValueStateDescriptor<>("qc-checks", BYTES);

    /** MachineRunSummaries: the machine runs of the work orders that produced the lot (issue 5). */
    public static final ValueStateDescriptor<byte[]> MACHINE_RUNS =
            new ValueStateDescriptor<>("machine-runs", BYTES);

    /** alertId -> RaisedAlert: the alerts this node has sent as OPEN and not resolved. */
    public static final MapStateDescriptor<String, byte[]> RAISED_ALERTS =
            new MapStateDescriptor<>("raised-alerts", Types.STRING, BYTES);

    /** processing time of the pending document timer; null when the document is not dirty. */
    public static final ValueStateDescriptor<Long> DOCUMENT_TIMER = DocumentTimer.descriptor();

    private final Duration coalesceDelay;
    private final int hubFanIn;
    private final boolean paced;

    private transient FlinkNodeStore store;
    private transient DocumentTimer documentTimer;
    private transient MapState<String, byte[]> raisedAlerts;

    public LineageNodeFunction(Duration coalesceDelay) {
        this(coalesceDelay, NodeProtocol.DEFAULT_HUB_FAN_IN);
    }

    /**
     * @param hubFanIn lot parents from which a lot is a hub (its closure indexed once, in {@code
     *     trace-closures}, not copied into every descendant)
     */
    public LineageNodeFunction(Duration coalesceDelay, int hubFanIn) {
        this(coalesceDelay, hubFanIn, false);
    }

    /**
     * @param paced whether slow documents are written less often (see {@link DocumentTimer})
     */
    public LineageNodeFunction(Duration coalesceDelay, int hubFanIn, boolean paced) {
        this.coalesceDelay = coalesceDelay;
        this.hubFanIn = hubFanIn;
        this.paced = paced;
    }

    @Override
    public void open(OpenContext context) {
        store =
                new FlinkNodeStore(
                        getRuntimeContext().getState(LOT_FACTS),
                        getRuntimeContext().getMapState(LOT_SOURCES),
                        getRuntimeContext().getState(SHIPMENT_FACTS),
                        getRuntimeContext().getMapState(PARENTS),
                        getRuntimeContext().getMapState(CHILDREN),
                        getRuntimeContext().getMapState(CONTRIBUTIONS),
                        getRuntimeContext().getState(HEADER),
                        getRuntimeContext().getMapState(CLOSURE),
                        getRuntimeContext().getMapState(INHERITED_HOLDS),
                        getRuntimeContext().getState(FLAG_HISTORY),
                        getRuntimeContext().getMapState(LOT_USAGE),
                        getRuntimeContext().getState(QC_CHECKS),
                        getRuntimeContext().getState(MACHINE_RUNS));
        documentTimer =
                new DocumentTimer(
                        getRuntimeContext().getState(DOCUMENT_TIMER), coalesceDelay, paced);
        raisedAlerts = getRuntimeContext().getMapState(RAISED_ALERTS);
    }

    @Override
    public void processElement(
            LineageMessage message, Context context, Collector<LineageMessage> out)
            throws Exception {
        if (!message.target().toString().equals(context.getCurrentKey())) {
            throw new IllegalStateException(
                    "message for "
                            + message.target()
                            + " arrived at key "
                            + context.getCurrentKey()
                            + ": the stream must be keyed by target().toString()");
        }
        // a hub's closure member documents are written as they change (one per changed member,
        // each written once: nothing to coalesce)
        boolean documentChanged =
                NodeProtocol.apply(
                        message,
                        store,
                        hubFanIn,
                        out::collect,
                        member -> context.output(DOCUMENTS, DocumentUpdate.of(member)));
        documentTimer.changed(documentChanged, context.timerService(), context.getCurrentKey());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<LineageMessage> out)
            throws Exception {
        documentTimer.fired();
        long started = System.nanoTime();
        NodeKey node = NodeKey.parse(context.getCurrentKey());
        // the document and the alerts read the same pieces: decode each once
        NodeSnapshot snapshot = NodeSnapshot.of(store);
        context.output(DOCUMENTS, DocumentUpdate.of(TraceDocuments.node(node, snapshot)));
        sendAlertChanges(
                node,
                snapshot,
                Instant.ofEpochMilli(context.timerService().currentProcessingTime()),
                context);
        documentTimer.built(context.getCurrentKey(), (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Alerts are re-derived only when the node signalled a change (the document timer), which the
     * model guarantees covers every change of its alerts.
     */
    private void sendAlertChanges(
            NodeKey node, NodeSnapshot snapshot, Instant now, OnTimerContext context) {
        Map<String, RaisedAlert> raised = new TreeMap<>();
        for (Map.Entry<String, RaisedAlert> entry :
                FlinkState.entries(raisedAlerts, RaisedAlert.class)) {
            raised.put(entry.getKey(), entry.getValue());
        }
        Map<String, HoldAlert> raisedById = new TreeMap<>();
        raised.forEach((id, r) -> raisedById.put(id, r.alert()));
        List<HoldAlert> current = HoldAlerts.of(node, snapshot);
        for (HoldAlert change : HoldAlerts.changes(raisedById, current)) {
            if (change.isOpen()) {
                FlinkState.put(raisedAlerts, change.alertId(), new RaisedAlert(change, now));
                context.output(ALERTS, change.toTraceAlert(now));
                context.output(DOCUMENTS, DocumentUpdate.of(change.toDocument(now, null)));
            } else {
                Instant raisedAt = raised.get(change.alertId()).raisedAt();
                FlinkState.put(raisedAlerts, change.alertId(), null);
                context.output(ALERTS, change.toTraceAlert(raisedAt));
                context.output(DOCUMENTS, DocumentUpdate.of(change.toDocument(raisedAt, now)));
            }
        }
        // Same id, new content (less stock left, another route): the document follows, the
        // topic does not repeat the alert.
        for (HoldAlert update : HoldAlerts.updates(raisedById, current)) {
            Instant raisedAt = raised.get(update.alertId()).raisedAt();
            FlinkState.put(raisedAlerts, update.alertId(), new RaisedAlert(update, raisedAt));
            context.output(DOCUMENTS, DocumentUpdate.of(update.toDocument(raisedAt, null)));
        }
    }
}
