package dev.batchtrace.lineage.quality;

import dev.batchtrace.events.QcResult;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.closure.NodeKey;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Stage 1 for quality checks, stateless: each {@code QcResult} goes to the lot it checked (a {@link
 * LineageMessage.QcCheckUpdate}) and, when it names its work order, to that work order too ({@link
 * #forWorkOrder}). A check without a work order reaches the work order(s) that produced its lot
 * through {@link QcRouting} (a lot-keyed join); on a purchased lot (incoming inspection) it stays
 * on the lot.
 */
public final class QcResults {

    private QcResults() {}

    public static void apply(QcResult result, Consumer<LineageMessage> out) {
        out.accept(
                new LineageMessage.QcCheckUpdate(
                        NodeKey.lot(result.getLotCode()), QcCheck.of(result)));
    }

    /** The check for its work order's stage, when the result names one. */
    public static Optional<WorkOrderAttachment> forWorkOrder(QcResult result) {
        if (result.getWorkOrderId() == null || result.getWorkOrderId().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(
                new WorkOrderAttachment.Check(result.getWorkOrderId(), QcCheck.of(result)));
    }
}
