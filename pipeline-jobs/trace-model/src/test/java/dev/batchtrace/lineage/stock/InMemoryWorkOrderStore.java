package dev.batchtrace.lineage.stock;

import dev.batchtrace.lineage.machine.MachineRunSummaries;
import dev.batchtrace.lineage.quality.QcChecks;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** {@link WorkOrderStore} on insertion-ordered maps, for tests and the batch simulation. */
public final class InMemoryWorkOrderStore implements WorkOrderStore {

    private QcChecks qcChecks;
    private MachineRunSummaries machineRuns;

    private WorkOrderFacts facts;
    private final Map<String, Consumption> consumptions = new LinkedHashMap<>();
    private final Set<String> reversed = new LinkedHashSet<>();
    private final Set<String> produced = new LinkedHashSet<>();
    private final Map<String, EdgeEmission> edges = new LinkedHashMap<>();
    private final Map<String, String> outputs = new LinkedHashMap<>();
    private final Set<String> reversedOutputs = new LinkedHashSet<>();
    private final Map<String, Integer> activeConsumptions = new LinkedHashMap<>();
    private final Map<String, Integer> activeOutputs = new LinkedHashMap<>();

    @Override
    public int activeConsumptions(String lotCode) {
        return activeConsumptions.getOrDefault(lotCode, 0);
    }

    @Override
    public void putActiveConsumptions(String lotCode, int count) {
        putOrRemove(activeConsumptions, lotCode, count);
    }

    @Override
    public Iterable<String> activelyConsumedLotCodes() {
        return activeConsumptions.keySet();
    }

    @Override
    public int activeOutputs(String lotCode) {
        return activeOutputs.getOrDefault(lotCode, 0);
    }

    @Override
    public void putActiveOutputs(String lotCode, int count) {
        putOrRemove(activeOutputs, lotCode, count);
    }

    private static void putOrRemove(Map<String, Integer> counts, String lotCode, int count) {
        if (count > 0) {
            counts.put(lotCode, count);
        } else {
            counts.remove(lotCode);
        }
    }

    @Override
    public String output(String outputEventId) {
        return outputs.get(outputEventId);
    }

    @Override
    public void putOutput(String outputEventId, String lotCode) {
        outputs.put(outputEventId, lotCode);
    }

    @Override
    public Iterable<Map.Entry<String, String>> outputs() {
        return outputs.entrySet();
    }

    @Override
    public boolean isOutputReversed(String outputEventId) {
        return reversedOutputs.contains(outputEventId);
    }

    @Override
    public void markOutputReversed(String outputEventId) {
        reversedOutputs.add(outputEventId);
    }

    @Override
    public WorkOrderFacts facts() {
        return facts;
    }

    @Override
    public void putFacts(WorkOrderFacts facts) {
        this.facts = facts;
    }

    @Override
    public Consumption consumption(String eventId) {
        return consumptions.get(eventId);
    }

    @Override
    public void putConsumption(String eventId, Consumption consumption) {
        consumptions.put(eventId, consumption);
    }

    @Override
    public Iterable<Map.Entry<String, Consumption>> consumptions() {
        return consumptions.entrySet();
    }

    @Override
    public boolean isReversed(String consumptionEventId) {
        return reversed.contains(consumptionEventId);
    }

    @Override
    public void markReversed(String consumptionEventId) {
        reversed.add(consumptionEventId);
    }

    @Override
    public boolean isProduced(String lotCode) {
        return produced.contains(lotCode);
    }

    @Override
    public void markProduced(String lotCode) {
        produced.add(lotCode);
    }

    @Override
    public Iterable<String> producedLotCodes() {
        return produced;
    }

    @Override
    public EdgeEmission edge(String parentLot, String childLot) {
        return edges.get(parentLot + '\n' + childLot);
    }

    @Override
    public void putEdge(String parentLot, String childLot, EdgeEmission emission) {
        edges.put(parentLot + '\n' + childLot, emission);
    }

    @Override
    public QcChecks qcChecks() {
        return qcChecks;
    }

    @Override
    public void putQcChecks(QcChecks checks) {
        this.qcChecks = checks;
    }

    @Override
    public MachineRunSummaries machineRuns() {
        return machineRuns;
    }

    @Override
    public void putMachineRuns(MachineRunSummaries runs) {
        this.machineRuns = runs;
    }
}
