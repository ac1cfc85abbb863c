package dev.batchtrace.cli.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void alignsColumnsAndShowsMissingValuesAsDash() {
        String table =
                new TextTable("LEVEL", "LOT", "INPUTS")
                        .row(1, "H1", List.of("R1", "R2"))
                        .row(12, null, List.of())
                        .render();

        assertEquals("LEVEL  LOT  INPUTS\n" + "1      H1   R1, R2\n" + "12     -    -\n", table);
    }

    @Test
    void widensColumnsToTheLongestCellAndTrimsTrailingBlanks() {
        String table = new TextTable("A", "B").row("long value", "").row("x", "y").render();

        assertEquals("A           B\n" + "long value  -\n" + "x           y\n", table);
    }

    @Test
    void rejectsARowOfTheWrongWidth() {
        assertThrows(IllegalArgumentException.class, () -> new TextTable("A", "B").row("only"));
    }
}
