package dev.batchtrace.lineage.holds;

import java.util.List;
import java.util.Objects;

/**
 * The holds a lot's own entry now carries ({@link HoldAlerts#entryHolds}): its own active holds,
 * for a hub also those of its closure. Sent by the lot when they change, keyed by {@code lotCode}.
 */
public record LotEntryHolds(String lotCode, List<HoldEntry> holds) {

    public LotEntryHolds {
        Objects.requireNonNull(lotCode, "lotCode");
        holds = holds == null ? List.of() : List.copyOf(holds);
    }
}
