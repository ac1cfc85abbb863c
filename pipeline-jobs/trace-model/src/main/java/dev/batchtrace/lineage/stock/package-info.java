/**
 * Stage 1 for the events that move material, and the facts they give: goods receipts ({@link
 * dev.batchtrace.lineage.stock.GoodsReceipts}), work orders ({@link
 * dev.batchtrace.lineage.stock.WorkOrderLinks}: consumptions x outputs as lot -> lot edges, and
 * {@link dev.batchtrace.lineage.stock.WorkOrderAttachments} on the same work-order state) and
 * dispatch notes ({@link dev.batchtrace.lineage.stock.DispatchLinks}: lot -> shipment edges), with
 * their per-key stores. The facts are what the nodes keep of a lot ({@link
 * dev.batchtrace.lineage.stock.LotFacts} per source event) and of a shipment, and what has left a
 * lot ({@link dev.batchtrace.lineage.stock.LotUsage}, sent by {@link
 * dev.batchtrace.lineage.stock.LotUsages}), for the mass balance and stock alerts.
 */
package dev.batchtrace.lineage.stock;
