package dev.batchtrace.cli.explorer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Places a genealogy by level, left to right: inputs at negative levels (-1 = direct inputs), the
 * centre lot at 0, what was made from it, shipped and who received it at positive levels. The
 * explorer page and {@code bin/trace graph} draw the same result.
 *
 * <ul>
 *   <li>Levels are the longest path from (forward) or to (backward) the centre, so every edge
 *       points to the right even when a lot is both a direct and an indirect input.
 *   <li>Within a level, nodes are ordered by the mean position of their neighbours in the level
 *       before (barycentre), which keeps edges short and crossings few.
 *   <li>A level with more than {@code maxPerLevel} nodes shows {@code maxPerLevel - 1} of them
 *       (held and QC-failed ones first) and one {@link GraphNode.Kind#COLLAPSED} node counting the
 *       rest; edges to hidden nodes go to that node, counted. A resin lot feeding 1,500 work orders
 *       stays a picture of a dozen nodes per level.
 * </ul>
 */
public final class GraphLayout {

    public static final int NODE_WIDTH = 180;
    public static final int NODE_HEIGHT = 46;
    static final int GAP_X = 70;
    static final int GAP_Y = 16;
    static final int MARGIN = 20;

    /** Default number of nodes per level before the rest is collapsed. */
    public static final int DEFAULT_MAX_PER_LEVEL = 12;

    private GraphLayout() {}

    /** A placed node; {@code members} are the ids a collapsed node stands for. */
    public record Placed(GraphNode node, int level, int x, int y, int count, List<String> members) {
        public Placed {
            members = List.copyOf(members);
        }
    }

    /**
     * A drawn edge; {@code count} edges of the model it stands for (more than one when collapsed).
     */
    public record Link(String from, String to, int count) {}

    /**
     * The laid-out picture.
     *
     * @param levelSizes nodes per level before collapsing
     */
    public record Result(
            String centerId,
            List<Placed> nodes,
            List<Link> edges,
            Map<Integer, Integer> levelSizes,
            int width,
            int height) {
        public Result {
            nodes = List.copyOf(nodes);
            edges = List.copyOf(edges);
            levelSizes = Map.copyOf(levelSizes);
        }

        public Placed node(String id) {
            return nodes.stream().filter(n -> n.node().id().equals(id)).findFirst().orElse(null);
        }
    }

    public static Result layout(GraphModel model, int maxPerLevel) {
        if (maxPerLevel < 2) {
            throw new IllegalArgumentException(
                    "at least 2 nodes per level (one shown, one for the rest): " + maxPerLevel);
        }
        Map<String, List<String>> out = new HashMap<>();
        Map<String, List<String>> in = new HashMap<>();
        for (GraphModel.Edge edge : model.edges()) {
            if (model.nodes().containsKey(edge.from())
                    && model.nodes().containsKey(edge.to())
                    && !edge.from().equals(edge.to())) {
                out.computeIfAbsent(edge.from(), k -> new ArrayList<>()).add(edge.to());
                in.computeIfAbsent(edge.to(), k -> new ArrayList<>()).add(edge.from());
            }
        }
        String center = model.centerId();
        Map<String, Integer> forward = longestPaths(center, out);
        Map<String, Integer> backward = longestPaths(center, in);
        Map<String, Integer> level = new HashMap<>();
        backward.forEach((id, depth) -> level.put(id, -depth));
        // a node on both sides only exists with a cycle in bad data: show it downstream
        level.putAll(forward);
        level.put(center, 0);

        TreeMap<Integer, List<String>> levels = new TreeMap<>();
        level.forEach((id, l) -> levels.computeIfAbsent(l, k -> new ArrayList<>()).add(id));
        Comparator<String> byKindThenLabel =
                Comparator.comparing((String id) -> model.nodes().get(id).kind())
                        .thenComparing(id -> model.nodes().get(id).label())
                        .thenComparing(id -> id);
        levels.values().forEach(ids -> ids.sort(byKindThenLabel));

        // barycentre: order each level by its neighbours' positions in the level nearer the centre
        Map<String, Integer> position = new HashMap<>();
        levels.values().forEach(ids -> index(ids, position));
        for (int sweep = 0; sweep < 2; sweep++) {
            for (int l = 1; l <= levels.lastKey(); l++) {
                order(levels.get(l), in, position, level, l - 1, byKindThenLabel);
            }
            for (int l = -1; l >= levels.firstKey(); l--) {
                order(levels.get(l), out, position, level, l + 1, byKindThenLabel);
            }
        }

        Map<Integer, Integer> sizes = new TreeMap<>();
        levels.forEach((l, ids) -> sizes.put(l, ids.size()));
        // collapse: which node stands for each model node
        Map<String, String> shownAs = new HashMap<>();
        Map<Integer, List<String>> shown = new TreeMap<>();
        Map<String, List<String>> collapsedMembers = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<String>> entry : levels.entrySet()) {
            List<String> ids = entry.getValue();
            if (ids.size() <= maxPerLevel) {
                ids.forEach(id -> shownAs.put(id, id));
                shown.put(entry.getKey(), ids);
                continue;
            }
            List<String> marked =
                    ids.stream()
                            .filter(
                                    id ->
                                            model.nodes().get(id).held()
                                                    || model.nodes().get(id).qcFailed())
                            .limit(maxPerLevel - 1)
                            .toList();
            Set<String> keep = new HashSet<>(marked);
            for (String id : ids) {
                if (keep.size() >= maxPerLevel - 1) {
                    break;
                }
                keep.add(id);
            }
            String collapsedId = "more:" + entry.getKey();
            List<String> visible = new ArrayList<>();
            List<String> hidden = new ArrayList<>();
            for (String id : ids) {
                if (keep.contains(id)) {
                    visible.add(id);
                    shownAs.put(id, id);
                } else {
                    hidden.add(id);
                    shownAs.put(id, collapsedId);
                }
            }
            visible.add(collapsedId);
            shown.put(entry.getKey(), visible);
            collapsedMembers.put(collapsedId, hidden);
        }

        int tallest = shown.values().stream().mapToInt(List::size).max().orElse(1);
        int columnHeight = tallest * (NODE_HEIGHT + GAP_Y) - GAP_Y;
        List<Placed> placed = new ArrayList<>();
        int firstLevel = levels.firstKey();
        for (Map.Entry<Integer, List<String>> entry : shown.entrySet()) {
            int l = entry.getKey();
            List<String> ids = entry.getValue();
            int x = MARGIN + (l - firstLevel) * (NODE_WIDTH + GAP_X);
            int height = ids.size() * (NODE_HEIGHT + GAP_Y) - GAP_Y;
            int top = MARGIN + (columnHeight - height) / 2;
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                int y = top + i * (NODE_HEIGHT + GAP_Y);
                List<String> members = collapsedMembers.get(id);
                if (members != null) {
                    placed.add(
                            new Placed(
                                    collapsed(id, members, model),
                                    l,
                                    x,
                                    y,
                                    members.size(),
                                    members));
                } else {
                    placed.add(new Placed(model.nodes().get(id), l, x, y, 1, List.of()));
                }
            }
        }

        Map<List<String>, Integer> counted = new LinkedHashMap<>();
        for (GraphModel.Edge edge : model.edges()) {
            String from = shownAs.get(edge.from());
            String to = shownAs.get(edge.to());
            if (from != null && to != null && !from.equals(to)) {
                counted.merge(List.of(from, to), 1, Integer::sum);
            }
        }
        List<Link> links = new ArrayList<>();
        counted.forEach((pair, count) -> links.add(new Link(pair.get(0), pair.get(1), count)));

        int width = 2 * MARGIN + shown.size() * (NODE_WIDTH + GAP_X) - GAP_X;
        int height = 2 * MARGIN + columnHeight;
        return new Result(center, placed, links, sizes, width, height);
    }

    /**
     * Longest distance from {@code start} along {@code next} to every reachable node. Relaxation
     * stops after as many rounds as there are nodes, so a cycle in bad data ends too.
     */
    static Map<String, Integer> longestPaths(String start, Map<String, List<String>> next) {
        Map<String, Integer> depth = new HashMap<>();
        depth.put(start, 0);
        List<String> frontier = List.of(start);
        // breadth-first first: reachability and a bound for the rounds
        Set<String> reachable = new HashSet<>(frontier);
        List<String> queue = new ArrayList<>(frontier);
        for (int i = 0; i < queue.size(); i++) {
            for (String n : next.getOrDefault(queue.get(i), List.of())) {
                if (reachable.add(n)) {
                    queue.add(n);
                }
            }
        }
        int bound = reachable.size();
        boolean changed = true;
        for (int round = 0; changed && round < bound; round++) {
            changed = false;
            for (String from : queue) {
                Integer d = depth.get(from);
                if (d == null) {
                    continue;
                }
                for (String to : next.getOrDefault(from, List.of())) {
                    if (!to.equals(start) && d + 1 < bound && depth.getOrDefault(to, -1) < d + 1) {
                        depth.put(to, d + 1);
                        changed = true;
                    }
                }
            }
        }
        depth.remove(start);
        return depth;
    }

    private static void order(
            List<String> ids,
            Map<String, List<String>> neighbours,
            Map<String, Integer> position,
            Map<String, Integer> level,
            int neighbourLevel,
            Comparator<String> tieBreak) {
        if (ids == null) {
            return;
        }
        Map<String, Double> centre = new HashMap<>();
        for (String id : ids) {
            double sum = 0;
            int count = 0;
            for (String n : neighbours.getOrDefault(id, List.of())) {
                if (level.get(n) != null && level.get(n) == neighbourLevel) {
                    sum += position.get(n);
                    count++;
                }
            }
            centre.put(id, count == 0 ? Double.MAX_VALUE : sum / count);
        }
        ids.sort(Comparator.comparing((String id) -> centre.get(id)).thenComparing(tieBreak));
        index(ids, position);
    }

    private static void index(List<String> ids, Map<String, Integer> position) {
        for (int i = 0; i < ids.size(); i++) {
            position.put(ids.get(i), i);
        }
    }

    private static GraphNode collapsed(String id, List<String> members, GraphModel model) {
        Map<GraphNode.Kind, Integer> kinds = new TreeMap<>();
        members.forEach(m -> kinds.merge(model.nodes().get(m).kind(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        kinds.forEach((kind, n) -> parts.add(n + " " + noun(kind, n)));
        return new GraphNode(
                id,
                GraphNode.Kind.COLLAPSED,
                "+" + members.size() + " more",
                String.join(", ", parts),
                false,
                false,
                null);
    }

    private static String noun(GraphNode.Kind kind, int n) {
        String one =
                switch (kind) {
                    case PURCHASED_LOT -> "purchased lot";
                    case PRODUCED_LOT -> "produced lot";
                    case SHIPMENT -> "shipment";
                    case CUSTOMER -> "customer";
                    case COLLAPSED -> "group";
                };
        return n == 1 ? one : one + "s";
    }
}
