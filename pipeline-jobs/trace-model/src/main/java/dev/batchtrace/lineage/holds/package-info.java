/**
 * Quality holds (issue 4): a lot flag goes to its lot ({@link
 * dev.batchtrace.lineage.holds.LotFlags}), which keeps the decisions that still matter ({@link
 * dev.batchtrace.lineage.holds.FlagHistory}); its holds ({@link
 * dev.batchtrace.lineage.holds.HoldEntry}) ride the closure entries down the genealogy, and {@link
 * dev.batchtrace.lineage.holds.HoldAlerts} derives from a node's state the alerts they raise
 * ({@link dev.batchtrace.lineage.holds.HoldAlert}). How holds travel: the package-info of {@code
 * dev.batchtrace.lineage}.
 */
package dev.batchtrace.lineage.holds;
