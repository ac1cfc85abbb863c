package dev.batchtrace.lineage;

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
}
