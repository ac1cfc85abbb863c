package dev.batchtrace.lineage.closure;

/**
 * The small, often written part of a node's state: the version of what it announces to its
 * children, its own closure entry (a lot; null for a shipment) and two counters kept so that no
 * message has to iterate the node's parents or closure to know them.
 *
 * @param version counts the changes of the node's announcement; a diff to a child names the version
 *     it applies to
 * @param self the lot's own entry (depth 0) as its children see it, with its revision
 * @param lotParents present lot parents (a lot with at least the hub fan-in of them is a hub)
 * @param closureSize lots in the node's closure (its closure slots)
 * @param unannounced whether the announcement changed since {@code version} was sent: the changed
 *     entries are the store's unannounced codes, sent as one difference by {@link
 *     NodeProtocol#flush}
 * @param wholesOwed whether a new child (or one that asked) waits for the whole announcement, sent
 *     by the next flush (the store's owed wholes)
 */
public record NodeHeader(
        long version,
        AncestorEntry self,
        int lotParents,
        int closureSize,
        boolean unannounced,
        boolean wholesOwed) {

    public static final NodeHeader EMPTY = new NodeHeader(0, null, 0, 0, false, false);

    public static NodeHeader orEmpty(NodeHeader header) {
        return header == null ? EMPTY : header;
    }

    /** This header once version {@code announced} is sent. */
    NodeHeader announced(long announced) {
        return new NodeHeader(announced, self, lotParents, closureSize, false, false);
    }

    /** Whether {@link NodeProtocol#flush} has anything to send. */
    public boolean flushDue() {
        return unannounced || wholesOwed;
    }

    public boolean hub() {
        return self != null && self.hub();
    }
}
