package dev.batchtrace.lineage.closure;

import dev.batchtrace.lineage.Merge;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A node's link to one neighbour (a parent or a child): the vias that connect them. The edge exists
 * while at least one via is present.
 */
public record Link(SortedMap<String, ViaState> vias) {

    public static final Link NONE = new Link(null);

    public Link {
        vias = Merge.frozen(vias);
    }

    public boolean isPresent() {
        for (ViaState v : vias.values()) {
            if (v.present()) {
                return true;
            }
        }
        return false;
    }

    /** Customers of the present vias (lot -> shipment links). */
    public SortedSet<String> customerIds() {
        TreeSet<String> ids = new TreeSet<>();
        for (ViaState v : vias.values()) {
            if (v.present() && v.customerId() != null) {
                ids.add(v.customerId());
            }
        }
        return ids;
    }

    /**
     * This link after an edge change; the same instance when the change is stale or a duplicate
     * (its seq is not newer than the one stored for that via).
     */
    public Link apply(String via, long seq, boolean added, String customerId) {
        ViaState old = vias.get(via);
        if (old != null && old.seq() > seq) {
            return this;
        }
        if (old != null && old.seq() == seq) {
            // a duplicate; two dispatch notes with one id but different customers (bad data)
            // keep the larger customer so the result does not depend on arrival order
            String customer = Merge.larger(old.customerId(), customerId);
            if (old.present() == added && java.util.Objects.equals(customer, old.customerId())) {
                return this;
            }
            TreeMap<String, ViaState> next = new TreeMap<>(vias);
            next.put(via, new ViaState(seq, old.present() || added, customer));
            return new Link(next);
        }
        TreeMap<String, ViaState> next = new TreeMap<>(vias);
        next.put(via, new ViaState(seq, added, customerId));
        return new Link(next);
    }
}
