package dev.batchtrace.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The peer's recursive CTEs answer like a breadth-first search over the same history (reversal,
 * shared supplier lot code, cycle). Needs a PostgreSQL: {@code -Dbench.pg-url=jdbc:...} or the
 * benchmark's default URL; skipped when none answers.
 */
class PostgresPeerITCase {

    @Test
    void recursiveQueriesAnswerLikeTheGraph() throws Exception {
        String url = System.getProperty("bench.pg-url", PostgresPeer.DEFAULT_URL);
        PostgresPeer peer;
        try {
            peer = PostgresPeer.open(url, "bench_peer_test");
        } catch (java.sql.SQLException e) {
            Assumptions.abort("no PostgreSQL at " + url + ": " + e.getMessage());
            return;
        }
        HistoryGraph graph = HistoryGraph.of(HistoryGraphTest.history());
        try (peer) {
            PostgresPeer.Load load = peer.load(graph);
            assertEquals(3, load.edges());
            assertEquals(
                    List.of("DN-1|CUST-1"),
                    peer.query(PostgresPeer.CUSTOMERS_OF_SUPPLIER_LOT, "SUP-1", "X"));
            assertEquals(
                    List.of("DN-2|CUST-2"),
                    peer.query(PostgresPeer.CUSTOMERS_OF_SUPPLIER_LOT, "SUP-2", "X"));
            assertEquals(
                    List.of("A1|SUP-1|X", "B|null|null"), peer.query(PostgresPeer.BACKWARD, "C"));
            Set<String> forward = new TreeSet<>(peer.query(PostgresPeer.FORWARD, "A1"));
            assertEquals(Set.of("A1|null|null", "B|null|null", "C|DN-1|CUST-1"), forward);
        }
    }
}
