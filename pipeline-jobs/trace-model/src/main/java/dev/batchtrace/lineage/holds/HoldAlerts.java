package dev.batchtrace.lineage.holds;

import dev.batchtrace.lineage.closure.AncestorEntry;
import dev.batchtrace.lineage.closure.Announcement;
import dev.batchtrace.lineage.closure.Link;
import dev.batchtrace.lineage.closure.NodeKey;
import dev.batchtrace.lineage.closure.NodeProtocol;
import dev.batchtrace.lineage.closure.NodeStore;
import dev.batchtrace.lineage.stock.LotFacts;
import dev.batchtrace.lineage.stock.LotUsage;
import dev.batchtrace.lineage.stock.ShipmentFacts;
import dev.batchtrace.lineage.stock.ShipmentLine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The alerts a node's holds imply, as pure functions of its state, and the records to send when
 * that set changes. Both the streaming job and the batch reference derive alerts with these
 * builders from their own state, so a difference can only come from the state.
 *
 * <ul>
 *   <li>A shipment: per hold and shipped lot, SHIPPED_WHILE_ON_HOLD if it left after the hold was
 *       set ({@code shippedAt > since}, severity CRITICAL), else AFFECTED_SHIPMENT; with customer,
 *       destination, dispatch date, the quantity and unit of that lot on the note and the route
 *       from the flagged lot. Only once the dispatch note itself is known.
 *   <li>A lot with facts and something left: per hold, AFFECTED_STOCK with the quantity still in
 *       the plant (received or produced minus consumed minus shipped, in the lot's unit); when
 *       units differ or quantities are missing, the whole quantity ({@code quantityBasis}).
 * </ul>
 */
public final class HoldAlerts {

    /**
     * One MD5 per thread: {@link UUID#nameUUIDFromBytes} looks the algorithm up on every call,
     * which was most of an alert id's cost (the same digest, so the same ids).
     */
    private static final ThreadLocal<MessageDigest> MD5 =
            ThreadLocal.withInitial(
                    () -> {
                        try {
                            return MessageDigest.getInstance("MD5");
                        } catch (NoSuchAlgorithmException e) {
                            throw new InternalError("MD5 not supported", e);
                        }
                    });

    private HoldAlerts() {}

    /** The node's current (OPEN) alerts, sorted by id. */
    public static List<HoldAlert> of(NodeKey node, NodeStore store) {
        if (node.isLot()) {
            List<HoldEntry> holds = new ArrayList<>();
            for (HoldEntry h : NodeProtocol.holdsOf(node, store)) {
                holds.add(h.withPath(route(h.lotCode(), node.code())));
            }
            return stockAlerts(node.code(), store.lotFacts(), store.lotUsage(), holds);
        }
        return shipmentAlerts(node.code(), store.shipmentFacts(), shipmentHolds(store));
    }

    /**
     * A shipment's holds as its closure brings them: per shipped lot, the holds its announcement
     * carries (its own entry and, unless it is a hub, its closure's entries), one per (hold,
     * shipped lot), with the route from the flagged lot to the shipped lot.
     */
    public static List<HoldEntry> shipmentHolds(NodeStore store) {
        TreeMap<String, HoldEntry> holds = new TreeMap<>();
        for (Map.Entry<NodeKey, Link> parent : store.parents()) {
            if (!parent.getValue().isPresent() || !parent.getKey().isLot()) {
                continue;
            }
            String shipped = parent.getKey().code();
            Announcement contribution = store.contribution(parent.getKey());
            if (contribution == null) {
                continue;
            }
            for (AncestorEntry e : contribution.entries()) {
                for (HoldEntry h : e.holds()) {
                    holds.putIfAbsent(reachKey(h.holdKey(), shipped), reaching(h, shipped));
                }
            }
        }
        return new ArrayList<>(holds.values());
    }

    /**
     * Where holds can reach a shipment from through one shipped lot: the lot codes of every entry
     * of that lot's announcement (the shipped lot itself, its closure, a hub as one entry), sorted
     * and distinct. A hold on such a lot, or carried by its entry (a hub), reaches the shipment
     * through that shipped lot; the affected-shipments index is built from these.
     */
    public static List<String> entryLots(Announcement shippedLotAnnouncement) {
        java.util.TreeSet<String> lots = new java.util.TreeSet<>();
        for (AncestorEntry e : shippedLotAnnouncement.entries()) {
            lots.add(e.lotCode());
        }
        return new ArrayList<>(lots);
    }

    /**
     * The holds a lot's own entry carries to its descendants: its own active holds, and for a hub
     * every hold of its closure. Empty for a shipment or a lot without an entry yet.
     */
    public static List<HoldEntry> entryHolds(NodeKey node, NodeStore store) {
        if (!node.isLot() || store.header() == null || store.header().self() == null) {
            return List.of();
        }
        return store.header().self().holds();
    }

    /** "first" and "second" joined by a tab (lot codes and hold keys hold no tab). */
    public static String reachKey(String first, String second) {
        return first + "\t" + second;
    }

    /** The hold as a shipment sees it through one shipped lot: route flagged lot -> shipped lot. */
    public static HoldEntry reaching(HoldEntry hold, String shippedLot) {
        return hold.withPath(route(hold.lotCode(), shippedLot));
    }

    /**
     * A shipment's alerts from two sources of its holds that converge to the same set: its
     * closure's ({@link #shipmentHolds}) and the affected-shipments index's, which reaches it in
     * the checkpoint the flag is in, instead of one checkpoint per level. Their union, one per
     * (hold, shipped lot), the preferred of two copies.
     */
    public static List<HoldAlert> shipmentAlerts(
            String dispatchId,
            ShipmentFacts facts,
            Collection<HoldEntry> closureHolds,
            Collection<HoldEntry> indexHolds) {
        TreeMap<String, HoldEntry> union = new TreeMap<>();
        for (HoldEntry h : closureHolds) {
            union.merge(reachKey(h.holdKey(), h.lastLot()), h, HoldEntry::preferred);
        }
        for (HoldEntry h : indexHolds) {
            union.merge(reachKey(h.holdKey(), h.lastLot()), h, HoldEntry::preferred);
        }
        return shipmentAlerts(dispatchId, facts, union.values());
    }

    /**
     * The path an alert names: the flagged lot and the affected lot (the route between them is
     * drawn from the documents when asked, e.g. by {@code bin/trace}; carrying it would make every
     * new or lost route a new message).
     */
    public static List<String> route(String flaggedLot, String affectedLot) {
        return flaggedLot.equals(affectedLot)
                ? List.of(flaggedLot)
                : List.of(flaggedLot, affectedLot);
    }

    /**
     * One alert per hold and shipment, naming the affected lines: SHIPPED_WHILE_ON_HOLD if the
     * shipment left after the hold was set, else AFFECTED_SHIPMENT; {@code lotCode} is the first
     * affected lot, {@code lotCodes} all of them, {@code quantity} the affected lines' sum (in the
     * unit of the first line; lines in another unit are listed but not added).
     *
     * @param holds one per hold and shipped lot ({@link HoldEntry#lastLot()} = the shipped lot)
     */
    public static List<HoldAlert> shipmentAlerts(
            String dispatchId, ShipmentFacts facts, Collection<HoldEntry> holds) {
        List<HoldAlert> alerts = new ArrayList<>();
        if (facts == null) {
            return alerts;
        }
        TreeMap<String, List<HoldEntry>> byHold = new TreeMap<>();
        for (HoldEntry h : holds) {
            byHold.computeIfAbsent(h.holdKey(), k -> new ArrayList<>()).add(h);
        }
        // the same for every hold: sorted and named once
        List<ShipmentLine> lines = sortedLines(facts);
        String node = NodeKey.shipment(dispatchId).toString();
        for (List<HoldEntry> perLot : byHold.values()) {
            perLot.sort(java.util.Comparator.comparing(HoldEntry::lastLot));
            HoldEntry h = perLot.get(0);
            java.util.TreeSet<String> lots = new java.util.TreeSet<>();
            perLot.forEach(e -> lots.add(e.lastLot()));
            boolean afterHold =
                    facts.shippedAt() != null
                            && h.since() != null
                            && facts.shippedAt().isAfter(h.since());
            String kind = afterHold ? HoldAlert.SHIPPED_WHILE_ON_HOLD : HoldAlert.AFFECTED_SHIPMENT;
            // the affected lines, in the unit of the first (by line order)
            Double quantity = null;
            String unit = null;
            for (ShipmentLine line : lines) {
                if (!lots.contains(line.lotCode())) {
                    continue;
                }
                if (quantity == null) {
                    quantity = line.quantity();
                    unit = line.unit();
                } else if (java.util.Objects.equals(unit, line.unit())) {
                    quantity += line.quantity();
                }
            }
            String first = lots.first();
            alerts.add(
                    new HoldAlert(
                            alertId(kind, h.flagId(), h.lotCode(), node, ""),
                            kind,
                            HoldAlert.OPEN,
                            afterHold ? "CRITICAL" : h.severity(),
                            h.flagId(),
                            h.lotCode(),
                            h.reason(),
                            h.since(),
                            dispatchId,
                            facts.customerId(),
                            facts.customerName(),
                            facts.destination(),
                            facts.shippedAt(),
                            first,
                            quantity,
                            unit,
                            "SHIPPED",
                            route(h.lotCode(), first),
                            List.copyOf(lots)));
        }
        alerts.sort(null);
        return alerts;
    }

    /**
     * Per hold, the stock of the lot to quarantine: what is left ({@link LotUsage#remaining}, no
     * alert when nothing is left), or when that cannot be said (units differ, quantities missing)
     * the lot's whole quantity with quantityBasis RECEIVED_OR_PRODUCED.
     *
     * @param usage what was consumed and shipped of the lot, or null
     * @param holds the lot's holds, one per hold
     */
    public static List<HoldAlert> stockAlerts(
            String lotCode, LotFacts facts, LotUsage usage, Collection<HoldEntry> holds) {
        List<HoldAlert> alerts = new ArrayList<>();
        facts = LotFacts.orNullIfEmpty(facts); // issue 10: every output reversed = no facts
        if (facts == null) {
            return alerts; // a lot only referenced: nothing known to be in stock
        }
        Double remaining = (usage == null ? LotUsage.NONE : usage).remaining(facts);
        if (remaining != null && remaining <= 0) {
            return alerts; // all consumed or shipped: the shipments and descendants carry it
        }
        Double quantity = remaining != null ? remaining : facts.quantity();
        String basis = remaining != null ? "REMAINING" : "RECEIVED_OR_PRODUCED";
        for (HoldEntry h : holds) {
            alerts.add(
                    new HoldAlert(
                            alertId(HoldAlert.AFFECTED_STOCK, h, NodeKey.lot(lotCode), lotCode),
                            HoldAlert.AFFECTED_STOCK,
                            HoldAlert.OPEN,
                            h.severity(),
                            h.flagId(),
                            h.lotCode(),
                            h.reason(),
                            h.since(),
                            null,
                            null,
                            null,
                            null,
                            null,
                            lotCode,
                            quantity,
                            facts.unit(),
                            basis,
                            h.path(),
                            List.of(lotCode)));
        }
        alerts.sort(null);
        return alerts;
    }

    /**
     * What to send when a node's alert set goes from {@code raised} to {@code current}: every alert
     * whose id is new (OPEN), and for every raised id that is gone (its hold was released, or the
     * edge that carried it was reversed) the raised alert with status RESOLVED. An alert whose id
     * stays is not sent again (e.g. its route changed), so a replay sends nothing.
     *
     * @param raised the node's alerts sent so far, by id (the caller replaces it with {@code
     *     current} afterwards: {@link #byId})
     */
    public static List<HoldAlert> changes(
            Map<String, HoldAlert> raised, Collection<HoldAlert> current) {
        Map<String, HoldAlert> now = byId(current);
        List<HoldAlert> out = new ArrayList<>();
        for (HoldAlert a : now.values()) {
            if (!raised.containsKey(a.alertId())) {
                out.add(a);
            }
        }
        // in id order: a map already sorted by id is not copied again
        Map<String, HoldAlert> byRaisedId =
                raised instanceof java.util.SortedMap<String, HoldAlert> sorted
                                && sorted.comparator() == null
                        ? raised
                        : new TreeMap<>(raised);
        for (HoldAlert a : byRaisedId.values()) {
            if (!now.containsKey(a.alertId())) {
                out.add(a.withStatus(HoldAlert.RESOLVED));
            }
        }
        return out;
    }

    /**
     * Alerts already raised whose content changed (remaining stock shrank, a shorter route): not
     * re-sent on the topic, but an index document keyed by alertId may be updated with them.
     */
    public static List<HoldAlert> updates(
            Map<String, HoldAlert> raised, Collection<HoldAlert> current) {
        List<HoldAlert> out = new ArrayList<>();
        for (HoldAlert a : byId(current).values()) {
            HoldAlert before = raised.get(a.alertId());
            if (before != null && !before.equals(a)) {
                out.add(a);
            }
        }
        return out;
    }

    public static TreeMap<String, HoldAlert> byId(Collection<HoldAlert> alerts) {
        TreeMap<String, HoldAlert> m = new TreeMap<>();
        for (HoldAlert a : alerts) {
            m.put(a.alertId(), a);
        }
        return m;
    }

    /**
     * Name-based UUID of (kind, flag, flagged lot, node, affected lot): stable across runs, replays
     * and restores.
     */
    public static String alertId(String kind, HoldEntry hold, NodeKey node, String lotCode) {
        return alertId(kind, hold.flagId(), hold.lotCode(), node.toString(), lotCode);
    }

    /**
     * {@code UUID.nameUUIDFromBytes} of the five joined by newlines, with one MD5 per thread: the
     * same bytes digested, the same version 3 bits set.
     */
    static String alertId(
            String kind, String flagId, String flaggedLot, String node, String lotCode) {
        String name = String.join("\n", kind, flagId, flaggedLot, node, lotCode);
        MessageDigest md5 = MD5.get();
        byte[] d = md5.digest(name.getBytes(StandardCharsets.UTF_8)); // digest() also resets it
        d[6] &= 0x0f; // as UUID.nameUUIDFromBytes: version 3
        d[6] |= 0x30;
        d[8] &= 0x3f; // IETF variant
        d[8] |= (byte) 0x80;
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (d[i] & 0xff);
        }
        for (int i = 8; i < 16; i++) {
            lsb = (lsb << 8) | (d[i] & 0xff);
        }
        return new UUID(msb, lsb).toString();
    }

    private static List<ShipmentLine> sortedLines(ShipmentFacts facts) {
        List<ShipmentLine> lines = new ArrayList<>(facts.lines());
        lines.sort(null);
        return lines;
    }
}
