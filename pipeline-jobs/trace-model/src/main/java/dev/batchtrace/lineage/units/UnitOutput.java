package dev.batchtrace.lineage.units;

import dev.batchtrace.lineage.Merge;
import java.time.Instant;

/**
 * A unit made by one output (OUTPUT_PRODUCED with its serial), or the tombstone of that output once
 * it was reversed (OUTPUT_REVERSED). Merged as a join: the tombstone absorbs; otherwise per field a
 * value beats null and the larger wins, the earliest time.
 */
public record UnitOutput(boolean reversed, String lotCode, String workOrderId, Instant producedAt) {

    public static final UnitOutput REVERSED = new UnitOutput(true, null, null, null);

    public static UnitOutput merge(UnitOutput a, UnitOutput b) {
        if (a.reversed) {
            return a;
        }
        if (b.reversed) {
            return b;
        }
        return new UnitOutput(
                false,
                Merge.larger(a.lotCode, b.lotCode),
                Merge.larger(a.workOrderId, b.workOrderId),
                Merge.smaller(a.producedAt, b.producedAt));
    }
}
