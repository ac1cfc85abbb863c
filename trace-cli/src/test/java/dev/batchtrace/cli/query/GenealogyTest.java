package dev.batchtrace.cli.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GenealogyTest {

    @Test
    void levelIsTheShortestChainFromTheTracedLot() {
        // F <- H <- R, and F <- R directly too: R is a direct input (level 1)
        Map<String, List<String>> inputs =
                Map.of("F", List.of("H", "R"), "H", List.of("R", "P"), "P", List.of("Q"));

        assertEquals(
                Map.of("H", 1, "R", 1, "P", 2, "Q", 3),
                Genealogy.levels("F", inputs, Set.of("H", "R", "P", "Q")));
    }

    @Test
    void lotsOutsideTheClosureOrUnreachableGetNoLevelAndCyclesStop() {
        // H's document names an input the closure does not know (not converged yet): ignored;
        // Z is in the closure but no fetched document links to it
        Map<String, List<String>> inputs =
                Map.of("F", List.of("H"), "H", List.of("F", "OTHER", "H"));

        assertEquals(Map.of("H", 1), Genealogy.levels("F", inputs, Set.of("H", "Z")));
    }

    @Test
    void childrenAreTheReverseOfTheLotsInputs() {
        List<LotSummary> lots = List.of(lot("H1", "R1", "R2"), lot("F1", "H1", "R1"));

        assertEquals(
                Map.of("R1", List.of("H1", "F1"), "R2", List.of("H1"), "H1", List.of("F1")),
                Genealogy.children(lots));
        assertEquals(
                Map.of("H1", 1, "F1", 1),
                Genealogy.levels("R1", Genealogy.children(lots), Set.of("H1", "F1")));
    }

    static LotSummary lot(String code, String... inputs) {
        return new LotSummary(
                code,
                null,
                "PRODUCED",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of(inputs));
    }
}
