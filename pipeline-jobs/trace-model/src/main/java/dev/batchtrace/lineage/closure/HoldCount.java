package dev.batchtrace.lineage.closure;

import dev.batchtrace.lineage.holds.HoldEntry;
import java.util.Objects;

/**
 * A hold carried by entries of a node's closure and how many of them carry it: the node's inherited
 * holds are those with a count, kept incrementally so that a hub (thousands of closure entries)
 * never scans its closure to know them.
 */
public record HoldCount(HoldEntry hold, int count) {

    public HoldCount {
        Objects.requireNonNull(hold, "hold");
        if (count <= 0) {
            throw new IllegalArgumentException("a hold count is positive: " + count);
        }
    }
}
