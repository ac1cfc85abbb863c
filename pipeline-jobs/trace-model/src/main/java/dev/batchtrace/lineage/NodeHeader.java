package dev.batchtrace.lineage;

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
 */
public record NodeHeader(long version, AncestorEntry self, int lotParents, int closureSize) {

    public static final NodeHeader EMPTY = new NodeHeader(0, null, 0, 0);

    public static NodeHeader orEmpty(NodeHeader header) {
        return header == null ? EMPTY : header;
    }

    public boolean hub() {
        return self != null && self.hub();
    }
}
