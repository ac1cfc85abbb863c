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

    /**
     * The questions, which someone waits for at a prompt, start alone: picocli then reflects over
     * one command instead of all of them (half a second of a query's start-up).
     */
    private static final java.util.Map<String, java.util.function.Supplier<Object>> QUERIES =
            java.util.Map.of(
                    "lot", LotCommand::new,
                    "lots", LotsCommand::new,
                    "customers", CustomersCommand::new,
                    "recall", RecallCommand::new,
                    "unit", dev.batchtrace.cli.query.UnitCommand::new,
                    "exposure", dev.batchtrace.cli.query.ExposureCommand::new);

    public static void main(String[] args) {
        CommandLine query = args.length == 0 ? null : queryCommandLine(args[0]);
        if (query != null) {
            QueryLogging.install();
            System.exit(query.execute(java.util.Arrays.copyOfRange(args, 1, args.length)));
        }
        System.exit(newCommandLine().execute(args));
    }

    /** The query command {@code name} alone, as {@code trace <name>}; null for other commands. */
    static CommandLine queryCommandLine(String name) {
        java.util.function.Supplier<Object> command = QUERIES.get(name);
        return command == null
                ? null
                : withErrorHandling(new CommandLine(command.get()).setCommandName("trace " + name));
    }

    /** A command line with the project's error handling; tests call it too. */
    public static CommandLine newCommandLine() {
        return withErrorHandling(new CommandLine(new TraceCli()));
    }

    private static CommandLine withErrorHandling(CommandLine cmd) {
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
