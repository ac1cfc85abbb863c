/**
 * Quality holds (issue 4): a lot flag goes to its lot ({@link
 * dev.batchtrace.lineage.holds.LotFlags}), which keeps the decisions that still matter ({@link
 * dev.batchtrace.lineage.holds.FlagHistory}); its holds ({@link
 * dev.batchtrace.lineage.holds.HoldEntry}) ride the closure entries down the genealogy, and {@link
 * dev.batchtrace.lineage.holds.HoldAlerts} derives from a node's state the alerts they raise
 * ({@link dev.batchtrace.lineage.holds.HoldAlert}). A shipment also learns a hold from the
 * affected-shipments index, one hop instead of one per level: the lots its closure reaches ({@link
 * dev.batchtrace.lineage.holds.ShipmentReachChange}), a lot's entry holds ({@link
 * dev.batchtrace.lineage.holds.LotEntryHolds}), and what the index tells it ({@link
 * dev.batchtrace.lineage.holds.ShipmentHoldChange}); its alerts are those of the union ({@link
 * dev.batchtrace.lineage.holds.HoldAlerts#shipmentAlerts(String,
 * dev.batchtrace.lineage.stock.ShipmentFacts, java.util.Collection, java.util.Collection)}). How
 * holds travel: the package-info of {@code dev.batchtrace.lineage}.
 */
package dev.batchtrace.lineage.holds;
