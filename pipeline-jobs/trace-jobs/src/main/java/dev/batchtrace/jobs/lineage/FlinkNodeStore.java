package dev.batchtrace.jobs.lineage;

import dev.batchtrace.lineage.LineageCodec;
import dev.batchtrace.lineage.Merge;
import dev.batchtrace.lineage.closure.Announcement;
import dev.batchtrace.lineage.closure.ClosureSlot;
import dev.batchtrace.lineage.closure.HoldCount;
import dev.batchtrace.lineage.closure.Link;
import dev.batchtrace.lineage.closure.NodeHeader;
import dev.batchtrace.lineage.closure.NodeKey;
import dev.batchtrace.lineage.closure.NodeStore;
import dev.batchtrace.lineage.holds.FlagHistory;
import dev.batchtrace.lineage.machine.MachineRunSummaries;
import dev.batchtrace.lineage.quality.QcChecks;
import dev.batchtrace.lineage.stock.Consumption;
import dev.batchtrace.lineage.stock.LotFactsSummary;
import dev.batchtrace.lineage.stock.LotSource;
import dev.batchtrace.lineage.stock.LotUsage;
import dev.batchtrace.lineage.stock.ShipmentFacts;
import dev.batchtrace.lineage.stock.ShipmentLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;

/**
 * The model's {@link NodeStore} over the keyed state of {@link LineageNodeFunction}: each piece its
 * own ValueState or MapState, so a message to a lot with thousands of children reads and writes
 * only the entries it touches; the marks of what a node owes its next flush on the task's heap
 * ({@link AnnouncementMarks}). Acts on the current key of the operator.
 */
final class FlinkNodeStore implements NodeStore {

    private final ValueState<byte[]> lotFacts;
    private final MapState<String, byte[]> lotSources;
    private final ValueState<byte[]> shipmentFacts;
    private final MapState<String, byte[]> parents;
    private final MapState<String, byte[]> children;
    private final MapState<String, byte[]> contributions;
    private final ValueState<byte[]> header;
    private final MapState<String, byte[]> slots;
    private final MapState<String, byte[]> inheritedHolds;
    private final ValueState<byte[]> flagHistory;
    private final MapState<String, byte[]> lotUsage;
    private final ValueState<byte[]> qcChecks;
    private final ValueState<byte[]> machineRuns;
    private final AnnouncementMarks marks;
    private final Supplier<String> currentNode;

    // No cache of decoded values (there was one until 2026-12-06 evening): with the compact
    // layout, hashing the bytes and looking them up cost more than decoding them again (a JFR
    // profile had the lookup at 18 % of the node stage, decoding at 4 %; 12-18 % less CPU
    // without it in two paired bulk runs, BENCHMARKS.md).

    FlinkNodeStore(
            ValueState<byte[]> lotFacts,
            MapState<String, byte[]> lotSources,
            ValueState<byte[]> shipmentFacts,
            MapState<String, byte[]> parents,
            MapState<String, byte[]> children,
            MapState<String, byte[]> contributions,
            ValueState<byte[]> header,
            MapState<String, byte[]> slots,
            MapState<String, byte[]> inheritedHolds,
            ValueState<byte[]> flagHistory,
            MapState<String, byte[]> lotUsage,
            ValueState<byte[]> qcChecks,
            ValueState<byte[]> machineRuns,
            AnnouncementMarks marks,
            Supplier<String> currentNode) {
        this.marks = marks;
        this.currentNode = currentNode;
        this.qcChecks = qcChecks;
        this.machineRuns = machineRuns;
        this.lotFacts = lotFacts;
        this.lotSources = lotSources;
        this.shipmentFacts = shipmentFacts;
        this.parents = parents;
        this.children = children;
        this.contributions = contributions;
        this.header = header;
        this.slots = slots;
        this.inheritedHolds = inheritedHolds;
        this.flagHistory = flagHistory;
        this.lotUsage = lotUsage;
    }

    @Override
    public LotFactsSummary lotFactsSummary() {
        return FlinkState.value(lotFacts, LotFactsSummary.class);
    }

    @Override
    public void putLotFactsSummary(LotFactsSummary summary) {
        FlinkState.update(lotFacts, summary);
    }

    @Override
    public LotSource lotSource(String key) {
        return FlinkState.get(lotSources, key, LotSource.class);
    }

    @Override
    public void putLotSource(String key, LotSource source) {
        FlinkState.put(lotSources, key, source);
    }

    @Override
    public Iterable<Map.Entry<String, LotSource>> lotSources() {
        return FlinkState.entries(lotSources, LotSource.class);
    }

    @Override
    public ShipmentFacts shipmentFacts() {
        return FlinkState.value(shipmentFacts, ShipmentFacts.class);
    }

    @Override
    public void putShipmentFacts(ShipmentFacts facts) {
        FlinkState.update(shipmentFacts, facts);
    }

    @Override
    public Link parent(NodeKey parent) {
        return FlinkState.get(parents, parent.toString(), Link.class);
    }

    @Override
    public void putParent(NodeKey parent, Link link) {
        FlinkState.put(parents, parent.toString(), link);
    }

    @Override
    public Iterable<Map.Entry<NodeKey, Link>> parents() {
        return byNodeKey(FlinkState.entries(parents, Link.class));
    }

    @Override
    public Link child(NodeKey child) {
        return FlinkState.get(children, child.toString(), Link.class);
    }

    @Override
    public void putChild(NodeKey child, Link link) {
        FlinkState.put(children, child.toString(), link);
    }

    @Override
    public Iterable<Map.Entry<NodeKey, Link>> children() {
        return byNodeKey(FlinkState.entries(children, Link.class));
    }

    /** Decodes only the links of shipment children (a bulk lot has thousands of lot children). */
    @Override
    public Iterable<Map.Entry<NodeKey, Link>> shipmentChildren() {
        List<Map.Entry<NodeKey, Link>> shipments = new ArrayList<>();
        try {
            for (Map.Entry<String, byte[]> e : children.entries()) {
                if (e.getKey().startsWith(SHIPMENT_PREFIX)) {
                    shipments.add(
                            Map.entry(
                                    NodeKey.parse(e.getKey()),
                                    LineageCodec.decodeValue(e.getValue(), Link.class)));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the node's children", e);
        }
        return shipments;
    }

    /** Stops at the first present child (decoding one link, not thousands). */
    @Override
    public boolean hasPresentChild() {
        try {
            for (Map.Entry<String, byte[]> e : children.entries()) {
                if (LineageCodec.decodeValue(e.getValue(), Link.class).isPresent()) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the node's children", e);
        }
    }

    private static final String SHIPMENT_PREFIX = NodeKey.Kind.SHIPMENT.prefix() + ":";

    @Override
    public Announcement contribution(NodeKey sender) {
        return FlinkState.get(contributions, sender.toString(), Announcement.class);
    }

    @Override
    public void putContribution(NodeKey sender, Announcement contribution) {
        FlinkState.put(contributions, sender.toString(), contribution);
    }

    @Override
    public void markUnannounced(String lotCode) {
        marks.markEntry(currentNode.get(), lotCode);
    }

    @Override
    public Iterable<String> unannounced() {
        return marks.entries(currentNode.get());
    }

    @Override
    public void clearUnannounced() {
        marks.clearEntries(currentNode.get());
    }

    @Override
    public void markWholeOwed(NodeKey child) {
        marks.markWhole(currentNode.get(), child);
    }

    @Override
    public Iterable<NodeKey> wholesOwed() {
        return marks.wholes(currentNode.get());
    }

    @Override
    public void clearWholesOwed() {
        marks.clearWholes(currentNode.get());
    }

    @Override
    public NodeHeader header() {
        return FlinkState.value(header, NodeHeader.class);
    }

    @Override
    public void putHeader(NodeHeader value) {
        FlinkState.update(header, value);
    }

    @Override
    public ClosureSlot slot(String lotCode) {
        return FlinkState.get(slots, lotCode, ClosureSlot.class);
    }

    @Override
    public void putSlot(String lotCode, ClosureSlot slot) {
        FlinkState.put(slots, lotCode, slot);
    }

    @Override
    public Iterable<Map.Entry<String, ClosureSlot>> slots() {
        return FlinkState.entries(slots, ClosureSlot.class);
    }

    @Override
    public HoldCount inheritedHold(String holdKey) {
        return FlinkState.get(inheritedHolds, holdKey, HoldCount.class);
    }

    @Override
    public void putInheritedHold(String holdKey, HoldCount count) {
        FlinkState.put(inheritedHolds, holdKey, count);
    }

    @Override
    public Iterable<Map.Entry<String, HoldCount>> inheritedHolds() {
        return FlinkState.entries(inheritedHolds, HoldCount.class);
    }

    @Override
    public FlagHistory flagHistory() {
        return FlinkState.value(flagHistory, FlagHistory.class);
    }

    @Override
    public void putFlagHistory(FlagHistory history) {
        FlinkState.update(flagHistory, history);
    }

    /*
     * The lot's usage as one MapState entry per consumption ("c/" + eventId), reversal ("r/" +
     * reversed eventId) and dispatch ("s/" + dispatchId): a consumption writes one entry, not the
     * whole list of a bulk lot's thousands.
     */
    private static final String CONSUMED = "c/";
    private static final String REVERSED = "r/";
    private static final String SHIPPED = "s/";

    @Override
    public LotUsage lotUsage() {
        TreeMap<String, Consumption> consumed = new TreeMap<>();
        TreeSet<String> reversed = new TreeSet<>();
        TreeMap<String, List<ShipmentLine>> shipped = new TreeMap<>();
        TreeMap<String, Long> shippedSeqs = new TreeMap<>();
        try {
            for (Map.Entry<String, byte[]> e : lotUsage.entries()) {
                String key = e.getKey();
                if (key.startsWith(CONSUMED)) {
                    consumed.put(
                            key.substring(2),
                            LineageCodec.decodeValue(e.getValue(), Consumption.class));
                } else if (key.startsWith(REVERSED)) {
                    reversed.add(key.substring(2));
                } else if (key.startsWith(SHIPPED)) {
                    LotUsage.DispatchLines item =
                            LineageCodec.decodeValue(e.getValue(), LotUsage.DispatchLines.class);
                    shipped.put(key.substring(2), item.lines());
                    shippedSeqs.put(key.substring(2), item.seq());
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the lot's usage", e);
        }
        if (consumed.isEmpty() && reversed.isEmpty() && shipped.isEmpty()) {
            return null;
        }
        return new LotUsage(consumed, reversed, shipped, shippedSeqs);
    }

    @Override
    public void putLotUsage(LotUsage usage) {
        try {
            lotUsage.clear();
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the lot's usage", e);
        }
        if (usage != null) {
            mergeLotUsage(usage);
        }
    }

    @Override
    public boolean mergeLotUsage(LotUsage delta) {
        boolean changed = false;
        for (Map.Entry<String, Consumption> c : delta.consumed().entrySet()) {
            Consumption before = FlinkState.get(lotUsage, CONSUMED + c.getKey(), Consumption.class);
            Consumption after = before == null ? c.getValue() : Merge.larger(before, c.getValue());
            if (!after.equals(before)) {
                FlinkState.put(lotUsage, CONSUMED + c.getKey(), after);
                changed = true;
            }
        }
        for (String reversedId : delta.reversed()) {
            if (FlinkState.get(lotUsage, REVERSED + reversedId, Boolean.class) == null) {
                FlinkState.put(lotUsage, REVERSED + reversedId, Boolean.TRUE);
                changed = true;
            }
        }
        for (Map.Entry<String, List<ShipmentLine>> s : delta.shipped().entrySet()) {
            String key = SHIPPED + s.getKey();
            LotUsage.DispatchLines before =
                    FlinkState.get(lotUsage, key, LotUsage.DispatchLines.class);
            LotUsage.DispatchLines after =
                    LotUsage.mergeDispatch(
                            before,
                            new LotUsage.DispatchLines(
                                    delta.shippedSeqs().getOrDefault(s.getKey(), 0L),
                                    s.getValue()));
            if (!after.equals(before)) {
                FlinkState.put(lotUsage, key, after);
                changed = true;
            }
        }
        return changed;
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

    private static List<Map.Entry<NodeKey, Link>> byNodeKey(List<Map.Entry<String, Link>> raw) {
        List<Map.Entry<NodeKey, Link>> entries = new ArrayList<>(raw.size());
        for (Map.Entry<String, Link> entry : raw) {
            entries.add(Map.entry(NodeKey.parse(entry.getKey()), entry.getValue()));
        }
        return entries;
    }
}
