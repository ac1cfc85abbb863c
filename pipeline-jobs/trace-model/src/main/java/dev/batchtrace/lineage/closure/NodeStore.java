package dev.batchtrace.lineage.closure;

import dev.batchtrace.lineage.holds.FlagHistory;
import dev.batchtrace.lineage.machine.MachineRunSummaries;
import dev.batchtrace.lineage.quality.QcChecks;
import dev.batchtrace.lineage.stock.LotFacts;
import dev.batchtrace.lineage.stock.LotFactsSummary;
import dev.batchtrace.lineage.stock.LotSource;
import dev.batchtrace.lineage.stock.LotUsage;
import dev.batchtrace.lineage.stock.ShipmentFacts;
import java.util.Map;

/**
 * The state of ONE node (lot or shipment) of the node stage, as small pieces so that a Flink
 * implementation maps each to a ValueState or a MapState and a message touches only what it needs
 * (a lot with 5,000 children does not rewrite its children per message). Getters return null when
 * nothing is stored. Values are immutable; put replaces.
 */
public interface NodeStore {

    /**
     * ValueState: the summary of the lot's facts (null: no live source), what documents and alerts
     * read; its sources are kept one entry each beside it ({@link #lotSource}).
     */
    LotFactsSummary lotFactsSummary();

    void putLotFactsSummary(LotFactsSummary summary);

    /** MapState source key (receiptId or output eventId) -> what that source says of the lot. */
    LotSource lotSource(String key);

    void putLotSource(String key, LotSource source);

    Iterable<Map.Entry<String, LotSource>> lotSources();

    /** The lot's facts as documents and alerts read them (flat, one total quantity), or null. */
    default LotFacts lotFacts() {
        LotFactsSummary summary = lotFactsSummary();
        return summary == null ? null : summary.asFacts();
    }

    /**
     * Merges one source's facts into the lot's (issue 9: a silo filled 20,000 times writes one
     * source entry and its summary per filling, not every source); whether the summary changed.
     */
    default boolean mergeLotFacts(LotFacts delta) {
        LotFactsSummary before = lotFactsSummary();
        LotFactsSummary after =
                LotFactsSummary.merge(
                        before,
                        new LotFactsSummary.Sources() {
                            @Override
                            public LotSource source(String key) {
                                return lotSource(key);
                            }

                            @Override
                            public void putSource(String key, LotSource source) {
                                putLotSource(key, source);
                            }

                            @Override
                            public Iterable<Map.Entry<String, LotSource>> sources() {
                                return lotSources();
                            }
                        },
                        delta);
        if (java.util.Objects.equals(after, before)) {
            return false;
        }
        putLotFactsSummary(after);
        return true;
    }

    /** ValueState: the shipment's facts. */
    ShipmentFacts shipmentFacts();

    void putShipmentFacts(ShipmentFacts facts);

    /** MapState parent -> link: the vias that connect a parent to this node (tombstones kept). */
    Link parent(NodeKey parent);

    void putParent(NodeKey parent, Link link);

    Iterable<Map.Entry<NodeKey, Link>> parents();

    /** MapState child -> link. */
    Link child(NodeKey child);

    void putChild(NodeKey child, Link link);

    Iterable<Map.Entry<NodeKey, Link>> children();

    /**
     * The shipment children only (a lot's document lists its shipments): a store may skip decoding
     * the links of its lot children, a bulk lot's thousands.
     */
    default Iterable<Map.Entry<NodeKey, Link>> shipmentChildren() {
        java.util.List<Map.Entry<NodeKey, Link>> shipments = new java.util.ArrayList<>();
        for (Map.Entry<NodeKey, Link> c : children()) {
            if (c.getKey().isShipment()) {
                shipments.add(c);
            }
        }
        return shipments;
    }

    /** Whether any child edge is present (removed edges stay as tombstones). */
    default boolean hasPresentChild() {
        for (Map.Entry<NodeKey, Link> c : children()) {
            if (c.getValue().isPresent()) {
                return true;
            }
        }
        return false;
    }

    /**
     * MapState sender -> what it announced last (version and entries, depths the sender's), kept
     * while the sender is a parent or its edge has not arrived yet; null deletes.
     */
    Announcement contribution(NodeKey sender);

    void putContribution(NodeKey sender, Announcement announcement);

    /** ValueState: version, own entry and counters (see {@link NodeHeader}). */
    NodeHeader header();

    void putHeader(NodeHeader header);

    /** MapState lot code -> the node's closure slot for that lot; null deletes. */
    ClosureSlot slot(String lotCode);

    /**
     * Remembers that the closure entry of {@code lotCode} changed since the node last announced
     * (see {@link NodeProtocol#flush}).
     */
    default void markUnannounced(String lotCode) {
        throw new UnsupportedOperationException("this store cannot defer announcements");
    }

    /** The lot codes marked since the last {@link #clearUnannounced}. */
    default Iterable<String> unannounced() {
        throw new UnsupportedOperationException("this store cannot defer announcements");
    }

    default void clearUnannounced() {
        throw new UnsupportedOperationException("this store cannot defer announcements");
    }

    /** Remembers that {@code child} waits for the whole announcement (sent by the next flush). */
    default void markWholeOwed(NodeKey child) {
        throw new UnsupportedOperationException("this store cannot defer announcements");
    }

    /** The children marked since the last {@link #clearWholesOwed}. */
    default Iterable<NodeKey> wholesOwed() {
        throw new UnsupportedOperationException("this store cannot defer announcements");
    }

    default void clearWholesOwed() {
        throw new UnsupportedOperationException("this store cannot defer announcements");
    }

    void putSlot(String lotCode, ClosureSlot slot);

    /** Every closure slot (a read of the whole closure: documents and snapshots only). */
    Iterable<Map.Entry<String, ClosureSlot>> slots();

    /** MapState hold key -> how many closure entries carry the hold; null deletes. */
    HoldCount inheritedHold(String holdKey);

    void putInheritedHold(String holdKey, HoldCount count);

    Iterable<Map.Entry<String, HoldCount>> inheritedHolds();

    /**
     * ValueState: the lot's flag history (issue 4). Defaults keep trace-jobs' store compiling until
     * it maps this piece to state: reading gives nothing, writing fails loudly, and only a {@link
     * LineageMessage.LotFlagUpdate} writes it.
     */
    default FlagHistory flagHistory() {
        return null;
    }

    default void putFlagHistory(FlagHistory history) {
        throw new UnsupportedOperationException(
                getClass().getName()
                        + " keeps no flag history: implement NodeStore.flagHistory() and"
                        + " putFlagHistory() on a ValueState before routing lot flags to the node"
                        + " stage");
    }

    /**
     * What has been consumed and shipped of the lot (issue 4, for AFFECTED_STOCK and the mass
     * balance), whole: read when the document or the alerts are built.
     */
    default LotUsage lotUsage() {
        return null;
    }

    default void putLotUsage(LotUsage usage) {
        throw new UnsupportedOperationException(
                getClass().getName()
                        + " keeps no lot usage: implement NodeStore.lotUsage() and"
                        + " mergeLotUsage() before routing LotUsages to the node stage");
    }

    /**
     * Merges one consumption, reversal or dispatch's lines into the lot's usage; whether it
     * changed. The default rewrites the whole value; a store that keeps one entry per consumption
     * and dispatch (Flink: a MapState) writes only the one that changed, so a bulk lot consumed
     * thousands of times is not rewritten whole per consumption.
     */
    default boolean mergeLotUsage(LotUsage delta) {
        LotUsage before = lotUsage();
        LotUsage after = LotUsage.merge(before, delta);
        if (after.equals(before)) {
            return false;
        }
        putLotUsage(after);
        return true;
    }

    /**
     * ValueState: the QC checks of the lot (issue 5). Defaults as for {@link #flagHistory()}: only
     * a {@link LineageMessage.QcCheckUpdate} writes it.
     */
    default QcChecks qcChecks() {
        return null;
    }

    default void putQcChecks(QcChecks checks) {
        throw new UnsupportedOperationException(
                getClass().getName()
                        + " keeps no QC checks: implement NodeStore.qcChecks() and putQcChecks()"
                        + " on a ValueState before routing QC results to the node stage");
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
                        + " keeps no machine runs: implement NodeStore.machineRuns() and"
                        + " putMachineRuns() on a ValueState before routing machine summaries");
    }
}
