package dev.batchtrace.cli;

import dev.batchtrace.connectors.gateway.LineError;
import dev.batchtrace.connectors.registry.RegistrySettings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code trace publish FILE.jsonl}: the gateway-side publisher for MES systems that export JSON.
 */
@Command(
        name = "publish",
        mixinStandardHelpOptions = true,
        description = {
            "Publish events written as JSON lines to their topics as Avro through the schema"
                    + " registry.",
            "One event per line; \"type\" is the record name (GoodsReceipt, WorkOrderEvent,"
                    + " MachineEvent, QcResult, DispatchNote, LotFlag); timestamps in ISO-8601.",
            "A malformed line is reported with its line number and skipped. Exit code 2 when any"
                    + " line was rejected."
        })
final class PublishCommand implements Callable<Integer> {
    static final int SOME_LINES_REJECTED = 2;

    @Parameters(paramLabel = "FILE.jsonl", description = "The JSON-lines file to publish.")
    Path file;

    @Option(
            names = "--bootstrap-servers",
            description = "Kafka bootstrap servers (default: the local stack's).")
    String bootstrapServers;

    @Option(
            names = "--registry-url",
            description =
                    "Schema registry URL, Confluent API (default: the local stack's registry).")
    String registryUrl;

    @Mixin StackOptions stack;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isReadable(file)) {
            err.println("error: cannot read " + file);
            return 1;
        }
        Endpoints local = stack.endpoints();
        String bootstrap =
                bootstrapServers != null ? bootstrapServers : local.kafkaBootstrapServers();
        String registry = registryUrl != null ? registryUrl : local.schemaRegistryUrl();
        EventPublisher.Summary summary = publish(file, bootstrap, registry, out);
        return summary.rejected().isEmpty() ? 0 : SOME_LINES_REJECTED;
    }

    /** Publishes and prints the per-line errors and the per-topic summary. */
    static EventPublisher.Summary publish(
            Path file, String bootstrapServers, String registryUrl, PrintWriter out)
            throws Exception {
        out.printf("Publishing %s to %s (registry %s)%n", file, bootstrapServers, registryUrl);
        out.flush();
        EventPublisher.Summary summary;
        try (EventPublisher publisher =
                new EventPublisher(bootstrapServers, RegistrySettings.of(registryUrl))) {
            summary =
                    publisher.publish(
                            file,
                            line -> {
                                out.println("  " + line);
                                out.flush();
                            });
        }
        for (LineError error : summary.rejected()) {
            out.printf("  line %d rejected: %s%n", error.lineNumber(), error.message());
        }
        out.printf("%-24s %10s%n", "TOPIC", "PUBLISHED");
        summary.publishedPerTopic()
                .forEach((topic, count) -> out.printf("%-24s %10d%n", topic, count));
        out.printf("%d published, %d rejected%n", summary.published(), summary.rejected().size());
        out.flush();
        return summary;
    }
}
