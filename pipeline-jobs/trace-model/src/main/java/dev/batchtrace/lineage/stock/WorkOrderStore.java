package dev.batchtrace.lineage.stock;

import dev.batchtrace.lineage.machine.MachineRunSummaries;
import dev.batchtrace.lineage.quality.QcChecks;
import java.util.Map;

/**
 * The state of ONE work order in stage 1, as small pieces (ValueState / MapState in Flink). Getters
 * return null when nothing is stored.
 */
public interface WorkOrderStore {

    /** ValueState: header facts merged from all events. */
    WorkOrderFacts facts();

    void putFacts(WorkOrderFacts facts);

    /** MapState eventId -> consumption. */
    Consumption consumption(String eventId);

    void putConsumption(String eventId, Consumption consumption);

    Iterable<Map.Entry<String, Consumption>> consumptions();

    /** MapState (set) of reversed consumption eventIds; a reversal may come before its event. */
    boolean isReversed(String consumptionEventId);

    void markReversed(String consumptionEventId);

    /**
     * MapState output eventId -> the lot it produced (issue 10, so OUTPUT_REVERSED can find it).
     * Defaults keep other stores compiling: nothing stored, writing fails loudly.
     */
    default String output(String outputEventId) {
        return null;
    }

    default void putOutput(String outputEventId, String lotCode) {
        throw new UnsupportedOperationException(
                getClass().getName() + " keeps no outputs: implement WorkOrderStore.putOutput()");
    }

    default Iterable<Map.Entry<String, String>> outputs() {
        return java.util.List.of();
    }

    /** MapState (set) of reversed output eventIds; a reversal may come before its output. */
    default boolean isOutputReversed(String outputEventId) {
        return false;
    }

    default void markOutputReversed(String outputEventId) {
        throw new UnsupportedOperationException(
                getClass().getName()
                        + " keeps no reversed outputs: implement"
                        + " WorkOrderStore.markOutputReversed()");
    }

    /**
     * MapState (set) of the lots any output of this work order named, reversed ones included (QC
     * checks and machine runs follow them); the lots it produces now: {@link
     * WorkOrderLinks#activeProducedLots}.
     */
    /**
     * MapState consumed lot code -> how many of the work order's consumptions of it are not
     * reversed (0 deletes): whether a lot is consumed, without reading every consumption (issue 9:
     * a silo's filling order consumes 20,000 lots).
     */
    int activeConsumptions(String lotCode);

    void putActiveConsumptions(String lotCode, int count);

    /** The lots with a consumption that is not reversed. */
    Iterable<String> activelyConsumedLotCodes();

    /** MapState produced lot code -> how many outputs naming it are not reversed (0 deletes). */
    int activeOutputs(String lotCode);

    void putActiveOutputs(String lotCode, int count);

    boolean isProduced(String lotCode);

    void markProduced(String lotCode);

    Iterable<String> producedLotCodes();

    /**
     * MapState (parentLot, childLot) -> what was last emitted for that edge; a Flink store can key
     * it by {@code parentLot + '\n' + childLot} (lot codes contain no line breaks).
     */
    EdgeEmission edge(String parentLot, String childLot);

    void putEdge(String parentLot, String childLot, EdgeEmission emission);

    /**
     * ValueState: the QC checks that name this work order (issue 5). Defaults keep other stores
     * compiling: reading gives nothing, writing fails loudly.
     */
    default QcChecks qcChecks() {
        return null;
    }

    default void putQcChecks(QcChecks checks) {
        throw new UnsupportedOperationException(
                getClass().getName()
                        + " keeps no QC checks: implement WorkOrderStore.qcChecks() and"
                        + " putQcChecks() on a ValueState before routing QC results to work orders");
    }

    /**
     * ValueState: the machine run summaries (issue 5), by {@code MachineRunSummary.key()}. Defaults
     * as for the QC checks.
     */
    default MachineRunSummaries machineRuns() {
        return null;
    }

    default void putMachineRuns(MachineRunSummaries runs) {
        throw new UnsupportedOperationException(
                getClass().getName()
                        + " keeps no machine runs: implement WorkOrderStore.machineRuns() and"
                        + " putMachineRuns() on a ValueState before routing machine summaries");
    }
}
