package dev.batchtrace.lineage;

import dev.batchtrace.events.DispatchLine;
import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.WorkOrderEvent;
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
     * All trace documents the events imply, keyed by {@link TraceDocument#key()}. GoodsReceipt,
     * WorkOrderEvent and DispatchNote are used; other events are ignored.
     */
    public static Map<String, TraceDocument> documents(Collection<?> events) {
        Map<String, LotFacts> lotFacts = new HashMap<>();
        Map<String, ShipmentFacts> shipmentFacts = new HashMap<>();
        Map<String, List<WorkOrderEvent>> workOrders = new TreeMap<>();
        // edges: child node -> parent lots; lot -> dispatch -> customers
        Map<NodeKey, Set<String>> parents = new HashMap<>();
        Map<String, Set<String>> lotChildren = new HashMap<>();
        Map<String, Map<String, String>> shipmentCustomers = new HashMap<>();

        for (Object event : events) {
            if (event instanceof GoodsReceipt r) {
                lotFacts.merge(r.getLotCode(), LotFacts.fromReceipt(r), LotFacts::merge);
            } else if (event instanceof WorkOrderEvent e) {
                workOrders.computeIfAbsent(e.getWorkOrderId(), k -> new ArrayList<>()).add(e);
            } else if (event instanceof DispatchNote n) {
                shipmentFacts.merge(n.getDispatchId(), ShipmentFacts.of(n), ShipmentFacts::merge);
                NodeKey shipment = NodeKey.shipment(n.getDispatchId());
                for (DispatchLine line : n.getLines()) {
                    parents.computeIfAbsent(shipment, k -> new HashSet<>()).add(line.getLotCode());
                    shipmentCustomers
                            .computeIfAbsent(line.getLotCode(), k -> new TreeMap<>())
                            .merge(n.getDispatchId(), n.getCustomerId(), Merge::larger);
                }
            }
        }

        Map<String, TraceDocument> docs = new TreeMap<>();
        for (Map.Entry<String, List<WorkOrderEvent>> wo : workOrders.entrySet()) {
            WorkOrderFacts facts = null;
            Map<String, Consumption> consumptions = new HashMap<>();
            Set<String> reversed = new HashSet<>();
            SortedSet<String> produced = new TreeSet<>();
            for (WorkOrderEvent e : wo.getValue()) {
                facts = WorkOrderFacts.merge(facts, WorkOrderFacts.of(e));
                switch (e.getEventType()) {
                    case MATERIAL_CONSUMED -> {
                        if (e.getLotCode() != null) {
                            consumptions.merge(
                                    e.getEventId(),
                                    new Consumption(e.getLotCode(), e.getQuantity(), e.getUnit()),
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
                            produced.add(e.getLotCode());
                            lotFacts.merge(e.getLotCode(), LotFacts.fromOutput(e), LotFacts::merge);
                        }
                    }
                    default -> {}
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
            TraceDocument doc = TraceDocuments.workOrder(wo.getKey(), facts, consumed, produced);
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
            TraceDocument doc =
                    TraceDocuments.lot(
                            lot,
                            lotFacts.get(lot),
                            inputs,
                            shipments,
                            upstream(node, parents, lotFacts),
                            hasEdges);
            docs.put(doc.key(), doc);
        }
        for (Map.Entry<String, ShipmentFacts> s : shipmentFacts.entrySet()) {
            NodeKey node = NodeKey.shipment(s.getKey());
            TraceDocument doc =
                    TraceDocuments.shipment(
                            s.getKey(),
                            s.getValue(),
                            parents.getOrDefault(node, Set.of()),
                            upstream(node, parents, lotFacts));
            docs.put(doc.key(), doc);
        }
        return docs;
    }

    /** Breadth-first search upstream: every ancestor lot at its shortest depth (cycle-safe). */
    static List<AncestorEntry> upstream(
            NodeKey start, Map<NodeKey, Set<String>> parents, Map<String, LotFacts> lotFacts) {
        Map<String, Integer> depth = new TreeMap<>();
        ArrayDeque<String> queue = new ArrayDeque<>();
        String self = start.isLot() ? start.code() : null;
        for (String p : parents.getOrDefault(start, Set.of())) {
            if (!p.equals(self) && depth.putIfAbsent(p, 1) == null) {
                queue.add(p);
            }
        }
        while (!queue.isEmpty()) {
            String lot = queue.poll();
            int d = depth.get(lot) + 1;
            if (d > AncestorEntry.MAX_DEPTH) {
                continue;
            }
            for (String p : parents.getOrDefault(NodeKey.lot(lot), Set.of())) {
                if (!p.equals(self) && depth.putIfAbsent(p, d) == null) {
                    queue.add(p);
                }
            }
        }
        List<AncestorEntry> entries = new ArrayList<>();
        depth.forEach(
                (lot, d) -> {
                    LotFacts f = lotFacts.get(lot);
                    entries.add(
                            f == null
                                    ? new AncestorEntry(lot, null, null, null, d)
                                    : new AncestorEntry(
                                            lot,
                                            f.materialCode(),
                                            f.supplierId(),
                                            f.supplierLotCode(),
                                            d));
                });
        return entries;
    }
}
