/**
 * The trace documents: {@link dev.batchtrace.lineage.documents.TraceDocument} (index, id, body; no
 * body: a deletion) and {@link dev.batchtrace.lineage.documents.TraceDocuments}, which builds the
 * lot, shipment, work-order and closure member documents from state. The streaming job and the
 * batch reference both call these builders, so a difference between them can only come from the
 * state.
 */
package dev.batchtrace.lineage.documents;
