/**
 * QC checks (issue 5): one check ({@link dev.batchtrace.lineage.quality.QcCheck}) and the checks of
 * a lot or work order ({@link dev.batchtrace.lineage.quality.QcChecks}, an order-free merge); stage
 * 1 sends each check to its lot and to the work order it names ({@link
 * dev.batchtrace.lineage.quality.QcResults}), and a check that names none to the work orders that
 * produced its lot ({@link dev.batchtrace.lineage.quality.QcRouting} on a {@link
 * dev.batchtrace.lineage.quality.QcRouteStore}). {@link
 * dev.batchtrace.lineage.quality.WorkOrderAttachment} (a check or a machine run for the work-order
 * stage) lives here because the QC stages produce it and it carries a {@link
 * dev.batchtrace.lineage.quality.QcCheck}; the work-order stage applies it ({@code
 * stock.WorkOrderAttachments}).
 */
package dev.batchtrace.lineage.quality;
