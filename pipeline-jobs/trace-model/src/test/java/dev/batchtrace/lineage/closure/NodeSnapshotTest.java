package dev.batchtrace.lineage.closure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.lineage.FactoryHistoryGenerator;
import dev.batchtrace.lineage.InMemoryLineage;
import dev.batchtrace.lineage.documents.TraceDocuments;
import dev.batchtrace.lineage.holds.HoldAlerts;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class NodeSnapshotTest {

    @Test
    void documentsAndAlertsFromASnapshotEqualThoseFromTheStore() {
        int nodes = 0;
        int withAlerts = 0;
        for (long seed = 1; seed <= 10; seed++) {
            InMemoryLineage lineage = new InMemoryLineage();
            FactoryHistoryGenerator.generateWithFlags(seed).forEach(lineage::accept);
            lineage.runToQuiescence(10_000_000);
            for (String key : lineage.documents().keySet()) {
                NodeKey node = nodeOf(key);
                if (node == null) {
                    continue;
                }
                InMemoryNodeStore store = lineage.node(node);
                NodeSnapshot snapshot = NodeSnapshot.of(store);
                assertEquals(
                        TraceDocuments.node(node, store), TraceDocuments.node(node, snapshot), key);
                assertEquals(HoldAlerts.of(node, store), HoldAlerts.of(node, snapshot), key);
                nodes++;
                withAlerts += HoldAlerts.of(node, store).isEmpty() ? 0 : 1;
            }
        }
        assertTrue(nodes > 50, "nodes compared: " + nodes);
        assertTrue(withAlerts > 0, "a history with flags raises alerts somewhere");
    }

    @Test
    void eachPieceIsReadFromTheStoreOnce() {
        InMemoryLineage lineage = new InMemoryLineage();
        FactoryHistoryGenerator.generateWithFlags(5).forEach(lineage::accept);
        lineage.runToQuiescence(10_000_000);
        String lot =
                lineage.documents().keySet().stream()
                        .filter(k -> k.startsWith(TraceDocuments.LOTS + "/"))
                        .findFirst()
                        .orElseThrow();
        NodeKey node = nodeOf(lot);
        Map<String, Integer> reads = new TreeMap<>();
        NodeStore counted = counting(lineage.node(node), reads);
        NodeSnapshot snapshot = NodeSnapshot.of(counted);
        TraceDocuments.node(node, snapshot);
        HoldAlerts.of(node, snapshot);
        TraceDocuments.node(node, snapshot);
        assertFalse(reads.isEmpty());
        for (String piece :
                new String[] {
                    "lotFactsSummary", "lotUsage", "parents", "children", "slots", "header"
                }) {
            assertTrue(reads.getOrDefault(piece, 0) <= 1, piece + " read " + reads);
        }
    }

    @Test
    void aSnapshotRefusesWrites() {
        NodeSnapshot snapshot = NodeSnapshot.of(new InMemoryNodeStore());
        assertThrows(
                UnsupportedOperationException.class,
                () -> snapshot.putHeader(new NodeHeader(1, null, 0, 0, false, false)));
        assertThrows(UnsupportedOperationException.class, () -> snapshot.mergeLotUsage(null));
    }

    private static NodeKey nodeOf(String documentKey) {
        String[] parts = documentKey.split("/", 2);
        if (parts[0].equals(TraceDocuments.LOTS)) {
            return NodeKey.lot(parts[1]);
        }
        if (parts[0].equals(TraceDocuments.SHIPMENTS)) {
            return NodeKey.shipment(parts[1]);
        }
        return null;
    }

    /** The store, counting the calls of each interface method. */
    private static NodeStore counting(NodeStore store, Map<String, Integer> calls) {
        return (NodeStore)
                Proxy.newProxyInstance(
                        NodeStore.class.getClassLoader(),
                        new Class<?>[] {NodeStore.class},
                        (proxy, method, args) -> {
                            calls.merge(method.getName(), 1, Integer::sum);
                            try {
                                return method.invoke(store, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
    }
}
