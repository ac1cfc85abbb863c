package dev.batchtrace.lineage.stock;

import static dev.batchtrace.lineage.Events.consumed;
import static dev.batchtrace.lineage.Events.produced;
import static dev.batchtrace.lineage.Events.reversed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.closure.NodeKey;
import dev.batchtrace.lineage.documents.TraceDocument;
import dev.batchtrace.lineage.documents.TraceDocuments;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class WorkOrderLinksTest {

    private final InMemoryWorkOrderStore store = new InMemoryWorkOrderStore();
    private final List<LineageMessage> out = new ArrayList<>();

    private boolean apply(WorkOrderEvent e) {
        return WorkOrderLinks.apply(e, store, out::add);
    }

    /** Edge changes addressed to the parent, as "parent>child+" / "parent>child-". */
    private Set<String> edges() {
        TreeSet<String> edges = new TreeSet<>();
        for (LineageMessage m : out) {
            if (m instanceof LineageMessage.EdgeChange e && e.target().equals(e.parent())) {
                edges.add(e.parent().code() + ">" + e.child().code() + (e.added() ? "+" : "-"));
            }
        }
        return edges;
    }

    @Test
    void consumptionBeforeProductionGivesTheEdgeOnceTheOutputIsKnown() {
        apply(consumed("E1", "WO-1", "RM-1"));
        assertEquals(Set.of(), edges());
        apply(produced("E2", "WO-1", "SA-1", 100));
        assertEquals(Set.of("RM-1>SA-1+"), edges());
        // both ends are told, and the produced lot gets its facts
        assertEquals(2, out.stream().filter(m -> m instanceof LineageMessage.EdgeChange).count());
        LineageMessage.LotFactsUpdate facts =
                (LineageMessage.LotFactsUpdate)
                        out.stream()
                                .filter(m -> m instanceof LineageMessage.LotFactsUpdate)
                                .findFirst()
                                .orElseThrow();
        assertEquals(NodeKey.lot("SA-1"), facts.target());
        assertEquals(LotFacts.PRODUCED, facts.facts().kind());
        assertEquals("WO-1", facts.facts().workOrderId());
    }

    @Test
    void productionBeforeConsumptionGivesTheSameEdge() {
        apply(produced("E2", "WO-1", "SA-1", 100));
        apply(consumed("E1", "WO-1", "RM-1"));
        assertEquals(Set.of("RM-1>SA-1+"), edges());
    }

    @Test
    void reversalBeforeItsConsumptionMeansTheEdgeNeverAppears() {
        apply(reversed("E3", "WO-1", "RM-1", "E1"));
        apply(produced("E2", "WO-1", "SA-1", 100));
        apply(consumed("E1", "WO-1", "RM-1"));
        assertEquals(Set.of(), edges());
        assertEquals(Set.of(), WorkOrderLinks.activeConsumedLots(store));
    }

    @Test
    void reversalAfterTheEdgeRemovesItWithAHigherSequence() {
        apply(consumed("E1", "WO-1", "RM-1"));
        apply(produced("E2", "WO-1", "SA-1", 100));
        apply(reversed("E3", "WO-1", "RM-1", "E1"));
        List<LineageMessage.EdgeChange> changes =
                out.stream()
                        .filter(m -> m instanceof LineageMessage.EdgeChange)
                        .map(m -> (LineageMessage.EdgeChange) m)
                        .filter(e -> e.target().equals(e.parent()))
                        .toList();
        assertEquals(2, changes.size());
        assertTrue(changes.get(0).added());
        assertFalse(changes.get(1).added());
        assertTrue(changes.get(1).seq() > changes.get(0).seq());
        assertEquals(new EdgeEmission(2, false), store.edge("RM-1", "SA-1"));
    }

    @Test
    void aLotStaysLinkedWhileAnotherOfItsConsumptionsIsActive() {
        apply(consumed("E1", "WO-1", "RM-1"));
        apply(consumed("E4", "WO-1", "RM-1"));
        apply(produced("E2", "WO-1", "SA-1", 100));
        apply(reversed("E3", "WO-1", "RM-1", "E1"));
        assertEquals(Set.of("RM-1>SA-1+"), edges());
        assertEquals(Set.of("RM-1"), WorkOrderLinks.activeConsumedLots(store));
    }

    @Test
    void duplicatedEventsEmitNothingNew() {
        apply(consumed("E1", "WO-1", "RM-1"));
        apply(produced("E2", "WO-1", "SA-1", 100));
        apply(reversed("E3", "WO-1", "RM-1", "E1"));
        int edgeMessages = countEdges();
        assertFalse(apply(consumed("E1", "WO-1", "RM-1")));
        assertFalse(apply(reversed("E3", "WO-1", "RM-1", "E1")));
        assertFalse(apply(produced("E2", "WO-1", "SA-1", 100)));
        assertEquals(edgeMessages, countEdges());
    }

    @Test
    void severalOutputsAndInputsAreManyToMany() {
        apply(consumed("E1", "WO-1", "RM-1"));
        apply(consumed("E2", "WO-1", "RM-2"));
        apply(produced("E3", "WO-1", "SA-1", 10));
        apply(produced("E4", "WO-1", "SA-2", 10));
        assertEquals(Set.of("RM-1>SA-1+", "RM-1>SA-2+", "RM-2>SA-1+", "RM-2>SA-2+"), edges());
        TraceDocument doc = TraceDocuments.workOrder("WO-1", store);
        assertEquals(List.of("RM-1", "RM-2"), doc.source().get("consumedLotCodes"));
        assertEquals(List.of("SA-1", "SA-2"), doc.source().get("producedLotCodes"));
        assertEquals("STARTED", doc.source().get("status"));
    }

    private int countEdges() {
        return (int) out.stream().filter(m -> m instanceof LineageMessage.EdgeChange).count();
    }
}
