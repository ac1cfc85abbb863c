package dev.batchtrace.cli;

import static dev.batchtrace.cli.CliRun.trace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SoakRunTest {

    @Test
    void durationsAreMinutesSecondsHoursOrPlainSeconds() {
        assertEquals(1_800, SoakRun.seconds("30m"));
        assertEquals(90, SoakRun.seconds("90s"));
        assertEquals(3_600, SoakRun.seconds("1h"));
        assertEquals(45, SoakRun.seconds("45"));
        assertThrows(IllegalArgumentException.class, () -> SoakRun.seconds("half an hour"));
        assertThrows(IllegalArgumentException.class, () -> SoakRun.seconds("0m"));
        assertThrows(IllegalArgumentException.class, () -> SoakRun.seconds("m"));
    }

    @Test
    void aMalformedSoakIsNamedBeforeAnyStackStarts() {
        CliRun run = trace("bench", "--profile", "mixed", "--soak", "soon");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("--soak takes a duration"), run.err());
    }
}
