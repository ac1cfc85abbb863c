package dev.batchtrace.jobs.lineage;

import dev.batchtrace.connectors.kafka.Decoded;
import dev.batchtrace.connectors.kafka.EventSources;
import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.LotFlag;
import dev.batchtrace.events.QcResult;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.jobs.lineage.inputwait.InputWait;
import dev.batchtrace.jobs.lineage.transactionwatch.TransactionWatch;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.machine.MachineRunSummary;
import java.util.Objects;
import org.apache.flink.api.connector.source.Source;

/**
 * The sources of the lineage job; {@link #kafka} builds the production ones, tests may build their
 * own (e.g. a feedback source whose deserializer fails once).
 *
 * @param goodsReceipts GoodsReceipt events (undecodable records arrive as dead letters)
 * @param workOrders WorkOrderEvent events
 * @param dispatchNotes DispatchNote events
 * @param feedback lineage messages between nodes (read_committed)
 * @param documents trace documents with their offsets (read_committed)
 * @param lotFlags LotFlag events: quality holds and releases
 * @param qcResults QcResult events: quality checks of lots
 * @param machineSummaries the machine-attribution job's summaries (JSON, read_committed)
 * @param inputWait when the input sources wait for the feedback (null: never)
 * @param transactionWatch the check of the read_committed topics for hanging transactions (null:
 *     none)
 */
public record LineageSources(
        Source<Decoded<GoodsReceipt>, ?, ?> goodsReceipts,
        Source<Decoded<WorkOrderEvent>, ?, ?> workOrders,
        Source<Decoded<DispatchNote>, ?, ?> dispatchNotes,
        Source<LineageMessage, ?, ?> feedback,
        Source<DocumentRecord, ?, ?> documents,
        Source<Decoded<LotFlag>, ?, ?> lotFlags,
        Source<Decoded<QcResult>, ?, ?> qcResults,
        Source<Decoded<MachineRunSummary>, ?, ?> machineSummaries,
        InputWait inputWait,
        TransactionWatch transactionWatch) {

    public LineageSources {
        Objects.requireNonNull(goodsReceipts, "goodsReceipts");
        Objects.requireNonNull(workOrders, "workOrders");
        Objects.requireNonNull(dispatchNotes, "dispatchNotes");
        Objects.requireNonNull(feedback, "feedback");
        Objects.requireNonNull(documents, "documents");
        Objects.requireNonNull(lotFlags, "lotFlags");
        Objects.requireNonNull(qcResults, "qcResults");
        Objects.requireNonNull(machineSummaries, "machineSummaries");
    }

    /** The Kafka sources of {@code config}'s topics. */
    public static LineageSources kafka(LineageJobConfig config) {
        LineageJobConfig.Topics topics = config.topics();
        return new LineageSources(
                EventSources.forTopic(
                        config.kafka(),
                        config.registry(),
                        topics.goodsReceipts(),
                        GoodsReceipt.class),
                EventSources.forTopic(
                        config.kafka(),
                        config.registry(),
                        topics.workOrders(),
                        WorkOrderEvent.class),
                EventSources.forTopic(
                        config.kafka(),
                        config.registry(),
                        topics.dispatchNotes(),
                        DispatchNote.class),
                FeedbackTopic.source(config.kafka(), topics.feedback()),
                DocumentTopic.source(config.kafka(), topics.documents()),
                EventSources.forTopic(
                        config.kafka(), config.registry(), topics.lotFlags(), LotFlag.class),
                EventSources.forTopic(
                        config.kafka(), config.registry(), topics.qcResults(), QcResult.class),
                MachineSummarySource.source(config.kafka(), topics.machineSummaries()),
                inputWaitOf(config),
                transactionWatchOf(config));
    }

    /** The config's input wait, or null when the input never waits. */
    private static InputWait inputWaitOf(LineageJobConfig config) {
        InputWait wait = config.inputWait();
        return wait.enabled() ? wait : null;
    }

    /** The config's check for hanging transactions, or null when it is off. */
    private static TransactionWatch transactionWatchOf(LineageJobConfig config) {
        TransactionWatch watch = config.transactionWatch();
        return watch.enabled() ? watch : null;
    }

    public LineageSources withFeedback(Source<LineageMessage, ?, ?> other) {
        return new LineageSources(
                goodsReceipts,
                workOrders,
                dispatchNotes,
                other,
                documents,
                lotFlags,
                qcResults,
                machineSummaries,
                inputWait,
                transactionWatch);
    }
}
