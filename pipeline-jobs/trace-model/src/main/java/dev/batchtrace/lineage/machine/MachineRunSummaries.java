package dev.batchtrace.lineage.machine;

import dev.batchtrace.machine.MachineRunSummary;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The machine run summaries of one work order (one per machine it ran on) or of one produced lot
 * (those of the work orders that produced it), by {@link MachineRunSummary#key()}. The machine job
 * sends several updates per run (coalesced while it runs, final, corrected); each key keeps {@link
 * MachineRunSummary#merge}, which is order-insensitive and idempotent.
 */
public record MachineRunSummaries(SortedMap<String, MachineRunSummary> byKey) {

    public static final MachineRunSummaries NONE = new MachineRunSummaries(null);

    public MachineRunSummaries {
        byKey = Collections.unmodifiableSortedMap(new TreeMap<>(byKey == null ? Map.of() : byKey));
    }

    public static MachineRunSummaries orNone(MachineRunSummaries runs) {
        return runs == null ? NONE : runs;
    }

    /** These runs with {@code summary} merged in (this instance when nothing changes). */
    public MachineRunSummaries with(MachineRunSummary summary) {
        MachineRunSummary before = byKey.get(summary.key());
        MachineRunSummary after = MachineRunSummary.merge(before, summary);
        if (after.equals(before)) {
            return this;
        }
        TreeMap<String, MachineRunSummary> next = new TreeMap<>(byKey);
        next.put(summary.key(), after);
        return new MachineRunSummaries(next);
    }

    public Collection<MachineRunSummary> summaries() {
        return byKey.values();
    }

    /**
     * The {@code machineRuns} field of a document: per run {@link MachineRunSummary#toDocument()}
     * plus its workOrderId (a lot may come from several work orders), in key order.
     */
    public static List<Map<String, Object>> toDocument(Collection<MachineRunSummary> runs) {
        TreeMap<String, MachineRunSummary> sorted = new TreeMap<>();
        runs.forEach(r -> sorted.merge(r.key(), r, MachineRunSummary::merge));
        List<Map<String, Object>> out = new ArrayList<>();
        for (MachineRunSummary run : sorted.values()) {
            TreeMap<String, Object> d = new TreeMap<>(run.toDocument());
            if (run.workOrderId() != null) {
                d.put("workOrderId", run.workOrderId());
            }
            out.add(d);
        }
        return out;
    }
}
