package dev.batchtrace.jobs.machine;

import dev.batchtrace.machine.MachineRunSummary;

/**
 * One emission of a summary, already encoded: the record for topic trace.machine-summaries (key
 * {@link MachineRunSummary#key()}, value {@link MachineRunSummary#encode()}). Encoded in the
 * function so that nothing between it and the sink has to serialise the summary's maps.
 */
public record MachineSummaryUpdate(String key, byte[] value) {

    public static MachineSummaryUpdate of(MachineRunSummary summary) {
        return new MachineSummaryUpdate(summary.key(), summary.encode());
    }

    public MachineRunSummary summary() {
        return MachineRunSummary.decode(value);
    }
}
