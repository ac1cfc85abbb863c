package dev.batchtrace.lineage.closure;

import dev.batchtrace.lineage.holds.FlagHistory;
import dev.batchtrace.lineage.machine.MachineRunSummaries;
import dev.batchtrace.lineage.quality.QcChecks;
import dev.batchtrace.lineage.stock.LotFacts;
import dev.batchtrace.lineage.stock.LotFactsSummary;
import dev.batchtrace.lineage.stock.LotSource;
import dev.batchtrace.lineage.stock.LotUsage;
import dev.batchtrace.lineage.stock.ShipmentFacts;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A read-only view of a node's store that reads each piece at most once. Building a node's document
 * and its alerts reads the same facts, links and usage several times (issue 9: decoding them again
 * was a large share of the node stage's CPU); both run on this view, between two messages, when
 * nothing writes.
 */
public final class NodeSnapshot implements NodeStore {

    private final NodeStore store;

    private LotFactsSummary summary;
    private boolean summaryRead;
    private LotFacts facts;
    private boolean factsRead;
    private ShipmentFacts shipmentFacts;
    private boolean shipmentFactsRead;
    private NodeHeader header;
    private boolean headerRead;
    private FlagHistory flagHistory;
    private boolean flagHistoryRead;
    private LotUsage lotUsage;
    private boolean lotUsageRead;
    private QcChecks qcChecks;
    private boolean qcChecksRead;
    private MachineRunSummaries machineRuns;
    private boolean machineRunsRead;
    private Map<NodeKey, Link> parents;
    private Map<NodeKey, Link> children;
    private Map<NodeKey, Link> shipmentChildren;
    private Boolean hasPresentChild;
    private Map<String, ClosureSlot> slots;
    private Map<String, HoldCount> inheritedHolds;

    private NodeSnapshot(NodeStore store) {
        this.store = store;
    }

    public static NodeSnapshot of(NodeStore store) {
        return new NodeSnapshot(store);
    }

    @Override
    public LotFactsSummary lotFactsSummary() {
        if (!summaryRead) {
            summary = store.lotFactsSummary();
            summaryRead = true;
        }
        return summary;
    }

    @Override
    public LotFacts lotFacts() {
        if (!factsRead) {
            LotFactsSummary s = lotFactsSummary();
            facts = s == null ? null : s.asFacts();
            factsRead = true;
        }
        return facts;
    }

    @Override
    public LotSource lotSource(String key) {
        return store.lotSource(key);
    }

    @Override
    public Iterable<Map.Entry<String, LotSource>> lotSources() {
        return store.lotSources();
    }

    @Override
    public ShipmentFacts shipmentFacts() {
        if (!shipmentFactsRead) {
            shipmentFacts = store.shipmentFacts();
            shipmentFactsRead = true;
        }
        return shipmentFacts;
    }

    @Override
    public Link parent(NodeKey parent) {
        return parents == null ? store.parent(parent) : parents.get(parent);
    }

    @Override
    public Iterable<Map.Entry<NodeKey, Link>> parents() {
        if (parents == null) {
            parents = copy(store.parents());
        }
        return parents.entrySet();
    }

    @Override
    public Link child(NodeKey child) {
        return children == null ? store.child(child) : children.get(child);
    }

    @Override
    public Iterable<Map.Entry<NodeKey, Link>> children() {
        if (children == null) {
            children = copy(store.children());
        }
        return children.entrySet();
    }

    @Override
    public Iterable<Map.Entry<NodeKey, Link>> shipmentChildren() {
        if (shipmentChildren == null) {
            shipmentChildren =
                    children != null ? onlyShipments(children) : copy(store.shipmentChildren());
        }
        return shipmentChildren.entrySet();
    }

    @Override
    public boolean hasPresentChild() {
        if (hasPresentChild == null) {
            hasPresentChild = store.hasPresentChild();
        }
        return hasPresentChild;
    }

    @Override
    public Announcement contribution(NodeKey sender) {
        return store.contribution(sender);
    }

    @Override
    public NodeHeader header() {
        if (!headerRead) {
            header = store.header();
            headerRead = true;
        }
        return header;
    }

    @Override
    public ClosureSlot slot(String lotCode) {
        return slots == null ? store.slot(lotCode) : slots.get(lotCode);
    }

    @Override
    public Iterable<Map.Entry<String, ClosureSlot>> slots() {
        if (slots == null) {
            slots = copy(store.slots());
        }
        return slots.entrySet();
    }

    @Override
    public HoldCount inheritedHold(String holdKey) {
        return inheritedHolds == null ? store.inheritedHold(holdKey) : inheritedHolds.get(holdKey);
    }

    @Override
    public Iterable<Map.Entry<String, HoldCount>> inheritedHolds() {
        if (inheritedHolds == null) {
            inheritedHolds = copy(store.inheritedHolds());
        }
        return inheritedHolds.entrySet();
    }

    @Override
    public FlagHistory flagHistory() {
        if (!flagHistoryRead) {
            flagHistory = store.flagHistory();
            flagHistoryRead = true;
        }
        return flagHistory;
    }

    @Override
    public LotUsage lotUsage() {
        if (!lotUsageRead) {
            lotUsage = store.lotUsage();
            lotUsageRead = true;
        }
        return lotUsage;
    }

    @Override
    public QcChecks qcChecks() {
        if (!qcChecksRead) {
            qcChecks = store.qcChecks();
            qcChecksRead = true;
        }
        return qcChecks;
    }

    @Override
    public MachineRunSummaries machineRuns() {
        if (!machineRunsRead) {
            machineRuns = store.machineRuns();
            machineRunsRead = true;
        }
        return machineRuns;
    }

    // A snapshot is for reading: a write through it would leave its copies stale.

    @Override
    public void putLotFactsSummary(LotFactsSummary summary) {
        throw readOnly();
    }

    @Override
    public void putLotSource(String key, LotSource source) {
        throw readOnly();
    }

    @Override
    public void putShipmentFacts(ShipmentFacts facts) {
        throw readOnly();
    }

    @Override
    public void putParent(NodeKey parent, Link link) {
        throw readOnly();
    }

    @Override
    public void putChild(NodeKey child, Link link) {
        throw readOnly();
    }

    @Override
    public void putContribution(NodeKey sender, Announcement announcement) {
        throw readOnly();
    }

    @Override
    public void putHeader(NodeHeader header) {
        throw readOnly();
    }

    @Override
    public void putSlot(String lotCode, ClosureSlot slot) {
        throw readOnly();
    }

    @Override
    public void putInheritedHold(String holdKey, HoldCount count) {
        throw readOnly();
    }

    @Override
    public void putFlagHistory(FlagHistory history) {
        throw readOnly();
    }

    @Override
    public void putLotUsage(LotUsage usage) {
        throw readOnly();
    }

    @Override
    public boolean mergeLotUsage(LotUsage delta) {
        throw readOnly();
    }

    @Override
    public boolean mergeLotFacts(LotFacts delta) {
        throw readOnly();
    }

    @Override
    public void putQcChecks(QcChecks checks) {
        throw readOnly();
    }

    @Override
    public void putMachineRuns(MachineRunSummaries runs) {
        throw readOnly();
    }

    private static UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException("a node snapshot is read-only");
    }

    private static Map<NodeKey, Link> onlyShipments(Map<NodeKey, Link> children) {
        Map<NodeKey, Link> shipments = new LinkedHashMap<>();
        children.forEach(
                (key, link) -> {
                    if (key.isShipment()) {
                        shipments.put(key, link);
                    }
                });
        return shipments;
    }

    private static <K, V> Map<K, V> copy(Iterable<Map.Entry<K, V>> entries) {
        Map<K, V> map = new LinkedHashMap<>();
        for (Map.Entry<K, V> e : entries) {
            map.put(e.getKey(), e.getValue());
        }
        return map;
    }
}
