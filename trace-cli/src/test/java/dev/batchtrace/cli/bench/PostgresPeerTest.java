package dev.batchtrace.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PostgresPeerTest {

    @Test
    void copyLinesEscapeWhatCopyWouldReadAsStructure() {
        assertEquals("A\tB\n", PostgresPeer.copyLine(Arrays.asList("A", "B")));
        assertEquals(
                "a\\\\b\tc\\td\te\\nf\\rg\t\\N\n",
                PostgresPeer.copyLine(Arrays.asList("a\\b", "c\td", "e\nf\rg", null)));
    }

    @Test
    void everyQuestionIsRecursiveAndTakesItsParametersAsPlaceholders() {
        PostgresPeer.questions()
                .forEach(
                        (name, sql) -> {
                            assertTrue(sql.startsWith("WITH RECURSIVE"), name);
                            // UNION, not UNION ALL: a cycle in bad data ends the recursion
                            assertTrue(sql.contains("UNION\n") && !sql.contains("UNION ALL"), name);
                            assertTrue(sql.contains("?"), name);
                        });
    }

    @Test
    void onlyPlainSchemaNamesAreAccepted() {
        assertThrows(
                IllegalArgumentException.class,
                () -> PostgresPeer.open("jdbc:postgresql://127.0.0.1:1/x", "a; DROP TABLE x"));
    }
}
