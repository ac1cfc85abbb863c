package dev.batchtrace.cli.query;

import picocli.CommandLine.Model.CommandSpec;

/** Prints a query failure the way TraceCli prints errors, and returns its exit code. */
final class QueryErrors {

    private QueryErrors() {}

    static int report(TraceQueryException e, CommandSpec spec) {
        spec.commandLine().getErr().println("error: " + e.getMessage());
        spec.commandLine().getErr().flush();
        return e.exitCode();
    }
}
