package dev.batchtrace.cli.explorer;

import dev.batchtrace.cli.query.CustomerShipments;
import dev.batchtrace.cli.query.LotSummary;
import dev.batchtrace.cli.query.LotTrace;
import dev.batchtrace.cli.query.ShipmentSummary;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The picture of a lot trace ({@code bin/trace lot}): the lot, its inputs at every level, the lots
 * made from it, their shipments and customers. Edges come from each lot's direct inputs and each
 * shipment's carried lots, as the trace documents store them.
 */
public final class GenealogyGraph {

    private GenealogyGraph() {}

    public static GraphModel of(LotTrace trace) {
        Map<String, GraphNode> nodes = new LinkedHashMap<>();
        Set<GraphModel.Edge> edges = new LinkedHashSet<>();
        LotSummary center = trace.backward().lot();
        List<LotSummary> lots = new ArrayList<>();
        lots.add(center);
        lots.addAll(trace.backward().ancestors());
        lots.addAll(trace.forward().lots());
        Map<String, LotSummary> byCode = new LinkedHashMap<>();
        lots.forEach(lot -> byCode.putIfAbsent(lot.lotCode(), lot));
        for (LotSummary lot : byCode.values()) {
            nodes.put(lotId(lot.lotCode()), lotNode(lot));
        }
        for (LotSummary lot : byCode.values()) {
            for (String input : lot.inputLotCodes()) {
                // an input without a document (not indexed yet) is left out rather than guessed
                if (byCode.containsKey(input)) {
                    edges.add(new GraphModel.Edge(lotId(input), lotId(lot.lotCode())));
                }
            }
        }
        for (CustomerShipments customer : trace.forward().customers()) {
            String customerId = "customer:" + customer.customerId();
            nodes.putIfAbsent(
                    customerId,
                    new GraphNode(
                            customerId,
                            GraphNode.Kind.CUSTOMER,
                            customer.customerName() != null
                                    ? customer.customerName()
                                    : String.valueOf(customer.customerId()),
                            customer.customerId(),
                            false,
                            false,
                            search(customer.customerId())));
            for (ShipmentSummary shipment : customer.shipments()) {
                String shipmentId = "shipment:" + shipment.dispatchId();
                List<String> via =
                        shipment.matchedLotCodes().isEmpty()
                                ? shipment.lotCodes()
                                : shipment.matchedLotCodes();
                boolean held =
                        via.stream().map(byCode::get).anyMatch(lot -> lot != null && lot.onHold());
                nodes.put(
                        shipmentId,
                        new GraphNode(
                                shipmentId,
                                GraphNode.Kind.SHIPMENT,
                                shipment.dispatchId(),
                                (shipment.shippedAt() == null
                                                ? ""
                                                : shipment.shippedAt().toString().substring(0, 10)
                                                        + " ")
                                        + (shipment.destination() == null
                                                ? ""
                                                : shipment.destination()),
                                held,
                                false,
                                search(shipment.dispatchId())));
                for (String lotCode : via) {
                    if (byCode.containsKey(lotCode)) {
                        edges.add(new GraphModel.Edge(lotId(lotCode), shipmentId));
                    }
                }
                edges.add(new GraphModel.Edge(shipmentId, customerId));
            }
        }
        return new GraphModel(lotId(center.lotCode()), nodes, List.copyOf(edges));
    }

    static String lotId(String lotCode) {
        return "lot:" + lotCode;
    }

    private static GraphNode lotNode(LotSummary lot) {
        boolean purchased = "PURCHASED".equals(lot.kind());
        String detail;
        if (purchased) {
            detail =
                    join(lot.supplierId(), lot.supplierLotCode(), "/")
                            + (lot.materialName() == null ? "" : " " + lot.materialName());
        } else {
            detail = lot.materialName() != null ? lot.materialName() : lot.materialCode();
        }
        return new GraphNode(
                lotId(lot.lotCode()),
                purchased ? GraphNode.Kind.PURCHASED_LOT : GraphNode.Kind.PRODUCED_LOT,
                lot.lotCode(),
                detail == null ? "" : detail.strip(),
                lot.onHold(),
                "FAILED".equals(lot.qcStatus()),
                "/lot/" + encode(lot.lotCode()));
    }

    private static String join(String a, String b, String separator) {
        if (a == null) {
            return b == null ? "" : b;
        }
        return b == null ? a : a + separator + b;
    }

    private static String search(String text) {
        return text == null ? null : "/search?q=" + encode(text);
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
