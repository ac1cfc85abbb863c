package dev.batchtrace.jobs.lineage;

import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.documents.TraceDocuments;
import dev.batchtrace.lineage.quality.WorkOrderAttachment;
import dev.batchtrace.lineage.stock.WorkOrderAttachments;
import dev.batchtrace.lineage.stock.WorkOrderLinks;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Stage 1: one work order, keyed by {@code workOrderId}. Collects consumptions (minus reversed
 * ones, also when the reversal arrives first) and produced lots, and emits through the model's
 * {@link WorkOrderLinks} the edge changes (consumed lot x produced lot, to both ends) and the
 * produced lots' facts; these go straight to {@link LineageNodeFunction}. The work-order document
 * is coalesced like the node documents (side output {@link #DOCUMENTS}).
 *
 * <p>Second input (issue 5): {@link WorkOrderAttachment}s keyed by the same work order id, i.e. the
 * QC checks that name it and the machine-attribution job's run summaries ({@link
 * WorkOrderAttachments}). Checks only change its document; a run summary also goes on to every lot
 * it produced (and, through {@link WorkOrderLinks}, to lots produced later).
 *
 * <p>State kept forever (no TTL, by design): a reversal can arrive at any time after its
 * consumption, and the edges already emitted are what a later reversal must take back; a work
 * order's state is small (its events). Only the pending-timer marker is cleared (by its timer).
 */
public class WorkOrderLinksFunction
        extends KeyedCoProcessFunction<
                String, WorkOrderEvent, WorkOrderAttachment, LineageMessage> {

    private static final long serialVersionUID = 1L;

    /** Side output: work-order documents (coalesced). */
    public static final OutputTag<DocumentUpdate> DOCUMENTS =
            new OutputTag<>("work-order-documents", TypeInformation.of(DocumentUpdate.class));

    private static final TypeInformation<byte[]> BYTES =
            PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;

    public static final ValueStateDescriptor<byte[]> FACTS =
            new ValueStateDescriptor<>("work-order-facts", BYTES);

    /** consumption eventId -> Consumption (lot, quantity, unit). */
    public static final MapStateDescriptor<String, byte[]> CONSUMPTIONS =
            new MapStateDescriptor<>("consumptions", Utf8StringTypeInfo.INSTANCE, BYTES);

    /** set of reversed consumption eventIds. */
    public static final MapStateDescriptor<String, Boolean> REVERSED =
            new MapStateDescriptor<>(
                    "reversed-consumptions", Utf8StringTypeInfo.INSTANCE, Types.BOOLEAN);

    /** set of the lot codes any output named (reversed ones included). */
    public static final MapStateDescriptor<String, Boolean> PRODUCED =
            new MapStateDescriptor<>("produced-lots", Utf8StringTypeInfo.INSTANCE, Types.BOOLEAN);

    /** "parentLot\nchildLot" -> EdgeEmission: what was last emitted for that edge. */
    public static final MapStateDescriptor<String, byte[]> EDGES =
            new MapStateDescriptor<>("emitted-edges", Utf8StringTypeInfo.INSTANCE, BYTES);

    /** QcChecks: the QC checks that name this work order (issue 5). */
    public static final ValueStateDescriptor<byte[]> QC_CHECKS =
            new ValueStateDescriptor<>("work-order-qc-checks", BYTES);

    /** MachineRunSummaries: per machine the run summary from the machine job (issue 5). */
    public static final ValueStateDescriptor<byte[]> MACHINE_RUNS =
            new ValueStateDescriptor<>("work-order-machine-runs", BYTES);

    /** "outputEventId\nlot" -> lot: the outputs (issue 10, so OUTPUT_REVERSED can find them). */
    public static final MapStateDescriptor<String, byte[]> OUTPUTS =
            new MapStateDescriptor<>("outputs", Utf8StringTypeInfo.INSTANCE, BYTES);

    /** set of reversed output eventIds (OUTPUT_REVERSED; may arrive before its output). */
    public static final MapStateDescriptor<String, Boolean> REVERSED_OUTPUTS =
            new MapStateDescriptor<>(
                    "reversed-outputs", Utf8StringTypeInfo.INSTANCE, Types.BOOLEAN);

    /** consumed lot code -> consumptions of it not reversed (issue 9: no scan per event). */
    public static final MapStateDescriptor<String, Integer> ACTIVE_CONSUMPTIONS =
            new MapStateDescriptor<>("active-consumptions", Utf8StringTypeInfo.INSTANCE, Types.INT);

    /** produced lot code -> outputs naming it not reversed. */
    public static final MapStateDescriptor<String, Integer> ACTIVE_OUTPUTS =
            new MapStateDescriptor<>("active-outputs", Utf8StringTypeInfo.INSTANCE, Types.INT);

    /** processing time of the pending document timer; null when the document is not dirty. */
    public static final ValueStateDescriptor<Long> DOCUMENT_TIMER = DocumentTimer.descriptor();

    private final Duration coalesceDelay;
    private final boolean paced;

    private transient FlinkWorkOrderStore store;
    private transient DocumentTimer documentTimer;

    public WorkOrderLinksFunction(Duration coalesceDelay) {
        this(coalesceDelay, false);
    }

    /**
     * @param paced whether slow documents are written less often (see {@link DocumentTimer})
     */
    public WorkOrderLinksFunction(Duration coalesceDelay, boolean paced) {
        this.coalesceDelay = coalesceDelay;
        this.paced = paced;
    }

    @Override
    public void open(OpenContext context) {
        store =
                new FlinkWorkOrderStore(
                        getRuntimeContext().getState(FACTS),
                        getRuntimeContext().getMapState(CONSUMPTIONS),
                        getRuntimeContext().getMapState(REVERSED),
                        getRuntimeContext().getMapState(PRODUCED),
                        getRuntimeContext().getMapState(EDGES),
                        getRuntimeContext().getState(QC_CHECKS),
                        getRuntimeContext().getState(MACHINE_RUNS),
                        getRuntimeContext().getMapState(OUTPUTS),
                        getRuntimeContext().getMapState(REVERSED_OUTPUTS),
                        getRuntimeContext().getMapState(ACTIVE_CONSUMPTIONS),
                        getRuntimeContext().getMapState(ACTIVE_OUTPUTS));
        documentTimer =
                new DocumentTimer(
                        getRuntimeContext().getState(DOCUMENT_TIMER), coalesceDelay, paced);
    }

    @Override
    public void processElement1(
            WorkOrderEvent event, Context context, Collector<LineageMessage> out) throws Exception {
        documentTimer.changed(
                WorkOrderLinks.apply(event, store, out::collect),
                context.timerService(),
                context.getCurrentKey());
    }

    @Override
    public void processElement2(
            WorkOrderAttachment attachment, Context context, Collector<LineageMessage> out)
            throws Exception {
        documentTimer.changed(
                WorkOrderAttachments.apply(attachment, store, out::collect),
                context.timerService(),
                context.getCurrentKey());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<LineageMessage> out)
            throws Exception {
        documentTimer.fired();
        long started = System.nanoTime();
        context.output(
                DOCUMENTS,
                DocumentUpdate.of(TraceDocuments.workOrder(context.getCurrentKey(), store)));
        documentTimer.built(
                context.getCurrentKey(), (System.nanoTime() - started) / 1_000_000, timestamp);
    }
}
