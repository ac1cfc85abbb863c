/**
 * The genealogy of lots and shipments, Flink-free: facts, the incremental closure protocol, the
 * trace documents and an independent batch reference.
 *
 * <h2>Protocol</h2>
 *
 * <ol>
 *   <li>Stage 1 ({@link dev.batchtrace.lineage.WorkOrderLinks} keyed by work order, {@link
 *       dev.batchtrace.lineage.DispatchLinks}, {@link dev.batchtrace.lineage.GoodsReceipts}) turns
 *       events into {@link dev.batchtrace.lineage.LineageMessage}s keyed by node: lot facts,
 *       shipment facts and edge changes (parent -> child via a work order or dispatch, sent to both
 *       ends, each change of one edge with a higher sequence number).
 *   <li>Stage 2 ({@link dev.batchtrace.lineage.NodeProtocol} keyed by node) keeps per node its
 *       facts, its parent and child links (per via the newest change, removed vias as tombstones),
 *       the newest announcement received from each sender, and its own announcement = merge of the
 *       contributions of its current parents (depth + 1, itself dropped) plus itself. When the
 *       announcement changes its version goes up by one and it is sent to every current child; a
 *       new child gets the current one. Closures travel on the feedback topic.
 * </ol>
 *
 * <h2>Why it converges</h2>
 *
 * Every piece of node state is a "newest wins" register (edge vias by sequence, contributions by
 * version) or a join (facts: value beats null, larger wins, quantities per source event), so
 * duplicates, reordering and redelivery of old messages leave the state as if each change had
 * arrived once, in order. A node's announcement is a function of its current state only (not of its
 * history), so once every node has the newest announcement of each parent, each node's closure is
 * the fixpoint of "closure(n) = union over parents p of (closure(p) + p)", with depth = shortest
 * path: exactly the breadth-first search upstream. Messages stop because an announcement is only
 * sent when it changes, and in an acyclic genealogy changes only flow downstream. In a cycle (bad
 * data) a node drops its own lot from what it receives, and an entry that only the cycle keeps
 * alive after an edge removal (count-to-infinity) grows one depth per hop until {@link
 * dev.batchtrace.lineage.AncestorEntry#MAX_DEPTH} drops it; so cycles terminate and still match the
 * reference. Ids of versions: the feedback topic is exactly-once, so a restored node never meets
 * versions from a failed run.
 */
package dev.batchtrace.lineage;
