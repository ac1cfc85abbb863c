package dev.batchtrace.cli.query;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Levels of a trace computed client-side from the fetched documents' {@code inputLotCodes}: the
 * documents store the closure as a flat set, the chain is only in the direct edges.
 */
final class Genealogy {

    private Genealogy() {}

    /**
     * Shortest distance from {@code root} to every lot of {@code within} reachable through {@code
     * next} (breadth-first; cycles in bad data stop at the first visit). Lots of {@code within}
     * that cannot be reached are absent from the result.
     */
    static Map<String, Integer> levels(
            String root, Map<String, ? extends Collection<String>> next, Set<String> within) {
        Map<String, Integer> levels = new TreeMap<>();
        Deque<String> queue = new ArrayDeque<>();
        queue.add(root);
        Map<String, Integer> seen = new TreeMap<>();
        seen.put(root, 0);
        while (!queue.isEmpty()) {
            String lot = queue.poll();
            int level = seen.get(lot);
            Collection<String> neighbours = next.get(lot);
            if (neighbours == null) {
                continue;
            }
            for (String neighbour : neighbours) {
                if (within.contains(neighbour) && !seen.containsKey(neighbour)) {
                    seen.put(neighbour, level + 1);
                    levels.put(neighbour, level + 1);
                    queue.add(neighbour);
                }
            }
        }
        return levels;
    }

    /** Child edges (input lot -> lots made from it) from the lots' own inputs. */
    static Map<String, List<String>> children(Collection<LotSummary> lots) {
        Map<String, List<String>> children = new TreeMap<>();
        for (LotSummary lot : lots) {
            for (String input : lot.inputLotCodes()) {
                children.computeIfAbsent(input, i -> new ArrayList<>()).add(lot.lotCode());
            }
        }
        return children;
    }
}
