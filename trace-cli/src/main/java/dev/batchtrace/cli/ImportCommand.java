package dev.batchtrace.cli;

import dev.batchtrace.cli.export.EpcisImport;
import dev.batchtrace.connectors.kafka.KafkaSettings;
import dev.batchtrace.connectors.registry.RegistrySettings;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@code trace import epcis FILE}: another system's history published as our events. */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = "Events from other formats, published to the input topics.",
        subcommands = {ImportCommand.Epcis.class, CommandLine.HelpCommand.class})
public final class ImportCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "epcis",
            mixinStandardHelpOptions = true,
            description = {
                "Publishes an EPCIS 2.0 JSON-LD document (bin/trace export epcis writes one) as"
                        + " our events: receiving -> GoodsReceipt, TransformationEvent -> work-order"
                        + " consumptions and outputs, shipping -> DispatchNote. The events go"
                        + " through the same path as bin/trace publish (gateway JSON lines, Avro"
                        + " through the registry).",
                "Exit codes: 0 published, 1 unreadable or not EPCIS, 2 some events rejected."
            })
    static final class Epcis implements Callable<Integer> {

        @Parameters(paramLabel = "FILE.jsonld", description = "The EPCIS document.")
        Path file;

        @Option(
                names = "--jsonl",
                paramLabel = "FILE",
                description = "Also keep the events as gateway JSON lines in FILE.")
        Path jsonl;

        @Option(names = "--dry-run", description = "Only convert (with --jsonl): publish nothing.")
        boolean dryRun;

        @Option(
                names = "--config",
                paramLabel = "FILE",
                description =
                        "Connection settings, as for bin/trace publish (bootstrap.servers,"
                                + " security.protocol, sasl.*, ssl.truststore.*,"
                                + " schema.registry.*): the same file the jobs read.")
        Path config;

        @Option(
                names = "--bootstrap-servers",
                description =
                        "Kafka (default: bootstrap.servers of --config, else the local stack's).")
        String bootstrapServers;

        @Option(
                names = "--registry-url",
                description =
                        "Schema registry (default: schema.registry.url of --config, else the local"
                                + " stack's).")
        String registryUrl;

        @Mixin StackOptions stack;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<ObjectNode> events;
            try {
                JsonNode document = JsonMapper.builder().build().readTree(file.toFile());
                events = EpcisImport.events(document);
            } catch (IllegalArgumentException | tools.jackson.core.JacksonException e) {
                err.println("error: cannot import " + file + ": " + e.getMessage());
                err.flush();
                return 1;
            }
            Path lines = jsonl != null ? jsonl : Files.createTempFile("epcis-import", ".jsonl");
            StringBuilder text = new StringBuilder();
            events.forEach(e -> text.append(e.toString()).append('\n'));
            Files.writeString(lines, text, StandardCharsets.UTF_8);
            out.printf("%d events from %s%n", events.size(), file);
            if (dryRun) {
                out.printf("Written to %s (not published: --dry-run)%n", lines);
                out.flush();
                return 0;
            }
            try {
                Map<String, String> settings =
                        PublishCommand.connectionSettings(
                                config, bootstrapServers, registryUrl, stack.endpoints());
                EventPublisher.Summary summary =
                        PublishCommand.publish(
                                lines,
                                KafkaSettings.fromMap(settings),
                                RegistrySettings.fromMap(settings),
                                out);
                return summary.rejected().isEmpty() ? 0 : PublishCommand.SOME_LINES_REJECTED;
            } finally {
                if (jsonl == null) {
                    Files.deleteIfExists(lines);
                }
            }
        }
    }
}
