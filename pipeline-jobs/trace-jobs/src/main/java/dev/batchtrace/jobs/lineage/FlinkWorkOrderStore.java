package dev.batchtrace.jobs.lineage;

import dev.batchtrace.lineage.machine.MachineRunSummaries;
import dev.batchtrace.lineage.quality.QcChecks;
import dev.batchtrace.lineage.stock.Consumption;
import dev.batchtrace.lineage.stock.EdgeEmission;
import dev.batchtrace.lineage.stock.WorkOrderFacts;
import dev.batchtrace.lineage.stock.WorkOrderStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;

/**
 * The model's {@link WorkOrderStore} over the keyed state of {@link WorkOrderLinksFunction}; acts
 * on the current key (a work order id).
 */
final class FlinkWorkOrderStore implements WorkOrderStore {

    private final ValueState<byte[]> facts;
    private final MapState<String, byte[]> consumptions;
    private final MapState<String, Boolean> reversed;
    private final MapState<String, Boolean> produced;
    private final MapState<String, byte[]> edges;
    private final ValueState<byte[]> qcChecks;
    private final ValueState<byte[]> machineRuns;
    private final MapState<String, byte[]> outputs;
    private final MapState<String, Boolean> reversedOutputs;
    private final MapState<String, Integer> activeConsumptions;
    private final MapState<String, Integer> activeOutputs;

    FlinkWorkOrderStore(
            ValueState<byte[]> facts,
            MapState<String, byte[]> consumptions,
            MapState<String, Boolean> reversed,
            MapState<String, Boolean> produced,
            MapState<String, byte[]> edges,
            ValueState<byte[]> qcChecks,
            ValueState<byte[]> machineRuns,
            MapState<String, byte[]> outputs,
            MapState<String, Boolean> reversedOutputs,
            MapState<String, Integer> activeConsumptions,
            MapState<String, Integer> activeOutputs) {
        this.activeConsumptions = activeConsumptions;
        this.activeOutputs = activeOutputs;
        this.outputs = outputs;
        this.reversedOutputs = reversedOutputs;
        this.qcChecks = qcChecks;
        this.machineRuns = machineRuns;
        this.facts = facts;
        this.consumptions = consumptions;
        this.reversed = reversed;
        this.produced = produced;
        this.edges = edges;
    }

    /** MapState key of an edge; lot codes contain no line breaks. */
    static String edgeKey(String parentLot, String childLot) {
        return parentLot + '\n' + childLot;
    }

    @Override
    public WorkOrderFacts facts() {
        return FlinkState.value(facts, WorkOrderFacts.class);
    }

    @Override
    public void putFacts(WorkOrderFacts value) {
        FlinkState.update(facts, value);
    }

    @Override
    public Consumption consumption(String eventId) {
        return FlinkState.get(consumptions, eventId, Consumption.class);
    }

    @Override
    public void putConsumption(String eventId, Consumption consumption) {
        FlinkState.put(consumptions, eventId, consumption);
    }

    @Override
    public Iterable<Map.Entry<String, Consumption>> consumptions() {
        return FlinkState.entries(consumptions, Consumption.class);
    }

    @Override
    public boolean isReversed(String consumptionEventId) {
        return FlinkState.contains(reversed, consumptionEventId);
    }

    @Override
    public void markReversed(String consumptionEventId) {
        FlinkState.mark(reversed, consumptionEventId);
    }

    @Override
    public int activeConsumptions(String lotCode) {
        return count(activeConsumptions, lotCode);
    }

    @Override
    public void putActiveConsumptions(String lotCode, int count) {
        putCount(activeConsumptions, lotCode, count);
    }

    @Override
    public Iterable<String> activelyConsumedLotCodes() {
        try {
            List<String> lots = new ArrayList<>();
            activeConsumptions.keys().forEach(lots::add);
            return lots;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the work order's consumed lots", e);
        }
    }

    @Override
    public int activeOutputs(String lotCode) {
        return count(activeOutputs, lotCode);
    }

    @Override
    public void putActiveOutputs(String lotCode, int count) {
        putCount(activeOutputs, lotCode, count);
    }

    private static int count(MapState<String, Integer> counts, String lotCode) {
        try {
            Integer n = counts.get(lotCode);
            return n == null ? 0 : n;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the work order's lot counts", e);
        }
    }

    private static void putCount(MapState<String, Integer> counts, String lotCode, int count) {
        try {
            if (count > 0) {
                counts.put(lotCode, count);
            } else {
                counts.remove(lotCode);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the work order's lot counts", e);
        }
    }

    @Override
    public boolean isProduced(String lotCode) {
        return FlinkState.contains(produced, lotCode);
    }

    @Override
    public void markProduced(String lotCode) {
        FlinkState.mark(produced, lotCode);
    }

    @Override
    public Iterable<String> producedLotCodes() {
        return FlinkState.keys(produced);
    }

    @Override
    public EdgeEmission edge(String parentLot, String childLot) {
        return FlinkState.get(edges, edgeKey(parentLot, childLot), EdgeEmission.class);
    }

    @Override
    public void putEdge(String parentLot, String childLot, EdgeEmission emission) {
        FlinkState.put(edges, edgeKey(parentLot, childLot), emission);
    }

    @Override
    public String output(String outputEventId) {
        return FlinkState.get(outputs, outputEventId, String.class);
    }

    @Override
    public void putOutput(String outputEventId, String lotCode) {
        FlinkState.put(outputs, outputEventId, lotCode);
    }

    @Override
    public Iterable<Map.Entry<String, String>> outputs() {
        return FlinkState.entries(outputs, String.class);
    }

    @Override
    public boolean isOutputReversed(String outputEventId) {
        return FlinkState.contains(reversedOutputs, outputEventId);
    }

    @Override
    public void markOutputReversed(String outputEventId) {
        FlinkState.mark(reversedOutputs, outputEventId);
    }

    @Override
    public QcChecks qcChecks() {
        return FlinkState.value(qcChecks, QcChecks.class);
    }

    @Override
    public void putQcChecks(QcChecks checks) {
        FlinkState.update(qcChecks, checks);
    }

    @Override
    public MachineRunSummaries machineRuns() {
        return FlinkState.value(machineRuns, MachineRunSummaries.class);
    }

    @Override
    public void putMachineRuns(MachineRunSummaries runs) {
        FlinkState.update(machineRuns, runs);
    }
}
