package dev.batchtrace.lineage.closure;

import static dev.batchtrace.lineage.Events.consumed;
import static dev.batchtrace.lineage.Events.dispatch;
import static dev.batchtrace.lineage.Events.produced;
import static dev.batchtrace.lineage.Events.receipt;
import static dev.batchtrace.lineage.Events.reversed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.lineage.DocumentDiff;
import dev.batchtrace.lineage.InMemoryLineage;
import dev.batchtrace.lineage.documents.TraceDocument;
import dev.batchtrace.lineage.documents.TraceDocuments;
import dev.batchtrace.lineage.reference.LineageReference;
import dev.batchtrace.lineage.stock.LotFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeProtocolTest {

    private static final NodeKey A = NodeKey.lot("A");
    private static final NodeKey B = NodeKey.lot("B");

    private final List<LineageMessage> out = new ArrayList<>();

    private static LineageMessage.Closure closure(
            NodeKey to, NodeKey from, long v, String... lots) {
        List<AncestorEntry> entries = new ArrayList<>();
        for (String lot : lots) {
            entries.add(
                    new AncestorEntry(
                            lot, "MAT-" + lot, null, null, lot.equals(from.code()) ? 0 : 1));
        }
        return LineageMessage.Closure.whole(to, from, v, entries);
    }

    private static LineageMessage.EdgeChange edgeAtChild(
            NodeKey parent, NodeKey child, long seq, boolean added) {
        return new LineageMessage.EdgeChange(child, parent, child, "WO-1", seq, added, null);
    }

    @SuppressWarnings("unchecked")
    private static List<String> ancestors(NodeKey node, NodeStore store) {
        return (List<String>) TraceDocuments.node(node, store).source().get("ancestorLotCodes");
    }

    @Test
    void aClosureBeforeItsEdgeWaitsAndCountsOnceTheEdgeExists() {
        InMemoryNodeStore b = new InMemoryNodeStore();
        assertFalse(NodeProtocol.apply(closure(B, A, 1, "A", "RM-1"), b, out::add));
        assertTrue(TraceDocuments.node(B, b).isDeletion(), "no facts, no edge: no document yet");
        assertTrue(NodeProtocol.apply(edgeAtChild(A, B, 1, true), b, out::add));
        assertEquals(List.of("A", "RM-1"), ancestors(B, b));
        Map<String, Object> doc = TraceDocuments.node(B, b).source();
        assertNull(doc.get("kind"), "only referenced: document without kind");
        assertEquals(List.of("A"), doc.get("inputLotCodes"));
    }

    @Test
    void staleAndDuplicateClosuresAreIgnored() {
        InMemoryNodeStore b = new InMemoryNodeStore();
        NodeProtocol.apply(edgeAtChild(A, B, 1, true), b, out::add);
        NodeProtocol.apply(closure(B, A, 2, "A", "RM-2"), b, out::add);
        assertEquals(List.of("A", "RM-2"), ancestors(B, b));
        assertFalse(NodeProtocol.apply(closure(B, A, 1, "A", "RM-1"), b, out::add), "stale");
        assertFalse(NodeProtocol.apply(closure(B, A, 2, "A", "RM-2"), b, out::add), "duplicate");
        assertEquals(List.of("A", "RM-2"), ancestors(B, b));
        assertEquals(2, b.contribution(A).version());
    }

    @Test
    void aStaleEdgeAdditionCannotResurrectARemovedEdge() {
        InMemoryNodeStore b = new InMemoryNodeStore();
        NodeProtocol.apply(closure(B, A, 1, "A"), b, out::add);
        NodeProtocol.apply(edgeAtChild(A, B, 2, false), b, out::add);
        NodeProtocol.apply(edgeAtChild(A, B, 1, true), b, out::add);
        assertFalse(b.parent(A).isPresent());
        assertTrue(TraceDocuments.node(B, b).isDeletion(), "edge gone, no facts: no document");
    }

    @Test
    void aNewChildGetsTheCurrentAnnouncementAndChangesGoToAllChildren() {
        InMemoryNodeStore a = new InMemoryNodeStore();
        NodeProtocol.apply(
                new LineageMessage.EdgeChange(A, A, B, "WO-1", 1, true, null), a, out::add);
        assertEquals(1, out.size());
        LineageMessage.Closure first = (LineageMessage.Closure) out.get(0);
        assertEquals(B, first.target());
        assertEquals(
                List.of(new AncestorEntry("A", null, null, null, 0, false, 1, List.of())),
                first.entries());
        out.clear();
        LotFacts facts = LotFacts.fromReceipt(receipt("A", "SUP", "L1", 5));
        assertTrue(NodeProtocol.apply(new LineageMessage.LotFactsUpdate(A, facts), a, out::add));
        LineageMessage.Closure second = (LineageMessage.Closure) out.get(0);
        assertTrue(second.version() > first.version());
        assertEquals("SUP", second.entries().get(0).supplierId());
        out.clear();
        // same facts again: no new announcement
        assertFalse(NodeProtocol.apply(new LineageMessage.LotFactsUpdate(A, facts), a, out::add));
        assertEquals(List.of(), out);
    }

    @Test
    void aReversedConsumptionShrinksTheClosureDownstream() {
        InMemoryLineage lineage = new InMemoryLineage();
        List<Object> events =
                new ArrayList<>(
                        List.of(
                                receipt("RM-1", "SUP-A", "L1", 100),
                                receipt("RM-2", "SUP-B", "L1", 100),
                                consumed("E1", "WO-1", "RM-1"),
                                consumed("E2", "WO-1", "RM-2"),
                                produced("E3", "WO-1", "SA-1", 10),
                                consumed("E4", "WO-2", "SA-1"),
                                produced("E5", "WO-2", "FG-1", 10),
                                dispatch("DN-1", "C-1", "FG-1")));
        events.forEach(lineage::accept);
        lineage.runToQuiescence(10_000);
        Map<String, TraceDocument> docs = lineage.documents();
        assertEquals(
                List.of("SUP-A/L1", "SUP-B/L1"),
                docs.get("trace-shipments/DN-1").source().get("ancestorSupplierLots"));
        lineage.accept(reversed("E6", "WO-1", "RM-1", "E1"));
        events.add(reversed("E6", "WO-1", "RM-1", "E1"));
        lineage.runToQuiescence(10_000);
        docs = lineage.documents();
        assertEquals(
                List.of("SUP-B/L1"),
                docs.get("trace-shipments/DN-1").source().get("ancestorSupplierLots"));
        assertEquals(
                List.of("RM-2", "SA-1"),
                docs.get("trace-lots/FG-1").source().get("ancestorLotCodes"));
        assertNull(DocumentDiff.first(LineageReference.documents(events), docs));
    }

    @Test
    void aCycleTerminatesAndARemovalThroughItStillConverges() {
        List<Object> events =
                new ArrayList<>(
                        List.of(
                                receipt("X", "SUP-X", "LX", 1),
                                consumed("E1", "WO-1", "X"),
                                consumed("E2", "WO-1", "B"),
                                produced("E3", "WO-1", "A", 1),
                                consumed("E4", "WO-2", "A"),
                                produced("E5", "WO-2", "B", 1),
                                consumed("E6", "WO-3", "B"),
                                produced("E7", "WO-3", "B", 1)));
        InMemoryLineage lineage = new InMemoryLineage();
        events.forEach(lineage::accept);
        lineage.runToQuiescence(100_000);
        assertEquals(
                List.of("B", "X"),
                lineage.documents().get("trace-lots/A").source().get("ancestorLotCodes"));
        assertEquals(
                List.of("A", "X"),
                lineage.documents().get("trace-lots/B").source().get("ancestorLotCodes"));
        // X leaves the cycle: without the depth bound A and B would keep it alive forever
        events.add(reversed("E8", "WO-1", "X", "E1"));
        lineage.accept(events.get(events.size() - 1));
        long delivered = lineage.runToQuiescence(100_000);
        assertTrue(delivered < 10_000, "bounded work: " + delivered);
        assertEquals(
                List.of("B"),
                lineage.documents().get("trace-lots/A").source().get("ancestorLotCodes"));
        assertNull(DocumentDiff.first(LineageReference.documents(events), lineage.documents()));
    }

    @Test
    void oneLotFeedingFiveThousandLotsReachesThemAll() {
        InMemoryLineage lineage = new InMemoryLineage();
        List<Object> events = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            String wo = "WO-" + i;
            events.add(consumed(wo + "-E1", wo, "RESIN"));
            events.add(produced(wo + "-E2", wo, "LOT-" + i, 1));
        }
        events.add(receipt("RESIN", "SUP-POLY", "L2611-01", 1000));
        events.forEach(lineage::accept);
        lineage.runToQuiescence(1_000_000);
        long before = lineage.deliveries();
        // a late facts change at the root: one announcement per child, no more
        lineage.accept(receipt("RESIN", "SUP-POLY", "L2611-01", 1000)); // duplicate: nothing to do
        lineage.runToQuiescence(1_000_000);
        assertEquals(1, lineage.deliveries() - before);
        Map<String, TraceDocument> docs = lineage.documents();
        for (int i = 0; i < 5_000; i += 499) {
            assertEquals(
                    List.of("SUP-POLY/L2611-01"),
                    docs.get("trace-lots/LOT-" + i).source().get("ancestorSupplierLots"));
        }
        assertEquals(List.of(), docs.get("trace-lots/RESIN").source().get("ancestorLotCodes"));
        assertEquals(
                5_000,
                docs.values().stream()
                        .filter(d -> d.documentId().startsWith("LOT-"))
                        .filter(d -> ancestorsOf(d).contains("RESIN"))
                        .count());
        assertNull(DocumentDiff.first(LineageReference.documents(events), docs));
    }

    @SuppressWarnings("unchecked")
    private static List<String> ancestorsOf(TraceDocument d) {
        return (List<String>) d.source().get("ancestorLotCodes");
    }
}
