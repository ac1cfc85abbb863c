package dev.batchtrace.lineage;

import java.util.Collection;
import java.util.SortedSet;
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
}
