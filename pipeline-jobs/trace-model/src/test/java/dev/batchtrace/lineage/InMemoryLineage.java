package dev.batchtrace.lineage;

import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.LotFlag;
import dev.batchtrace.events.QcResult;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.lineage.closure.InMemoryNodeStore;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.closure.NodeKey;
import dev.batchtrace.lineage.closure.NodeProtocol;
import dev.batchtrace.lineage.documents.TraceDocument;
import dev.batchtrace.lineage.documents.TraceDocuments;
import dev.batchtrace.lineage.holds.HoldAlert;
import dev.batchtrace.lineage.holds.HoldAlerts;
import dev.batchtrace.lineage.holds.LotFlags;
import dev.batchtrace.lineage.quality.InMemoryQcRouteStore;
import dev.batchtrace.lineage.quality.QcResults;
import dev.batchtrace.lineage.quality.QcRouting;
import dev.batchtrace.lineage.quality.WorkOrderAttachment;
import dev.batchtrace.lineage.stock.DispatchLinks;
import dev.batchtrace.lineage.stock.GoodsReceipts;
import dev.batchtrace.lineage.stock.InMemoryDispatchStore;
import dev.batchtrace.lineage.stock.InMemoryWorkOrderStore;
import dev.batchtrace.lineage.stock.LotUsages;
import dev.batchtrace.lineage.stock.WorkOrderAttachments;
import dev.batchtrace.lineage.stock.WorkOrderLinks;
import dev.batchtrace.lineage.units.OutputSerials;
import dev.batchtrace.lineage.units.OutputSerialsState;
import dev.batchtrace.lineage.units.UnitDocuments;
import dev.batchtrace.lineage.units.UnitFacts;
import dev.batchtrace.lineage.units.UnitUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The whole incremental pipeline in one process: stage 1 and the node protocol on in-memory stores,
 * with a router standing in for the feedback topic. The router is FIFO, or (with a {@link Random})
 * hostile: it delivers pending messages in random order, delivers some twice and re-delivers old
 * ones, as a replaying, retrying transport might.
 */
public final class InMemoryLineage {

    private final Map<String, InMemoryWorkOrderStore> workOrders = new TreeMap<>();
    private final Map<String, InMemoryQcRouteStore> qcRoutes = new TreeMap<>();
    private final Map<String, InMemoryDispatchStore> dispatches = new TreeMap<>();
    private final Map<String, GoodsReceipts.ReceiptState> receipts = new TreeMap<>();
    private final Map<String, OutputSerialsState> outputSerials = new TreeMap<>();
    private final Map<String, UnitFacts> units = new TreeMap<>();
    private final Map<NodeKey, InMemoryNodeStore> nodes = new TreeMap<>();
    private final List<LineageMessage> pending = new ArrayList<>();
    private final List<LineageMessage> delivered = new ArrayList<>();
    private final Map<NodeKey, Map<String, HoldAlert>> raised = new TreeMap<>();
    private final List<HoldAlert> sentAlerts = new ArrayList<>();
    private final Random random;
    private final double duplicateRate;
    private final double redeliveryRate;
    private final Map<String, TraceDocument> closureMembers = new TreeMap<>();
    private int hubFanIn = NodeProtocol.DEFAULT_HUB_FAN_IN;
    private boolean flushAtBarriersOnly;
    private boolean checkChangeSignals;
    private int head; // FIFO read position when random == null
    private long deliveries;
    private long feedbackMessages;
    private long feedbackBytes;
    private final java.util.Set<NodeKey> changedNodes = new java.util.HashSet<>();

    /** Nodes owing their children a difference (the job flushes them at the next barrier). */
    private final java.util.Set<NodeKey> unflushed = new java.util.LinkedHashSet<>();

    private java.util.function.Consumer<LineageMessage> feedbackListener = m -> {};

    /** A FIFO router without duplicates. */
    public InMemoryLineage() {
        this(null, 0, 0);
    }

    /**
     * @param random picks the next message to deliver (null: FIFO)
     * @param duplicateRate chance that a delivered message stays pending to be delivered again
     * @param redeliveryRate chance that a delivery also puts an old, already delivered message back
     *     (the two rates must add up to less than 1, or the queue would grow for ever)
     */
    public InMemoryLineage(Random random, double duplicateRate, double redeliveryRate) {
        if (duplicateRate < 0 || redeliveryRate < 0 || duplicateRate + redeliveryRate >= 1) {
            // each delivery removes a message with chance 1 - duplicateRate and adds one with
            // chance redeliveryRate: at or above 1 in total the queue never drains
            throw new IllegalArgumentException(
                    "need duplicateRate + redeliveryRate < 1, got "
                            + duplicateRate
                            + " + "
                            + redeliveryRate);
        }
        this.random = random;
        this.duplicateRate = duplicateRate;
        this.redeliveryRate = redeliveryRate;
    }

    /** Differences go out only at {@link #flushAll} and at quiescence (a checkpoint's barrier). */
    public InMemoryLineage flushingAtBarriersOnly() {
        this.flushAtBarriersOnly = true;
        return this;
    }

    /** Lots with at least this many lot parents are hubs (small values exercise hubs). */
    public InMemoryLineage withHubFanIn(int fanIn) {
        this.hubFanIn = fanIn;
        return this;
    }

    /**
     * Makes every step also build the document before and after and fail if it changed while the
     * step said it did not (the streaming job writes only documents that were signalled).
     */
    public InMemoryLineage checkingChangeSignals() {
        this.checkChangeSignals = true;
        return this;
    }

    /**
     * Stage 1: one event (GoodsReceipt, WorkOrderEvent, DispatchNote, LotFlag, QcResult; others are
     * ignored).
     */
    public void accept(Object event) {
        if (event instanceof LotFlag f) {
            LotFlags.apply(f, pending::add);
        } else if (event instanceof GoodsReceipt r) {
            GoodsReceipts.apply(
                    r,
                    new GoodsReceipts.Store() {
                        @Override
                        public GoodsReceipts.ReceiptState state() {
                            return receipts.get(r.getReceiptId());
                        }

                        @Override
                        public void put(GoodsReceipts.ReceiptState state) {
                            receipts.put(r.getReceiptId(), state);
                        }
                    },
                    pending::add);
        } else if (event instanceof WorkOrderEvent e) {
            LotUsages.apply(e, pending::add);
            if (QcRouting.routes(e)) {
                QcRouting.apply(e, qcRoute(e.getLotCode()), this::attach);
            }
            if (OutputSerials.routes(e)) {
                String key = OutputSerials.key(e);
                OutputSerials.apply(
                        e,
                        new OutputSerials.Store() {
                            @Override
                            public OutputSerialsState state() {
                                return outputSerials.get(key);
                            }

                            @Override
                            public void put(OutputSerialsState state) {
                                outputSerials.put(key, state);
                            }
                        },
                        this::unit);
            }
            WorkOrderLinks.apply(
                    e,
                    workOrders.computeIfAbsent(
                            e.getWorkOrderId(), k -> new InMemoryWorkOrderStore()),
                    pending::add);
        } else if (event instanceof DispatchNote n) {
            DispatchLinks.apply(
                    n,
                    dispatches.computeIfAbsent(n.getDispatchId(), k -> new InMemoryDispatchStore()),
                    pending::add,
                    this::unit);
        } else if (event instanceof dev.batchtrace.machine.MachineRunSummary m) {
            WorkOrderAttachments.of(m).ifPresent(this::attach);
        } else if (event instanceof QcResult q) {
            QcResults.apply(q, pending::add);
            QcResults.forWorkOrder(q).ifPresent(this::attach);
            if (QcRouting.routes(q)) {
                QcRouting.apply(q, qcRoute(q.getLotCode()), this::attach);
            }
        }
    }

    /** The unit stage: units merge their facts (delivered at once; the arrival order varies). */
    private void unit(UnitUpdate update) {
        units.merge(update.key(), update.facts(), UnitFacts::merge);
    }

    private InMemoryQcRouteStore qcRoute(String lotCode) {
        return qcRoutes.computeIfAbsent(lotCode, k -> new InMemoryQcRouteStore());
    }

    /** Stage 1, work-order side: an attachment goes to its work order's store. */
    private void attach(WorkOrderAttachment attachment) {
        InMemoryWorkOrderStore store =
                workOrders.computeIfAbsent(
                        attachment.workOrderId(), k -> new InMemoryWorkOrderStore());
        TraceDocument before =
                checkChangeSignals
                        ? TraceDocuments.workOrder(attachment.workOrderId(), store)
                        : null;
        boolean changed = WorkOrderAttachments.apply(attachment, store, pending::add);
        if (checkChangeSignals) {
            verifySignal(
                    before,
                    TraceDocuments.workOrder(attachment.workOrderId(), store),
                    changed,
                    attachment);
        }
    }

    /** Delivers up to {@code max} pending messages; returns how many were delivered. */
    public int deliver(int max) {
        int n = 0;
        while (n < max && hasPending()) {
            LineageMessage m = next();
            InMemoryNodeStore store = node(m.target());
            TraceDocument before =
                    checkChangeSignals ? TraceDocuments.node(m.target(), store) : null;
            List<HoldAlert> alertsBefore =
                    checkChangeSignals ? HoldAlerts.of(m.target(), store) : null;
            NodeProtocol.Applied applied =
                    NodeProtocol.applyDeferred(
                            m, store, hubFanIn, this::feedback, this::closureMember);
            boolean changed = applied.documentChanged();
            if (applied.announcementPending()) {
                unflushed.add(m.target());
            }
            if (checkChangeSignals) {
                verifySignal(before, TraceDocuments.node(m.target(), store), changed, m);
                if (!changed && !alertsBefore.equals(HoldAlerts.of(m.target(), store))) {
                    throw new IllegalStateException(
                            "alerts of " + m.target() + " changed without a change signal");
                }
            }
            if (changed) {
                changedNodes.add(m.target());
                // as the job does: alerts are re-derived only when the node signals a change
                Map<String, HoldAlert> sent =
                        raised.computeIfAbsent(m.target(), k -> new TreeMap<>());
                List<HoldAlert> current = HoldAlerts.of(m.target(), store);
                sentAlerts.addAll(HoldAlerts.changes(sent, current));
                sent.clear();
                sent.putAll(HoldAlerts.byId(current));
            }
            // a barrier: FIFO flushes after every message (as before deferral), a hostile router
            // at random moments, so several messages' changes go out as one difference
            if (!flushAtBarriersOnly && (random == null || random.nextDouble() < 0.2)) {
                flushAll();
            }
            n++;
            deliveries++;
            if (random != null) {
                delivered.add(m);
                if (random.nextDouble() < redeliveryRate) {
                    pending.add(delivered.get(random.nextInt(delivered.size())));
                }
            }
        }
        return n;
    }

    /**
     * Delivers until nothing is pending.
     *
     * @throws IllegalStateException after {@code maxDeliveries} (a protocol that does not converge)
     */
    public long runToQuiescence(long maxDeliveries) {
        long start = deliveries;
        while (hasPending()) {
            if (deliveries - start >= maxDeliveries) {
                throw new IllegalStateException(
                        "no quiescence after "
                                + maxDeliveries
                                + " deliveries; "
                                + pendingCount()
                                + " messages pending");
            }
            deliver(1000);
        }
        return deliveries - start;
    }

    public boolean hasPending() {
        if (pendingCount() == 0) {
            flushAll(); // the last barrier
        }
        return pendingCount() > 0;
    }

    /** Every node that owes its children a difference sends it (a checkpoint barrier). */
    public void flushAll() {
        for (NodeKey node : List.copyOf(unflushed)) {
            NodeProtocol.flush(node, node(node), this::feedback);
        }
        unflushed.clear();
    }

    public int pendingCount() {
        return random == null ? pending.size() - head : pending.size();
    }

    /** Total messages delivered so far (duplicates included). */
    public long deliveries() {
        return deliveries;
    }

    public InMemoryNodeStore node(NodeKey key) {
        return nodes.computeIfAbsent(key, k -> new InMemoryNodeStore());
    }

    /** The alerts raised and not resolved, by id. */
    public Map<String, HoldAlert> openAlerts() {
        Map<String, HoldAlert> open = new TreeMap<>();
        raised.values().forEach(open::putAll);
        return open;
    }

    /** Every alert record sent so far (OPEN and RESOLVED), in order. */
    public List<HoldAlert> sentAlerts() {
        return List.copyOf(sentAlerts);
    }

    /**
     * The nodes whose document changed since the last call: the job writes each of them once per
     * coalescing window.
     */
    public java.util.Set<NodeKey> takeChangedNodes() {
        java.util.Set<NodeKey> taken = new java.util.HashSet<>(changedNodes);
        changedNodes.clear();
        return taken;
    }

    /** Also hands every feedback message to {@code listener} (sizing diagnostics). */
    public InMemoryLineage onFeedback(java.util.function.Consumer<LineageMessage> listener) {
        this.feedbackListener = listener;
        return this;
    }

    /** What the node stage sends to other nodes: on the feedback topic in the job. */
    private void feedback(LineageMessage m) {
        feedbackListener.accept(m);
        feedbackMessages++;
        feedbackBytes += LineageCodec.encode(m).length;
        pending.add(m);
    }

    /** Messages the node stage sent to other nodes so far (the job's feedback topic records). */
    public long feedbackMessages() {
        return feedbackMessages;
    }

    /** Their size as the feedback topic's record values. */
    public long feedbackBytes() {
        return feedbackBytes;
    }

    /** A hub's member document, applied in order as the index would. */
    private void closureMember(TraceDocument doc) {
        if (doc.isDeletion()) {
            closureMembers.remove(doc.key());
        } else {
            closureMembers.put(doc.key(), doc);
        }
    }

    /** The current documents (deletions left out), keyed by {@link TraceDocument#key()}. */
    public Map<String, TraceDocument> documents() {
        Map<String, TraceDocument> docs = new TreeMap<>();
        workOrders.forEach(
                (id, store) -> {
                    TraceDocument d = TraceDocuments.workOrder(id, store);
                    docs.put(d.key(), d);
                });
        nodes.forEach(
                (key, store) -> {
                    TraceDocument d = TraceDocuments.node(key, store);
                    if (!d.isDeletion()) {
                        docs.put(d.key(), d);
                    }
                });
        docs.putAll(closureMembers);
        units.values()
                .forEach(
                        facts -> {
                            TraceDocument d = UnitDocuments.unit(facts);
                            if (!d.isDeletion()) {
                                docs.put(d.key(), d);
                            }
                        });
        return docs;
    }

    private static void verifySignal(
            TraceDocument before, TraceDocument after, boolean signalled, Object cause) {
        if (!signalled && !java.util.Objects.equals(before, after)) {
            throw new IllegalStateException(
                    "document " + after.key() + " changed without a change signal, after " + cause);
        }
    }

    private LineageMessage next() {
        if (random == null) {
            LineageMessage m = pending.get(head++);
            if (head > 4096 && head * 2 > pending.size()) {
                pending.subList(0, head).clear();
                head = 0;
            }
            return m;
        }
        int i = random.nextInt(pending.size());
        LineageMessage m = pending.get(i);
        if (random.nextDouble() >= duplicateRate) {
            // swap-remove: O(1)
            pending.set(i, pending.get(pending.size() - 1));
            pending.remove(pending.size() - 1);
        }
        return m;
    }
}
