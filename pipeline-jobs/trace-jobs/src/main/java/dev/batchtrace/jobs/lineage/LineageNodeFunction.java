package dev.batchtrace.jobs.lineage;

import dev.batchtrace.events.TraceAlert;
import dev.batchtrace.lineage.closure.Announcement;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.closure.Link;
import dev.batchtrace.lineage.closure.NodeKey;
import dev.batchtrace.lineage.closure.NodeProtocol;
import dev.batchtrace.lineage.closure.NodeSnapshot;
import dev.batchtrace.lineage.closure.NodeStore;
import dev.batchtrace.lineage.documents.TraceDocuments;
import dev.batchtrace.lineage.holds.HoldAlerts;
import dev.batchtrace.lineage.holds.HoldEntry;
import dev.batchtrace.lineage.holds.LotEntryHolds;
import dev.batchtrace.lineage.holds.ShipmentReachChange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Stage 2: one genealogy node (a lot or a shipment), keyed by {@link NodeKey#toString()}. Runs the
 * model's closure protocol ({@link NodeProtocol}) over this node's Flink state; messages for other
 * nodes (closures to children) are the main output and go to the feedback topic.
 *
 * <p>Once per checkpoint (issue 9): what a node sends and writes waits for the next checkpoint
 * barrier ({@link LineageNodeOperator} calls {@link #flush} for every node changed since the last
 * one), since nothing it sends becomes visible before that checkpoint commits anyway. A node that
 * hears from its parents several times between two checkpoints (a closure arriving level by level
 * and from several parents, a resin lot consumed 100 times a second) sends each child one
 * difference ({@link NodeProtocol#applyDeferred}) and writes its document once (side output {@link
 * #DOCUMENTS}). A processing-time timer {@code fallbackDelay} after the first change does the same
 * when no barrier came first (no checkpointing). Once barriers come, no node has a timer: a
 * document a barrier leaves waiting is marked in state instead ({@link #DOCUMENT_TIMER}), and a
 * restore finds the marked nodes ({@link #owed}).
 *
 * <p>Quality holds (issue 4): lot flags and lot usages arrive as messages like the rest; the holds
 * travel with the closures. On the same timer a lot derives its stock alerts ({@link
 * HoldAlerts#of}), compares them with the alerts it has raised (state {@link #RAISED_ALERTS}) and
 * sends the difference: new ids OPEN, vanished ids RESOLVED, as Avro records to {@link #ALERTS} and
 * as {@code trace-alerts} documents to {@link #DOCUMENTS}. Alert ids are deterministic and the
 * raised set is checkpointed with the output, so a restore or a replay sends no alert twice. A
 * shipment's alerts are raised by {@link ShipmentAlertsFunction} from what the shipment sends
 * ({@link #SHIPMENT_HOLD_VIEWS}) and from the affected-shipments index ({@link
 * AffectedShipmentsFunction}: {@link #SHIPMENT_REACH}, {@link #LOT_ENTRY_HOLDS}), so that a flag
 * reaches every shipment in the checkpoint it is in (the flagged lot sends its entry's holds to the
 * index as it applies the flag), not one checkpoint per level.
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

    /** Gauge: documents the last barrier left for a later one. */
    public static final String METRIC_DOCUMENTS_WAITING = "documentsWaiting";

    /** Gauge: how long the last barrier's flush took, and the documents' part of it (ms). */
    public static final String METRIC_BARRIER_MILLIS = "barrierMillis";

    public static final String METRIC_BARRIER_DOCUMENT_MILLIS = "barrierDocumentMillis";

    /** Counter: documents built and equal to the node's last written one, so not sent. */
    public static final String METRIC_DOCUMENTS_UNCHANGED = "documentsUnchanged";

    private static final TypeInformation<byte[]> BYTES =
            PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;

    /** LotFactsSummary: the lot's flat facts and exact quantity, derived from its sources. */
    public static final ValueStateDescriptor<byte[]> LOT_FACTS =
            new ValueStateDescriptor<>("lot-facts-summary", BYTES);

    /** source key (receiptId, output eventId) -> LotSource: one entry per source (issue 9). */
    public static final MapStateDescriptor<String, byte[]> LOT_SOURCES =
            new MapStateDescriptor<>("lot-sources", Utf8StringTypeInfo.INSTANCE, BYTES);

    public static final ValueStateDescriptor<byte[]> SHIPMENT_FACTS =
            new ValueStateDescriptor<>("shipment-facts", BYTES);

    /** parent node key -> Link (vias); the edge exists while a via is present. */
    public static final MapStateDescriptor<String, byte[]> PARENTS =
            new MapStateDescriptor<>("parents", Utf8StringTypeInfo.INSTANCE, BYTES);

    /** child node key -> Link (vias). */
    public static final MapStateDescriptor<String, byte[]> CHILDREN =
            new MapStateDescriptor<>("children", Utf8StringTypeInfo.INSTANCE, BYTES);

    /** sender node key -> its newest Announcement (waits here until the sender is a parent). */
    public static final MapStateDescriptor<String, byte[]> CONTRIBUTIONS =
            new MapStateDescriptor<>("contributions", Utf8StringTypeInfo.INSTANCE, BYTES);

    /** NodeHeader: announcement version, the lot's own entry, parent and closure counts. */
    public static final ValueStateDescriptor<byte[]> HEADER =
            new ValueStateDescriptor<>("node-header", BYTES);

    /** lot code -> ClosureSlot: the node's closure, one entry per ancestor lot. */
    public static final MapStateDescriptor<String, byte[]> CLOSURE =
            new MapStateDescriptor<>("closure", Utf8StringTypeInfo.INSTANCE, BYTES);

    /** hold key -> HoldCount: holds carried by closure entries, counted. */
    public static final MapStateDescriptor<String, byte[]> INHERITED_HOLDS =
            new MapStateDescriptor<>("inherited-holds", Utf8StringTypeInfo.INSTANCE, BYTES);

    /** FlagHistory: the lot's newest RELEASE and the HOLDs after it (only a flagged lot). */
    public static final ValueStateDescriptor<byte[]> FLAG_HISTORY =
            new ValueStateDescriptor<>("flag-history", BYTES);

    /** LotUsage: consumptions, reversals and dispatch lines of the lot (for AFFECTED_STOCK). */
    public static final MapStateDescriptor<String, byte[]> LOT_USAGE =
            new MapStateDescriptor<>("lot-usage-items", Utf8StringTypeInfo.INSTANCE, BYTES);

    /** QcChecks: the lot's QC checks by checkId (issue 5). */
    public static final ValueStateDescriptor<byte[]> QC_CHECKS =
            new ValueStateDescriptor<>("qc-checks", BYTES);

    /** MachineRunSummaries: the machine runs of the work orders that produced the lot (issue 5). */
    public static final ValueStateDescriptor<byte[]> MACHINE_RUNS =
            new ValueStateDescriptor<>("machine-runs", BYTES);

    /**
     * alertId -> RaisedAlert: the stock alerts this lot has sent as OPEN and not resolved (a
     * shipment's until state version 9; {@link ShipmentAlertsFunction} raises them since).
     */
    public static final MapStateDescriptor<String, byte[]> RAISED_ALERTS =
            new MapStateDescriptor<>("raised-alerts", Utf8StringTypeInfo.INSTANCE, BYTES);

    /**
     * Side output: the affected-shipments index's entries, from shipments ({@link
     * AffectedShipmentsFunction}, keyed by lot code).
     */
    public static final OutputTag<ShipmentReachChange> SHIPMENT_REACH =
            new OutputTag<>("shipment-reach", ModelTypeInfo.of(ShipmentReachChange.class));

    /** Side output: a lot's entry carries other holds now (to the affected-shipments index). */
    public static final OutputTag<LotEntryHolds> LOT_ENTRY_HOLDS =
            new OutputTag<>("lot-entry-holds", ModelTypeInfo.of(LotEntryHolds.class));

    /**
     * Side output: a shipment's facts and closure holds changed ({@link ShipmentAlertsFunction}).
     */
    public static final OutputTag<ShipmentHoldView> SHIPMENT_HOLD_VIEWS =
            new OutputTag<>("shipment-hold-views", ModelTypeInfo.of(ShipmentHoldView.class));

    /** A shipment: shipped lot -> IndexedReach, the index entries it has sent through it. */
    public static final MapStateDescriptor<String, byte[]> INDEXED_REACH =
            new MapStateDescriptor<>("indexed-reach", Utf8StringTypeInfo.INSTANCE, BYTES);

    /** A lot: LotEntryHolds last sent to the index; absent when none. */
    public static final ValueStateDescriptor<byte[]> SENT_ENTRY_HOLDS =
            new ValueStateDescriptor<>("sent-entry-holds", BYTES);

    /** A shipment: the ShipmentHoldView last sent (encoded), to send only changes. */
    public static final ValueStateDescriptor<byte[]> SENT_HOLD_VIEW =
            new ValueStateDescriptor<>("sent-hold-view", BYTES);

    /**
     * {@link DocumentFingerprint} of the node's document as last written; absent before the first.
     * Checkpointed with the output, so after a restore it matches what the documents topic holds.
     */
    public static final ValueStateDescriptor<Long> DOCUMENT_FINGERPRINT =
            new ValueStateDescriptor<>("document-fingerprint", Types.LONG);

    /**
     * The node owes work: the processing time of its fallback timer (before the first barrier), or
     * {@link Long#MAX_VALUE} for a document a barrier left waiting; null when nothing is owed.
     */
    public static final ValueStateDescriptor<Long> DOCUMENT_TIMER = DocumentTimer.descriptor();

    /**
     * Marks held on the heap ({@link AnnouncementMarks}) above which the nodes that owe send their
     * differences at once, before the barrier: a long checkpoint in a large replay must not grow
     * the heap without bound (a mark is a set entry: about 50 bytes, the lot code is shared).
     */
    static final long MARK_LIMIT = 1_000_000;

    private final Duration coalesceDelay;
    private final int hubFanIn;
    private final boolean paced;

    private transient FlinkNodeStore store;
    private transient AnnouncementMarks marks;

    /** The operator's current key (set by {@link LineageNodeOperator}). */
    private transient Supplier<Object> currentKey;

    private long markLimit = MARK_LIMIT;
    private transient DocumentTimer documentTimer;
    private transient MapState<String, byte[]> raisedAlerts;
    private transient MapState<String, byte[]> indexedReach;
    private transient ValueState<byte[]> sentEntryHolds;
    private transient ValueState<byte[]> sentHoldView;
    private transient ValueState<Long> documentFingerprint;
    private transient Counter documentsUnchanged;

    /**
     * While documents wait, at most this share of the task's time between two barriers goes to
     * writing them (oldest first), so that in a replay the closures move on and a document waiting
     * for the next barrier takes in more changes; one that fits is written at the first barrier.
     */
    static final double DOCUMENT_SHARE = 0.25;

    /** The document budget of a barrier is at least this long (a short interval). */
    static final long MIN_DOCUMENT_NANOS = 50_000_000L;

    private static final int DOCUMENT = 1;
    private static final int ANNOUNCEMENT = 2;

    /** A hold reached or left the node: its alerts go at the barrier, whatever the budget. */
    private static final int URGENT = 4;

    /**
     * The node's mark ({@link #DOCUMENT_TIMER}) is set: a fallback timer, or a waiting document.
     */
    private static final int TIMER = 8;

    /**
     * Nodes changed since their last flush: {@link #DOCUMENT} and/or {@link #ANNOUNCEMENT} bits, in
     * order of their first change. Per task, not in state: every barrier sends every announcement
     * before the snapshot, and a document a barrier leaves waiting is marked in state at that
     * barrier (the snapshot has the mark; a restore reads the marks, {@link #owed}); a change after
     * the barrier is replayed from the input after a restore.
     */
    private transient LinkedHashMap<String, Integer> due;

    /** System.nanoTime() at the end of the last barrier; 0 before the first. */
    private transient long lastBarrierNanos;

    /** Gauges (read by the metrics thread): the last barrier's deferred documents and times. */
    private transient volatile int documentsWaiting;

    private transient volatile long barrierDocumentNanos;

    private transient volatile long barrierNanos;

    private double documentShare = DOCUMENT_SHARE;
    private long minDocumentNanos = MIN_DOCUMENT_NANOS;

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

    /** Another document budget per barrier (tests: 0 and 0 write no document after the first). */
    LineageNodeFunction withDocumentBudget(double share, long minNanos) {
        this.documentShare = share;
        this.minDocumentNanos = minNanos;
        return this;
    }

    @Override
    public void open(OpenContext context) {
        marks = new AnnouncementMarks();
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
                        getRuntimeContext().getState(MACHINE_RUNS),
                        marks,
                        this::currentNode);
        documentTimer =
                new DocumentTimer(
                        getRuntimeContext().getState(DOCUMENT_TIMER), coalesceDelay, paced);
        raisedAlerts = getRuntimeContext().getMapState(RAISED_ALERTS);
        indexedReach = getRuntimeContext().getMapState(INDEXED_REACH);
        sentEntryHolds = getRuntimeContext().getState(SENT_ENTRY_HOLDS);
        sentHoldView = getRuntimeContext().getState(SENT_HOLD_VIEW);
        documentFingerprint = getRuntimeContext().getState(DOCUMENT_FINGERPRINT);
        due = new LinkedHashMap<>();
        // what a barrier left for later, and what it cost: where a document's wait comes from
        getRuntimeContext()
                .getMetricGroup()
                .gauge(METRIC_DOCUMENTS_WAITING, () -> documentsWaiting);
        getRuntimeContext()
                .getMetricGroup()
                .gauge(METRIC_BARRIER_DOCUMENT_MILLIS, () -> barrierDocumentNanos / 1_000_000);
        getRuntimeContext()
                .getMetricGroup()
                .gauge(METRIC_BARRIER_MILLIS, () -> barrierNanos / 1_000_000);
        // documents built and found equal to the one written last: not sent
        documentsUnchanged =
                getRuntimeContext().getMetricGroup().counter(METRIC_DOCUMENTS_UNCHANGED);
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
        NodeProtocol.Applied applied =
                NodeProtocol.applyDeferred(
                        message,
                        store,
                        hubFanIn,
                        out::collect,
                        member -> context.output(DOCUMENTS, DocumentUpdate.of(member)));
        int changed =
                (applied.documentChanged() ? DOCUMENT : 0)
                        | (applied.announcementPending() ? ANNOUNCEMENT : 0)
                        | (applied.holdsChanged() ? URGENT | DOCUMENT : 0);
        if (applied.holdsChanged() && message.target().isLot()) {
            // a flag on this lot goes to the affected-shipments index now, not at the barrier:
            // its shipments' alerts then go into the checkpoint the flag is in (one interval
            // sooner), and the entry's holds are in the header already (cheap to read)
            sendEntryHolds(message.target(), store, outputs(context, out));
        }
        if (changed != 0) {
            String key = context.getCurrentKey();
            Integer before = due.get(key);
            int bits = (before == null ? 0 : before) | changed;
            if (lastBarrierNanos == 0 && (bits & TIMER) == 0) {
                // no barrier yet (no checkpointing?): a fallback timer per node; after one, a
                // timer per changed node cost a state read, write and delete and a timer queue
                // entry for nothing (the barrier does the work: JFR, ~8 % of the stage)
                documentTimer.changed(true, context.timerService(), key);
                bits |= TIMER;
            }
            due.put(key, bits);
        }
    }

    /** Side outputs of the node stage, from a timer's context or from the operator at a barrier. */
    interface Outputs {
        void feedback(LineageMessage message);

        <X> void side(OutputTag<X> tag, X value);
    }

    /**
     * At a checkpoint barrier: every changed node sends its difference to its children, and the
     * documents are written oldest first within the budget ({@link #DOCUMENT_SHARE}); a slow
     * document waits for its pace. A node a hold reached or left sends its alerts at once, whatever
     * the budget (a flag must name every affected shipment within seconds); its document follows
     * within the budget. {@code setKey} makes a node the current key.
     */
    void barrier(long now, Consumer<String> setKey, Outputs outputs) {
        long started = System.nanoTime();
        long budget =
                lastBarrierNanos == 0
                        ? Long.MAX_VALUE
                        : Math.max(
                                minDocumentNanos,
                                (long) (documentShare * (started - lastBarrierNanos)));
        long spent = 0;
        int waiting = 0;
        for (Iterator<Map.Entry<String, Integer>> it = due.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Integer> entry = it.next();
            String key = entry.getKey();
            int bits = entry.getValue();
            boolean announce = (bits & ANNOUNCEMENT) != 0;
            boolean document = (bits & DOCUMENT) != 0;
            boolean write = document && spent < budget && !documentTimer.isPaced(key, now);
            boolean alerts = !write && (bits & URGENT) != 0;
            if (!announce && !write && !alerts) {
                if (document) {
                    keepAcrossARestore(entry, setKey);
                    waiting++;
                }
                continue;
            }
            setKey.accept(key);
            NodeKey node = NodeKey.parse(key);
            if (announce) {
                NodeProtocol.flush(node, store, outputs::feedback);
            }
            if (write) {
                long writeStarted = System.nanoTime();
                writeDocument(key, node, now, outputs);
                spent += System.nanoTime() - writeStarted;
            } else if (alerts) {
                // the alerts cannot wait (a flag names every affected shipment within seconds);
                // the document can, and costs more (the whole closure)
                sendAlertChanges(node, NodeSnapshot.of(store), Instant.ofEpochMilli(now), outputs);
            }
            if (document && !write) {
                entry.setValue(DOCUMENT | (bits & TIMER)); // at a later barrier
                keepAcrossARestore(entry, setKey);
                waiting++;
            } else {
                it.remove();
                clearMark(bits);
            }
        }
        if (marks.size() > 0) {
            // every node that owes was due and is flushed above; should one not have been, it
            // sends now: the snapshot must not miss a mark that lives only on the heap
            for (String key : marks.nodes()) {
                setKey.accept(key);
                NodeProtocol.flush(NodeKey.parse(key), store, outputs::feedback);
            }
        }
        lastBarrierNanos = System.nanoTime();
        documentsWaiting = waiting;
        barrierDocumentNanos = spent;
        barrierNanos = lastBarrierNanos - started;
    }

    /**
     * Whether the heap's marks ({@link AnnouncementMarks}) passed their limit: the operator then
     * calls {@link #announceNow} before the next record.
     */
    boolean marksOverLimit() {
        return marks.size() > markLimit;
    }

    /**
     * Every node that owes its children a difference sends it now, as a barrier would (documents
     * keep waiting for theirs): less coalescing, a bounded heap.
     */
    void announceNow(Consumer<String> setKey, Outputs outputs) {
        for (Iterator<Map.Entry<String, Integer>> it = due.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Integer> entry = it.next();
            int bits = entry.getValue();
            if ((bits & ANNOUNCEMENT) == 0) {
                continue;
            }
            String key = entry.getKey();
            setKey.accept(key);
            NodeProtocol.flush(NodeKey.parse(key), store, outputs::feedback);
            if ((bits & DOCUMENT) == 0) {
                it.remove();
                clearMark(bits);
            } else {
                entry.setValue(bits & ~ANNOUNCEMENT);
            }
        }
    }

    /** How the function learns its operator's current key (the marks are kept per node). */
    void keyedBy(Supplier<Object> currentKey) {
        this.currentKey = currentKey;
    }

    private String currentNode() {
        if (currentKey == null) {
            throw new IllegalStateException("LineageNodeFunction runs in a LineageNodeOperator");
        }
        return (String) currentKey.get();
    }

    /** Marks held on the heap (tests: none after a barrier). */
    long marksHeld() {
        return marks.size();
    }

    /** Another limit of the heap's marks (tests). */
    LineageNodeFunction withMarkLimit(long limit) {
        this.markLimit = limit;
        return this;
    }

    /**
     * A document the barrier leaves waiting: its mark, written before the snapshot, so that a
     * restore from it writes the document ({@link #owed}). Not a timer: Flink writes every heap
     * timer into every checkpoint synchronously, and with thousands of documents waiting in a
     * replay that was 14 % of the node stage (JFR, 2026-12-06 night). {@code entry}'s node need not
     * be the current key.
     */
    private void keepAcrossARestore(Map.Entry<String, Integer> entry, Consumer<String> setKey) {
        if ((entry.getValue() & TIMER) == 0) {
            setKey.accept(entry.getKey());
            documentTimer.markOwed();
            entry.setValue(entry.getValue() | TIMER);
        }
    }

    /** A node's work is done (barrier or drain): its mark goes, if it has one. */
    private void clearMark(int bits) {
        if ((bits & TIMER) != 0) {
            documentTimer.fired();
        }
    }

    /**
     * After a restore: the nodes whose document the snapshot's barrier left waiting (or that had a
     * fallback timer pending), read from their marks by the operator. The first barrier writes them
     * (it has no budget limit).
     */
    void owed(Stream<String> markedKeys) {
        markedKeys.forEach(key -> due.merge(key, DOCUMENT | TIMER, (a, b) -> a | b));
    }

    /** Documents the last barrier left for later (gauge {@code documentsWaiting}). */
    int documentsWaitingAfterBarrier() {
        return documentsWaiting;
    }

    /** Whether documents wait that {@link #drainDocuments} may write. */
    boolean documentsWait() {
        if (documentShare <= 0) {
            return false;
        }
        for (int bits : due.values()) {
            if ((bits & DOCUMENT) != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * For time the task spent waiting for records between two barriers ({@link
     * LineageNodeOperator}): writes waiting documents, oldest first, for up to {@code budgetNanos}.
     * Announcements still wait for the barrier (their coalescing is what saves feedback); a
     * document written here goes into the same checkpoint's transaction as one written at the
     * barrier. Without it, a replay's tail, where only documents are left, used a quarter of the
     * task's time ({@link #DOCUMENT_SHARE}).
     *
     * @return the documents written
     */
    int drainDocuments(long now, Consumer<String> setKey, Outputs outputs, long budgetNanos) {
        if (documentShare <= 0) {
            return 0; // tests that hold documents back hold them here too
        }
        long started = System.nanoTime();
        int written = 0;
        for (Iterator<Map.Entry<String, Integer>> it = due.entrySet().iterator(); it.hasNext(); ) {
            if (System.nanoTime() - started >= budgetNanos) {
                break;
            }
            Map.Entry<String, Integer> entry = it.next();
            String key = entry.getKey();
            int bits = entry.getValue();
            if ((bits & DOCUMENT) == 0 || documentTimer.isPaced(key, now)) {
                continue;
            }
            setKey.accept(key);
            writeDocument(key, NodeKey.parse(key), now, outputs); // and its alerts
            written++;
            int rest = bits & ANNOUNCEMENT;
            if (rest == 0) {
                it.remove();
                clearMark(bits);
            } else {
                entry.setValue(rest | (bits & TIMER));
            }
        }
        return written;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<LineageMessage> out)
            throws Exception {
        String key = context.getCurrentKey();
        if (!documentTimer.isDue(timestamp)) {
            return; // a barrier did the work, or a newer timer will
        }
        Integer bits = due.get(key);
        if (bits != null && lastBarrierNanos != 0) {
            return; // barriers write this node when its document fits; its mark stays till then
        }
        documentTimer.fired();
        due.remove(key);
        NodeKey node = NodeKey.parse(key);
        NodeProtocol.flush(node, store, out::collect);
        // after a restore the task no longer knows whether the document changed: write it
        if (bits == null || (bits & DOCUMENT) != 0) {
            writeDocument(
                    key,
                    node,
                    context.timerService().currentProcessingTime(),
                    outputs(context, out));
        }
    }

    /** The outputs of an element's or a timer's context. */
    private Outputs outputs(Context context, Collector<LineageMessage> out) {
        return new Outputs() {
            @Override
            public void feedback(LineageMessage message) {
                out.collect(message);
            }

            @Override
            public <X> void side(OutputTag<X> tag, X value) {
                context.output(tag, value);
            }
        };
    }

    private void writeDocument(String key, NodeKey node, long now, Outputs outputs) {
        long started = System.nanoTime();
        // the document and the alerts read the same pieces: decode each once
        NodeSnapshot snapshot = NodeSnapshot.of(store);
        DocumentUpdate document = DocumentUpdate.of(TraceDocuments.node(node, snapshot));
        long fingerprint = DocumentFingerprint.of(document);
        try {
            if (Long.valueOf(fingerprint).equals(documentFingerprint.value())) {
                documentsUnchanged.inc(); // the topic and the index hold this body already
            } else {
                outputs.side(DOCUMENTS, document);
                documentFingerprint.update(fingerprint);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("lineage state access failed: " + e, e);
        }
        sendAlertChanges(node, snapshot, Instant.ofEpochMilli(now), outputs);
        documentTimer.built(key, (System.nanoTime() - started) / 1_000_000, now);
    }

    /**
     * Alerts are re-derived only when the node signalled a change (the document timer), which the
     * model guarantees covers every change of its alerts. A lot raises its stock alerts here and
     * tells the affected-shipments index what its entry's holds are; a shipment tells the index
     * which lots it reaches and the alert stage its facts and closure holds ({@link
     * ShipmentAlertsFunction} raises its alerts).
     */
    private void sendAlertChanges(
            NodeKey node, NodeSnapshot snapshot, Instant now, Outputs context) {
        if (node.isShipment()) {
            sendShipmentHolds(node, snapshot, context);
            return;
        }
        AlertLedger.send(
                raisedAlerts,
                HoldAlerts.of(node, snapshot),
                now,
                new AlertLedger.Sink() {
                    @Override
                    public void alert(TraceAlert alert) {
                        context.side(ALERTS, alert);
                    }

                    @Override
                    public void document(DocumentUpdate document) {
                        context.side(DOCUMENTS, document);
                    }
                });
        if (node.isLot()) {
            sendEntryHolds(node, snapshot, context);
        }
    }

    /** The holds of the lot's own entry to the affected-shipments index, when they changed. */
    private void sendEntryHolds(NodeKey node, NodeStore source, Outputs context) {
        List<HoldEntry> holds = HoldAlerts.entryHolds(node, source);
        LotEntryHolds sent = FlinkState.value(sentEntryHolds, LotEntryHolds.class);
        if (!(sent == null ? List.of() : sent.holds()).equals(holds)) {
            LotEntryHolds update = new LotEntryHolds(node.code(), holds);
            FlinkState.update(sentEntryHolds, holds.isEmpty() ? null : update);
            context.side(LOT_ENTRY_HOLDS, update);
        }
    }

    /** An index entry for each of {@code lots} not in {@code except}: present or gone. */
    private static void sendReach(
            Outputs context,
            String dispatchId,
            String shipped,
            List<String> lots,
            List<String> except,
            boolean present) {
        Set<String> skip = new HashSet<>(except);
        for (String lot : lots) {
            if (!skip.contains(lot)) {
                context.side(
                        SHIPMENT_REACH, new ShipmentReachChange(lot, dispatchId, shipped, present));
            }
        }
    }

    /** The shipment's entries of the affected-shipments index, and its view for its alerts. */
    private void sendShipmentHolds(NodeKey node, NodeSnapshot snapshot, Outputs context) {
        // per shipped lot: only when its announcement moved, only the entry lots added or gone
        for (Map.Entry<NodeKey, Link> parent : snapshot.parents()) {
            if (!parent.getKey().isLot()) {
                continue;
            }
            String shipped = parent.getKey().code();
            Announcement contribution =
                    parent.getValue().isPresent() ? snapshot.contribution(parent.getKey()) : null;
            IndexedReach sent = FlinkState.get(indexedReach, shipped, IndexedReach.class);
            if (contribution == null && sent == null
                    || contribution != null
                            && sent != null
                            && sent.version() == contribution.version()) {
                continue;
            }
            List<String> before = sent == null ? List.of() : sent.entryLots();
            List<String> after =
                    contribution == null ? List.of() : HoldAlerts.entryLots(contribution);
            sendReach(context, node.code(), shipped, before, after, false);
            sendReach(context, node.code(), shipped, after, before, true);
            FlinkState.put(
                    indexedReach,
                    shipped,
                    contribution == null ? null : new IndexedReach(contribution.version(), after));
        }
        ShipmentHoldView view =
                new ShipmentHoldView(
                        node.code(),
                        snapshot.shipmentFacts(),
                        HoldAlerts.shipmentHolds(snapshot),
                        null);
        byte[] encoded = AlertStateCodec.encodeValue(view);
        try {
            byte[] sentView = sentHoldView.value();
            // alerts this node raised itself before state version 10 go over to the alert stage
            // with the first view it sends (raised-alerts of a shipment is empty from then on)
            List<RaisedAlert> adopted = new ArrayList<>();
            if (sentView == null) {
                for (Map.Entry<String, RaisedAlert> raised :
                        FlinkState.entries(raisedAlerts, RaisedAlert.class)) {
                    adopted.add(raised.getValue());
                }
            }
            if (adopted.isEmpty() && Arrays.equals(encoded, sentView)) {
                return;
            }
            sentHoldView.update(encoded);
            if (!adopted.isEmpty()) {
                raisedAlerts.clear();
            }
            context.side(
                    SHIPMENT_HOLD_VIEWS,
                    adopted.isEmpty()
                            ? view
                            : new ShipmentHoldView(
                                    view.dispatchId(), view.facts(), view.closureHolds(), adopted));
        } catch (Exception e) {
            throw new IllegalStateException("lineage state write failed: " + e, e);
        }
    }
}
