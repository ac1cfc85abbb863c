/**
 * Machine runs as the genealogy keeps them (issue 5): {@link
 * dev.batchtrace.lineage.machine.MachineRunSummaries}, the run summaries of one work order or of
 * one produced lot, merged per run with {@code MachineRunSummary.merge} (package {@code
 * dev.batchtrace.machine}). They reach a work order as a {@code quality.WorkOrderAttachment} and
 * its lots through {@code stock.WorkOrderLinks}.
 */
package dev.batchtrace.lineage.machine;
