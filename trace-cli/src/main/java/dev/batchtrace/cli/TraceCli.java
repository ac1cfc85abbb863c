package dev.batchtrace.cli;

import dev.batchtrace.cli.query.CustomersCommand;
import dev.batchtrace.cli.query.LotCommand;
import dev.batchtrace.cli.query.LotsCommand;
import dev.batchtrace.cli.query.RecallCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/trace}: the local stack, the gateway publisher and the demo. */
@Command(
        name = "trace",
        mixinStandardHelpOptions = true,
        versionProvider = TraceCli.Version.class,
        description =
                "Batch traceability for manufacturing: local stack, event publishing, trace"
                        + " questions, demo.",
        subcommands = {
            StackCommand.class,
            PublishCommand.class,
            LotCommand.class,
            CustomersCommand.class,
            RecallCommand.class,
            dev.batchtrace.cli.query.UnitCommand.class,
            dev.batchtrace.cli.query.ExposureCommand.class,
            LotsCommand.class,
            dev.batchtrace.cli.explorer.ServeCommand.class,
            dev.batchtrace.cli.explorer.GraphCommand.class,
            dev.batchtrace.cli.export.ExportCommand.class,
            ImportCommand.class,
            RunCommand.class,
            DemoCommand.class,
            dev.batchtrace.cli.kibana.KibanaCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class TraceCli implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** A command line with the project's error handling; tests call it too. */
    public static CommandLine newCommandLine() {
        CommandLine cmd = new CommandLine(new TraceCli());
        // Operators need the reason, not a stack trace; --verbose shows the trace.
        cmd.setExecutionExceptionHandler(
                (ex, commandLine, parseResult) -> {
                    commandLine.getErr().println("error: " + describe(ex));
                    if (Boolean.getBoolean("batchtrace.verbose")) {
                        ex.printStackTrace(commandLine.getErr());
                    }
                    return 1;
                });
        return cmd;
    }

    static String describe(Throwable ex) {
        StringBuilder text = new StringBuilder(String.valueOf(ex.getMessage()));
        for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append(System.lineSeparator())
                        .append("  caused by: ")
                        .append(cause.getMessage());
            }
        }
        return text.toString();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Reads the version Maven wrote into the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = TraceCli.class.getPackage().getImplementationVersion();
            return new String[] {"trace " + (version == null ? "(development build)" : version)};
        }
    }
}
