package dev.batchtrace.lineage.closure;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.batchtrace.lineage.LineageCodec;
import dev.batchtrace.lineage.holds.FlagEvent;
import dev.batchtrace.lineage.holds.FlagHistory;
import dev.batchtrace.lineage.machine.MachineRunSummaries;
import dev.batchtrace.lineage.quality.QcCheck;
import dev.batchtrace.lineage.quality.QcChecks;
import dev.batchtrace.lineage.stock.LotFacts;
import dev.batchtrace.lineage.stock.LotUsage;
import dev.batchtrace.lineage.stock.ShipmentFacts;
import dev.batchtrace.machine.MachineRunSummary;
import java.util.List;
import java.util.Objects;

/**
 * A message to one node of the genealogy; {@link #target()} is the key it is routed by. Stage 1
 * (work orders, dispatch notes, goods receipts) produces facts and edge changes; the node stage
 * produces closures for the feedback topic. Bytes: {@link LineageCodec}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LineageMessage.LotFactsUpdate.class, name = "lotFacts"),
    @JsonSubTypes.Type(value = LineageMessage.ShipmentFactsUpdate.class, name = "shipmentFacts"),
    @JsonSubTypes.Type(value = LineageMessage.EdgeChange.class, name = "edge"),
    @JsonSubTypes.Type(value = LineageMessage.Closure.class, name = "closure"),
    @JsonSubTypes.Type(value = LineageMessage.ClosureRequest.class, name = "closureRequest"),
    @JsonSubTypes.Type(value = LineageMessage.LotFlagUpdate.class, name = "lotFlag"),
    @JsonSubTypes.Type(value = LineageMessage.LotUsageUpdate.class, name = "lotUsage"),
    @JsonSubTypes.Type(value = LineageMessage.QcCheckUpdate.class, name = "qcCheck"),
    @JsonSubTypes.Type(value = LineageMessage.MachineRunUpdate.class, name = "machineRun")
})
public sealed interface LineageMessage {

    /** The node this message is for (its routing key). */
    NodeKey target();

    /** Facts about a lot, to be merged into the lot's facts. */
    record LotFactsUpdate(NodeKey target, LotFacts facts) implements LineageMessage {
        public LotFactsUpdate {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(facts, "facts");
        }
    }

    /** Facts of a shipment (dispatch note header and lines). */
    record ShipmentFactsUpdate(NodeKey target, ShipmentFacts facts) implements LineageMessage {
        public ShipmentFactsUpdate {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(facts, "facts");
        }
    }

    /**
     * An edge parent -> child appeared or disappeared through one via (work order id for lot ->
     * lot, dispatch id for lot -> shipment). Sent twice, once to each end ({@code target} is the
     * parent or the child). {@code seq} orders the changes of one (parent, child, via).
     */
    record EdgeChange(
            NodeKey target,
            NodeKey parent,
            NodeKey child,
            String via,
            long seq,
            boolean added,
            String customerId)
            implements LineageMessage {
        public EdgeChange {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(parent, "parent");
            Objects.requireNonNull(child, "child");
            Objects.requireNonNull(via, "via");
            if (!target.equals(parent) && !target.equals(child)) {
                throw new IllegalArgumentException(
                        "edge change must target its parent or child: " + target);
            }
        }

        /** The same change, addressed to both ends (parent first). */
        public static List<EdgeChange> toBothEnds(
                NodeKey parent,
                NodeKey child,
                String via,
                long seq,
                boolean added,
                String customerId) {
            return List.of(
                    new EdgeChange(parent, parent, child, via, seq, added, customerId),
                    new EdgeChange(child, parent, child, via, seq, added, customerId));
        }
    }

    /**
     * What the sender announces (its closure entries plus itself at depth 0; a hub: itself only),
     * for one of its children: either whole ({@code full}, for a new child or on request), or as
     * the difference from version {@code baseVersion} to {@code version}: {@code entries} added or
     * changed, {@code removed} lot codes gone. The child applies a difference only on top of the
     * version it names; any other gap makes it ask for the whole ({@link ClosureRequest}).
     */
    record Closure(
            NodeKey target,
            NodeKey from,
            long version,
            long baseVersion,
            boolean full,
            List<AncestorEntry> entries,
            List<String> removed)
            implements LineageMessage {
        public Closure {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(from, "from");
            entries = entries == null ? List.of() : List.copyOf(entries);
            removed = removed == null ? List.of() : List.copyOf(removed);
            if (full && !removed.isEmpty()) {
                throw new IllegalArgumentException("a whole announcement removes nothing");
            }
        }

        /** The whole announcement at {@code version}. */
        public static Closure whole(
                NodeKey target, NodeKey from, long version, List<AncestorEntry> entries) {
            return new Closure(target, from, version, 0, true, entries, List.of());
        }
    }

    /**
     * A child that missed a difference asks its parent ({@code target}) for the whole announcement;
     * the parent answers only while {@code from} is its present child.
     */
    record ClosureRequest(NodeKey target, NodeKey from) implements LineageMessage {
        public ClosureRequest {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(from, "from");
        }
    }

    /**
     * A quality decision (HOLD or RELEASE) for the flagged lot itself; the lot merges it into its
     * {@link FlagHistory} and passes the resulting holds down with its announcements.
     */
    record LotFlagUpdate(NodeKey target, FlagEvent flag) implements LineageMessage {
        public LotFlagUpdate {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(flag, "flag");
            if (!target.isLot() || !target.code().equals(flag.lotCode())) {
                throw new IllegalArgumentException(
                        "a lot flag goes to its own lot: flag "
                                + flag.flagId()
                                + " of "
                                + flag.lotCode()
                                + " addressed to "
                                + target);
            }
        }
    }

    /**
     * Consumptions, reversals or dispatch lines of a lot, to be merged into its {@link LotUsage}.
     */
    record LotUsageUpdate(NodeKey target, LotUsage usage) implements LineageMessage {
        public LotUsageUpdate {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(usage, "usage");
            if (!target.isLot()) {
                throw new IllegalArgumentException("lot usage goes to a lot, not " + target);
            }
        }
    }

    /** A QC check of the lot itself, to be merged into its {@link QcChecks}. */
    record QcCheckUpdate(NodeKey target, QcCheck check) implements LineageMessage {
        public QcCheckUpdate {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(check, "check");
            if (!target.isLot() || !target.code().equals(check.lotCode())) {
                throw new IllegalArgumentException(
                        "a QC check goes to the lot it checked: check "
                                + check.checkId()
                                + " of "
                                + check.lotCode()
                                + " addressed to "
                                + target);
            }
        }
    }

    /**
     * What a machine did during the run of a work order that produced this lot, to be merged into
     * the lot's {@link MachineRunSummaries}.
     */
    record MachineRunUpdate(NodeKey target, MachineRunSummary summary) implements LineageMessage {
        public MachineRunUpdate {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(summary, "summary");
            if (!target.isLot() || summary.workOrderId() == null) {
                throw new IllegalArgumentException(
                        "a work order's machine run goes to a lot it produced, not "
                                + target
                                + " ("
                                + summary.key()
                                + ")");
            }
        }
    }
}
