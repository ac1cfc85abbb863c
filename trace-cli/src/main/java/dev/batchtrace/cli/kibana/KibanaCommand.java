package dev.batchtrace.cli.kibana;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code trace kibana ...}: the quality team's Kibana objects. */
@Command(
        name = "kibana",
        mixinStandardHelpOptions = true,
        description = "The quality team's Kibana: import data views, searches, dashboard and rule.",
        subcommands = {KibanaImportCommand.class})
public final class KibanaCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
