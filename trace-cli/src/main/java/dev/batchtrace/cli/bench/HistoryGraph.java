package dev.batchtrace.cli.bench;

import dev.batchtrace.events.DispatchLine;
import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.WorkOrderEvent;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The genealogy of a history as plain sets: lot -> lot edges (a work order's consumed lots, minus
 * reversed consumptions, times its outputs), lot -> shipment, and each purchased lot's supplier.
 * The benchmark picks its questions from it, answers them for the count check, and loads the same
 * facts into PostgreSQL.
 */
public final class HistoryGraph {
    /** A purchased lot's supplier and the supplier's own lot code. */
    public record SupplierLot(String supplierId, String supplierLotCode) {
        public String key() {
            return supplierId + "/" + supplierLotCode;
        }
    }

    /** One line of a dispatch note. */
    public record ShippedLine(String dispatchId, String customerId, String lotCode) {}

    private final Map<String, SupplierLot> receipts = new LinkedHashMap<>();
    private final Map<String, Set<String>> parents = new HashMap<>();
    private final Map<String, Set<String>> children = new HashMap<>();
    private final Map<String, Set<String>> shipmentsOfLot = new HashMap<>();
    private final Map<String, String> customerOfShipment = new LinkedHashMap<>();
    private final Map<String, Set<String>> linesOfShipment = new HashMap<>();
    private final Set<String> workOrders = new TreeSet<>();
    private final Set<String> lots = new LinkedHashSet<>();

    private HistoryGraph() {}

    public static HistoryGraph of(List<?> events) {
        HistoryGraph graph = new HistoryGraph();
        // per work order: consumption event id -> lot, reversed ids, outputs
        Map<String, Map<String, String>> consumed = new HashMap<>();
        Map<String, Set<String>> reversed = new HashMap<>();
        Map<String, Set<String>> outputs = new HashMap<>();
        for (Object event : events) {
            if (event instanceof GoodsReceipt r) {
                graph.receipts.put(
                        r.getLotCode(), new SupplierLot(r.getSupplierId(), r.getSupplierLotCode()));
                graph.lots.add(r.getLotCode());
            } else if (event instanceof WorkOrderEvent w) {
                String wo = w.getWorkOrderId();
                graph.workOrders.add(wo);
                switch (w.getEventType()) {
                    case MATERIAL_CONSUMED ->
                            consumed.computeIfAbsent(wo, k -> new HashMap<>())
                                    .put(w.getEventId(), w.getLotCode());
                    case CONSUMPTION_REVERSED ->
                            reversed.computeIfAbsent(wo, k -> new HashSet<>())
                                    .add(w.getReversesEventId());
                    case OUTPUT_PRODUCED ->
                            outputs.computeIfAbsent(wo, k -> new LinkedHashSet<>())
                                    .add(w.getLotCode());
                    default -> {}
                }
                if (w.getLotCode() != null) {
                    graph.lots.add(w.getLotCode());
                }
            } else if (event instanceof DispatchNote d) {
                graph.customerOfShipment.put(d.getDispatchId(), d.getCustomerId());
                for (DispatchLine line : d.getLines()) {
                    graph.shipmentsOfLot
                            .computeIfAbsent(line.getLotCode(), k -> new TreeSet<>())
                            .add(d.getDispatchId());
                    graph.linesOfShipment
                            .computeIfAbsent(d.getDispatchId(), k -> new TreeSet<>())
                            .add(line.getLotCode());
                    graph.lots.add(line.getLotCode());
                }
            }
        }
        consumed.forEach(
                (wo, byEvent) -> {
                    Set<String> gone = reversed.getOrDefault(wo, Set.of());
                    Set<String> inputs = new HashSet<>();
                    byEvent.forEach(
                            (eventId, lot) -> {
                                if (!gone.contains(eventId)) {
                                    inputs.add(lot);
                                }
                            });
                    for (String out : outputs.getOrDefault(wo, Set.of())) {
                        for (String in : inputs) {
                            graph.parents.computeIfAbsent(out, k -> new HashSet<>()).add(in);
                            graph.children.computeIfAbsent(in, k -> new HashSet<>()).add(out);
                        }
                    }
                });
        return graph;
    }

    public Map<String, SupplierLot> receipts() {
        return receipts;
    }

    public Set<String> lots() {
        return lots;
    }

    public Set<String> workOrders() {
        return workOrders;
    }

    public Map<String, String> shipments() {
        return customerOfShipment;
    }

    /** Lots a shipment carried. */
    public Set<String> linesOf(String dispatchId) {
        return linesOfShipment.getOrDefault(dispatchId, Set.of());
    }

    /** Every lot -> lot edge as (parent, child). */
    public List<String[]> edges() {
        List<String[]> edges = new java.util.ArrayList<>();
        parents.forEach(
                (child, ps) -> ps.forEach(parent -> edges.add(new String[] {parent, child})));
        return edges;
    }

    /** Every dispatch line. */
    public List<ShippedLine> shippedLines() {
        List<ShippedLine> lines = new java.util.ArrayList<>();
        linesOfShipment.forEach(
                (dispatch, lotCodes) ->
                        lotCodes.forEach(
                                lot ->
                                        lines.add(
                                                new ShippedLine(
                                                        dispatch,
                                                        customerOfShipment.get(dispatch),
                                                        lot))));
        return lines;
    }

    /** Lots upstream of {@code lot}, any depth, without the lot itself (cycles end). */
    public Set<String> ancestors(String lot) {
        return walk(lot, parents);
    }

    /** Lots downstream of {@code lot}, any depth, without the lot itself. */
    public Set<String> descendants(String lot) {
        return walk(lot, children);
    }

    /** The shipped lots of a shipment and everything upstream of them. */
    public Set<String> shipmentAncestors(String dispatchId) {
        Set<String> all = new TreeSet<>();
        for (String lot : linesOf(dispatchId)) {
            all.add(lot);
            all.addAll(ancestors(lot));
        }
        return all;
    }

    /** Shipments that carried the lot or anything made from it. */
    public Set<String> shipmentsDownstreamOf(String lot) {
        Set<String> shipments = new TreeSet<>(shipmentsOfLot.getOrDefault(lot, Set.of()));
        for (String d : descendants(lot)) {
            shipments.addAll(shipmentsOfLot.getOrDefault(d, Set.of()));
        }
        return shipments;
    }

    /** Shipments with product made from a supplier's lot (any of our lots with that code). */
    public Set<String> shipmentsOfSupplierLot(SupplierLot supplierLot) {
        Set<String> shipments = new TreeSet<>();
        receipts.forEach(
                (lot, s) -> {
                    if (s.equals(supplierLot)) {
                        shipments.addAll(shipmentsDownstreamOf(lot));
                    }
                });
        return shipments;
    }

    private static Set<String> walk(String start, Map<String, Set<String>> next) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(next.getOrDefault(start, Set.of()));
        while (!todo.isEmpty()) {
            String lot = todo.pop();
            if (!lot.equals(start) && seen.add(lot)) {
                todo.addAll(next.getOrDefault(lot, Set.of()));
            }
        }
        return seen;
    }
}
