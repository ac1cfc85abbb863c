package dev.batchtrace.lineage.closure;

import dev.batchtrace.lineage.holds.FlagHistory;
import dev.batchtrace.lineage.machine.MachineRunSummaries;
import dev.batchtrace.lineage.quality.QcChecks;
import dev.batchtrace.lineage.stock.LotFactsSummary;
import dev.batchtrace.lineage.stock.LotSource;
import dev.batchtrace.lineage.stock.LotUsage;
import dev.batchtrace.lineage.stock.ShipmentFacts;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/** {@link NodeStore} on sorted maps (reproducible iteration order), for tests and simulation. */
public final class InMemoryNodeStore implements NodeStore {

    private QcChecks qcChecks;
    private MachineRunSummaries machineRuns;

    private LotFactsSummary lotFactsSummary;
    private final Map<String, LotSource> lotSources = new TreeMap<>();
    private ShipmentFacts shipmentFacts;
    private final Map<NodeKey, Link> parents = new TreeMap<>();
    private final Map<NodeKey, Link> children = new TreeMap<>();
    private final Map<NodeKey, Announcement> contributions = new TreeMap<>();
    private final Map<String, ClosureSlot> slots = new TreeMap<>();
    private final Map<String, HoldCount> inheritedHolds = new TreeMap<>();
    private NodeHeader header;
    private final java.util.Set<String> unannounced = new java.util.TreeSet<>();
    private final java.util.Set<NodeKey> wholesOwed = new java.util.TreeSet<>();
    private FlagHistory flagHistory;
    private LotUsage lotUsage;

    @Override
    public LotFactsSummary lotFactsSummary() {
        return lotFactsSummary;
    }

    @Override
    public void putLotFactsSummary(LotFactsSummary summary) {
        this.lotFactsSummary = summary;
    }

    @Override
    public LotSource lotSource(String key) {
        return lotSources.get(key);
    }

    @Override
    public void putLotSource(String key, LotSource source) {
        lotSources.put(key, source);
    }

    @Override
    public Iterable<Map.Entry<String, LotSource>> lotSources() {
        return lotSources.entrySet();
    }

    @Override
    public ShipmentFacts shipmentFacts() {
        return shipmentFacts;
    }

    @Override
    public void putShipmentFacts(ShipmentFacts facts) {
        this.shipmentFacts = facts;
    }

    @Override
    public Link parent(NodeKey parent) {
        return parents.get(parent);
    }

    @Override
    public void putParent(NodeKey parent, Link link) {
        parents.put(parent, link);
    }

    @Override
    public Iterable<Map.Entry<NodeKey, Link>> parents() {
        return parents.entrySet();
    }

    @Override
    public Link child(NodeKey child) {
        return children.get(child);
    }

    @Override
    public void putChild(NodeKey child, Link link) {
        children.put(child, link);
    }

    @Override
    public Iterable<Map.Entry<NodeKey, Link>> children() {
        return children.entrySet();
    }

    @Override
    public Announcement contribution(NodeKey sender) {
        return contributions.get(sender);
    }

    @Override
    public void putContribution(NodeKey sender, Announcement announcement) {
        putOrRemove(contributions, sender, announcement);
    }

    @Override
    public NodeHeader header() {
        return header;
    }

    @Override
    public void putHeader(NodeHeader header) {
        this.header = header;
    }

    @Override
    public ClosureSlot slot(String lotCode) {
        return slots.get(lotCode);
    }

    @Override
    public void putSlot(String lotCode, ClosureSlot slot) {
        putOrRemove(slots, lotCode, slot);
    }

    @Override
    public Iterable<Map.Entry<String, ClosureSlot>> slots() {
        return new ArrayList<>(slots.entrySet());
    }

    @Override
    public HoldCount inheritedHold(String holdKey) {
        return inheritedHolds.get(holdKey);
    }

    @Override
    public void putInheritedHold(String holdKey, HoldCount count) {
        putOrRemove(inheritedHolds, holdKey, count);
    }

    @Override
    public Iterable<Map.Entry<String, HoldCount>> inheritedHolds() {
        return new ArrayList<>(inheritedHolds.entrySet());
    }

    private static <K, V> void putOrRemove(Map<K, V> map, K key, V value) {
        if (value == null) {
            map.remove(key);
        } else {
            map.put(key, value);
        }
    }

    @Override
    public FlagHistory flagHistory() {
        return flagHistory;
    }

    @Override
    public void putFlagHistory(FlagHistory history) {
        this.flagHistory = history;
    }

    @Override
    public LotUsage lotUsage() {
        return lotUsage;
    }

    @Override
    public void putLotUsage(LotUsage usage) {
        this.lotUsage = usage;
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

    @Override
    public void markUnannounced(String lotCode) {
        unannounced.add(lotCode);
    }

    @Override
    public Iterable<String> unannounced() {
        return new ArrayList<>(unannounced);
    }

    @Override
    public void clearUnannounced() {
        unannounced.clear();
    }

    @Override
    public void markWholeOwed(NodeKey child) {
        wholesOwed.add(child);
    }

    @Override
    public Iterable<NodeKey> wholesOwed() {
        return new ArrayList<>(wholesOwed);
    }

    @Override
    public void clearWholesOwed() {
        wholesOwed.clear();
    }
}
