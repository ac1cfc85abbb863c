package dev.batchtrace.lineage.units;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link OutputSerials} keeps of one output: the units it made (per lot the output named) or
 * that it was reversed (then nothing else is needed).
 */
public record OutputSerialsState(boolean reversed, List<Made> made) {

    public static final OutputSerialsState NONE = new OutputSerialsState(false, null);
    public static final OutputSerialsState REVERSED = new OutputSerialsState(true, null);

    public OutputSerialsState {
        made = made == null ? List.of() : List.copyOf(made);
    }

    /** The units one output made of one lot. */
    public record Made(
            String outputEventId, String lotCode, String productCode, List<String> serials) {
        public Made {
            serials = serials == null ? List.of() : List.copyOf(serials);
        }
    }

    public static OutputSerialsState orNone(OutputSerialsState s) {
        return s == null ? NONE : s;
    }

    /** With the units of {@code m} (a retry of the same output changes nothing). */
    public OutputSerialsState with(Made m) {
        if (made.contains(m)) {
            return this;
        }
        List<Made> next = new ArrayList<>(made);
        next.add(m);
        next.sort(
                java.util.Comparator.comparing(Made::lotCode)
                        .thenComparing(Made::productCode)
                        .thenComparing(x -> String.join("\n", x.serials())));
        return new OutputSerialsState(false, next);
    }
}
