package dev.batchtrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The query commands started alone behave as they do under {@code trace}. */
class TraceCliTest {

    @Test
    void aQueryCommandAloneHasTheSameUsageAndExitCodesAsUnderTrace() {
        CommandLine full = TraceCli.newCommandLine();
        for (String name : List.of("lot", "lots", "customers", "recall", "unit", "exposure")) {
            CommandLine alone = TraceCli.queryCommandLine(name);
            assertEquals(
                    full.getSubcommands().get(name).getUsageMessage(),
                    alone.getUsageMessage(),
                    name);
            StringWriter aloneErr = new StringWriter();
            alone.setErr(new PrintWriter(aloneErr));
            StringWriter fullErr = new StringWriter();
            full.setErr(new PrintWriter(fullErr));
            assertEquals(
                    full.execute(name, "--no-such-option"),
                    alone.execute("--no-such-option"),
                    name + ": a usage error");
            assertEquals(fullErr.toString(), aloneErr.toString(), name);
        }
        assertNull(TraceCli.queryCommandLine("demo"), "other commands start with the whole CLI");
    }
}
