package dev.batchtrace.jobs.lineage;

import dev.batchtrace.lineage.closure.NodeKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each node of a node task owes its children at its next flush: the lot codes of its closure
 * entries changed since its last announcement, and the children waiting for its whole announcement.
 * On the heap, not in keyed state: every barrier flushes every node that owes ({@link
 * LineageNodeFunction#barrier}) before the snapshot, so a snapshot never holds a mark. In RocksDB
 * (until 2026-12-07) each mark was a put, and each flush a seek, an iteration and a delete per
 * mark, which compaction then had to drop again.
 */
final class AnnouncementMarks {

    private final Map<String, Set<String>> entries = new HashMap<>();
    private final Map<String, Set<NodeKey>> wholes = new HashMap<>();
    private long size;

    void markEntry(String node, String lotCode) {
        mark(entries, node, lotCode);
    }

    /** The node's marked lot codes (a view: read it before {@link #clearEntries}). */
    Set<String> entries(String node) {
        return entries.getOrDefault(node, Set.of());
    }

    void clearEntries(String node) {
        clear(entries, node);
    }

    void markWhole(String node, NodeKey child) {
        mark(wholes, node, child);
    }

    /** The children owed the node's whole announcement (a view, like {@link #entries}). */
    Set<NodeKey> wholes(String node) {
        return wholes.getOrDefault(node, Set.of());
    }

    void clearWholes(String node) {
        clear(wholes, node);
    }

    private <T> void mark(Map<String, Set<T>> marks, String node, T value) {
        if (marks.computeIfAbsent(node, n -> new HashSet<>()).add(value)) {
            size++;
        }
    }

    private <T> void clear(Map<String, Set<T>> marks, String node) {
        Set<T> removed = marks.remove(node);
        if (removed != null) {
            size -= removed.size();
        }
    }

    /** Marks held, over all nodes. */
    long size() {
        return size;
    }

    /** The nodes holding a mark. */
    List<String> nodes() {
        List<String> nodes = new ArrayList<>(entries.keySet());
        for (String node : wholes.keySet()) {
            if (!entries.containsKey(node)) {
                nodes.add(node);
            }
        }
        return nodes;
    }
}
