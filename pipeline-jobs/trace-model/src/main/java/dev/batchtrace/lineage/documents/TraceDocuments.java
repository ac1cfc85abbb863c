package dev.batchtrace.lineage.documents;

import dev.batchtrace.lineage.closure.AncestorEntry;
import dev.batchtrace.lineage.closure.ClosureSlot;
import dev.batchtrace.lineage.closure.Link;
import dev.batchtrace.lineage.closure.NodeHeader;
import dev.batchtrace.lineage.closure.NodeKey;
import dev.batchtrace.lineage.closure.NodeProtocol;
import dev.batchtrace.lineage.closure.NodeStore;
import dev.batchtrace.lineage.holds.HoldEntry;
import dev.batchtrace.lineage.machine.MachineRunSummaries;
import dev.batchtrace.lineage.quality.QcCheck;
import dev.batchtrace.lineage.quality.QcChecks;
import dev.batchtrace.lineage.stock.LotFacts;
import dev.batchtrace.lineage.stock.LotUsage;
import dev.batchtrace.lineage.stock.ShipmentFacts;
import dev.batchtrace.lineage.stock.ShipmentLine;
import dev.batchtrace.lineage.stock.WorkOrderFacts;
import dev.batchtrace.lineage.stock.WorkOrderLinks;
import dev.batchtrace.lineage.stock.WorkOrderStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds the trace documents from state. The streaming functions and the batch reference both call
 * these builders, so a difference between them can only come from the state, never from formatting.
 * Documents are a pure function of the events: no processing time in them. Lists are sorted; null
 * fields are left out; times are ISO-8601 UTC strings.
 */
public final class TraceDocuments {

    /** Index aliases (see the index templates in connectors-elasticsearch). */
    public static final String LOTS = "trace-lots";

    public static final String SHIPMENTS = "trace-shipments";
    public static final String WORK_ORDERS = "trace-work-orders";

    /**
     * One document per (hub, lot of its closure): a hub's closure is indexed once here instead of
     * in every descendant's document (see package-info).
     */
    public static final String CLOSURES = "trace-closures";

    /** Input lot codes listed on a lot document at most (a silo has thousands; all counted). */
    public static final int INPUT_LOT_CODES_SHOWN = 1000;

    private TraceDocuments() {}

    /**
     * The document of a lot. A lot that is only referenced (consumed, never received or produced)
     * still gets a document, without kind, as long as it has an edge; with neither facts nor edges
     * there is no document (deletion).
     *
     * @param inputLotCodes direct parents that are lots
     * @param shipmentCustomers direct shipment children: dispatch id -> its customer ids
     * @param ancestors the closure (not the lot itself)
     * @param hasEdges whether the lot has any present edge (parent or child of any kind)
     */
    public static TraceDocument lot(
            String lotCode,
            LotFacts facts,
            Collection<String> inputLotCodes,
            Map<String, ? extends Collection<String>> shipmentCustomers,
            Collection<AncestorEntry> ancestors,
            boolean hasEdges) {
        return lot(
                lotCode, facts, inputLotCodes, shipmentCustomers, ancestors, List.of(), hasEdges);
    }

    /**
     * The document of a lot, with the holds that apply to it ({@code onHold}, {@code holds}).
     *
     * @param holds its own and inherited holds (any route; one document entry per hold)
     */
    public static TraceDocument lot(
            String lotCode,
            LotFacts facts,
            Collection<String> inputLotCodes,
            Map<String, ? extends Collection<String>> shipmentCustomers,
            Collection<AncestorEntry> ancestors,
            Collection<HoldEntry> holds,
            boolean hasEdges) {
        return lot(
                lotCode, facts, null, inputLotCodes, shipmentCustomers, ancestors, holds, hasEdges);
    }

    /**
     * The document of a lot with its holds and its mass balance ({@code balance}, see {@link
     * LotUsage#balance}).
     *
     * @param usage what was consumed and shipped of the lot, or null (nothing yet)
     */
    public static TraceDocument lot(
            String lotCode,
            LotFacts facts,
            LotUsage usage,
            Collection<String> inputLotCodes,
            Map<String, ? extends Collection<String>> shipmentCustomers,
            Collection<AncestorEntry> ancestors,
            Collection<HoldEntry> holds,
            boolean hasEdges) {
        return new TraceDocument(
                LOTS,
                lotCode,
                lotBody(
                        lotCode,
                        facts,
                        usage,
                        inputLotCodes,
                        shipmentCustomers,
                        ancestors,
                        holds,
                        hasEdges));
    }

    /** The body of {@link #lot}, or null for no document. */
    private static TreeMap<String, Object> lotBody(
            String lotCode,
            LotFacts facts,
            LotUsage usage,
            Collection<String> inputLotCodes,
            Map<String, ? extends Collection<String>> shipmentCustomers,
            Collection<AncestorEntry> ancestors,
            Collection<HoldEntry> holds,
            boolean hasEdges) {
        // a lot whose every output was reversed is known no better than one never produced
        facts = LotFacts.orNullIfEmpty(facts);
        if (facts == null && !hasEdges) {
            return null;
        }
        TreeMap<String, Object> d = new TreeMap<>();
        d.put("lotCode", lotCode);
        if (facts != null) {
            put(d, "kind", facts.kind());
            put(d, "materialCode", facts.materialCode());
            put(d, "materialName", facts.materialName());
            put(d, "supplierId", facts.supplierId());
            put(d, "supplierName", facts.supplierName());
            put(d, "supplierLotCode", facts.supplierLotCode());
            put(d, "quantity", facts.quantity());
            put(d, "unit", facts.unit());
            put(d, "unitCost", facts.unitCost());
            put(d, "currency", facts.currency());
            put(d, "site", facts.site());
            put(d, "receivedAt", facts.receivedAt());
            put(d, "expiresAt", facts.expiresAt());
            put(d, "producedAt", facts.producedAt());
            put(d, "workOrderId", facts.workOrderId());
            put(d, "workOrderStartedAt", facts.workOrderStartedAt());
            put(d, "workOrderCompletedAt", facts.workOrderCompletedAt());
            put(d, "lineId", facts.lineId());
            d.put("operatorIds", List.copyOf(facts.operatorIds()));
            d.put("machineIds", List.copyOf(facts.machineIds()));
        } else {
            d.put("operatorIds", List.of());
            d.put("machineIds", List.of());
        }
        List<String> inputs = sorted(inputLotCodes);
        if (inputs.size() > INPUT_LOT_CODES_SHOWN) {
            d.put("inputLotCount", inputs.size());
            inputs = inputs.subList(0, INPUT_LOT_CODES_SHOWN);
        }
        d.put("inputLotCodes", inputs);
        TreeSet<String> customers = new TreeSet<>();
        shipmentCustomers.values().forEach(customers::addAll);
        d.put("shipmentIds", sorted(shipmentCustomers.keySet()));
        d.put("customerIds", List.copyOf(customers));
        putAncestors(d, ancestors);
        putHolds(d, holds);
        put(d, "balance", (usage == null ? LotUsage.NONE : usage).balance(facts));
        return d;
    }

    /**
     * The document of a shipment.
     *
     * @param lotCodes the shipped lots (present parents)
     * @param ancestors the closure: shipped lots and everything upstream
     */
    public static TraceDocument shipment(
            String dispatchId,
            ShipmentFacts facts,
            Collection<String> lotCodes,
            Collection<AncestorEntry> ancestors) {
        return shipment(dispatchId, facts, lotCodes, ancestors, List.of());
    }

    /**
     * The document of a shipment, with the holds of its shipped lots ({@code onHold}, {@code
     * holds}; a hold reaching it through two shipped lots is listed once).
     */
    public static TraceDocument shipment(
            String dispatchId,
            ShipmentFacts facts,
            Collection<String> lotCodes,
            Collection<AncestorEntry> ancestors,
            Collection<HoldEntry> holds) {
        // a cancelled note takes the shipment out of every answer (issue 10)
        if ((facts == null && lotCodes.isEmpty()) || (facts != null && facts.cancelled())) {
            return new TraceDocument(SHIPMENTS, dispatchId, null);
        }
        TreeMap<String, Object> d = new TreeMap<>();
        d.put("dispatchId", dispatchId);
        List<Map<String, Object>> lines = new ArrayList<>();
        if (facts != null) {
            put(d, "customerId", facts.customerId());
            put(d, "customerName", facts.customerName());
            put(d, "destination", facts.destination());
            put(d, "vehicle", facts.vehicle());
            put(d, "carrier", facts.carrier());
            put(d, "recipient", facts.recipient());
            put(d, "shippedAt", facts.shippedAt());
            put(d, "salesOrder", facts.salesOrder());
            put(d, "site", facts.site());
            for (ShipmentLine line : facts.lines()) {
                TreeMap<String, Object> l = new TreeMap<>();
                put(l, "lotCode", line.lotCode());
                put(l, "productCode", line.productCode());
                l.put("quantity", line.quantity());
                put(l, "unit", line.unit());
                lines.add(l);
            }
        }
        d.put("lines", lines);
        d.put("lotCodes", sorted(lotCodes));
        putAncestors(d, ancestors);
        putHolds(d, holds);
        return new TraceDocument(SHIPMENTS, dispatchId, d);
    }

    /**
     * The document of a work order.
     *
     * @param consumedLotCodes lots consumed and not reversed
     * @param producedLotCodes lots produced
     */
    public static TraceDocument workOrder(
            String workOrderId,
            WorkOrderFacts facts,
            Collection<String> consumedLotCodes,
            Collection<String> producedLotCodes) {
        TreeMap<String, Object> d = new TreeMap<>();
        d.put("workOrderId", workOrderId);
        boolean started = !consumedLotCodes.isEmpty() || !producedLotCodes.isEmpty();
        String status = null;
        if (facts != null) {
            put(d, "productCode", facts.productCode());
            put(d, "productName", facts.productName());
            put(d, "lineId", facts.lineId());
            put(d, "site", facts.site());
            // several machines are normal (moulding, then screwdriving and test): all in
            // machineIds, the first in machineId for the single-valued field of the template
            if (!facts.machineIds().isEmpty()) {
                d.put("machineId", facts.machineIds().first());
            }
            d.put("machineIds", List.copyOf(facts.machineIds()));
            d.put("operatorIds", List.copyOf(facts.operatorIds()));
            put(d, "releasedAt", facts.releasedAt());
            put(d, "startedAt", facts.startedAt());
            put(d, "completedAt", facts.completedAt());
            if (facts.completedAt() != null) {
                status = "COMPLETED";
            } else if (facts.startedAt() != null || started) {
                status = "STARTED";
            } else if (facts.releasedAt() != null) {
                status = "RELEASED";
            }
        } else {
            d.put("machineIds", List.of());
            d.put("operatorIds", List.of());
        }
        if (status == null && started) {
            status = "STARTED";
        }
        put(d, "status", status);
        d.put("consumedLotCodes", sorted(consumedLotCodes));
        d.put("producedLotCodes", sorted(producedLotCodes));
        return new TraceDocument(WORK_ORDERS, workOrderId, d);
    }

    /** The document of a node, from the node stage's state. */
    public static TraceDocument node(NodeKey node, NodeStore store) {
        List<String> inputs = new ArrayList<>();
        List<String> shippedLots = new ArrayList<>();
        boolean hasEdges = false;
        for (Map.Entry<NodeKey, Link> p : store.parents()) {
            if (p.getValue().isPresent()) {
                hasEdges = true;
                if (p.getKey().isLot()) {
                    inputs.add(p.getKey().code());
                    shippedLots.add(p.getKey().code());
                }
            }
        }
        TreeMap<String, SortedSet<String>> shipments = new TreeMap<>();
        for (Map.Entry<NodeKey, Link> c : store.shipmentChildren()) {
            if (c.getValue().isPresent()) {
                hasEdges = true;
                shipments.put(c.getKey().code(), c.getValue().customerIds());
            }
        }
        // a lot's lot children are not on its document: only whether one exists
        hasEdges = hasEdges || store.hasPresentChild();
        NodeHeader header = NodeHeader.orEmpty(store.header());
        List<AncestorEntry> ancestors = new ArrayList<>();
        if (!header.hub()) {
            for (Map.Entry<String, ClosureSlot> slot : store.slots()) {
                ancestors.add(slot.getValue().entry());
            }
        }
        List<HoldEntry> holds = NodeProtocol.holdsOf(node, store);
        if (node.isShipment()) {
            return shipment(node.code(), store.shipmentFacts(), shippedLots, ancestors, holds);
        }
        LotFacts facts = store.lotFacts();
        // one body, extended in place and copied once (issue 9: a copy per with... was ~7 % of
        // the node stage's CPU)
        TreeMap<String, Object> d =
                lotBody(
                        node.code(),
                        facts,
                        store.lotUsage(),
                        inputs,
                        shipments,
                        ancestors,
                        holds,
                        hasEdges);
        if (d == null) {
            return new TraceDocument(LOTS, node.code(), null);
        }
        if (header.hub()) {
            putHub(d, header.closureSize());
        }
        if (facts != null && LotFacts.PURCHASED.equals(facts.kind())) {
            // a bought lot has a receipt or a few: reading its sources stays small
            putReceiptIds(d, LotFacts.receiptIds(store.lotSources()));
        }
        putQuality(
                d,
                QcChecks.orNone(store.qcChecks()).byId().values(),
                facts != null && LotFacts.PRODUCED.equals(facts.kind()));
        putMachineRuns(d, MachineRunSummaries.orNone(store.machineRuns()).summaries());
        return new TraceDocument(LOTS, node.code(), d);
    }

    /**
     * A bought lot's document with the goods receipts its facts come from ({@code receiptIds}: the
     * FSMA 204 receiving event's reference document); unchanged when there are none.
     */
    public static TraceDocument withReceiptIds(TraceDocument lot, List<String> receiptIds) {
        if (lot.isDeletion() || receiptIds.isEmpty()) {
            return lot;
        }
        TreeMap<String, Object> d = new TreeMap<>(lot.source());
        putReceiptIds(d, receiptIds);
        return new TraceDocument(lot.index(), lot.documentId(), d);
    }

    private static void putReceiptIds(TreeMap<String, Object> d, List<String> receiptIds) {
        if (!receiptIds.isEmpty()) {
            d.put("receiptIds", List.copyOf(receiptIds));
        }
    }

    /**
     * A hub lot's document: {@code hub: true} and {@code closureSize}; its closure is not on it but
     * in {@link #CLOSURES} (built without ancestors by the caller).
     */
    public static TraceDocument asHub(TraceDocument lot, int closureSize) {
        if (lot.isDeletion()) {
            return lot;
        }
        TreeMap<String, Object> d = new TreeMap<>(lot.source());
        putHub(d, closureSize);
        return new TraceDocument(lot.index(), lot.documentId(), d);
    }

    private static void putHub(TreeMap<String, Object> d, int closureSize) {
        d.put("hub", true);
        d.put("closureSize", closureSize);
    }

    /** The id of a closure member document: hub lot code, then the member's. */
    public static String closureMemberId(String hubLotCode, String lotCode) {
        return hubLotCode + "|" + lotCode;
    }

    /** One lot of a hub's closure, at its depth from the hub. */
    public static TraceDocument closureMember(String hubLotCode, AncestorEntry member) {
        TreeMap<String, Object> d = new TreeMap<>();
        d.put("hubLotCode", hubLotCode);
        d.put("lotCode", member.lotCode());
        d.put("depth", member.depth());
        put(d, "materialCode", member.materialCode());
        put(d, "supplierId", member.supplierId());
        put(d, "supplierLotCode", member.supplierLotCode());
        put(d, "supplierLot", member.supplierLot());
        if (member.hub()) {
            d.put("hub", true);
        }
        return new TraceDocument(CLOSURES, closureMemberId(hubLotCode, member.lotCode()), d);
    }

    public static TraceDocument closureMemberDeletion(String hubLotCode, String lotCode) {
        return new TraceDocument(CLOSURES, closureMemberId(hubLotCode, lotCode), null);
    }

    /** The document of a work order, from stage 1's state. */
    public static TraceDocument workOrder(String workOrderId, WorkOrderStore store) {
        TraceDocument doc =
                workOrder(
                        workOrderId,
                        store.facts(),
                        WorkOrderLinks.activeConsumedLots(store),
                        WorkOrderLinks.activeProducedLots(store));
        return withMachineRuns(
                withQuality(doc, QcChecks.orNone(store.qcChecks()).byId().values(), true),
                MachineRunSummaries.orNone(store.machineRuns()).summaries());
    }

    /**
     * The document with {@code machineRuns}: what each machine did during the runs of the work
     * order (on a lot: of the work orders that produced it), see {@link MachineRunSummaries}.
     */
    public static TraceDocument withMachineRuns(
            TraceDocument doc, Collection<dev.batchtrace.machine.MachineRunSummary> runs) {
        if (doc.isDeletion()) {
            return doc;
        }
        TreeMap<String, Object> d = new TreeMap<>(doc.source());
        putMachineRuns(d, runs);
        return new TraceDocument(doc.index(), doc.documentId(), d);
    }

    private static void putMachineRuns(
            TreeMap<String, Object> d, Collection<dev.batchtrace.machine.MachineRunSummary> runs) {
        d.put("machineRuns", MachineRunSummaries.toDocument(runs));
    }

    /**
     * A lot document with its QC checks: {@code qcChecks} (time, then id) and {@code qcStatus}. A
     * produced lot without checks is PENDING (it is expected to be inspected); a purchased or
     * only-referenced lot gets a status only once it has checks (incoming inspection counts like
     * any QC, but not every material is inspected on receipt, and PENDING on every uninspected
     * receipt would bury the lots that really wait). A deletion stays a deletion: a check alone
     * does not make a lot document (it appears with the lot's facts or edges).
     */
    public static TraceDocument withLotQuality(
            TraceDocument lot, LotFacts facts, Collection<QcCheck> checks) {
        return withQuality(lot, checks, facts != null && LotFacts.PRODUCED.equals(facts.kind()));
    }

    /**
     * The document with {@code qcChecks} and {@code qcStatus} ({@link QcChecks#status}; left out
     * when null).
     */
    public static TraceDocument withQuality(
            TraceDocument doc, Collection<QcCheck> checks, boolean pendingWhenNone) {
        if (doc.isDeletion()) {
            return doc;
        }
        TreeMap<String, Object> d = new TreeMap<>(doc.source());
        putQuality(d, checks, pendingWhenNone);
        return new TraceDocument(doc.index(), doc.documentId(), d);
    }

    private static void putQuality(
            TreeMap<String, Object> d, Collection<QcCheck> checks, boolean pendingWhenNone) {
        List<Map<String, Object>> qc = new ArrayList<>();
        for (QcCheck check : QcChecks.sorted(checks)) {
            qc.add(check.toDocument());
        }
        d.put("qcChecks", qc);
        put(d, "qcStatus", QcChecks.status(checks, pendingWhenNone));
    }

    private static void putAncestors(TreeMap<String, Object> d, Collection<AncestorEntry> all) {
        List<AncestorEntry> ancestors = new ArrayList<>(all);
        ancestors.sort(null);
        TreeSet<String> lotCodes = new TreeSet<>();
        TreeSet<String> supplierIds = new TreeSet<>();
        TreeSet<String> supplierLotCodes = new TreeSet<>();
        TreeSet<String> supplierLots = new TreeSet<>();
        TreeSet<String> materialCodes = new TreeSet<>();
        TreeSet<String> hubs = new TreeSet<>();
        List<Map<String, Object>> nested = new ArrayList<>();
        for (AncestorEntry e : ancestors) {
            lotCodes.add(e.lotCode());
            if (e.hub()) {
                hubs.add(e.lotCode());
            }
            addIfSet(supplierIds, e.supplierId());
            addIfSet(supplierLotCodes, e.supplierLotCode());
            addIfSet(supplierLots, e.supplierLot());
            addIfSet(materialCodes, e.materialCode());
            TreeMap<String, Object> n = new TreeMap<>();
            n.put("lotCode", e.lotCode());
            put(n, "materialCode", e.materialCode());
            put(n, "supplierId", e.supplierId());
            put(n, "supplierLotCode", e.supplierLotCode());
            n.put("depth", e.depth());
            if (e.hub()) {
                n.put("hub", true);
            }
            nested.add(n);
        }
        d.put("ancestorLotCodes", List.copyOf(lotCodes));
        d.put("ancestorSupplierIds", List.copyOf(supplierIds));
        d.put("ancestorSupplierLotCodes", List.copyOf(supplierLotCodes));
        d.put("ancestorSupplierLots", List.copyOf(supplierLots));
        d.put("ancestorMaterialCodes", List.copyOf(materialCodes));
        d.put("ancestorHubs", List.copyOf(hubs));
        d.put("ancestors", nested);
    }

    /** onHold and the holds, one per (flagged lot, flag), without routes. */
    private static void putHolds(TreeMap<String, Object> d, Collection<HoldEntry> holds) {
        TreeMap<String, Map<String, Object>> byHold = new TreeMap<>();
        for (HoldEntry h : holds) {
            TreeMap<String, Object> n = new TreeMap<>();
            n.put("flagId", h.flagId());
            n.put("lotCode", h.lotCode());
            put(n, "reason", h.reason());
            put(n, "severity", h.severity());
            put(n, "since", h.since());
            byHold.putIfAbsent(h.holdKey(), n);
        }
        d.put("onHold", !byHold.isEmpty());
        d.put("holds", new ArrayList<>(byHold.values()));
    }

    private static void addIfSet(TreeSet<String> set, String value) {
        if (value != null) {
            set.add(value);
        }
    }

    private static List<String> sorted(Collection<String> values) {
        return List.copyOf(new TreeSet<>(values));
    }

    private static void put(Map<String, Object> d, String field, Object value) {
        if (value instanceof Instant instant) {
            d.put(field, instant.toString());
        } else if (value != null) {
            d.put(field, value);
        }
    }
}
