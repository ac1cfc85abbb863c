package dev.batchtrace.cli.explorer;

import java.util.List;
import java.util.Map;

/**
 * A genealogy as nodes and directed edges (material flows from {@code from} to {@code to}), centred
 * on one lot; {@link GraphLayout} places it.
 *
 * @param nodes by id
 */
public record GraphModel(String centerId, Map<String, GraphNode> nodes, List<Edge> edges) {

    /**
     * Material flow: an input lot to a lot made from it, a lot to a shipment, a shipment to its
     * customer.
     */
    public record Edge(String from, String to) {}

    public GraphModel {
        nodes = Map.copyOf(nodes);
        edges = List.copyOf(edges);
        if (!nodes.containsKey(centerId)) {
            throw new IllegalArgumentException("centre " + centerId + " is not a node");
        }
    }
}
