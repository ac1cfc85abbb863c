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
 *
 * <h2>Quality holds (issue 4)</h2>
 *
 * <ol>
 *   <li>{@link dev.batchtrace.lineage.LotFlags} (stateless) sends each LotFlag to its lot as a
 *       {@link dev.batchtrace.lineage.LineageMessage.LotFlagUpdate}. The lot keeps a {@link
 *       dev.batchtrace.lineage.FlagHistory}: the newest RELEASE and every HOLD newer than it (by
 *       flaggedAt, ties by flagId). Its own holds are those HOLDs: several at once if there are
 *       several; a RELEASE lifts every older one; a HOLD older than the newest RELEASE (late) is
 *       dropped on arrival. The history is a join, so duplicates and order do not matter.
 *   <li>Holds ride the closure path: an {@link dev.batchtrace.lineage.Announcement} (and so a
 *       {@link dev.batchtrace.lineage.LineageMessage.Closure}) carries, besides the ancestors, the
 *       node's effective holds as {@link dev.batchtrace.lineage.HoldEntry}s with their route from
 *       the flagged lot. A lot's effective holds = its own holds (route: itself) plus, per hold,
 *       the preferred route among its current lot parents' announced holds extended by itself
 *       (shortest, then smallest lot codes in order; routes that already pass through the lot
 *       dropped, as path-vector routing does, so a lifted hold does not circle in a cycle of bad
 *       data; routes beyond MAX_DEPTH dropped like ancestors). A shipment keeps every hold of every
 *       current shipped lot, one per hold and shipped lot. The holds are part of the announcement's
 *       content, so a change of them bumps the version and reaches every child: the version
 *       protocol (newest per sender, function of current state only) is unchanged and still
 *       order-insensitive; the fixpoint per hold is a shortest-route tree from the flagged lot,
 *       which is what the reference's breadth-first search downstream computes.
 *   <li>{@link dev.batchtrace.lineage.LotUsages} (stateless) sends each consumption, reversal and
 *       dispatch line to its lot ({@link dev.batchtrace.lineage.LotUsage}, a join) so that a held
 *       lot knows what is left of it.
 *   <li>{@link dev.batchtrace.lineage.HoldAlerts} derives a node's alerts from its state (shipment:
 *       AFFECTED_SHIPMENT or, when it left after the hold, SHIPPED_WHILE_ON_HOLD; lot:
 *       AFFECTED_STOCK for what is left) with deterministic ids, and the records to send when that
 *       set changes (new ids OPEN, vanished ids RESOLVED).
 * </ol>
 *
 * <h2>Corrections and units (issue 10)</h2>
 *
 * <ul>
 *   <li>{@link dev.batchtrace.lineage.LotFacts} keeps facts per source event ({@link
 *       dev.batchtrace.lineage.LotSource}): a higher receipt revision replaces its receipt whole,
 *       an OUTPUT_REVERSED turns its output into a tombstone. A facts change re-announces the lot,
 *       so it reaches every descendant through the unchanged closure protocol; {@link
 *       dev.batchtrace.lineage.AncestorEntry#merge} takes the shortest path's fields so that an old
 *       value circling in a cycle of bad data cannot outlive a correction.
 *   <li>{@link dev.batchtrace.lineage.DispatchLinks} is keyed by dispatch id: the highest revision
 *       wins, and per lot that is or was on the note the edge and lines are re-sent under a growing
 *       sequence number, so corrections move them and CANCELLED removes them.
 *   <li>Units: {@link dev.batchtrace.lineage.OutputSerials} (keyed by work order + output) and the
 *       dispatch stage send {@link dev.batchtrace.lineage.UnitUpdate}s to a unit stage keyed by
 *       (product, serial), whose {@link dev.batchtrace.lineage.UnitDocuments} go to trace-units;
 *       lot documents never carry serials.
 * </ul>
 */
package dev.batchtrace.lineage;
