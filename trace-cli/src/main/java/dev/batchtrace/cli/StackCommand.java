package dev.batchtrace.cli;

import dev.batchtrace.stack.LocalStack;
import dev.batchtrace.stack.StackStatus;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code trace stack up|status|down}: the real local Kafka, schema registry and Elasticsearch. */
@Command(
        name = "stack",
        mixinStandardHelpOptions = true,
        description = "Start, inspect or stop the local Kafka, schema registry and Elasticsearch.",
        subcommands = {StackCommand.Up.class, StackCommand.Status.class, StackCommand.Down.class})
final class StackCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "up",
            mixinStandardHelpOptions = true,
            description =
                    "Start the servers that are not running, create the topics, install the index"
                            + " templates, print the endpoints.")
    static final class Up implements Callable<Integer> {
        @Mixin StackOptions stack;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            StackStatus status = StackSetup.up(stack, out);
            StackPrinter.print(status, stack.endpoints(), out);
            return status.allRunning() ? 0 : 1;
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description =
                    "Print each server's endpoint, PID and health. Exit code 0 only if all run.")
    static final class Status implements Callable<Integer> {
        @Mixin StackOptions stack;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            StackStatus status = LocalStack.at(stack.toConfig()).status();
            StackPrinter.print(status, stack.endpoints(), spec.commandLine().getOut());
            return status.allRunning() ? 0 : 3;
        }
    }

    @Command(
            name = "down",
            mixinStandardHelpOptions = true,
            description = "Stop exactly the processes this work folder started. Data is kept.")
    static final class Down implements Callable<Integer> {
        @Mixin StackOptions stack;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            StackStatus status = LocalStack.at(stack.toConfig()).down(line -> out.println(line));
            StackPrinter.print(status, stack.endpoints(), out);
            out.println(
                    "Data kept in " + stack.toConfig().workDir() + " (delete it to start afresh).");
            return 0;
        }
    }
}
