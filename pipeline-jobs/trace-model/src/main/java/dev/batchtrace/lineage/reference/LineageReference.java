package dev.batchtrace.lineage.reference;

import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.LotFlag;
import dev.batchtrace.events.LotFlagAction;
import dev.batchtrace.events.QcResult;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import dev.batchtrace.lineage.Merge;
import dev.batchtrace.lineage.closure.AncestorEntry;
import dev.batchtrace.lineage.closure.NodeKey;
import dev.batchtrace.lineage.closure.NodeProtocol;
import dev.batchtrace.lineage.documents.TraceDocument;
import dev.batchtrace.lineage.documents.TraceDocuments;
import dev.batchtrace.lineage.holds.FlagEvent;
import dev.batchtrace.lineage.holds.HoldAlert;
import dev.batchtrace.lineage.holds.HoldAlerts;
import dev.batchtrace.lineage.holds.HoldEntry;
import dev.batchtrace.lineage.machine.MachineRunSummaries;
import dev.batchtrace.lineage.quality.QcCheck;
import dev.batchtrace.lineage.quality.QcChecks;
import dev.batchtrace.lineage.quality.QcResults;
import dev.batchtrace.lineage.quality.QcRouting;
import dev.batchtrace.lineage.stock.Consumption;
import dev.batchtrace.lineage.stock.LotFacts;
import dev.batchtrace.lineage.stock.LotUsage;
import dev.batchtrace.lineage.stock.ShipmentFacts;
import dev.batchtrace.lineage.stock.ShipmentLine;
import dev.batchtrace.lineage.stock.WorkOrderFacts;
import dev.batchtrace.lineage.units.UnitDocuments;
import dev.batchtrace.lineage.units.UnitFacts;
import dev.batchtrace.lineage.units.UnitOutput;
import dev.batchtrace.lineage.units.UnitShipment;
import dev.batchtrace.machine.MachineReference;
import dev.batchtrace.machine.MachineRunSummary;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The batch reference: the trace documents computed directly from a list of events (any order, with
 * duplicates), by deduplication, reversal, edges and a breadth-first search upstream per node. It
 * shares only the fact records and {@link TraceDocuments} with the incremental protocol, so it is
 * an independent check of it.
 */
public final class LineageReference {

    private LineageReference() {}

    /**
     * What the events imply with holds: the documents (with {@code onHold}/{@code holds}) and the
     * open alerts by id.
     */
    public record Result(Map<String, TraceDocument> documents, Map<String, HoldAlert> alerts) {}

    /**
     * All trace documents the events imply, keyed by {@link TraceDocument#key()}, lineage only:
     * GoodsReceipt, WorkOrderEvent, DispatchNote, QcResult, MachineEvent (attributed by {@code
     * MachineReference}) and MachineRunSummary are used; other events, LotFlags included, are
     * ignored (every document has {@code onHold: false}), which is what a job that does not read
     * lot flags produces. With holds: {@link #withHolds}.
     */
    public static Map<String, TraceDocument> documents(Collection<?> events) {
        return compute(events, false, NodeProtocol.DEFAULT_HUB_FAN_IN).documents();
    }

    /** {@link #documents(Collection)} with another hub fan-in. */
    public static Map<String, TraceDocument> documents(Collection<?> events, int hubFanIn) {
        return compute(events, false, hubFanIn).documents();
    }

    /**
     * Documents and open alerts with the LotFlags of {@code events} applied: per lot the flag
     * events are deduplicated by flagId, the newest RELEASE (by flaggedAt, then flagId) lifts every
     * older HOLD, and each HOLD newer than it is followed downstream breadth-first (shortest route,
     * ties by the smaller lot codes) to every descendant lot and shipment.
     */
    public static Result withHolds(Collection<?> events) {
        return compute(events, true, NodeProtocol.DEFAULT_HUB_FAN_IN);
    }

    /** {@link #withHolds(Collection)} with another hub fan-in. */
    public static Result withHolds(Collection<?> events, int hubFanIn) {
        return compute(events, true, hubFanIn);
    }

    private static Result compute(Collection<?> events, boolean withFlags, int hubFanIn) {
        Map<String, Map<String, LotFlag>> flags = new TreeMap<>();
        // what left each lot (mass balance, stock under hold)
        Map<String, Map<String, Consumption>> consumedFrom = new HashMap<>();
        Map<String, Set<String>> reversedAt = new HashMap<>();
        Map<String, Map<String, List<ShipmentLine>>> shippedFrom = new HashMap<>();
        Map<String, LotFacts> lotFacts = new HashMap<>();
        Map<String, ShipmentFacts> shipmentFacts = new HashMap<>();
        Map<String, List<WorkOrderEvent>> workOrders = new TreeMap<>();
        // edges: child node -> parent lots; lot -> dispatch -> customers
        Map<NodeKey, Set<String>> parents = new HashMap<>();
        Map<String, Set<String>> lotChildren = new HashMap<>();
        Map<String, Map<String, String>> shipmentCustomers = new HashMap<>();
        // QC checks by the lot they checked and by the work order they name
        Map<String, QcChecks> lotChecks = new HashMap<>();
        Map<String, QcChecks> workOrderChecks = new TreeMap<>();
        // checks naming no work order, by lot: they also belong to the lot's producers
        Map<String, QcChecks> untaggedChecks = new HashMap<>();

        // receipts by receiptId: the highest revision replaces the earlier ones whole, lot too
        Map<String, List<GoodsReceipt>> receipts = new TreeMap<>();
        // dispatch notes by id: the highest revision wins whole
        Map<String, List<DispatchNote>> notes = new TreeMap<>();
        for (Object event : events) {
            if (event instanceof GoodsReceipt r) {
                receipts.computeIfAbsent(r.getReceiptId(), k -> new ArrayList<>()).add(r);
            } else if (event instanceof QcResult q) {
                QcCheck check = QcCheck.of(q);
                lotChecks.put(
                        q.getLotCode(), QcChecks.orNone(lotChecks.get(q.getLotCode())).with(check));
                if (QcRouting.routes(q)) {
                    untaggedChecks.put(
                            q.getLotCode(),
                            QcChecks.orNone(untaggedChecks.get(q.getLotCode())).with(check));
                }
                QcResults.forWorkOrder(q)
                        .ifPresent(
                                a ->
                                        workOrderChecks.put(
                                                a.workOrderId(),
                                                QcChecks.orNone(
                                                                workOrderChecks.get(
                                                                        a.workOrderId()))
                                                        .with(check)));
            } else if (event instanceof WorkOrderEvent e) {
                workOrders.computeIfAbsent(e.getWorkOrderId(), k -> new ArrayList<>()).add(e);
                if (e.getLotCode() != null) {
                    if (e.getEventType() == WorkOrderEventType.MATERIAL_CONSUMED) {
                        consumedFrom
                                .computeIfAbsent(e.getLotCode(), k -> new TreeMap<>())
                                .merge(
                                        e.getEventId(),
                                        new Consumption(
                                                e.getLotCode(),
                                                e.getQuantity(),
                                                e.getUnit(),
                                                e.getWorkOrderId()),
                                        Merge::larger);
                    } else if (e.getEventType() == WorkOrderEventType.CONSUMPTION_REVERSED
                            && e.getReversesEventId() != null) {
                        // a reversal counts at the lot it names (that is where it is routed)
                        reversedAt
                                .computeIfAbsent(e.getLotCode(), k -> new TreeSet<>())
                                .add(e.getReversesEventId());
                    }
                }
            } else if (event instanceof LotFlag f && withFlags) {
                flags.computeIfAbsent(f.getLotCode(), k -> new TreeMap<>())
                        .merge(f.getFlagId(), f, LineageReference::largerFlag);
            } else if (event instanceof DispatchNote n) {
                notes.computeIfAbsent(n.getDispatchId(), k -> new ArrayList<>()).add(n);
            }
        }
        // units (issue 10): by unit key, the live outputs that made them and the notes they left on
        Map<String, UnitFacts> units = new TreeMap<>();
        receipts.forEach(
                (receiptId, sent) -> {
                    // the newest revision, of one revision the larger lot code (as GoodsReceipts)
                    int newest = sent.stream().mapToInt(GoodsReceipt::getRevision).max().orElse(0);
                    String lot =
                            sent.stream()
                                    .filter(r -> r.getRevision() == newest)
                                    .map(GoodsReceipt::getLotCode)
                                    .max(String::compareTo)
                                    .orElseThrow();
                    for (GoodsReceipt r : sent) {
                        if (r.getRevision() == newest && r.getLotCode().equals(lot)) {
                            lotFacts.merge(
                                    r.getLotCode(), LotFacts.fromReceipt(r), LotFacts::merge);
                        }
                    }
                });
        notes.forEach(
                (dispatchId, sent) -> {
                    int newest = sent.stream().mapToInt(DispatchNote::getRevision).max().orElse(0);
                    ShipmentFacts facts = null;
                    for (DispatchNote n : sent) {
                        if (n.getRevision() == newest) {
                            facts = ShipmentFacts.merge(facts, ShipmentFacts.of(n));
                        }
                    }
                    shipmentFacts.put(dispatchId, facts);
                    if (facts.cancelled()) {
                        return; // taken back: no lines, no edges, no units
                    }
                    // a unit on two lines of one note (bad data): the larger lot
                    Map<List<String>, String> onNote = new TreeMap<>(LineageReference::compareKeys);
                    for (ShipmentLine line : facts.lines()) {
                        for (String serial : line.serials()) {
                            onNote.merge(
                                    List.of(line.productCode(), serial),
                                    line.lotCode(),
                                    Merge::larger);
                        }
                    }
                    for (Map.Entry<List<String>, String> unit : onNote.entrySet()) {
                        UnitShipment shipped =
                                new UnitShipment(
                                        0,
                                        true,
                                        unit.getValue(),
                                        facts.customerId(),
                                        facts.customerName(),
                                        facts.shippedAt());
                        units.merge(
                                UnitFacts.key(unit.getKey().get(0), unit.getKey().get(1)),
                                UnitFacts.shipment(
                                        unit.getKey().get(0),
                                        unit.getKey().get(1),
                                        dispatchId,
                                        shipped),
                                UnitFacts::merge);
                    }
                    NodeKey shipment = NodeKey.shipment(dispatchId);
                    Map<String, List<ShipmentLine>> linesByLot = new TreeMap<>();
                    for (ShipmentLine line : facts.lines()) {
                        linesByLot
                                .computeIfAbsent(line.lotCode(), k -> new ArrayList<>())
                                .add(line);
                    }
                    linesByLot.forEach(
                            (lot, lines) ->
                                    shippedFrom
                                            .computeIfAbsent(lot, k -> new TreeMap<>())
                                            .put(dispatchId, lines));
                    for (String lot : linesByLot.keySet()) {
                        parents.computeIfAbsent(shipment, k -> new HashSet<>()).add(lot);
                        shipmentCustomers
                                .computeIfAbsent(lot, k -> new TreeMap<>())
                                .put(dispatchId, facts.customerId());
                    }
                });

        // machine runs per work order: attributed from machine events here, plus any summaries
        // given as they are (what the machine job sends); idle buckets are not the lineage's
        Map<String, MachineRunSummaries> workOrderRuns = new TreeMap<>();
        List<MachineRunSummary> summaries = new ArrayList<>(MachineReference.summaries(events));
        for (Object event : events) {
            if (event instanceof MachineRunSummary m) {
                summaries.add(m);
            }
        }
        for (MachineRunSummary m : summaries) {
            if (m.workOrderId() != null) {
                workOrderRuns.put(
                        m.workOrderId(),
                        MachineRunSummaries.orNone(workOrderRuns.get(m.workOrderId())).with(m));
            }
        }
        Map<String, MachineRunSummaries> lotRuns = new HashMap<>();

        Map<String, TraceDocument> docs = new TreeMap<>();
        for (Map.Entry<String, List<WorkOrderEvent>> wo : workOrders.entrySet()) {
            WorkOrderFacts facts = null;
            Map<String, Consumption> consumptions = new HashMap<>();
            Set<String> reversed = new HashSet<>();
            // outputs: (eventId, lot) -> the events; reversed outputs by eventId
            Map<List<String>, List<WorkOrderEvent>> outputs =
                    new TreeMap<>(LineageReference::compareKeys);
            Set<String> reversedOutputs = new HashSet<>();
            for (WorkOrderEvent e : wo.getValue()) {
                facts = WorkOrderFacts.merge(facts, WorkOrderFacts.of(e));
                switch (e.getEventType()) {
                    case MATERIAL_CONSUMED -> {
                        if (e.getLotCode() != null) {
                            consumptions.merge(
                                    e.getEventId(),
                                    new Consumption(
                                            e.getLotCode(),
                                            e.getQuantity(),
                                            e.getUnit(),
                                            e.getWorkOrderId()),
                                    Merge::larger);
                        }
                    }
                    case CONSUMPTION_REVERSED -> {
                        if (e.getReversesEventId() != null) {
                            reversed.add(e.getReversesEventId());
                        }
                    }
                    case OUTPUT_PRODUCED -> {
                        if (e.getLotCode() != null) {
                            outputs.computeIfAbsent(
                                            List.of(e.getEventId(), e.getLotCode()),
                                            k -> new ArrayList<>())
                                    .add(e);
                        }
                    }
                    case OUTPUT_REVERSED -> {
                        if (e.getReversesEventId() != null) {
                            reversedOutputs.add(e.getReversesEventId());
                        }
                    }
                    default -> {}
                }
            }
            // named: every lot an output named (QC routing, machine runs); produced: not reversed
            SortedSet<String> named = new TreeSet<>();
            SortedSet<String> produced = new TreeSet<>();
            for (Map.Entry<List<String>, List<WorkOrderEvent>> o : outputs.entrySet()) {
                String eventId = o.getKey().get(0);
                String lot = o.getKey().get(1);
                named.add(lot);
                if (reversedOutputs.contains(eventId)) {
                    lotFacts.merge(lot, LotFacts.reversedOutput(eventId), LotFacts::merge);
                    continue;
                }
                produced.add(lot);
                for (WorkOrderEvent e : o.getValue()) {
                    lotFacts.merge(lot, LotFacts.fromOutput(e), LotFacts::merge);
                    for (String serial :
                            e.getSerials() == null ? List.<String>of() : e.getSerials()) {
                        units.merge(
                                UnitFacts.key(e.getProductCode(), serial),
                                UnitFacts.output(
                                        e.getProductCode(),
                                        serial,
                                        eventId,
                                        new UnitOutput(
                                                false, lot, e.getWorkOrderId(), e.getOccurredAt())),
                                UnitFacts::merge);
                    }
                }
                if (facts != null && (facts.startedAt() != null || facts.completedAt() != null)) {
                    lotFacts.merge(
                            lot,
                            LotFacts.workOrderRun(eventId, facts.startedAt(), facts.completedAt()),
                            LotFacts::merge);
                }
            }
            SortedSet<String> consumed = new TreeSet<>();
            consumptions.forEach(
                    (eventId, c) -> {
                        if (!reversed.contains(eventId)) {
                            consumed.add(c.lotCode());
                        }
                    });
            for (String child : produced) {
                for (String parent : consumed) {
                    parents.computeIfAbsent(NodeKey.lot(child), k -> new HashSet<>()).add(parent);
                    lotChildren.computeIfAbsent(parent, k -> new HashSet<>()).add(child);
                }
            }
            QcChecks checks = QcChecks.orNone(workOrderChecks.get(wo.getKey()));
            for (String lot : named) {
                for (QcCheck check : QcChecks.orNone(untaggedChecks.get(lot)).byId().values()) {
                    checks = checks.with(check);
                }
            }
            MachineRunSummaries runs = MachineRunSummaries.orNone(workOrderRuns.get(wo.getKey()));
            for (String lot : named) {
                for (MachineRunSummary run : runs.summaries()) {
                    lotRuns.put(lot, MachineRunSummaries.orNone(lotRuns.get(lot)).with(run));
                }
            }
            TraceDocument doc =
                    TraceDocuments.withMachineRuns(
                            TraceDocuments.withQuality(
                                    TraceDocuments.workOrder(
                                            wo.getKey(), facts, consumed, produced),
                                    checks.byId().values(),
                                    true),
                            runs.summaries());
            docs.put(doc.key(), doc);
        }
        // a work order known only from its QC checks or machine runs still has a document
        Set<String> attachedOnly = new TreeSet<>(workOrderChecks.keySet());
        attachedOnly.addAll(workOrderRuns.keySet());
        attachedOnly.removeAll(workOrders.keySet());
        for (String id : attachedOnly) {
            TraceDocument doc =
                    TraceDocuments.withMachineRuns(
                            TraceDocuments.withQuality(
                                    TraceDocuments.workOrder(id, null, List.of(), List.of()),
                                    QcChecks.orNone(workOrderChecks.get(id)).byId().values(),
                                    true),
                            MachineRunSummaries.orNone(workOrderRuns.get(id)).summaries());
            docs.put(doc.key(), doc);
        }

        Set<String> lots = new TreeSet<>(lotFacts.keySet());
        lots.addAll(lotChildren.keySet());
        lots.addAll(shipmentCustomers.keySet());
        for (NodeKey child : parents.keySet()) {
            if (child.isLot()) {
                lots.add(child.code());
            }
        }
        Closures closures = new Closures(parents, lotFacts, ownHolds(flags), hubFanIn);
        Map<String, HoldAlert> alerts = new TreeMap<>();
        for (String lot : lots) {
            NodeKey node = NodeKey.lot(lot);
            Set<String> inputs = parents.getOrDefault(node, Set.of());
            Map<String, Set<String>> shipments = new TreeMap<>();
            shipmentCustomers
                    .getOrDefault(lot, Map.of())
                    .forEach(
                            (dispatchId, customer) ->
                                    shipments.put(
                                            dispatchId,
                                            customer == null ? Set.of() : Set.of(customer)));
            boolean hasEdges =
                    !inputs.isEmpty()
                            || lotChildren.containsKey(lot)
                            || shipmentCustomers.containsKey(lot);
            LotUsage usage =
                    new LotUsage(
                            new TreeMap<>(consumedFrom.getOrDefault(lot, Map.of())),
                            new TreeSet<>(reversedAt.getOrDefault(lot, Set.of())),
                            new TreeMap<>(shippedFrom.getOrDefault(lot, Map.of())),
                            null);
            boolean hub = closures.isHub(lot);
            List<AncestorEntry> closure = closures.closure(node);
            List<HoldEntry> holds = closures.holds(node);
            TraceDocument doc =
                    TraceDocuments.lot(
                            lot,
                            lotFacts.get(lot),
                            usage,
                            inputs,
                            shipments,
                            hub ? List.of() : closure,
                            holds,
                            hasEdges);
            LotFacts facts = lotFacts.get(lot);
            if (facts != null && LotFacts.PURCHASED.equals(facts.kind())) {
                doc =
                        TraceDocuments.withReceiptIds(
                                doc, LotFacts.receiptIds(facts.sources().entrySet()));
            }
            if (hub) {
                doc = TraceDocuments.asHub(doc, closure.size());
                for (AncestorEntry member : closure) {
                    TraceDocument m = TraceDocuments.closureMember(lot, member);
                    docs.put(m.key(), m);
                }
            }
            doc =
                    TraceDocuments.withMachineRuns(
                            TraceDocuments.withLotQuality(
                                    doc,
                                    lotFacts.get(lot),
                                    QcChecks.orNone(lotChecks.get(lot)).byId().values()),
                            MachineRunSummaries.orNone(lotRuns.get(lot)).summaries());
            if (!doc.isDeletion()) { // every output of it reversed, and no edges
                docs.put(doc.key(), doc);
            }
            List<HoldEntry> routed = new ArrayList<>();
            for (HoldEntry h : holds) {
                routed.add(h.withPath(HoldAlerts.route(h.lotCode(), lot)));
            }
            HoldAlerts.stockAlerts(lot, lotFacts.get(lot), usage, routed)
                    .forEach(a -> alerts.put(a.alertId(), a));
        }
        for (Map.Entry<String, ShipmentFacts> s : shipmentFacts.entrySet()) {
            NodeKey node = NodeKey.shipment(s.getKey());
            // per hold and shipped lot
            List<HoldEntry> shipmentHolds = new ArrayList<>();
            for (String shipped : new TreeSet<>(parents.getOrDefault(node, Set.of()))) {
                for (HoldEntry h : closures.holds(NodeKey.lot(shipped))) {
                    shipmentHolds.add(h.withPath(HoldAlerts.route(h.lotCode(), shipped)));
                }
            }
            TraceDocument doc =
                    TraceDocuments.shipment(
                            s.getKey(),
                            s.getValue(),
                            parents.getOrDefault(node, Set.of()),
                            closures.closure(node),
                            closures.holds(node));
            if (!doc.isDeletion()) { // a cancelled shipment
                docs.put(doc.key(), doc);
            }
            HoldAlerts.shipmentAlerts(s.getKey(), s.getValue(), shipmentHolds)
                    .forEach(a -> alerts.put(a.alertId(), a));
        }
        for (UnitFacts unit : units.values()) {
            TraceDocument doc = UnitDocuments.unit(unit);
            if (!doc.isDeletion()) {
                docs.put(doc.key(), doc);
            }
        }
        return new Result(docs, alerts);
    }

    private static int compareKeys(List<String> a, List<String> b) {
        int c = a.get(0).compareTo(b.get(0));
        return c != 0 ? c : a.get(1).compareTo(b.get(1));
    }

    /** Two flag events with one id (bad data): the later one, then the larger. */
    private static LotFlag largerFlag(LotFlag a, LotFlag b) {
        return FlagEvent.of(a).compareTo(FlagEvent.of(b)) >= 0 ? a : b;
    }

    /**
     * Per lot, its own active holds: of its flags, the HOLDs newer than its newest RELEASE (by
     * flaggedAt, then flagId).
     */
    static Map<String, List<HoldEntry>> ownHolds(Map<String, Map<String, LotFlag>> flags) {
        Map<String, List<HoldEntry>> holds = new TreeMap<>();
        for (Map.Entry<String, Map<String, LotFlag>> lot : flags.entrySet()) {
            FlagEvent newestRelease = null;
            for (LotFlag f : lot.getValue().values()) {
                FlagEvent e = FlagEvent.of(f);
                if (f.getAction() == LotFlagAction.RELEASE
                        && (newestRelease == null || e.compareTo(newestRelease) > 0)) {
                    newestRelease = e;
                }
            }
            for (LotFlag f : lot.getValue().values()) {
                FlagEvent e = FlagEvent.of(f);
                if (f.getAction() == LotFlagAction.HOLD
                        && (newestRelease == null || e.compareTo(newestRelease) > 0)) {
                    holds.computeIfAbsent(lot.getKey(), k -> new ArrayList<>())
                            .add(HoldEntry.of(e));
                }
            }
        }
        holds.values().forEach(l -> l.sort(null));
        return holds;
    }

    /**
     * Closures the plain way. A lot with at least {@code hubFanIn} lot parents is a hub: its
     * closure is computed but not copied into its descendants' closures, which list the hub itself
     * ({@code hub}) instead; so a node's closure is a breadth-first search upstream that does not
     * go through a hub (it may start at one). A node's holds: its own and every hold of every lot
     * its closure reaches through hubs, i.e. of its whole genealogy upstream.
     */
    static final class Closures {
        private final Map<NodeKey, Set<String>> parents;
        private final Map<String, LotFacts> lotFacts;
        private final Map<String, List<HoldEntry>> ownHolds;
        private final int hubFanIn;
        private final Map<NodeKey, List<AncestorEntry>> closures = new HashMap<>();
        private Map<String, List<HoldEntry>> hubHolds;

        Closures(
                Map<NodeKey, Set<String>> parents,
                Map<String, LotFacts> lotFacts,
                Map<String, List<HoldEntry>> ownHolds,
                int hubFanIn) {
            this.parents = parents;
            this.lotFacts = lotFacts;
            this.ownHolds = ownHolds;
            this.hubFanIn = hubFanIn;
        }

        boolean isHub(String lot) {
            return parents.getOrDefault(NodeKey.lot(lot), Set.of()).size() >= hubFanIn;
        }

        /** The closure entries of a node (hub members carry their hub's holds), by lot code. */
        List<AncestorEntry> closure(NodeKey node) {
            List<AncestorEntry> cached = closures.get(node);
            if (cached != null) {
                return cached;
            }
            List<AncestorEntry> entries = new ArrayList<>();
            depths(node).forEach((lot, d) -> entries.add(entry(lot, d)));
            closures.put(node, entries);
            return entries;
        }

        /** Own holds and those every closure entry carries, one per hold key, sorted. */
        List<HoldEntry> holds(NodeKey node) {
            TreeMap<String, HoldEntry> holds = new TreeMap<>();
            if (node.isLot()) {
                for (HoldEntry h : ownHolds.getOrDefault(node.code(), List.of())) {
                    holds.merge(h.holdKey(), h, HoldEntry::preferred);
                }
            }
            for (AncestorEntry e : closure(node)) {
                for (HoldEntry h : e.holds()) {
                    holds.merge(h.holdKey(), h, HoldEntry::preferred);
                }
            }
            List<HoldEntry> sorted = new ArrayList<>(holds.values());
            sorted.sort(null);
            return sorted;
        }

        private AncestorEntry entry(String lot, int depth) {
            LotFacts f = lotFacts.get(lot);
            boolean hub = isHub(lot);
            List<HoldEntry> holds =
                    hub
                            ? hubHolds().getOrDefault(lot, List.of())
                            : ownHolds.getOrDefault(lot, List.of());
            return new AncestorEntry(
                    lot,
                    f == null ? null : f.materialCode(),
                    f == null ? null : f.supplierId(),
                    f == null ? null : f.supplierLotCode(),
                    depth,
                    hub,
                    0,
                    holds);
        }

        /**
         * Every hold reaching each hub: own, and per closure lot its own (a plain lot) or all of
         * its (a hub), to a fixpoint (hubs may sit in one another's closure).
         */
        private Map<String, List<HoldEntry>> hubHolds() {
            if (hubHolds != null) {
                return hubHolds;
            }
            Map<String, Set<String>> plainClosure = new TreeMap<>();
            Map<String, Set<String>> hubsInClosure = new TreeMap<>();
            for (NodeKey node : parents.keySet()) {
                if (!node.isLot() || !isHub(node.code())) {
                    continue;
                }
                Set<String> plain = new TreeSet<>();
                Set<String> hubs = new TreeSet<>();
                for (String lot : upstreamCodes(node)) {
                    (isHub(lot) ? hubs : plain).add(lot);
                }
                plainClosure.put(node.code(), plain);
                hubsInClosure.put(node.code(), hubs);
            }
            Map<String, TreeMap<String, HoldEntry>> reached = new TreeMap<>();
            plainClosure.forEach(
                    (hub, plain) -> {
                        TreeMap<String, HoldEntry> holds = new TreeMap<>();
                        for (String lot : plain) {
                            addAll(holds, ownHolds.getOrDefault(lot, List.of()));
                        }
                        addAll(holds, ownHolds.getOrDefault(hub, List.of()));
                        reached.put(hub, holds);
                    });
            boolean changed = true;
            while (changed) {
                changed = false;
                for (Map.Entry<String, Set<String>> h : hubsInClosure.entrySet()) {
                    TreeMap<String, HoldEntry> holds = reached.get(h.getKey());
                    int before = holds.size();
                    for (String inner : h.getValue()) {
                        addAll(holds, reached.getOrDefault(inner, new TreeMap<>()).values());
                    }
                    changed |= holds.size() != before;
                }
            }
            hubHolds = new TreeMap<>();
            reached.forEach(
                    (hub, holds) -> {
                        List<HoldEntry> sorted = new ArrayList<>(holds.values());
                        sorted.sort(null);
                        hubHolds.put(hub, sorted);
                    });
            return hubHolds;
        }

        /** Lot codes of the closure without entries (no facts or holds needed). */
        private Set<String> upstreamCodes(NodeKey node) {
            return depths(node).keySet();
        }

        /**
         * Breadth-first over lot parents: each closure lot at its shortest depth (at most {@link
         * AncestorEntry#MAX_DEPTH}), not through hubs, the node itself left out.
         */
        private Map<String, Integer> depths(NodeKey node) {
            Map<String, Integer> depth = new TreeMap<>();
            ArrayDeque<String> queue = new ArrayDeque<>();
            String self = node.isLot() ? node.code() : null;
            for (String p : parents.getOrDefault(node, Set.of())) {
                if (!p.equals(self) && depth.putIfAbsent(p, 1) == null) {
                    queue.add(p);
                }
            }
            while (!queue.isEmpty()) {
                String lot = queue.poll();
                int d = depth.get(lot) + 1;
                if (d > AncestorEntry.MAX_DEPTH || isHub(lot)) {
                    continue;
                }
                for (String p : parents.getOrDefault(NodeKey.lot(lot), Set.of())) {
                    if (!p.equals(self) && depth.putIfAbsent(p, d) == null) {
                        queue.add(p);
                    }
                }
            }
            return depth;
        }

        private static void addAll(TreeMap<String, HoldEntry> into, Collection<HoldEntry> holds) {
            for (HoldEntry h : holds) {
                into.merge(h.holdKey(), h, HoldEntry::preferred);
            }
        }
    }
}
