package dev.batchtrace.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** A command run in-process, with its exit code and what it printed. */
public record CliRun(int exitCode, String out, String err) {

    /** {@code bin/trace ARGS...}. */
    public static CliRun trace(String... args) {
        return of(TraceCli.newCommandLine(), args);
    }

    public static CliRun of(CommandLine cli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exitCode = cli.execute(args);
        return new CliRun(exitCode, out.toString(), err.toString());
    }
}
