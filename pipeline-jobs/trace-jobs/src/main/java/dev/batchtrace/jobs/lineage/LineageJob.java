package dev.batchtrace.jobs.lineage;

import dev.batchtrace.connectors.elasticsearch.IndexTemplates;
import dev.batchtrace.connectors.kafka.DeadLetterSplit;
import dev.batchtrace.connectors.kafka.KafkaConnectionCheck;
import dev.batchtrace.connectors.registry.ConfluentSchemaRegistryClient;
import dev.batchtrace.events.DeadLetter;
import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.LotFlag;
import dev.batchtrace.events.QcResult;
import dev.batchtrace.events.TraceAlert;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.jobs.JobResilience;
import dev.batchtrace.jobs.lineage.inputwait.InputWait;
import dev.batchtrace.jobs.lineage.inputwait.InputWaitFunction;
import dev.batchtrace.jobs.lineage.transactionwatch.TransactionWatch;
import dev.batchtrace.jobs.lineage.transactionwatch.TransactionWatchFunction;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.closure.NodeProtocol;
import dev.batchtrace.lineage.holds.LotEntryHolds;
import dev.batchtrace.lineage.holds.ShipmentHoldChange;
import dev.batchtrace.lineage.holds.ShipmentReachChange;
import dev.batchtrace.lineage.quality.QcRouting;
import dev.batchtrace.lineage.quality.WorkOrderAttachment;
import dev.batchtrace.lineage.units.OutputSerials;
import dev.batchtrace.lineage.units.UnitUpdate;
import dev.batchtrace.machine.MachineRunSummary;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The genealogy job (issue 3): goods receipts, work-order events and dispatch notes in; per lot and
 * shipment the full upstream closure, as trace documents in Elasticsearch. With lot flags (issue 4)
 * the holds travel down the same genealogy and every affected shipment and stock raises an alert
 * (topic trace.alerts and index trace-alerts).
 *
 * <pre>
 *  goods receipts -> keyBy(receiptId) GoodsReceiptFacts -----------+
 *  work orders ----> keyBy(workOrderId) WorkOrderLinksFunction ----+--> keyBy(target)
 *              \---> WorkOrderLotUsages ---------------------------+
 *  dispatch notes -> keyBy(dispatchId) DispatchNoteFunction -------+    LineageNodeFunction --> feedback topic
 *                   (facts, edges, lines; revisions, cancellations)|         |  (exactly once) --^
 *  lot flags ------> LotFlagUpdates -------------------------------+         |
 *  QC results -----> QcResultChecks (to the checked lot) ----------+         |
 *              \---> QcResultWorkOrderChecks ----+--> work-order stage, 2nd input (attachments)
 *  machine summaries -> MachineSummaryAttachments +    (runs also go on to the produced lots)
 *  feedback topic (read_committed) --------------------------------+   documents, alerts (side outputs)
 *     shipments' reach, lots' entry holds -> keyBy(lot) AffectedShipmentsFunction --+
 *     shipments' facts and closure holds ----------------------------------------+--> keyBy(dispatch)
 *                                                          ShipmentAlertsFunction --> alerts
 *                                                     --> documents topic (exactly once, key index/id)
 *                                                     --> trace.alerts (exactly once, key alertId)
 *  outputs with serials -> keyBy(wo+output) OutputSerialsFunction --+--> keyBy(unit) UnitFunction
 *  DispatchNoteFunction (side output: units on the note) ------------+     --> documents topic (trace-units)
 *  documents topic (read_committed) --> Elasticsearch (external version = offset)
 * </pre>
 *
 * <p>Run: {@code flink run -c dev.batchtrace.jobs.lineage.LineageJob trace-jobs.jar --config
 * lineage.properties [--key value]...}. This class only wires; tests call {@link #defineWorkflow}
 * with their own sources and sinks.
 */
public final class LineageJob {

    private static final Logger LOG = LoggerFactory.getLogger(LineageJob.class);

    // Operator uids: stable across versions, savepoints map state by them. Never rename.
    public static final String UID_GOODS_RECEIPTS_SOURCE = "goods-receipts-source";
    public static final String UID_GOODS_RECEIPTS_SPLIT = "goods-receipts-split";
    public static final String UID_WORK_ORDERS_SOURCE = "work-orders-source";
    public static final String UID_WORK_ORDERS_SPLIT = "work-orders-split";
    public static final String UID_DISPATCH_NOTES_SOURCE = "dispatch-notes-source";
    public static final String UID_DISPATCH_NOTES_SPLIT = "dispatch-notes-split";
    public static final String UID_DEAD_LETTERS_SINK = "dead-letters-sink";
    public static final String UID_GOODS_RECEIPT_FACTS = "goods-receipt-facts";
    public static final String UID_WORK_ORDER_LINKS = "work-order-links";

    /** Issue 10: keyed by dispatch id (revisions); replaces the stateless "dispatch-note-links". */
    public static final String UID_DISPATCH_NOTE_REVISIONS = "dispatch-note-revisions";

    /** Issue 10: units (serials). */
    public static final String UID_OUTPUT_SERIALS_FILTER = "output-serials-filter";

    public static final String UID_OUTPUT_SERIALS = "output-serials";
    public static final String UID_UNITS = "units";

    public static final String UID_FEEDBACK_SOURCE = "lineage-feedback-source";
    public static final String UID_LINEAGE_NODES = "lineage-nodes";
    public static final String UID_FEEDBACK_SINK = "lineage-feedback-sink";
    public static final String UID_DOCUMENTS_SINK = "trace-documents-sink";
    public static final String UID_DOCUMENTS_SOURCE = "trace-documents-source";
    public static final String UID_ELASTICSEARCH_SINK = "trace-documents-elasticsearch";
    public static final String UID_LOT_FLAGS_SOURCE = "lot-flags-source";
    public static final String UID_LOT_FLAGS_SPLIT = "lot-flags-split";
    public static final String UID_LOT_FLAG_UPDATES = "lot-flag-updates";
    public static final String UID_WORK_ORDER_LOT_USAGES = "work-order-lot-usages";
    public static final String UID_ALERTS_SINK = "trace-alerts-sink";
    public static final String UID_ALERT_QUIET_PERIOD = "alert-quiet-period";
    public static final String UID_AFFECTED_SHIPMENTS = "affected-shipments-index";
    public static final String UID_SHIPMENT_ALERTS = "shipment-alerts";
    public static final String UID_STATE_VERSION_GUARD = "state-version-guard";
    public static final String UID_GOODS_RECEIPTS_WAIT = "goods-receipts-input-wait";
    public static final String UID_WORK_ORDERS_WAIT = "work-orders-input-wait";
    public static final String UID_DISPATCH_NOTES_WAIT = "dispatch-notes-input-wait";
    public static final String UID_QC_RESULTS_WAIT = "qc-results-input-wait";
    public static final String UID_HANGING_TRANSACTION_WATCH = "hanging-transaction-watch";

    /**
     * What the job keeps in state and how it reads it ({@link StateVersionGuard}): bump it when a
     * change makes state written by this version unreadable or wrong for older code (a rollback to
     * an older version must then be refused). Local runs (trace-cli) do not resume checkpoints of
     * another version at all.
     */
    public static final int STATE_VERSION = 11;

    public static final String UID_ALERT_DOCUMENTS_FILTER = "alert-documents-filter";
    public static final String UID_OTHER_DOCUMENTS_FILTER = "non-alert-documents-filter";
    public static final String UID_QC_RESULTS_SOURCE = "qc-results-source";
    public static final String UID_QC_RESULTS_SPLIT = "qc-results-split";
    public static final String UID_QC_RESULT_CHECKS = "qc-result-checks";
    public static final String UID_QC_RESULT_WORK_ORDER_CHECKS = "qc-result-work-order-checks";
    public static final String UID_QC_PRODUCED_LOTS = "qc-produced-lots";
    public static final String UID_QC_UNTAGGED_CHECKS = "qc-untagged-checks";
    public static final String UID_QC_LOT_ROUTING = "qc-lot-routing";
    public static final String UID_MACHINE_SUMMARIES_SOURCE = "machine-summaries-source";
    public static final String UID_MACHINE_SUMMARIES_SPLIT = "machine-summaries-split";
    public static final String UID_MACHINE_SUMMARY_ATTACHMENTS = "machine-summary-attachments";

    private LineageJob() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = LineageJobConfig.argsToMap(args);
        LineageJobConfig config = LineageJobConfig.fromMap(settings);
        LOG.info("lineage job config: {}", config);
        // wrong credentials or TLS trust fail here, once, with the key to fix (not in a restart
        // loop of the sources)
        KafkaConnectionCheck.verify(config.kafka());
        new ConfluentSchemaRegistryClient(config.registry()).verifyAccess();
        // Templates, versioned indices and aliases before any document is written (idempotent).
        IndexTemplates.install(config.elasticsearch(), LOG::info);
        StreamExecutionEnvironment env = environment(config);
        defineWorkflow(
                env,
                LineageSources.kafka(config),
                LineageSinks.kafka(config),
                config.coalesceDelay(),
                config.hubFanIn(),
                config.alertQuietPeriod());
        if (AlertNotifier.addTo(env, config, settings)) {
            LOG.info("alerts -> webhooks: {}", AlertNotifier.webhooks(settings).orElseThrow());
        }
        env.execute(config.jobName());
    }

    /** The execution environment with the job's checkpointing, state backend and parallelism. */
    public static StreamExecutionEnvironment environment(LineageJobConfig config) {
        Configuration flink = new Configuration();
        flink.set(StateBackendOptions.STATE_BACKEND, config.stateBackend());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        configure(env, config);
        return env;
    }

    /** Checkpointing (exactly once: the feedback and documents sinks commit on checkpoints). */
    public static void configure(StreamExecutionEnvironment env, LineageJobConfig config) {
        env.enableCheckpointing(
                config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        env.setMaxParallelism(config.maxParallelism());
        JobResilience.apply(env); // checkpoint timeout and tolerance, restarts with backoff
        if (config.parallelism() > 0) {
            env.setParallelism(config.parallelism());
        }
    }

    /**
     * How long a changed node waits for a checkpoint barrier to send and write it before its timer
     * does: with checkpoints, two intervals (the barrier almost always comes first, and a node
     * changed several times in between sends one difference and one document); without, the
     * coalescing delay.
     */
    static Duration nodeFallbackDelay(StreamExecutionEnvironment env, Duration coalesceDelay) {
        if (!env.getCheckpointConfig().isCheckpointingEnabled()) {
            return coalesceDelay;
        }
        Duration twoIntervals = Duration.ofMillis(2 * env.getCheckpointInterval());
        return twoIntervals.compareTo(coalesceDelay) > 0 ? twoIntervals : coalesceDelay;
    }

    /**
     * Wires the whole loop: inputs, stage 1, the node stage with its feedback, documents,
     * Elasticsearch.
     */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            LineageSources sources,
            LineageSinks sinks,
            Duration coalesceDelay) {
        defineWorkflow(env, sources, sinks, coalesceDelay, NodeProtocol.DEFAULT_HUB_FAN_IN);
    }

    /**
     * {@link #defineWorkflow(StreamExecutionEnvironment, LineageSources, LineageSinks, Duration)}
     * with a hub fan-in.
     */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            LineageSources sources,
            LineageSinks sinks,
            Duration coalesceDelay,
            int hubFanIn) {
        defineWorkflow(
                env,
                sources,
                sinks,
                coalesceDelay,
                hubFanIn,
                LineageJobConfig.DEFAULT_ALERT_QUIET_PERIOD);
    }

    /**
     * The whole loop with a hub fan-in and the quiet period of stock alerts ({@link
     * AlertQuietPeriodFunction}).
     */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            LineageSources sources,
            LineageSinks sinks,
            Duration coalesceDelay,
            int hubFanIn,
            Duration alertQuietPeriod) {
        DeadLetterSplit.Result<GoodsReceipt> receipts =
                DeadLetterSplit.split(
                        env.fromSource(
                                        sources.goodsReceipts(),
                                        WatermarkStrategy.noWatermarks(),
                                        "goods receipts")
                                .uid(UID_GOODS_RECEIPTS_SOURCE),
                        UID_GOODS_RECEIPTS_SPLIT,
                        "goods receipts: split dead letters");
        DeadLetterSplit.Result<WorkOrderEvent> workOrders =
                DeadLetterSplit.split(
                        env.fromSource(
                                        sources.workOrders(),
                                        WatermarkStrategy.noWatermarks(),
                                        "work-order events")
                                .uid(UID_WORK_ORDERS_SOURCE),
                        UID_WORK_ORDERS_SPLIT,
                        "work-order events: split dead letters");
        DeadLetterSplit.Result<DispatchNote> dispatches =
                DeadLetterSplit.split(
                        env.fromSource(
                                        sources.dispatchNotes(),
                                        WatermarkStrategy.noWatermarks(),
                                        "dispatch notes")
                                .uid(UID_DISPATCH_NOTES_SOURCE),
                        UID_DISPATCH_NOTES_SPLIT,
                        "dispatch notes: split dead letters");
        DeadLetterSplit.Result<LotFlag> lotFlags =
                DeadLetterSplit.split(
                        env.fromSource(
                                        sources.lotFlags(),
                                        WatermarkStrategy.noWatermarks(),
                                        "lot flags")
                                .uid(UID_LOT_FLAGS_SOURCE),
                        UID_LOT_FLAGS_SPLIT,
                        "lot flags: split dead letters");
        DeadLetterSplit.Result<QcResult> qcResults =
                DeadLetterSplit.split(
                        env.fromSource(
                                        sources.qcResults(),
                                        WatermarkStrategy.noWatermarks(),
                                        "QC results")
                                .uid(UID_QC_RESULTS_SOURCE),
                        UID_QC_RESULTS_SPLIT,
                        "QC results: split dead letters");
        DeadLetterSplit.Result<MachineRunSummary> machineSummaries =
                DeadLetterSplit.split(
                        env.fromSource(
                                        sources.machineSummaries(),
                                        WatermarkStrategy.noWatermarks(),
                                        "machine run summaries")
                                .uid(UID_MACHINE_SUMMARIES_SOURCE),
                        UID_MACHINE_SUMMARIES_SPLIT,
                        "machine run summaries: split dead letters");
        DataStream<DeadLetter> deadLetters =
                receipts.deadLetters()
                        .union(
                                workOrders.deadLetters(),
                                dispatches.deadLetters(),
                                lotFlags.deadLetters(),
                                qcResults.deadLetters(),
                                machineSummaries.deadLetters());
        deadLetters.sinkTo(sinks.deadLetters()).uid(UID_DEAD_LETTERS_SINK).name("dead letters");

        // In a replay the input waits while the feedback's backlog is large (InputWait); lot flags
        // and machine summaries never wait.
        DataStream<GoodsReceipt> receiptRecords =
                behindInputWait(
                        receipts.records(),
                        sources.inputWait(),
                        UID_GOODS_RECEIPTS_WAIT,
                        "goods receipts");
        DataStream<WorkOrderEvent> workOrderRecords =
                behindInputWait(
                        workOrders.records(),
                        sources.inputWait(),
                        UID_WORK_ORDERS_WAIT,
                        "work-order events");
        DataStream<DispatchNote> dispatchRecords =
                behindInputWait(
                        dispatches.records(),
                        sources.inputWait(),
                        UID_DISPATCH_NOTES_WAIT,
                        "dispatch notes");
        DataStream<QcResult> qcRecords =
                behindInputWait(
                        qcResults.records(),
                        sources.inputWait(),
                        UID_QC_RESULTS_WAIT,
                        "QC results");

        // Issue 5: QC checks to their lot (node stage) and to the work order they name.
        DataStream<LineageMessage> lotChecks =
                qcRecords
                        .flatMap(new QcResultChecks(), LineageMessageTypeInfo.INSTANCE)
                        .uid(UID_QC_RESULT_CHECKS)
                        .name("QC result -> checked lot");
        // A check without a work order: to the work order(s) that produced its lot.
        DataStream<WorkOrderAttachment> routedChecks =
                workOrderRecords
                        .filter(QcRouting::routes)
                        .uid(UID_QC_PRODUCED_LOTS)
                        .name("produced lots (for QC routing)")
                        .keyBy(WorkOrderEvent::getLotCode, Utf8StringTypeInfo.INSTANCE)
                        .connect(
                                qcRecords
                                        .filter(QcRouting::routes)
                                        .uid(UID_QC_UNTAGGED_CHECKS)
                                        .name("QC results without work order")
                                        .keyBy(QcResult::getLotCode, Utf8StringTypeInfo.INSTANCE))
                        .process(
                                new QcRoutingFunction(),
                                ModelTypeInfo.of(WorkOrderAttachment.class))
                        .uid(UID_QC_LOT_ROUTING)
                        .name("untagged QC check -> the lot's producing work orders");
        DataStream<WorkOrderAttachment> workOrderAttachments =
                qcRecords
                        .flatMap(
                                new QcResultWorkOrderChecks(),
                                ModelTypeInfo.of(WorkOrderAttachment.class))
                        .uid(UID_QC_RESULT_WORK_ORDER_CHECKS)
                        .name("QC result -> its work order")
                        .union(
                                routedChecks,
                                machineSummaries
                                        .records()
                                        .flatMap(
                                                new MachineSummaryAttachments(),
                                                ModelTypeInfo.of(WorkOrderAttachment.class))
                                        .uid(UID_MACHINE_SUMMARY_ATTACHMENTS)
                                        .name("machine run summary -> its work order"));

        // Stage 1: facts and edges.
        DataStream<LineageMessage> receiptFacts =
                receiptRecords
                        // refuses state a newer version wrote (rollback rules): see the class
                        .map(
                                new StateVersionGuard<GoodsReceipt>(STATE_VERSION),
                                receiptRecords.getType())
                        .uid(UID_STATE_VERSION_GUARD)
                        .name("state version guard")
                        .keyBy(GoodsReceipt::getReceiptId, Utf8StringTypeInfo.INSTANCE)
                        .process(new GoodsReceiptFacts(), LineageMessageTypeInfo.INSTANCE)
                        .uid(UID_GOODS_RECEIPT_FACTS)
                        .name("goods receipt -> lot facts");
        SingleOutputStreamOperator<LineageMessage> workOrderLinks =
                workOrderRecords
                        .keyBy(WorkOrderEvent::getWorkOrderId, Utf8StringTypeInfo.INSTANCE)
                        .connect(
                                workOrderAttachments.keyBy(
                                        WorkOrderAttachment::workOrderId,
                                        Utf8StringTypeInfo.INSTANCE))
                        .process(
                                new WorkOrderLinksFunction(coalesceDelay, true),
                                LineageMessageTypeInfo.INSTANCE)
                        .uid(UID_WORK_ORDER_LINKS)
                        .name("work order -> edges + produced lot facts");
        SingleOutputStreamOperator<LineageMessage> dispatchLinks =
                dispatchRecords
                        .keyBy(DispatchNote::getDispatchId, Utf8StringTypeInfo.INSTANCE)
                        .process(new DispatchNoteFunction(), LineageMessageTypeInfo.INSTANCE)
                        .uid(UID_DISPATCH_NOTE_REVISIONS)
                        .name(
                                "dispatch note (newest revision) -> shipment facts, edges, lot lines");

        // Stage 1 for holds: flags to their lot, usages (consumed, shipped) to their lot.
        DataStream<LineageMessage> flagUpdates =
                lotFlags.records()
                        .flatMap(new LotFlagUpdates(), LineageMessageTypeInfo.INSTANCE)
                        .uid(UID_LOT_FLAG_UPDATES)
                        .name("lot flag -> flagged lot");
        DataStream<LineageMessage> workOrderUsages =
                workOrderRecords
                        .flatMap(new WorkOrderLotUsages(), LineageMessageTypeInfo.INSTANCE)
                        .uid(UID_WORK_ORDER_LOT_USAGES)
                        .name("work order -> consumed lot usage");

        // Stage 2: the nodes, fed by stage 1 and by their own feedback.
        DataStream<LineageMessage> feedback =
                env.fromSource(
                                sources.feedback(),
                                WatermarkStrategy.noWatermarks(),
                                "lineage feedback",
                                LineageMessageTypeInfo.INSTANCE)
                        .uid(UID_FEEDBACK_SOURCE);
        SingleOutputStreamOperator<LineageMessage> nodes =
                receiptFacts
                        .union(
                                workOrderLinks,
                                dispatchLinks,
                                flagUpdates,
                                workOrderUsages,
                                lotChecks,
                                feedback)
                        .keyBy(message -> message.target().toString(), Utf8StringTypeInfo.INSTANCE)
                        .transform(
                                "lineage node: closure protocol",
                                LineageMessageTypeInfo.INSTANCE,
                                new LineageNodeOperator(
                                        new LineageNodeFunction(
                                                nodeFallbackDelay(env, coalesceDelay),
                                                hubFanIn,
                                                true)))
                        .uid(UID_LINEAGE_NODES)
                        .name("lineage node: closure protocol");
        nodes.sinkTo(sinks.feedback()).uid(UID_FEEDBACK_SINK).name("lineage feedback sink");
        // Shipment alerts: the affected-shipments index hands a lot's holds to every shipment that
        // reaches it as the flagged lot applies the flag; the closure path brings the same holds
        // later.
        SingleOutputStreamOperator<ShipmentHoldChange> indexHolds =
                nodes.getSideOutput(LineageNodeFunction.SHIPMENT_REACH)
                        .keyBy(ShipmentReachChange::lotCode, Utf8StringTypeInfo.INSTANCE)
                        .connect(
                                nodes.getSideOutput(LineageNodeFunction.LOT_ENTRY_HOLDS)
                                        .keyBy(LotEntryHolds::lotCode, Utf8StringTypeInfo.INSTANCE))
                        .process(
                                new AffectedShipmentsFunction(),
                                ModelTypeInfo.of(ShipmentHoldChange.class))
                        .uid(UID_AFFECTED_SHIPMENTS)
                        .name("affected-shipments index: a lot's holds -> its shipments");
        SingleOutputStreamOperator<TraceAlert> shipmentAlerts =
                nodes.getSideOutput(LineageNodeFunction.SHIPMENT_HOLD_VIEWS)
                        .keyBy(ShipmentHoldView::dispatchId, Utf8StringTypeInfo.INSTANCE)
                        .connect(
                                indexHolds.keyBy(
                                        ShipmentHoldChange::dispatchId,
                                        Utf8StringTypeInfo.INSTANCE))
                        .process(new ShipmentAlertsFunction(), TypeInformation.of(TraceAlert.class))
                        .uid(UID_SHIPMENT_ALERTS)
                        .name("shipment alerts: closure and index holds");
        // Stock alerts (and their trace-alerts documents) wait out their quiet period; shipment
        // alerts never wait, so they skip that stage (and its per-alert state) on the way out.
        SingleOutputStreamOperator<TraceAlert> stockAlerts =
                nodes.getSideOutput(LineageNodeFunction.ALERTS)
                        .keyBy(TraceAlert::getAlertId, Utf8StringTypeInfo.INSTANCE)
                        .connect(
                                nodes.getSideOutput(LineageNodeFunction.DOCUMENTS)
                                        .filter(AlertQuietPeriodFunction::isAlertDocument)
                                        .uid(UID_ALERT_DOCUMENTS_FILTER)
                                        .name("trace-alerts documents")
                                        .keyBy(DocumentUpdate::id, Utf8StringTypeInfo.INSTANCE))
                        .process(
                                new AlertQuietPeriodFunction(alertQuietPeriod),
                                TypeInformation.of(TraceAlert.class))
                        .uid(UID_ALERT_QUIET_PERIOD)
                        .name("stock alerts: quiet period");
        DataStream<TraceAlert> alerts = stockAlerts.union(shipmentAlerts);
        alerts.sinkTo(sinks.alerts()).uid(UID_ALERTS_SINK).name("hold alerts -> trace.alerts");

        // Units (issue 10): one document per (product, serial), not in the lot documents.
        DataStream<DocumentUpdate> unitDocuments =
                workOrderRecords
                        .filter(OutputSerials::routes)
                        .uid(UID_OUTPUT_SERIALS_FILTER)
                        .name("outputs with serials and output reversals")
                        .keyBy(OutputSerials::key, Utf8StringTypeInfo.INSTANCE)
                        .process(new OutputSerialsFunction(), ModelTypeInfo.of(UnitUpdate.class))
                        .uid(UID_OUTPUT_SERIALS)
                        .name("output -> its units (reversal takes them back)")
                        .union(dispatchLinks.getSideOutput(DispatchNoteFunction.UNITS))
                        .keyBy(UnitUpdate::key, Utf8StringTypeInfo.INSTANCE)
                        .process(new UnitFunction(), TypeInformation.of(DocumentUpdate.class))
                        .uid(UID_UNITS)
                        .name("unit: lot, work order, shipment -> trace-units");

        // Documents: through an exactly-once topic, so Elasticsearch only sees committed versions.
        nodes.getSideOutput(LineageNodeFunction.DOCUMENTS)
                .filter(document -> !AlertQuietPeriodFunction.isAlertDocument(document))
                .uid(UID_OTHER_DOCUMENTS_FILTER)
                .name("documents other than trace-alerts")
                .union(
                        stockAlerts.getSideOutput(AlertQuietPeriodFunction.DOCUMENTS),
                        shipmentAlerts.getSideOutput(ShipmentAlertsFunction.DOCUMENTS),
                        workOrderLinks.getSideOutput(WorkOrderLinksFunction.DOCUMENTS),
                        unitDocuments)
                .sinkTo(sinks.documents())
                .uid(UID_DOCUMENTS_SINK)
                .name("trace documents -> documents topic");
        behindTransactionWatch(
                        env.fromSource(
                                        sources.documents(),
                                        WatermarkStrategy.noWatermarks(),
                                        "trace documents")
                                .uid(UID_DOCUMENTS_SOURCE),
                        sources.transactionWatch())
                .sinkTo(sinks.elasticsearch())
                .uid(UID_ELASTICSEARCH_SINK)
                .name("trace documents -> Elasticsearch");
    }

    /**
     * {@code documents} through a {@link TransactionWatchFunction}, whose first subtask checks the
     * job's read_committed topics for hanging transactions; as they are when the check is off.
     */
    private static DataStream<DocumentRecord> behindTransactionWatch(
            DataStream<DocumentRecord> documents, TransactionWatch setting) {
        if (setting == null) {
            return documents;
        }
        return documents
                .map(new TransactionWatchFunction<DocumentRecord>(setting), documents.getType())
                .uid(UID_HANGING_TRANSACTION_WATCH)
                .name("trace documents: check the transactional topics for hanging transactions");
    }

    /**
     * {@code records} behind an {@link InputWaitFunction}, or as they are when the input never
     * waits.
     */
    private static <T> DataStream<T> behindInputWait(
            DataStream<T> records, InputWait setting, String uid, String what) {
        if (setting == null) {
            return records;
        }
        return records.map(new InputWaitFunction<T>(setting), records.getType())
                .uid(uid)
                .name(what + ": wait while the feedback's backlog is large");
    }
}
