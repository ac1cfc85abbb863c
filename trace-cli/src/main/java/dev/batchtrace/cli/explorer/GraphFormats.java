package dev.batchtrace.cli.explorer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A laid-out genealogy as a file: SVG (the explorer's picture, self-contained), Graphviz DOT (one
 * rank per level) and Mermaid (a flowchart with one subgraph per level).
 */
public final class GraphFormats {

    /** The file formats of {@code bin/trace graph}. */
    public enum Format {
        SVG("svg", "image/svg+xml"),
        DOT("dot", "text/vnd.graphviz"),
        MERMAID("mmd", "text/plain");

        public final String extension;
        public final String contentType;

        Format(String extension, String contentType) {
            this.extension = extension;
            this.contentType = contentType;
        }

        public static Format of(String name) {
            for (Format format : values()) {
                if (format.name().equalsIgnoreCase(name) || format.extension.equals(name)) {
                    return format;
                }
            }
            throw new IllegalArgumentException(
                    "unknown graph format " + name + ": one of svg, dot, mermaid");
        }
    }

    private GraphFormats() {}

    public static String render(GraphLayout.Result graph, Format format) {
        return switch (format) {
            case SVG -> svg(graph);
            case DOT -> dot(graph);
            case MERMAID -> mermaid(graph);
        };
    }

    public static String svg(GraphLayout.Result graph) {
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(graph.width())
                .append("\" height=\"")
                .append(graph.height())
                .append("\" viewBox=\"0 0 ")
                .append(graph.width())
                .append(' ')
                .append(graph.height())
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\"")
                .append(" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">")
                .append("<path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#6b7280\"/></marker></defs>\n");
        Map<String, GraphLayout.Placed> byId = new HashMap<>();
        graph.nodes().forEach(n -> byId.put(n.node().id(), n));
        for (GraphLayout.Link link : graph.edges()) {
            GraphLayout.Placed from = byId.get(link.from());
            GraphLayout.Placed to = byId.get(link.to());
            int x1 = from.x() + GraphLayout.NODE_WIDTH;
            int y1 = from.y() + GraphLayout.NODE_HEIGHT / 2;
            int x2 = to.x();
            int y2 = to.y() + GraphLayout.NODE_HEIGHT / 2;
            svg.append("<path class=\"edge\" data-from=\"")
                    .append(xml(link.from()))
                    .append("\" data-to=\"")
                    .append(xml(link.to()))
                    .append("\" d=\"")
                    .append(edgePath(x1, y1, x2, y2))
                    .append("\" fill=\"none\" stroke=\"#9ca3af\" stroke-width=\"")
                    .append(link.count() > 1 ? "2.5" : "1.2")
                    .append("\" marker-end=\"url(#arrow)\"/>\n");
            if (link.count() > 1) {
                svg.append("<text x=\"")
                        .append((x1 + x2) / 2)
                        .append("\" y=\"")
                        .append((y1 + y2) / 2 - 3)
                        .append("\" text-anchor=\"middle\" fill=\"#4b5563\">")
                        .append(link.count())
                        .append("</text>\n");
            }
        }
        for (GraphLayout.Placed placed : graph.nodes()) {
            GraphNode node = placed.node();
            boolean center = node.id().equals(graph.centerId());
            String stroke = node.held() ? GraphStyle.HELD : GraphStyle.stroke(node.kind());
            svg.append("<g class=\"node\" data-id=\"")
                    .append(xml(node.id()))
                    .append("\" data-kind=\"")
                    .append(node.kind())
                    .append("\" transform=\"translate(")
                    .append(placed.x())
                    .append(',')
                    .append(placed.y())
                    .append(")\">");
            svg.append("<title>")
                    .append(
                            xml(
                                    node.label()
                                            + (node.detail().isEmpty() ? "" : " " + node.detail())))
                    .append("</title>");
            svg.append("<rect width=\"")
                    .append(GraphLayout.NODE_WIDTH)
                    .append("\" height=\"")
                    .append(GraphLayout.NODE_HEIGHT)
                    .append("\" rx=\"6\" fill=\"")
                    .append(GraphStyle.fill(node.kind()))
                    .append("\" stroke=\"")
                    .append(stroke)
                    .append("\" stroke-width=\"")
                    .append(center || node.held() ? "3" : "1.2")
                    .append('"')
                    .append(
                            node.kind() == GraphNode.Kind.COLLAPSED
                                    ? " stroke-dasharray=\"4 3\""
                                    : "")
                    .append("/>");
            svg.append("<text x=\"8\" y=\"18\" font-weight=\"bold\">")
                    .append(xml(clip(node.label(), 24)))
                    .append("</text>");
            svg.append("<text x=\"8\" y=\"35\" fill=\"#374151\">")
                    .append(xml(clip(node.detail(), 28)))
                    .append("</text>");
            String marks = GraphStyle.marks(node);
            if (!marks.isEmpty()) {
                svg.append("<text x=\"")
                        .append(GraphLayout.NODE_WIDTH - 6)
                        .append(
                                "\" y=\"14\" text-anchor=\"end\" font-size=\"10\" font-weight=\"bold\" fill=\"")
                        .append(node.held() ? GraphStyle.HELD : GraphStyle.QC_FAILED)
                        .append("\">")
                        .append(marks)
                        .append("</text>");
            }
            svg.append("</g>\n");
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** A horizontal S-curve from the right side of one node to the left side of the next. */
    static String edgePath(int x1, int y1, int x2, int y2) {
        int bend = Math.max(20, (x2 - x1) / 2);
        return String.format(
                Locale.ROOT,
                "M%d,%d C%d,%d %d,%d %d,%d",
                x1,
                y1,
                x1 + bend,
                y1,
                x2 - bend,
                y2,
                x2,
                y2);
    }

    public static String dot(GraphLayout.Result graph) {
        StringBuilder dot = new StringBuilder();
        dot.append("digraph genealogy {\n")
                .append("  rankdir=LR;\n")
                .append("  node [shape=box, style=\"rounded,filled\", fontname=\"sans-serif\"];\n");
        Map<Integer, List<GraphLayout.Placed>> levels = byLevel(graph);
        for (Map.Entry<Integer, List<GraphLayout.Placed>> level : levels.entrySet()) {
            dot.append("  { rank=same; // level ").append(level.getKey()).append('\n');
            for (GraphLayout.Placed placed : level.getValue()) {
                GraphNode node = placed.node();
                String marks = GraphStyle.marks(node);
                dot.append("    ")
                        .append(quote(node.id()))
                        .append(" [label=")
                        .append(
                                quote(
                                        node.label()
                                                + (node.detail().isEmpty()
                                                        ? ""
                                                        : "\n" + node.detail())
                                                + (marks.isEmpty() ? "" : "\n" + marks)))
                        .append(", fillcolor=\"")
                        .append(GraphStyle.fill(node.kind()))
                        .append("\", color=\"")
                        .append(node.held() ? GraphStyle.HELD : GraphStyle.stroke(node.kind()))
                        .append('"')
                        .append(
                                node.id().equals(graph.centerId()) || node.held()
                                        ? ", penwidth=3"
                                        : "")
                        .append(
                                node.kind() == GraphNode.Kind.COLLAPSED
                                        ? ", style=\"rounded,filled,dashed\""
                                        : "")
                        .append("];\n");
            }
            dot.append("  }\n");
        }
        for (GraphLayout.Link link : graph.edges()) {
            dot.append("  ")
                    .append(quote(link.from()))
                    .append(" -> ")
                    .append(quote(link.to()))
                    .append(link.count() > 1 ? " [label=\"" + link.count() + "\", penwidth=2]" : "")
                    .append(";\n");
        }
        return dot.append("}\n").toString();
    }

    public static String mermaid(GraphLayout.Result graph) {
        StringBuilder mmd = new StringBuilder("flowchart LR\n");
        Map<String, String> ids = new HashMap<>();
        List<GraphLayout.Placed> all = new ArrayList<>(graph.nodes());
        for (int i = 0; i < all.size(); i++) {
            ids.put(all.get(i).node().id(), "n" + i);
        }
        for (Map.Entry<Integer, List<GraphLayout.Placed>> level : byLevel(graph).entrySet()) {
            int l = level.getKey();
            mmd.append("  subgraph L")
                    .append(l < 0 ? "m" + -l : String.valueOf(l))
                    .append("[\"level ")
                    .append(l)
                    .append("\"]\n    direction TB\n");
            for (GraphLayout.Placed placed : level.getValue()) {
                GraphNode node = placed.node();
                String marks = GraphStyle.marks(node);
                mmd.append("    ")
                        .append(ids.get(node.id()))
                        .append("[\"")
                        .append(mermaidText(node.label()))
                        .append(node.detail().isEmpty() ? "" : "<br/>" + mermaidText(node.detail()))
                        .append(marks.isEmpty() ? "" : "<br/><b>" + marks + "</b>")
                        .append("\"]:::")
                        .append(cssClass(node))
                        .append('\n');
            }
            mmd.append("  end\n");
        }
        for (GraphLayout.Link link : graph.edges()) {
            mmd.append("  ")
                    .append(ids.get(link.from()))
                    .append(link.count() > 1 ? " -- \"" + link.count() + "\" --> " : " --> ")
                    .append(ids.get(link.to()))
                    .append('\n');
        }
        for (GraphNode.Kind kind : GraphNode.Kind.values()) {
            mmd.append("  classDef ")
                    .append(kind.name().toLowerCase(Locale.ROOT))
                    .append(" fill:")
                    .append(GraphStyle.fill(kind))
                    .append(",stroke:")
                    .append(GraphStyle.stroke(kind))
                    .append('\n');
        }
        mmd.append("  classDef held fill:#fee2e2,stroke:")
                .append(GraphStyle.HELD)
                .append(",stroke-width:3px\n");
        return mmd.toString();
    }

    private static String cssClass(GraphNode node) {
        return node.held() ? "held" : node.kind().name().toLowerCase(Locale.ROOT);
    }

    private static Map<Integer, List<GraphLayout.Placed>> byLevel(GraphLayout.Result graph) {
        Map<Integer, List<GraphLayout.Placed>> levels = new TreeMap<>();
        graph.nodes()
                .forEach(n -> levels.computeIfAbsent(n.level(), k -> new ArrayList<>()).add(n));
        return levels;
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "\u2026";
    }

    static String xml(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    /** Mermaid labels: quotes and angle brackets as entity codes (Mermaid's own escape). */
    private static String mermaidText(String text) {
        return text.replace("\"", "#quot;").replace("<", "#lt;").replace(">", "#gt;");
    }
}
