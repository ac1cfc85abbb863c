package dev.batchtrace.lineage.closure;

import dev.batchtrace.lineage.documents.TraceDocument;
import dev.batchtrace.lineage.documents.TraceDocuments;
import dev.batchtrace.lineage.holds.FlagEvent;
import dev.batchtrace.lineage.holds.FlagHistory;
import dev.batchtrace.lineage.holds.HoldEntry;
import dev.batchtrace.lineage.machine.MachineRunSummaries;
import dev.batchtrace.lineage.quality.QcChecks;
import dev.batchtrace.lineage.stock.LotFacts;
import dev.batchtrace.lineage.stock.ShipmentFacts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Stage 2, keyed by node: the closure protocol (see package-info). A pure state machine over a
 * {@link NodeStore}; what it sends to other nodes goes to {@code out} (the feedback topic) and, for
 * a hub, its closure member documents to {@code members}.
 *
 * <p>Cost of one message: the closure slots it changes (one read and one write each, plus a mark
 * per changed entry), one header write. Announcements are deferred ({@link #applyDeferred}): at a
 * {@link #flush} (the job flushes every changed node once per checkpoint, just before the barrier,
 * when what it sends could become visible anyway) the node sends one difference per present child
 * with only the entries changed since the last flush. Nothing is re-read or re-sent whole except
 * for a new child, a hub that starts or stops being one, or a child that asks.
 */
public final class NodeProtocol {

    /**
     * Default hub fan-in: a lot fed by at least this many lots (a silo, a blend tank, a bulk
     * receiving bin) keeps its closure to itself.
     */
    public static final int DEFAULT_HUB_FAN_IN = 200;

    private NodeProtocol() {}

    /** {@link #apply(LineageMessage, NodeStore, int, Consumer, Consumer)} without hub documents. */
    public static boolean apply(
            LineageMessage message, NodeStore store, Consumer<LineageMessage> out) {
        return apply(message, store, DEFAULT_HUB_FAN_IN, out, doc -> {});
    }

    /**
     * Applies one message to the node {@code message.target()} and sends the changed announcement
     * at once ({@link #applyDeferred} then {@link #flush}).
     *
     * @param hubFanIn present lot parents from which a lot is a hub
     * @param members closure member documents of a hub (upserts and deletions)
     * @return whether the node's trace document (or its alerts) changed
     */
    public static boolean apply(
            LineageMessage message,
            NodeStore store,
            int hubFanIn,
            Consumer<LineageMessage> out,
            Consumer<TraceDocument> members) {
        Applied applied = applyDeferred(message, store, hubFanIn, out, members);
        if (applied.announcementPending()) {
            flush(message.target(), store, out);
        }
        return applied.documentChanged();
    }

    /**
     * What one message did to its node.
     *
     * @param documentChanged whether the node's trace document (or its alerts) changed
     * @param announcementPending whether the node owes its children a difference: {@link #flush}
     *     sends it, once for all the messages since the last flush
     * @param holdsChanged whether a hold reached the node or left it (its own flag history, or the
     *     holds its closure carries): its alerts change, which should not wait
     */
    public record Applied(
            boolean documentChanged, boolean announcementPending, boolean holdsChanged) {}

    /**
     * Applies one message, but keeps the change of the node's announcement to itself (the changed
     * lot codes are marked in the store) until {@link #flush}: a node that hears from its parents
     * several times between two flushes (a closure arriving level by level, from each of its
     * parents) sends each child one difference, not one per message. Wholes (a new child, a
     * request, a hub flip) still go at once.
     */
    public static Applied applyDeferred(
            LineageMessage message,
            NodeStore store,
            int hubFanIn,
            Consumer<LineageMessage> out,
            Consumer<TraceDocument> members) {
        Step step = new Step(message.target(), store);
        boolean docChanged = false;
        boolean selfInputs = false;
        NodeKey newChild = null;

        if (message instanceof LineageMessage.LotFactsUpdate f) {
            if (store.mergeLotFacts(f.facts())) {
                docChanged = true;
                selfInputs = true;
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
            if (step.self.equals(e.child())) {
                Link before = orNone(store.parent(e.parent()));
                Link after = before.apply(e.via(), e.seq(), e.added(), e.customerId());
                if (after != before) {
                    store.putParent(e.parent(), after);
                    if (after.isPresent() != before.isPresent()) {
                        docChanged = true;
                        step.parentPresence(e.parent(), after.isPresent());
                        if (after.isPresent()
                                && before != Link.NONE
                                && !e.parent().equals(e.child())) {
                            // an edge back after a removal: the parent may have seen neither
                            // change (a late removal is ignored there), so ask for its whole
                            out.accept(new LineageMessage.ClosureRequest(e.parent(), step.self));
                        }
                    }
                }
            }
            if (step.self.equals(e.parent())) {
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
                selfInputs = true; // the lot's own holds may have changed
                step.flagChanged = true;
            }
        } else if (message instanceof LineageMessage.LotUsageUpdate u) {
            if (store.mergeLotUsage(u.usage())) {
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
            step.receive(c, out);
        } else if (message instanceof LineageMessage.ClosureRequest r) {
            Link link = store.child(r.from());
            NodeHeader header = store.header();
            if (link != null && link.isPresent() && header != null) {
                store.markWholeOwed(r.from());
                if (!header.wholesOwed()) {
                    store.putHeader(
                            new NodeHeader(
                                    header.version(),
                                    header.self(),
                                    header.lotParents(),
                                    header.closureSize(),
                                    header.unannounced(),
                                    true));
                }
                return new Applied(false, true, false);
            }
            return new Applied(false, header != null && header.flushDue(), false);
        }

        return step.finish(hubFanIn, selfInputs, newChild, docChanged, out, members);
    }

    /**
     * Sends the node's unannounced changes, if any, as one difference to every present child: its
     * own entry and the current entry (or the removal) of every marked lot code.
     *
     * @return whether anything was sent
     */
    public static boolean flush(NodeKey self, NodeStore store, Consumer<LineageMessage> out) {
        NodeHeader header = store.header();
        if (header == null || !header.flushDue()) {
            return false;
        }
        java.util.Set<NodeKey> owed = new java.util.HashSet<>();
        if (header.wholesOwed()) {
            store.wholesOwed().forEach(owed::add);
            store.clearWholesOwed();
        }
        long version = header.version();
        List<AncestorEntry> upserts = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        if (header.unannounced()) {
            version++;
            if (header.self() != null) {
                upserts.add(header.self());
            }
            if (!header.hub()) {
                for (String code : store.unannounced()) {
                    ClosureSlot slot = store.slot(code);
                    if (slot == null) {
                        removed.add(code);
                    } else {
                        upserts.add(slot.entry());
                    }
                }
            }
            store.clearUnannounced();
            upserts.sort(null);
            removed.sort(null); // the marks come in no particular order
        }
        NodeHeader sent = header.announced(version);
        store.putHeader(sent);
        List<AncestorEntry> whole = owed.isEmpty() ? List.of() : announced(sent, store);
        if (header.unannounced()) {
            for (Map.Entry<NodeKey, Link> child : store.children()) {
                if (child.getValue().isPresent() && !owed.contains(child.getKey())) {
                    out.accept(
                            new LineageMessage.Closure(
                                    child.getKey(),
                                    self,
                                    version,
                                    version - 1,
                                    false,
                                    upserts,
                                    removed));
                }
            }
        }
        for (NodeKey child : owed) {
            Link link = store.child(child);
            if (link != null && link.isPresent()) {
                out.accept(LineageMessage.Closure.whole(child, self, version, whole));
            }
        }
        return true;
    }

    /** The node's announcement whole: itself, and unless it is a hub its closure entries. */
    static List<AncestorEntry> announced(NodeHeader header, NodeStore store) {
        List<AncestorEntry> entries = new ArrayList<>();
        if (header.self() != null) {
            entries.add(header.self());
        }
        if (!header.hub()) {
            for (Map.Entry<String, ClosureSlot> slot : store.slots()) {
                entries.add(slot.getValue().entry());
            }
        }
        entries.sort(null);
        return entries;
    }

    /**
     * The holds that apply to the node: a lot's own active holds and every hold its closure entries
     * carry (a hub entry carries all of its closure's), one per hold key, sorted.
     */
    public static List<HoldEntry> holdsOf(NodeKey node, NodeStore store) {
        TreeMap<String, HoldEntry> holds = new TreeMap<>();
        if (node.isLot()) {
            for (HoldEntry own : ownHolds(store.flagHistory())) {
                holds.merge(own.holdKey(), own, HoldEntry::preferred);
            }
        }
        for (Map.Entry<String, HoldCount> h : store.inheritedHolds()) {
            holds.merge(h.getKey(), h.getValue().hold(), HoldEntry::preferred);
        }
        List<HoldEntry> sorted = new ArrayList<>(holds.values());
        sorted.sort(null);
        return sorted;
    }

    static List<HoldEntry> ownHolds(FlagHistory flags) {
        List<HoldEntry> own = new ArrayList<>();
        if (flags != null) {
            for (FlagEvent hold : flags.holds()) {
                own.add(HoldEntry.of(hold));
            }
        }
        own.sort(null);
        return own;
    }

    private static Link orNone(Link link) {
        return link == null ? Link.NONE : link;
    }

    /** The work of one message: the slots it touched and what they were before. */
    private static final class Step {
        final NodeKey self;
        final String ownCode;
        final NodeStore store;
        final NodeHeader before;
        int lotParents;
        int closureSize;
        boolean inheritedHoldsChanged;
        boolean flagChanged;
        boolean shippedLotChanged;

        /** lot code -> its closure entry before this message (null: not in the closure). */
        final Map<String, AncestorEntry> touched = new LinkedHashMap<>();

        /** slots read or written by this message (a value of null: no slot). */
        final Map<String, ClosureSlot> slotCache = new HashMap<>();

        Step(NodeKey self, NodeStore store) {
            this.self = self;
            this.ownCode = self.isLot() ? self.code() : null;
            this.store = store;
            this.before = NodeHeader.orEmpty(store.header());
            this.lotParents = before.lotParents();
            this.closureSize = before.closureSize();
        }

        /** A parent edge appeared or went: its contribution counts, or no longer. */
        void parentPresence(NodeKey parent, boolean present) {
            if (parent.isLot()) {
                lotParents += present ? 1 : -1;
            }
            Announcement stored = store.contribution(parent);
            List<AncestorEntry> contribution = effective(parent, stored);
            for (AncestorEntry e : contribution) {
                slotChange(present ? null : e, present ? e : null);
            }
            if (!present && stored != null) {
                store.putContribution(parent, null); // a removed parent's share is deleted
            }
        }

        /** A parent's announcement, whole or as a difference. */
        void receive(LineageMessage.Closure c, Consumer<LineageMessage> out) {
            NodeKey from = c.from();
            Announcement stored = store.contribution(from);
            Link link = store.parent(from);
            boolean present = link != null && link.isPresent();
            List<AncestorEntry> next;
            if (c.full()) {
                if (stored != null && stored.version() >= c.version()) {
                    return; // a repeat or an older whole
                }
                next = c.entries();
                if (present) {
                    diffInto(effective(from, stored), next);
                }
            } else {
                if (stored == null || stored.version() != c.baseVersion()) {
                    if (stored != null && stored.version() >= c.version()) {
                        return; // a repeat
                    }
                    // a difference on top of a version this node does not have: ask (the
                    // parent answers only while this node is its present child)
                    out.accept(new LineageMessage.ClosureRequest(from, self));
                    return;
                }
                Map<String, AncestorEntry> base = byCode(stored.entries());
                if (present) {
                    // only the entries the difference names
                    for (String code : c.removed()) {
                        AncestorEntry gone = base.get(code);
                        if (gone != null) {
                            slotChange(gone, null);
                        }
                    }
                    for (AncestorEntry e : c.entries()) {
                        AncestorEntry was = base.get(e.lotCode());
                        if (!e.equals(was)) {
                            slotChange(was, e);
                        }
                    }
                }
                next = applyDiff(stored.entries(), c.entries(), c.removed());
            }
            if (present) {
                // a shipment's alerts name the shipped lot that carries each hold
                shippedLotChanged |= self.isShipment();
            }
            store.putContribution(from, new Announcement(c.version(), next));
        }

        /** What a present parent contributes: its announcement, or until it arrives its code. */
        private List<AncestorEntry> effective(NodeKey parent, Announcement stored) {
            if (stored != null) {
                return stored.entries();
            }
            if (!parent.isLot()) {
                return List.of();
            }
            return List.of(new AncestorEntry(parent.code(), null, null, null, 0, false, -1, null));
        }

        /** Applies the change of one parent's contribution from {@code old} to {@code next}. */
        private void diffInto(List<AncestorEntry> old, List<AncestorEntry> next) {
            Map<String, AncestorEntry> oldByCode = byCode(old);
            Map<String, AncestorEntry> nextByCode = byCode(next);
            TreeSet<String> codes = new TreeSet<>(oldByCode.keySet());
            codes.addAll(nextByCode.keySet());
            for (String code : codes) {
                AncestorEntry o = oldByCode.get(code);
                AncestorEntry n = nextByCode.get(code);
                if (!Objects.equals(o, n)) {
                    slotChange(o, n);
                }
            }
        }

        /**
         * One parent stopped bringing {@code removed} and/or brings {@code added} (depths the
         * parent's): the node's slot for that lot is adjusted.
         */
        private void slotChange(AncestorEntry removed, AncestorEntry added) {
            String code = (removed != null ? removed : added).lotCode();
            if (code.equals(ownCode)) {
                return; // a node is not its own ancestor (cycles in bad data)
            }
            AncestorEntry r = deeper(removed);
            AncestorEntry a = deeper(added);
            if (r == null && a == null) {
                return;
            }
            ClosureSlot slot = slot(code);
            touched.putIfAbsent(code, slot == null ? null : slot.entry());
            ClosureSlot next = ClosureSlot.apply(slot, r, a);
            slotCache.put(code, next);
            store.putSlot(code, next);
            if (slot == null && next != null) {
                closureSize++;
            } else if (slot != null && next == null) {
                closureSize--;
            }
            List<HoldEntry> oldHolds = slot == null ? List.of() : slot.entry().holds();
            List<HoldEntry> newHolds = next == null ? List.of() : next.entry().holds();
            if (!oldHolds.equals(newHolds)) {
                for (HoldEntry h : oldHolds) {
                    countHold(h, -1);
                }
                for (HoldEntry h : newHolds) {
                    countHold(h, +1);
                }
            }
        }

        private void countHold(HoldEntry hold, int delta) {
            String key = hold.holdKey();
            HoldCount current = store.inheritedHold(key);
            int count = (current == null ? 0 : current.count()) + delta;
            HoldEntry kept = current == null ? hold : current.hold();
            store.putInheritedHold(key, count > 0 ? new HoldCount(kept, count) : null);
            if ((current == null) != (count <= 0)) {
                inheritedHoldsChanged = true;
            }
        }

        /** The entry one hop further down, or null beyond {@link AncestorEntry#MAX_DEPTH}. */
        private static AncestorEntry deeper(AncestorEntry e) {
            if (e == null || e.depth() + 1 > AncestorEntry.MAX_DEPTH) {
                return null;
            }
            return e.withDepth(e.depth() + 1);
        }

        private ClosureSlot slot(String code) {
            if (slotCache.containsKey(code)) {
                return slotCache.get(code);
            }
            ClosureSlot slot = store.slot(code);
            slotCache.put(code, slot);
            return slot;
        }

        /**
         * Re-derives the lot's own entry, stores the header and sends what changed: a difference to
         * every present child, the whole announcement to a new child, hub member documents.
         */
        Applied finish(
                int hubFanIn,
                boolean selfInputs,
                NodeKey newChild,
                boolean docChanged,
                Consumer<LineageMessage> out,
                Consumer<TraceDocument> members) {
            AncestorEntry self = before.self();
            boolean hub = self != null ? self.hub() : false;
            if (ownCode != null
                    && (selfInputs
                            || before.self() == null
                            || lotParents != before.lotParents()
                            || inheritedHoldsChanged)) {
                hub = lotParents >= hubFanIn;
                AncestorEntry derived = ownEntry(hub);
                if (!derived.sameContent(before.self())) {
                    self = derived.withRev(before.self() == null ? 1 : before.self().rev() + 1);
                }
            }
            boolean wasHub = before.hub();
            boolean selfChanged = !Objects.equals(self, before.self());

            List<String> changedMembers = new ArrayList<>();
            for (Map.Entry<String, AncestorEntry> t : touched.entrySet()) {
                ClosureSlot now = slotCache.get(t.getKey());
                AncestorEntry after = now == null ? null : now.entry();
                if (!Objects.equals(after, t.getValue())) {
                    changedMembers.add(t.getKey());
                }
            }
            boolean closureChanged = !changedMembers.isEmpty();
            boolean flipped = hub != wasHub;
            boolean announcementChanged =
                    selfChanged || (!hub && !wasHub && closureChanged) || flipped;

            // a flip re-sends the whole to every child at once; any other change, and the whole
            // for a new child, wait for flush()
            boolean defer = announcementChanged && ownCode != null && !flipped;
            if (defer && !hub) {
                for (String code : changedMembers) {
                    store.markUnannounced(code);
                }
            }
            boolean owes = newChild != null && ownCode != null && !flipped;
            if (owes) {
                store.markWholeOwed(newChild);
            }
            boolean unannounced = defer || (before.unannounced() && !flipped);
            boolean wholesOwed = owes || (before.wholesOwed() && !flipped);
            long version = before.version();
            if (flipped && ownCode != null) {
                version++;
                store.clearUnannounced();
                store.clearWholesOwed();
            }
            NodeHeader header =
                    new NodeHeader(version, self, lotParents, closureSize, unannounced, wholesOwed);
            if (!header.equals(before)) {
                store.putHeader(header);
            }

            if (self != null && (hub || wasHub)) {
                hubMembers(flipped, hub, changedMembers, members);
            }

            if (flipped && ownCode != null) {
                List<AncestorEntry> whole = announced(header, store);
                for (Map.Entry<NodeKey, Link> child : store.children()) {
                    if (child.getValue().isPresent()) {
                        out.accept(
                                LineageMessage.Closure.whole(
                                        child.getKey(), this.self, version, whole));
                    }
                }
            }
            // a new lot's first, empty entry changes nothing on its document
            boolean selfShows =
                    selfChanged && (before.self() != null || self.hub() || !self.holds().isEmpty());
            return new Applied(
                    docChanged
                            || shippedLotChanged
                            || closureChanged
                            || selfShows
                            || inheritedHoldsChanged
                            || lotParents != before.lotParents(),
                    unannounced || wholesOwed,
                    inheritedHoldsChanged || flagChanged);
        }

        /** A hub's closure lives in member documents: the changed ones, or all on a flip. */
        private void hubMembers(
                boolean flipped,
                boolean hub,
                List<String> changedMembers,
                Consumer<TraceDocument> members) {
            if (!flipped) {
                for (String code : changedMembers) {
                    ClosureSlot slot = slotCache.get(code);
                    members.accept(
                            slot == null
                                    ? TraceDocuments.closureMemberDeletion(ownCode, code)
                                    : TraceDocuments.closureMember(ownCode, slot.entry()));
                }
                return;
            }
            TreeSet<String> all = new TreeSet<>();
            for (Iterator<Map.Entry<String, ClosureSlot>> it = store.slots().iterator();
                    it.hasNext(); ) {
                Map.Entry<String, ClosureSlot> slot = it.next();
                all.add(slot.getKey());
                members.accept(
                        hub
                                ? TraceDocuments.closureMember(ownCode, slot.getValue().entry())
                                : TraceDocuments.closureMemberDeletion(ownCode, slot.getKey()));
            }
            if (!hub) {
                // members removed by this very message were documents of the hub too
                for (Map.Entry<String, AncestorEntry> t : touched.entrySet()) {
                    if (t.getValue() != null && !all.contains(t.getKey())) {
                        members.accept(TraceDocuments.closureMemberDeletion(ownCode, t.getKey()));
                    }
                }
            }
        }

        /** The lot's own entry: its facts, hub or not, and the holds it hands down. */
        private AncestorEntry ownEntry(boolean hub) {
            LotFacts facts = store.lotFacts();
            TreeMap<String, HoldEntry> holds = new TreeMap<>();
            for (HoldEntry own : ownHolds(store.flagHistory())) {
                holds.merge(own.holdKey(), own, HoldEntry::preferred);
            }
            if (hub) {
                for (Map.Entry<String, HoldCount> h : store.inheritedHolds()) {
                    holds.merge(h.getKey(), h.getValue().hold(), HoldEntry::preferred);
                }
            }
            List<HoldEntry> sorted = new ArrayList<>(holds.values());
            sorted.sort(null);
            return new AncestorEntry(
                    ownCode,
                    facts == null ? null : facts.materialCode(),
                    facts == null ? null : facts.supplierId(),
                    facts == null ? null : facts.supplierLotCode(),
                    0,
                    hub,
                    0,
                    sorted);
        }
    }

    private static Map<String, AncestorEntry> byCode(List<AncestorEntry> entries) {
        Map<String, AncestorEntry> m = new HashMap<>(entries.size() * 2);
        for (AncestorEntry e : entries) {
            m.put(e.lotCode(), e);
        }
        return m;
    }

    /** A contribution after a difference: {@code upserts} replace, {@code removed} go. */
    static List<AncestorEntry> applyDiff(
            List<AncestorEntry> base, List<AncestorEntry> upserts, List<String> removed) {
        TreeMap<String, AncestorEntry> m = new TreeMap<>();
        for (AncestorEntry e : base) {
            m.put(e.lotCode(), e);
        }
        for (String code : removed) {
            m.remove(code);
        }
        for (AncestorEntry e : upserts) {
            m.put(e.lotCode(), e);
        }
        return new ArrayList<>(m.values());
    }
}
