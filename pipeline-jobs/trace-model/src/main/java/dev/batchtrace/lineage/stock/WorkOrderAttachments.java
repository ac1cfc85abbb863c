package dev.batchtrace.lineage.stock;

import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.closure.NodeKey;
import dev.batchtrace.lineage.machine.MachineRunSummaries;
import dev.batchtrace.lineage.quality.QcChecks;
import dev.batchtrace.lineage.quality.WorkOrderAttachment;
import dev.batchtrace.machine.MachineRunSummary;
import java.util.Optional;
import java.util.function.Consumer;

/** Stage 1 for {@link WorkOrderAttachment}s, keyed by work order, on its {@link WorkOrderStore}. */
public final class WorkOrderAttachments {

    private WorkOrderAttachments() {}

    /**
     * Applies one attachment.
     *
     * @return whether the work order's document changed
     */
    public static boolean apply(
            WorkOrderAttachment attachment, WorkOrderStore store, Consumer<LineageMessage> out) {
        if (attachment instanceof WorkOrderAttachment.MachineRun m) {
            MachineRunSummaries before = MachineRunSummaries.orNone(store.machineRuns());
            MachineRunSummaries after = before.with(m.summary());
            if (after == before) {
                return false;
            }
            store.putMachineRuns(after);
            // the same run on every lot it produced; lots produced later get it from
            // WorkOrderLinks when they are produced
            MachineRunSummary merged = after.byKey().get(m.summary().key());
            for (String lot : store.producedLotCodes()) {
                out.accept(new LineageMessage.MachineRunUpdate(NodeKey.lot(lot), merged));
            }
            return true;
        }
        if (attachment instanceof WorkOrderAttachment.Check c) {
            QcChecks before = QcChecks.orNone(store.qcChecks());
            QcChecks after = before.with(c.check());
            if (after != before) {
                store.putQcChecks(after);
                return true;
            }
        }
        return false;
    }

    /**
     * A summary from the machine job for the work-order stage; idle buckets (no work order) are not
     * the lineage's and give nothing.
     */
    public static Optional<WorkOrderAttachment> of(MachineRunSummary summary) {
        return summary.workOrderId() == null
                ? Optional.empty()
                : Optional.of(new WorkOrderAttachment.MachineRun(summary));
    }
}
