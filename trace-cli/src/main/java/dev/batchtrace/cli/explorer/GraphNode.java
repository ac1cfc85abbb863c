package dev.batchtrace.cli.explorer;

/**
 * One node of a genealogy picture: a lot, a shipment or a customer.
 *
 * @param id unique across kinds ("lot:CODE", "shipment:ID", "customer:ID")
 * @param label what the node shows first (lot code, dispatch id, customer name)
 * @param detail a second line (material, supplier lot, customer and date)
 * @param held on quality hold (a lot), or carrying a held lot (a shipment)
 * @param qcFailed the lot failed a QC check
 * @param href the explorer page the node leads to ({@code /lot/CODE}, {@code /search?q=ID})
 */
public record GraphNode(
        String id,
        Kind kind,
        String label,
        String detail,
        boolean held,
        boolean qcFailed,
        String href) {

    public GraphNode {
        label = label == null ? "" : label;
        detail = detail == null ? "" : detail;
    }

    /** What a node stands for; each kind has its colour in every drawing. */
    public enum Kind {
        PURCHASED_LOT,
        PRODUCED_LOT,
        SHIPMENT,
        CUSTOMER,
        /** The members of a level beyond the shown ones, with their count. */
        COLLAPSED
    }
}
