/**
 * The genealogy of lots and shipments, Flink-free: facts, the incremental closure protocol, the
 * trace documents and an independent batch reference.
 *
 * <h2>Packages</h2>
 *
 * <ul>
 *   <li>{@code closure}: stage 2, the node protocol keyed by lot or shipment, what a node keeps,
 *       and the messages between the stages and the nodes.
 *   <li>{@code stock}: stage 1 for goods receipts, work orders and dispatch notes, with their
 *       stores; the facts of lots, shipments and work orders, and what has left a lot.
 *   <li>{@code holds}: lot flags, the holds they set and the alerts those raise (issue 4).
 *   <li>{@code quality}: QC checks and their routing to lots and work orders (issue 5).
 *   <li>{@code machine}: machine run summaries of work orders and lots (issue 5).
 *   <li>{@code units}: serialised units and their documents (issue 10).
 *   <li>{@code documents}: the trace documents and their builders.
 *   <li>{@code reference}: the batch reference, on top of all of them.
 *   <li>Here: {@link dev.batchtrace.lineage.LineageCodec} (bytes of messages, state pieces and
 *       documents) and {@link dev.batchtrace.lineage.Merge} (the merge rule of every fact).
 * </ul>
 *
 * The packages are split by concern, not layered: a node ({@code closure}) keeps the facts of every
 * concern and each concern's stage 1 sends {@code closure}'s messages, so they use each other; only
 * {@code machine} (below) and {@code reference} (above) stand outside that cycle.
 *
 * <h2>Protocol</h2>
 *
 * <ol>
 *   <li>Stage 1 ({@link dev.batchtrace.lineage.stock.WorkOrderLinks} keyed by work order, {@link
 *       dev.batchtrace.lineage.stock.DispatchLinks}, {@link
 *       dev.batchtrace.lineage.stock.GoodsReceipts}) turns events into {@link
 *       dev.batchtrace.lineage.closure.LineageMessage}s keyed by node: lot facts, shipment facts
 *       and edge changes (parent -> child via a work order or dispatch, sent to both ends, each
 *       change of one edge with a higher sequence number).
 *   <li>Stage 2 ({@link dev.batchtrace.lineage.closure.NodeProtocol} keyed by node) keeps per node
 *       its facts, its parent and child links (per via the newest change, removed vias as
 *       tombstones), the last announcement of each current parent, and its closure as one {@link
 *       dev.batchtrace.lineage.closure.ClosureSlot} per ancestor lot: the newest content of that
 *       lot's entry (by the revision the lot itself counts) and, per depth, how many current
 *       parents bring it there (parent's depth + 1, its own lot dropped). A parent's change adjusts
 *       only the slots it names. A node announces its closure entries plus its own entry (depth 0);
 *       when that changes, the version goes up by one and every present child gets the
 *       <em>difference</em> from the previous version (entries added or changed, lot codes
 *       removed); a new child gets the whole announcement. Sending waits for a flush (the job
 *       flushes at each checkpoint barrier): the changes of all messages since the last flush go
 *       out as one difference, the codes that changed being marked in the store; a whole sent
 *       before the flush already holds them, so the difference after it changes nothing there. A
 *       child applies a difference only on top of the version it names and asks for the whole
 *       ({@link dev.batchtrace.lineage.closure.LineageMessage.ClosureRequest}) after any gap, and
 *       when an edge comes back after a removal. A removed parent's contribution is deleted.
 *   <li>Hubs: a lot with at least the hub fan-in of present lot parents (a silo) announces only its
 *       own entry, marked {@code hub}; its closure stays with it and is indexed once as closure
 *       member documents ({@code trace-closures}). Descendants' closures stop at the hub (a
 *       breadth-first search upstream that does not go through a hub); their documents name it in
 *       {@code ancestorHubs}. Hub status depends only on the lot's own parent count, so it cannot
 *       oscillate.
 * </ol>
 *
 * <h2>Why it converges</h2>
 *
 * Every piece of node state is a "newest wins" register (edge vias by sequence, contributions by
 * version, slot contents by the source lot's revision), a count of current contributions, or a join
 * (facts), and a node's announcement is a function of its current state only. Differences are
 * applied only on the version they name and everything else is repaired by asking for the whole, so
 * duplicates, reordering and redelivery of old messages (the property tests' hostile router) leave
 * each node with its parents' newest announcements; the fixpoint per node is "slots(n) = union over
 * parents p of (announced(p) + 1)", with depth = shortest path: the reference's breadth-first
 * search upstream that stops at hubs. Messages stop because an announcement changes only when its
 * content does, and in an acyclic genealogy changes only flow downstream. In a cycle (bad data) a
 * node drops its own lot, and an entry that only the cycle keeps alive after an edge removal grows
 * one depth per lap until {@link dev.batchtrace.lineage.closure.AncestorEntry#MAX_DEPTH} drops it.
 * In the job the feedback topic is exactly-once, so messages between two nodes arrive in order and
 * once and a restored node never meets versions from a failed run; the repair path is for what the
 * model tests throw at it.
 *
 * <h2>Quality holds (issue 4)</h2>
 *
 * <ol>
 *   <li>{@link dev.batchtrace.lineage.holds.LotFlags} (stateless) sends each LotFlag to its lot as
 *       a {@link dev.batchtrace.lineage.closure.LineageMessage.LotFlagUpdate}. The lot keeps a
 *       {@link dev.batchtrace.lineage.holds.FlagHistory}: the newest RELEASE and every HOLD newer
 *       than it (by flaggedAt, ties by flagId). Its own holds are those HOLDs: several at once if
 *       there are several; a RELEASE lifts every older one; a HOLD older than the newest RELEASE
 *       (late) is dropped on arrival. The history is a join, so duplicates and order do not matter.
 *   <li>Holds ride the lots' own entries: a lot's entry carries its own active holds, so a HOLD or
 *       RELEASE changes one entry, which travels as a one-entry difference to every node below it.
 *       A hub's entry carries every hold of its closure (kept as counts over its slots, {@link
 *       dev.batchtrace.lineage.closure.HoldCount}), since its closure does not travel. A node's
 *       holds are its own plus every hold its closure entries carry. No route travels (routes
 *       change whenever another path appears or vanishes); an alert names the flagged and the
 *       affected lot, and the route between them is drawn from the documents when asked.
 *   <li>{@link dev.batchtrace.lineage.stock.LotUsages} (stateless) sends each consumption, reversal
 *       and dispatch line to its lot ({@link dev.batchtrace.lineage.stock.LotUsage}, a join) so
 *       that a held lot knows what is left of it.
 *   <li>{@link dev.batchtrace.lineage.holds.HoldAlerts} derives a node's alerts from its state
 *       (shipment: one per hold, AFFECTED_SHIPMENT or, when it left after the hold,
 *       SHIPPED_WHILE_ON_HOLD, naming every affected line; lot: AFFECTED_STOCK for what is left)
 *       with deterministic ids, and the records to send when that set changes (new ids OPEN,
 *       vanished ids RESOLVED).
 * </ol>
 *
 * <h2>Corrections and units (issue 10)</h2>
 *
 * <ul>
 *   <li>{@link dev.batchtrace.lineage.stock.LotFacts} keeps facts per source event ({@link
 *       dev.batchtrace.lineage.stock.LotSource}): a higher receipt revision replaces its receipt
 *       whole, an OUTPUT_REVERSED turns its output into a tombstone. A facts change re-announces
 *       the lot, so it reaches every descendant through the unchanged closure protocol; {@link
 *       dev.batchtrace.lineage.closure.AncestorEntry#merge} takes the shortest path's fields so
 *       that an old value circling in a cycle of bad data cannot outlive a correction.
 *   <li>{@link dev.batchtrace.lineage.stock.DispatchLinks} is keyed by dispatch id: the highest
 *       revision wins, and per lot that is or was on the note the edge and lines are re-sent under
 *       a growing sequence number, so corrections move them and CANCELLED removes them.
 *   <li>Units: {@link dev.batchtrace.lineage.units.OutputSerials} (keyed by work order + output)
 *       and the dispatch stage send {@link dev.batchtrace.lineage.units.UnitUpdate}s to a unit
 *       stage keyed by (product, serial), whose {@link dev.batchtrace.lineage.units.UnitDocuments}
 *       go to trace-units; lot documents never carry serials.
 * </ul>
 */
package dev.batchtrace.lineage;
