package dev.batchtrace.jobs.machine;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.state.internal.InternalListState;

/**
 * Items waiting for their timer, one keyed list per tick: the list's namespace is the tick, so a
 * timer reads exactly its own items (the way Flink's window operator keeps a window's contents).
 * Appending is a RocksDB merge, taking one get and one delete.
 */
final class TickLists<T> {

    private final InternalListState<String, Long, T> lists;

    TickLists(InternalListState<String, Long, T> lists) {
        this.lists = lists;
    }

    /** Adds an item to the current key's list of {@code tick}. */
    void add(long tick, T item) throws Exception {
        lists.setCurrentNamespace(tick);
        lists.add(item);
    }

    /** The current key's items of {@code tick}, removed from state (empty if none). */
    List<T> take(long tick) throws Exception {
        lists.setCurrentNamespace(tick);
        Iterable<T> items = lists.get();
        if (items == null) {
            return List.of();
        }
        List<T> taken = new ArrayList<>();
        items.forEach(taken::add);
        if (!taken.isEmpty()) {
            lists.clear();
        }
        return taken;
    }
}
