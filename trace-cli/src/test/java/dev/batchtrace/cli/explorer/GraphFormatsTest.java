package dev.batchtrace.cli.explorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class GraphFormatsTest {

    private static GraphLayout.Result sample() {
        GraphLayoutTest.Builder builder = new GraphLayoutTest.Builder();
        builder.node("P:resin <A&B>", true, false);
        builder.node("M:fg", false, true);
        return GraphLayout.layout(
                builder.edge("P:resin <A&B>", "M:fg")
                        .edge("M:fg", "S:dn \"1\"")
                        .edge("S:dn \"1\"", "C:c1")
                        .centredOn("M:fg"),
                12);
    }

    @Test
    void svgIsWellFormedWithOneGroupPerNodeAndOnePathPerEdge() throws Exception {
        String svg = GraphFormats.svg(sample());

        Document doc =
                DocumentBuilderFactory.newInstance()
                        .newDocumentBuilder()
                        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        NodeList groups = doc.getElementsByTagName("g");
        assertEquals(4, groups.getLength());
        Element held = (Element) groups.item(0);
        assertEquals("P:resin <A&B>", held.getAttribute("data-id"), "escaped and read back");
        assertTrue(svg.contains(">HOLD</text>"), svg);
        assertTrue(svg.contains(">QC FAIL</text>"), svg);
        NodeList paths = doc.getElementsByTagName("path");
        assertEquals(3 + 1, paths.getLength(), "three edges and the arrow head");
        assertEquals("M220,63 C255,63 255,63 290,63", GraphFormats.edgePath(220, 63, 290, 63));
    }

    @Test
    void dotHasOneRankPerLevelAndEscapedLabels() {
        String dot = GraphFormats.dot(sample());

        assertTrue(dot.startsWith("digraph genealogy {\n  rankdir=LR;"), dot);
        assertEquals(4, dot.split("rank=same", -1).length - 1, dot);
        assertTrue(dot.contains("\"S:dn \\\"1\\\"\" -> \"C:c1\";"), dot);
        assertTrue(dot.contains("label=\"M:fg\\nQC FAIL\""), dot);
        assertTrue(dot.contains("penwidth=3"), "the centre and the held lot are bold");
    }

    @Test
    void mermaidHasASubgraphPerLevelAndSafeLabels() {
        String mmd = GraphFormats.mermaid(sample());

        assertTrue(mmd.startsWith("flowchart LR\n  subgraph Lm1[\"level -1\"]\n"), mmd);
        assertTrue(mmd.contains("[\"P:resin #lt;A&B#gt;<br/><b>HOLD</b>\"]:::held"), mmd);
        assertTrue(mmd.contains("[\"S:dn #quot;1#quot;\"]:::shipment"), mmd);
        assertEquals(3, mmd.split("-->", -1).length - 1, mmd);
    }

    @Test
    void formatsByNameOrExtension() {
        assertEquals(GraphFormats.Format.MERMAID, GraphFormats.Format.of("mermaid"));
        assertEquals(GraphFormats.Format.MERMAID, GraphFormats.Format.of("mmd"));
        assertEquals(GraphFormats.Format.SVG, GraphFormats.Format.of("SVG"));
        assertThrows(IllegalArgumentException.class, () -> GraphFormats.Format.of("png"));
    }
}
