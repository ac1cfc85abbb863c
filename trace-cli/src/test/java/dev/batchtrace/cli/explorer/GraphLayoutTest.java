package dev.batchtrace.cli.explorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class GraphLayoutTest {

    /** Builds models by hand: "P:x" purchased, "M:x" produced, "S:x" shipment, "C:x" customer. */
    static final class Builder {
        final Map<String, GraphNode> nodes = new LinkedHashMap<>();
        final List<GraphModel.Edge> edges = new ArrayList<>();

        Builder node(String id) {
            return node(id, false, false);
        }

        Builder node(String id, boolean held, boolean qcFailed) {
            GraphNode.Kind kind =
                    switch (id.charAt(0)) {
                        case 'P' -> GraphNode.Kind.PURCHASED_LOT;
                        case 'M' -> GraphNode.Kind.PRODUCED_LOT;
                        case 'S' -> GraphNode.Kind.SHIPMENT;
                        default -> GraphNode.Kind.CUSTOMER;
                    };
            nodes.put(id, new GraphNode(id, kind, id, "", held, qcFailed, "/x/" + id));
            return this;
        }

        Builder edge(String from, String to) {
            for (String id : List.of(from, to)) {
                if (!nodes.containsKey(id)) {
                    node(id);
                }
            }
            edges.add(new GraphModel.Edge(from, to));
            return this;
        }

        GraphModel centredOn(String id) {
            return new GraphModel(id, nodes, edges);
        }
    }

    private static Map<String, Integer> levels(GraphLayout.Result result) {
        return result.nodes().stream()
                .collect(Collectors.toMap(p -> p.node().id(), GraphLayout.Placed::level));
    }

    @Test
    void inputsGoLeftAndWhatWasMadeGoesRightByLongestPath() {
        // M:fg is made from M:sa and directly from P:screw; P:resin went into M:sa
        GraphModel model =
                new Builder()
                        .edge("P:resin", "M:sa")
                        .edge("M:sa", "M:fg")
                        .edge("P:screw", "M:fg")
                        .edge("P:screw", "M:sa")
                        .edge("M:fg", "S:dn1")
                        .edge("S:dn1", "C:c1")
                        .centredOn("M:fg");

        GraphLayout.Result result = GraphLayout.layout(model, 12);

        assertEquals(
                Map.of("M:fg", 0, "M:sa", -1, "P:resin", -2, "P:screw", -2, "S:dn1", 1, "C:c1", 2),
                levels(result),
                "P:screw is a direct input too, but drawn left of M:sa so every edge points right");
        for (GraphLayout.Link link : result.edges()) {
            assertTrue(
                    result.node(link.from()).x() < result.node(link.to()).x(),
                    link + " points right");
        }
        assertEquals(Map.of(-2, 2, -1, 1, 0, 1, 1, 1, 2, 1), result.levelSizes());
        assertEquals(6, result.edges().size());
    }

    @Test
    void nodesOfALevelNeitherOverlapNorLeaveTheCanvas() {
        Builder builder = new Builder();
        for (int i = 0; i < 5; i++) {
            builder.edge("P:in" + i, "M:x");
            builder.edge("M:x", "S:d" + i);
        }
        GraphLayout.Result result = GraphLayout.layout(builder.centredOn("M:x"), 12);

        Set<String> spots = new HashSet<>();
        for (GraphLayout.Placed p : result.nodes()) {
            assertTrue(spots.add(p.x() + "," + p.y()), "two nodes at " + p.x() + "," + p.y());
            assertTrue(p.x() >= 0 && p.x() + GraphLayout.NODE_WIDTH <= result.width());
            assertTrue(p.y() >= 0 && p.y() + GraphLayout.NODE_HEIGHT <= result.height());
        }
    }

    @Test
    void aBulkLotFeedingFifteenHundredLotsStaysADozenNodesPerLevel() {
        Builder builder = new Builder().node("P:resin");
        for (int i = 0; i < 1500; i++) {
            String lot = String.format("M:%04d", i);
            builder.node(lot, i == 777, i == 901);
            builder.edge("P:resin", lot);
            builder.edge(lot, "S:" + i);
            builder.edge("S:" + i, "C:" + (i % 30));
        }
        long start = System.nanoTime();
        GraphLayout.Result result = GraphLayout.layout(builder.centredOn("P:resin"), 12);
        long millis = (System.nanoTime() - start) / 1_000_000;

        Map<Integer, Long> perLevel =
                result.nodes().stream()
                        .collect(
                                Collectors.groupingBy(
                                        GraphLayout.Placed::level, Collectors.counting()));
        assertEquals(Map.of(0, 1L, 1, 12L, 2, 12L, 3, 12L), perLevel);
        assertEquals(Map.of(0, 1, 1, 1500, 2, 1500, 3, 30), result.levelSizes());
        GraphLayout.Placed more = result.node("more:1");
        assertEquals(GraphNode.Kind.COLLAPSED, more.node().kind());
        assertEquals(1489, more.count());
        assertEquals("+1489 more", more.node().label());
        assertEquals("1489 produced lots", more.node().detail());
        assertEquals(1489, more.members().size());
        // the held lot and the QC failure are shown, not hidden in the count
        assertTrue(result.node("M:0777") != null && result.node("M:0777").node().held());
        assertTrue(result.node("M:0901") != null);
        // 1,489 edges from the resin lot to the hidden lots are one counted edge
        assertTrue(
                result.edges().contains(new GraphLayout.Link("P:resin", "more:1", 1489)),
                result.edges().toString());
        assertTrue(result.edges().size() < 60, "edges drawn: " + result.edges().size());
        assertTrue(millis < 2_000, "layout took " + millis + " ms");
    }

    @Test
    void aCycleInBadDataEnds() {
        GraphModel model =
                new Builder()
                        .edge("M:a", "M:b")
                        .edge("M:b", "M:c")
                        .edge("M:c", "M:a")
                        .edge("M:c", "S:d")
                        .centredOn("M:a");

        GraphLayout.Result result = GraphLayout.layout(model, 12);

        assertEquals(0, levels(result).get("M:a"));
        assertEquals(1, levels(result).get("M:b"));
        assertEquals(2, levels(result).get("M:c"));
        assertEquals(4, result.nodes().size());
    }

    @Test
    void aLoneLotIsOneNodeAndNoEdges() {
        GraphLayout.Result result =
                GraphLayout.layout(new Builder().node("P:x").centredOn("P:x"), 12);

        assertEquals(1, result.nodes().size());
        assertEquals(List.of(), result.edges());
        assertNull(result.node("more:0"));
    }

    @Test
    void barycentreOrderKeepsChildrenNextToTheirParents() {
        // inputs a, b; a feeds x1, x2 and b feeds y1, y2, named so that sorting by label alone
        // would interleave them
        GraphModel model =
                new Builder()
                        .edge("M:a", "M:c")
                        .edge("M:b", "M:c")
                        .edge("M:c", "S:2")
                        .edge("M:c", "S:1")
                        .centredOn("M:c");
        GraphLayout.Result result = GraphLayout.layout(model, 12);
        assertTrue(result.node("S:1").y() < result.node("S:2").y(), "ties broken by label");

        assertThrows(
                IllegalArgumentException.class,
                () -> GraphLayout.layout(model, 1),
                "one node per level cannot show the count");
    }
}
