package dev.batchtrace.cli.explorer;

/** Colours of the node kinds and marks: the page, the SVG and the DOT file use the same ones. */
final class GraphStyle {

    static final String HELD = "#c62828";
    static final String QC_FAILED = "#ef6c00";

    private GraphStyle() {}

    static String fill(GraphNode.Kind kind) {
        return switch (kind) {
            case PURCHASED_LOT -> "#dbeafe";
            case PRODUCED_LOT -> "#dcfce7";
            case SHIPMENT -> "#fef3c7";
            case CUSTOMER -> "#ede9fe";
            case COLLAPSED -> "#e5e7eb";
        };
    }

    static String stroke(GraphNode.Kind kind) {
        return switch (kind) {
            case PURCHASED_LOT -> "#1d4ed8";
            case PRODUCED_LOT -> "#15803d";
            case SHIPMENT -> "#b45309";
            case CUSTOMER -> "#6d28d9";
            case COLLAPSED -> "#6b7280";
        };
    }

    /** The marks a node carries, as short words ("HOLD", "QC FAIL"). */
    static String marks(GraphNode node) {
        StringBuilder marks = new StringBuilder();
        if (node.held()) {
            marks.append("HOLD");
        }
        if (node.qcFailed()) {
            marks.append(marks.length() == 0 ? "" : " ").append("QC FAIL");
        }
        return marks.toString();
    }
}
