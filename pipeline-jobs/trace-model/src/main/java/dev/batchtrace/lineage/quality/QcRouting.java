package dev.batchtrace.lineage.quality;

import dev.batchtrace.events.QcResult;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A check that names no work order still belongs to the work order(s) that produced its lot (a
 * final inspection the MES did not tag). Keyed by lot code, this stage joins the lot's
 * OUTPUT_PRODUCED events (which name the producing work order) with its untagged checks, whichever
 * comes first, and sends each (producer, check) pair to the work-order stage as a {@link
 * WorkOrderAttachment.Check}. Checks of lots nobody produced (incoming inspection of purchased
 * lots) wait here and reach no work order. Idempotent: a repeated event or check sends nothing new;
 * a changed check (same id, other content) is merged with {@link QcCheck#merge} and re-sent.
 */
public final class QcRouting {

    private QcRouting() {}

    /** Whether this stage needs the event: an OUTPUT_PRODUCED with a lot code. */
    public static boolean routes(WorkOrderEvent e) {
        return e.getEventType() == WorkOrderEventType.OUTPUT_PRODUCED
                && e.getLotCode() != null
                && e.getWorkOrderId() != null;
    }

    /** Whether this stage needs the result: a check that names no work order. */
    public static boolean routes(QcResult r) {
        return r.getWorkOrderId() == null || r.getWorkOrderId().isBlank();
    }

    public static void apply(
            WorkOrderEvent produced, QcRouteStore store, Consumer<WorkOrderAttachment> out) {
        if (!routes(produced) || store.isProducer(produced.getWorkOrderId())) {
            return;
        }
        store.markProducer(produced.getWorkOrderId());
        for (QcCheck check : store.untaggedChecks()) {
            out.accept(new WorkOrderAttachment.Check(produced.getWorkOrderId(), check));
        }
    }

    public static void apply(
            QcResult result, QcRouteStore store, Consumer<WorkOrderAttachment> out) {
        if (!routes(result)) {
            return;
        }
        QcCheck before = store.untagged(result.getCheckId());
        QcCheck after = QcCheck.merge(before, QcCheck.of(result));
        if (after.equals(before)) {
            return;
        }
        store.putUntagged(result.getCheckId(), after);
        List<String> producers = new ArrayList<>();
        store.producers().forEach(producers::add);
        for (String workOrderId : producers) {
            out.accept(new WorkOrderAttachment.Check(workOrderId, after));
        }
    }
}
