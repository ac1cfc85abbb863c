package dev.batchtrace.lineage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Stage 2, keyed by node: the closure protocol (see package-info). A pure state machine over a
 * {@link NodeStore}; the closures it sends to children go to {@code out} (the feedback topic).
 */
public final class NodeProtocol {

    private NodeProtocol() {}

    /**
     * Applies one message to the node {@code message.target()}.
     *
     * @return whether the node's trace document changed
     */
    public static boolean apply(
            LineageMessage message, NodeStore store, Consumer<LineageMessage> out) {
        NodeKey self = message.target();
        boolean docChanged = false;
        boolean recompute = false;
        NodeKey newChild = null;

        if (message instanceof LineageMessage.LotFactsUpdate f) {
            LotFacts before = store.lotFacts();
            LotFacts after = LotFacts.merge(before, f.facts());
            if (!after.equals(before)) {
                store.putLotFacts(after);
                docChanged = true;
                recompute = true; // the self entry may have changed
            }
        } else if (message instanceof LineageMessage.ShipmentFactsUpdate s) {
            ShipmentFacts before = store.shipmentFacts();
            ShipmentFacts after = ShipmentFacts.merge(before, s.facts());
            if (!after.equals(before)) {
                store.putShipmentFacts(after);
                docChanged = true;
            }
        } else if (message instanceof LineageMessage.EdgeChange e) {
            // a self-loop (rework: a lot consumed into itself) updates both sides
            if (self.equals(e.child())) {
                Link before = orNone(store.parent(e.parent()));
                Link after = before.apply(e.via(), e.seq(), e.added(), e.customerId());
                if (after != before) {
                    store.putParent(e.parent(), after);
                    if (after.isPresent() != before.isPresent()) {
                        docChanged = true;
                        recompute = true;
                    }
                }
            }
            if (self.equals(e.parent())) {
                Link before = orNone(store.child(e.child()));
                Link after = before.apply(e.via(), e.seq(), e.added(), e.customerId());
                if (after != before) {
                    store.putChild(e.child(), after);
                    if (after.isPresent() != before.isPresent()
                            || !after.customerIds().equals(before.customerIds())) {
                        docChanged = true;
                    }
                    if (after.isPresent() && !before.isPresent()) {
                        newChild = e.child();
                    }
                }
            }
        } else if (message instanceof LineageMessage.LotFlagUpdate f) {
            FlagHistory before = FlagHistory.orEmpty(store.flagHistory());
            FlagHistory after = before.with(f.flag());
            if (!after.equals(before)) {
                store.putFlagHistory(after);
                recompute = true; // the lot's own holds may have changed
            }
        } else if (message instanceof LineageMessage.LotUsageUpdate u) {
            LotUsage before = store.lotUsage();
            LotUsage after = LotUsage.merge(before, u.usage());
            if (!after.equals(before)) {
                store.putLotUsage(after);
                docChanged = true; // the stock still on hold (alerts) may have changed
            }
        } else if (message instanceof LineageMessage.QcCheckUpdate q) {
            QcChecks before = QcChecks.orNone(store.qcChecks());
            QcChecks after = before.with(q.check());
            if (after != before) {
                store.putQcChecks(after);
                docChanged = true; // checks are the lot's own: nothing travels downstream
            }
        } else if (message instanceof LineageMessage.MachineRunUpdate m) {
            MachineRunSummaries before = MachineRunSummaries.orNone(store.machineRuns());
            MachineRunSummaries after = before.with(m.summary());
            if (after != before) {
                store.putMachineRuns(after);
                docChanged = true; // the lot's own: nothing travels downstream
            }
        } else if (message instanceof LineageMessage.Closure c) {
            Announcement slot = store.contribution(c.from());
            if (slot == null || c.version() > slot.version()) {
                store.putContribution(
                        c.from(), new Announcement(c.version(), c.entries(), c.holds()));
                Link link = store.parent(c.from());
                // from a non-parent it waits in its slot and counts once the edge exists
                recompute = link != null && link.isPresent();
            }
        }

        Announcement current = store.announcement();
        if (recompute || (newChild != null && current == null)) {
            List<AncestorEntry> entries = announcementOf(self, store);
            List<HoldEntry> holds = holdsOf(self, store);
            if (current == null || !current.sameContent(entries, holds)) {
                current =
                        new Announcement(
                                current == null ? 1 : current.version() + 1, entries, holds);
                store.putAnnouncement(current);
                docChanged = true;
                for (Map.Entry<NodeKey, Link> child : store.children()) {
                    if (child.getValue().isPresent()) {
                        out.accept(closure(child.getKey(), self, current));
                    }
                }
                return docChanged;
            }
        }
        if (newChild != null) {
            out.accept(closure(newChild, self, current));
        }
        return docChanged;
    }

    /**
     * What the node announces: the merge of its current parents' contributions (depth + 1, its own
     * lot code dropped, depths beyond {@link AncestorEntry#MAX_DEPTH} dropped) plus, for a lot,
     * itself at depth 0. A present parent whose announcement has not arrived yet is known by its
     * code alone (depth 1) until it does.
     */
    static List<AncestorEntry> announcementOf(NodeKey self, NodeStore store) {
        TreeMap<String, AncestorEntry> merged = new TreeMap<>();
        String ownCode = self.isLot() ? self.code() : null;
        for (Map.Entry<NodeKey, Link> parent : store.parents()) {
            NodeKey p = parent.getKey();
            if (!p.isLot() || !parent.getValue().isPresent()) {
                continue;
            }
            if (!p.code().equals(ownCode)) {
                merged.merge(
                        p.code(),
                        new AncestorEntry(p.code(), null, null, null, 1),
                        AncestorEntry::merge);
            }
            Announcement contribution = store.contribution(p);
            if (contribution == null) {
                continue;
            }
            for (AncestorEntry e : contribution.entries()) {
                int depth = e.depth() + 1;
                if (e.lotCode().equals(ownCode) || depth > AncestorEntry.MAX_DEPTH) {
                    continue;
                }
                merged.merge(e.lotCode(), e.withDepth(depth), AncestorEntry::merge);
            }
        }
        if (ownCode != null) {
            merged.put(ownCode, AncestorEntry.self(ownCode, store.lotFacts()));
        }
        return new ArrayList<>(merged.values());
    }

    /**
     * The holds that apply to the node. A lot: its own active holds (route = itself) and, per hold,
     * the preferred route over its current lot parents' holds extended by itself (routes through
     * the lot itself dropped: path-vector loop prevention, so cycles in bad data cannot keep a
     * lifted hold alive; routes longer than {@link AncestorEntry#MAX_DEPTH} dropped like
     * ancestors). A shipment: every hold of every current shipped lot, route unchanged, one entry
     * per hold and shipped lot.
     */
    static List<HoldEntry> holdsOf(NodeKey self, NodeStore store) {
        TreeMap<String, HoldEntry> merged = new TreeMap<>();
        List<HoldEntry> all = new ArrayList<>();
        for (Map.Entry<NodeKey, Link> parent : store.parents()) {
            NodeKey p = parent.getKey();
            if (!p.isLot() || !parent.getValue().isPresent()) {
                continue;
            }
            Announcement contribution = store.contribution(p);
            if (contribution == null) {
                continue;
            }
            for (HoldEntry h : contribution.holds()) {
                if (self.isShipment()) {
                    all.add(h);
                } else if (!h.path().contains(self.code())
                        && h.depth() + 1 <= AncestorEntry.MAX_DEPTH) {
                    merged.merge(h.holdKey(), h.extendedTo(self.code()), HoldEntry::preferred);
                }
            }
        }
        if (self.isShipment()) {
            all.sort(null);
            return all;
        }
        FlagHistory flags = store.flagHistory();
        if (flags != null) {
            for (FlagEvent hold : flags.holds()) {
                HoldEntry own = HoldEntry.of(hold);
                merged.merge(own.holdKey(), own, HoldEntry::preferred);
            }
        }
        List<HoldEntry> holds = new ArrayList<>(merged.values());
        holds.sort(null);
        return holds;
    }

    private static LineageMessage.Closure closure(NodeKey to, NodeKey from, Announcement a) {
        return new LineageMessage.Closure(to, from, a.version(), a.entries(), a.holds());
    }

    private static Link orNone(Link link) {
        return link == null ? Link.NONE : link;
    }
}
