package dev.batchtrace.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MergeTest {

    @Test
    void frozenCopiesWhatSomeoneElseCanChangeAndKeepsItsOwnViews() {
        TreeMap<String, Integer> mutable = new TreeMap<>(Map.of("b", 2, "a", 1));
        SortedMap<String, Integer> frozen = Merge.frozen(mutable);
        mutable.put("c", 3);
        assertEquals(Map.of("a", 1, "b", 2), frozen, "a copy, not a view of the caller's map");
        assertThrows(UnsupportedOperationException.class, () -> frozen.put("d", 4));
        assertSame(frozen, Merge.frozen(frozen), "its own view is kept, not copied again");
        assertEquals(Map.of(), Merge.frozen(null));
        assertTrue(Merge.frozen(Map.of()).isEmpty());

        // a view in another order is copied into natural order
        TreeMap<String, Integer> reversed = new TreeMap<>(Collections.reverseOrder());
        reversed.putAll(Map.of("a", 1, "b", 2));
        SortedMap<String, Integer> natural =
                Merge.frozen(Collections.unmodifiableSortedMap(reversed));
        assertEquals(List.of("a", "b"), new ArrayList<>(natural.keySet()));
    }

    @Test
    void frozenSetDropsNullsSortsAndKeepsItsOwnViews() {
        List<String> values = new ArrayList<>(Arrays.asList("b", null, "a", "b"));
        SortedSet<String> frozen = Merge.frozenSet(values);
        values.add("c");
        assertEquals(List.of("a", "b"), new ArrayList<>(frozen));
        assertThrows(UnsupportedOperationException.class, () -> frozen.add("d"));
        assertSame(frozen, Merge.frozenSet(frozen));
        assertEquals(new TreeSet<>(), Merge.frozenSet(null));
        assertEquals(new TreeSet<>(), Merge.frozenSet(Arrays.asList((String) null)));
    }

    @Test
    void frozenUnionIsTheUnionAndKeepsASideThatHoldsTheOther() {
        SortedSet<String> ab = Merge.frozenSet(List.of("a", "b"));
        SortedSet<String> b = Merge.frozenSet(List.of("b"));
        SortedSet<String> c = Merge.frozenSet(List.of("c"));
        assertSame(ab, Merge.frozenUnion(ab, b));
        assertSame(ab, Merge.frozenUnion(b, ab));
        assertSame(ab, Merge.frozenUnion(ab, null));
        assertSame(ab, Merge.frozenUnion(null, ab));
        assertSame(ab, Merge.frozenUnion(Collections.emptySortedSet(), ab));
        SortedSet<String> abc = Merge.frozenUnion(ab, c);
        assertEquals(List.of("a", "b", "c"), new ArrayList<>(abc));
        assertThrows(UnsupportedOperationException.class, () -> abc.add("d"));
        assertEquals(List.of("a", "b"), new ArrayList<>(ab), "neither side changed");
        // a caller's mutable set is copied, not kept
        TreeSet<String> mutable = new TreeSet<>(List.of("a", "b", "c"));
        SortedSet<String> kept = Merge.frozenUnion(mutable, ab);
        mutable.add("z");
        assertEquals(List.of("a", "b", "c"), new ArrayList<>(kept));
        assertTrue(Merge.frozenUnion(null, null).isEmpty());
        for (int seed = 0; seed < 200; seed++) {
            Random r = new Random(seed);
            SortedSet<String> x = r.nextInt(5) == 0 ? null : randomSet(r);
            SortedSet<String> y = r.nextInt(5) == 0 ? null : randomSet(r);
            assertEquals(Merge.union(x, y), Merge.frozenUnion(x, y), x + " + " + y);
        }
    }

    private static SortedSet<String> randomSet(Random r) {
        TreeSet<String> set = new TreeSet<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            set.add("M-" + r.nextInt(5));
        }
        return r.nextBoolean() ? set : Merge.frozenSet(set);
    }

    /**
     * {@link Merge#frozen} keeps an unmodifiable sorted view as it is, which is only safe while
     * every such view in the model wraps a fresh copy that nobody else holds. This names every
     * place that makes one and fails on a new one that wraps something else.
     */
    @Test
    void everyUnmodifiableSortedViewInTheModelWrapsAFreshCopy() throws IOException {
        Pattern view =
                Pattern.compile("Collections\\.unmodifiableSorted(?:Map|Set)\\(\\s*([^;]*?)\\);");
        // a local the constructor itself just filled
        List<String> freshLocals = List.of("LotUsage.java: lines", "CompactCodec.java: set");
        List<String> wrong = new ArrayList<>();
        int places = 0;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = view.matcher(Files.readString(file));
                while (m.find()) {
                    places++;
                    String wrapped = m.group(1).strip();
                    boolean fresh =
                            wrapped.startsWith("new TreeMap<>(")
                                    || wrapped.startsWith("new TreeSet<>(")
                                    || wrapped.startsWith("new TreeMap<>()")
                                    || wrapped.startsWith("new TreeSet<>()")
                                    || wrapped.startsWith("sortedCopy(")
                                    || wrapped.startsWith("Merge.sortedCopy(")
                                    || freshLocals.contains(file.getFileName() + ": " + wrapped);
                    if (!fresh) {
                        wrong.add(file.getFileName() + ": " + wrapped);
                    }
                }
            }
        }
        assertTrue(places >= 10, "the scan found the views (" + places + ")");
        assertEquals(List.of(), wrong, "unmodifiable sorted views over a collection not copied");
    }
}
