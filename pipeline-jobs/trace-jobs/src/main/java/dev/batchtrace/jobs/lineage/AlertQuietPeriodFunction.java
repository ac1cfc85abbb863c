package dev.batchtrace.jobs.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchtrace.events.TraceAlert;
import dev.batchtrace.events.TraceAlertKind;
import dev.batchtrace.events.TraceAlertStatus;
import dev.batchtrace.lineage.holds.HoldAlert;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The quiet period of stock alerts (issue 13, transient alerts): an AFFECTED_STOCK alert goes out
 * only after it has stayed open for {@code quietPeriod} (processing time). One that resolves within
 * the period (a recompute from scratch; a consumption and its reversal both in flight) never
 * reaches the alerts topic, so no webhook receiver sees it, and neither does its trace-alerts
 * document. Other kinds, and the RESOLVED record of an alert that went out, pass at once.
 *
 * <p>Keyed by alert id; input 1 the nodes' alert records (OPEN / RESOLVED, alternating per id),
 * input 2 the nodes' trace-alerts documents (id = alert id). An <em>episode</em> of an alert is one
 * OPEN ... RESOLVED; the node stamps all its records and documents with the same {@code raisedAt}
 * (the processing time of the OPEN), which names the episode here. The record input decides each
 * episode (deliver or suppress). The documents travel on another channel and may come a little
 * before or after their record: a document of an undecided episode waits for the decision (only the
 * newest is kept: same document id, later versions win anyway). A document whose episode no record
 * decides within the quiet period plus {@link #ORPHAN_GRACE} (an alert raised before this operator
 * existed, e.g. state restored from an older version) goes out then.
 *
 * <p>State per alert id: the held OPEN record and its due time, one small entry per episode that
 * has not been resolved on both inputs, the held documents; all of it is gone once the alert's
 * episodes are resolved on both inputs. An alert that stays open keeps one entry (as long as the
 * node's own raised-alerts entry). A zero quiet period holds nothing.
 */
public final class AlertQuietPeriodFunction
        extends KeyedCoProcessFunction<String, TraceAlert, DocumentUpdate, TraceAlert> {

    private static final long serialVersionUID = 2L;

    /** Side output: the trace-alerts documents that may go to the documents topic. */
    public static final OutputTag<DocumentUpdate> DOCUMENTS =
            new OutputTag<>("quiet-alert-documents", TypeInformation.of(DocumentUpdate.class));

    /** Metric (counter): stock alerts that resolved within the quiet period, never sent. */
    public static final String SUPPRESSED_METRIC = "alertsSuppressed";

    /** How long after the quiet period a document waits for a record that never comes. */
    static final Duration ORPHAN_GRACE = Duration.ofMinutes(1);

    // episode flags
    static final int DECIDED = 1;
    static final int DELIVER = 2;
    static final int RECORD_RESOLVED = 4;
    static final int DOCUMENT_RESOLVED = 8;

    /** raisedAt (epoch millis) -> flags of that episode. */
    static final MapStateDescriptor<Long, Integer> EPISODES =
            new MapStateDescriptor<>("alert-episodes", Types.LONG, Types.INT);

    /** The OPEN record of a stock alert waiting out the quiet period (at most one per id). */
    static final ValueStateDescriptor<TraceAlert> HELD_OPEN =
            new ValueStateDescriptor<>("held-open", TypeInformation.of(TraceAlert.class));

    /** When the held OPEN record goes out (its processing-time timer). */
    static final ValueStateDescriptor<Long> DUE =
            new ValueStateDescriptor<>("held-open-due", Types.LONG);

    /** raisedAt -> the newest document of that undecided episode. */
    static final MapStateDescriptor<Long, DocumentUpdate> HELD_DOCUMENTS =
            new MapStateDescriptor<>(
                    "held-documents", Types.LONG, TypeInformation.of(DocumentUpdate.class));

    /** raisedAt -> when a held document goes out if no record decided its episode. */
    static final MapStateDescriptor<Long, Long> DOCUMENT_DEADLINES =
            new MapStateDescriptor<>("held-document-deadlines", Types.LONG, Types.LONG);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final long quietMillis;

    private transient MapState<Long, Integer> episodes;
    private transient ValueState<TraceAlert> heldOpen;
    private transient ValueState<Long> due;
    private transient MapState<Long, DocumentUpdate> heldDocuments;
    private transient MapState<Long, Long> documentDeadlines;
    private transient Counter suppressed;

    public AlertQuietPeriodFunction(Duration quietPeriod) {
        if (quietPeriod.isNegative()) {
            throw new IllegalArgumentException("quiet period must not be negative: " + quietPeriod);
        }
        this.quietMillis = quietPeriod.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        episodes = getRuntimeContext().getMapState(EPISODES);
        heldOpen = getRuntimeContext().getState(HELD_OPEN);
        due = getRuntimeContext().getState(DUE);
        heldDocuments = getRuntimeContext().getMapState(HELD_DOCUMENTS);
        documentDeadlines = getRuntimeContext().getMapState(DOCUMENT_DEADLINES);
        suppressed = getRuntimeContext().getMetricGroup().counter(SUPPRESSED_METRIC);
    }

    /** Whether an alert of {@code kind} waits out the quiet period before it goes out. */
    static boolean waits(TraceAlertKind kind) {
        return kind == TraceAlertKind.AFFECTED_STOCK;
    }

    @Override
    public void processElement1(TraceAlert alert, Context context, Collector<TraceAlert> out)
            throws Exception {
        long episode = alert.getRaisedAt().toEpochMilli();
        if (alert.getStatus() == TraceAlertStatus.OPEN) {
            if (quietMillis > 0 && waits(alert.getKind())) {
                long at = context.timerService().currentProcessingTime() + quietMillis;
                heldOpen.update(alert);
                due.update(at);
                context.timerService().registerProcessingTimeTimer(at);
                flag(episode, 0);
            } else {
                out.collect(alert);
                decide(episode, true, context);
            }
            return;
        }
        TraceAlert held = heldOpen.value();
        if (held != null && held.getRaisedAt().toEpochMilli() == episode) {
            // resolved within the quiet period: neither record goes out
            context.timerService().deleteProcessingTimeTimer(due.value());
            heldOpen.clear();
            due.clear();
            suppressed.inc();
            decide(episode, false, context);
        } else {
            out.collect(alert); // its OPEN went out (or was sent before this operator existed)
            decide(episode, true, context);
        }
        flag(episode, RECORD_RESOLVED);
    }

    @Override
    public void processElement2(DocumentUpdate document, Context context, Collector<TraceAlert> out)
            throws Exception {
        JsonNode source = document.isDeletion() ? null : JSON.readTree(document.json());
        Long episode = raisedAt(source);
        if (episode == null) {
            context.output(DOCUMENTS, document); // not an alert document this function knows
            return;
        }
        boolean resolved = HoldAlert.RESOLVED.equals(source.path("status").asText());
        int flags = flags(episode);
        if ((flags & DECIDED) == 0) {
            heldDocuments.put(episode, document);
            if (!documentDeadlines.contains(episode)) {
                long at =
                        context.timerService().currentProcessingTime()
                                + quietMillis
                                + ORPHAN_GRACE.toMillis();
                documentDeadlines.put(episode, at);
                context.timerService().registerProcessingTimeTimer(at);
            }
        } else if ((flags & DELIVER) != 0) {
            context.output(DOCUMENTS, document);
        }
        if (resolved) {
            flag(episode, DOCUMENT_RESOLVED);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<TraceAlert> out)
            throws Exception {
        TraceAlert alert = heldOpen.value();
        Long at = due.value();
        if (alert != null && at != null && at == timestamp) {
            heldOpen.clear();
            due.clear();
            out.collect(alert);
            decide(alert.getRaisedAt().toEpochMilli(), true, context);
        }
        // documents whose episode no record decided in time: raised before this operator existed
        List<Long> orphans = new ArrayList<>();
        for (Map.Entry<Long, Long> deadline : documentDeadlines.entries()) {
            if (deadline.getValue() <= timestamp) {
                orphans.add(deadline.getKey());
            }
        }
        TraceAlert stillHeld = heldOpen.value();
        for (Long episode : orphans) {
            if (stillHeld == null || stillHeld.getRaisedAt().toEpochMilli() != episode) {
                decide(episode, true, context);
            }
        }
    }

    /** Records the decision of {@code episode} and releases or drops its held document. */
    private void decide(long episode, boolean deliver, Context context) throws Exception {
        DocumentUpdate held = heldDocuments.get(episode);
        if (held != null) {
            heldDocuments.remove(episode);
            if (deliver) {
                context.output(DOCUMENTS, held);
            }
        }
        Long deadline = documentDeadlines.get(episode);
        if (deadline != null) {
            documentDeadlines.remove(episode);
            context.timerService().deleteProcessingTimeTimer(deadline);
        }
        flag(episode, DECIDED | (deliver ? DELIVER : 0));
    }

    private int flags(long episode) throws Exception {
        Integer flags = episodes.get(episode);
        return flags == null ? 0 : flags;
    }

    /** Adds {@code flags} to the episode; forgets it once both inputs have resolved it. */
    private void flag(long episode, int flags) throws Exception {
        int now = flags(episode) | flags;
        if ((now & RECORD_RESOLVED) != 0
                && (now & DOCUMENT_RESOLVED) != 0
                && (now & DECIDED) != 0
                && !heldDocuments.contains(episode)) {
            episodes.remove(episode);
        } else {
            episodes.put(episode, now);
        }
    }

    /** The {@code raisedAt} of an alert document in epoch millis, or null. */
    private static Long raisedAt(JsonNode source) {
        if (source == null || !source.path("raisedAt").isTextual()) {
            return null;
        }
        try {
            return Instant.parse(source.path("raisedAt").asText()).toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Whether {@code document} belongs to the trace-alerts index (and so to this function). */
    static boolean isAlertDocument(DocumentUpdate document) {
        return HoldAlert.INDEX.equals(document.index());
    }
}
