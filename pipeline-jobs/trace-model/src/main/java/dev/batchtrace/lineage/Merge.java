package dev.batchtrace.lineage;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The one merge rule every fact uses, so that merging is commutative, associative and idempotent
 * (arrival order and duplicates cannot change the result): a value beats null; of two different
 * values the larger by {@code compareTo} wins.
 */
public final class Merge {

    private Merge() {}

    public static <T extends Comparable<? super T>> T larger(T a, T b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** For "first time something happened" fields (received, produced, started): earliest wins. */
    public static <T extends Comparable<? super T>> T smaller(T a, T b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) <= 0 ? a : b;
    }

    public static SortedSet<String> union(Collection<String> a, Collection<String> b) {
        TreeSet<String> all = new TreeSet<>();
        if (a != null) {
            all.addAll(a);
        }
        if (b != null) {
            all.addAll(b);
        }
        return all;
    }

    public static SortedSet<String> sortedCopy(Collection<String> values) {
        TreeSet<String> copy = new TreeSet<>();
        if (values != null) {
            for (String v : values) {
                if (v != null) {
                    copy.add(v);
                }
            }
        }
        return copy;
    }

    /** The class of {@link Collections#unmodifiableSortedMap} views. */
    private static final Class<?> FROZEN_MAP =
            Collections.unmodifiableSortedMap(new TreeMap<>()).getClass();

    /** The class of {@link Collections#unmodifiableSortedSet} views. */
    private static final Class<?> FROZEN_SET =
            Collections.unmodifiableSortedSet(new TreeSet<>()).getClass();

    /**
     * An unmodifiable sorted copy of {@code map} (null: empty). A map that already is such a view
     * in natural order is kept as it is (issue 9: the model's records were copying their own maps
     * on every {@code with...}; about 5 % of the node stage's CPU). That relies on what this
     * codebase does everywhere: an unmodifiable sorted view is only ever made over a fresh private
     * copy ({@code MergeTest} names the places), so no one can change it underneath.
     */
    public static <K, V> SortedMap<K, V> frozen(Map<K, V> map) {
        if (map == null || map.isEmpty()) {
            return Collections.emptySortedMap();
        }
        if (map.getClass() == FROZEN_MAP && ((SortedMap<K, V>) map).comparator() == null) {
            return (SortedMap<K, V>) map;
        }
        return Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }

    /**
     * {@link #sortedCopy} made unmodifiable, keeping a set that already is such a view (see {@link
     * #frozen}).
     */
    public static SortedSet<String> frozenSet(Collection<String> values) {
        if (values == null || values.isEmpty()) {
            return Collections.emptySortedSet();
        }
        if (values.getClass() == FROZEN_SET && ((SortedSet<String>) values).comparator() == null) {
            return (SortedSet<String>) values;
        }
        return Collections.unmodifiableSortedSet(sortedCopy(values));
    }

    /**
     * {@link #union} as {@link #frozenSet}, keeping {@code a} or {@code b} when it already holds
     * the other (issue 9: a work order's machines and operators rarely change, so merging its facts
     * on every event copied the same sets twice; with {@link #frozenSet} such a set is kept as it
     * is).
     */
    public static SortedSet<String> frozenUnion(SortedSet<String> a, SortedSet<String> b) {
        if (b == null || b.isEmpty() || (a != null && a.containsAll(b))) {
            return frozenSet(a);
        }
        if (a == null || a.isEmpty() || b.containsAll(a)) {
            return frozenSet(b);
        }
        return frozenSet(union(a, b));
    }
}
