package dev.batchtrace.jobs.lineage;

import dev.batchtrace.events.QcResult;
import dev.batchtrace.lineage.quality.QcResults;
import dev.batchtrace.lineage.quality.WorkOrderAttachment;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Stateless: a QC result that names its work order goes to that work order too (a check without
 * one, e.g. incoming inspection, stays on its lot).
 */
public class QcResultWorkOrderChecks implements FlatMapFunction<QcResult, WorkOrderAttachment> {

    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(QcResult result, Collector<WorkOrderAttachment> out) {
        QcResults.forWorkOrder(result).ifPresent(out::collect);
    }
}
