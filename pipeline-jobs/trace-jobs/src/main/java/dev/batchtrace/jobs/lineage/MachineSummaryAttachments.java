package dev.batchtrace.jobs.lineage;

import dev.batchtrace.lineage.quality.WorkOrderAttachment;
import dev.batchtrace.lineage.stock.WorkOrderAttachments;
import dev.batchtrace.machine.MachineRunSummary;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Stateless: a work order's machine run summary goes to its work order; idle buckets (no work
 * order) are the machine job's own output for downtime reports, not part of the genealogy.
 */
public class MachineSummaryAttachments
        implements FlatMapFunction<MachineRunSummary, WorkOrderAttachment> {

    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(MachineRunSummary summary, Collector<WorkOrderAttachment> out) {
        WorkOrderAttachments.of(summary).ifPresent(out::collect);
    }
}
