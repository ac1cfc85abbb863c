package dev.batchtrace.cli;

import dev.batchtrace.connectors.gateway.LineError;
import dev.batchtrace.connectors.kafka.KafkaConnectionCheck;
import dev.batchtrace.connectors.kafka.KafkaSettings;
import dev.batchtrace.connectors.registry.ConfluentSchemaRegistryClient;
import dev.batchtrace.connectors.registry.RegistrySettings;
import dev.batchtrace.jobs.ConfigFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
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

    /** How long the connection check waits for Kafka before saying it does not answer. */
    static final Duration PREFLIGHT_TIMEOUT = Duration.ofSeconds(30);

    @Parameters(paramLabel = "FILE.jsonl", description = "The JSON-lines file to publish.")
    Path file;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "Connection settings (properties, the same file the jobs read):"
                            + " bootstrap.servers, security.protocol, sasl.mechanism,"
                            + " sasl.jaas.config, ssl.truststore.*, schema.registry.url,"
                            + " schema.registry.basic.auth.user.info,"
                            + " schema.registry.ssl.truststore.*. Secrets belong here (or"
                            + " ${env:NAME} / ${file:/path} in it), not on the command line.")
    Path config;

    @Option(
            names = "--bootstrap-servers",
            description =
                    "Kafka bootstrap servers (default: bootstrap.servers of --config, else the"
                            + " local stack's).")
    String bootstrapServers;

    @Option(
            names = "--registry-url",
            description =
                    "Schema registry URL, Confluent API (default: schema.registry.url of --config,"
                            + " else the local stack's registry).")
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
        Map<String, String> settings =
                connectionSettings(config, bootstrapServers, registryUrl, stack.endpoints());
        EventPublisher.Summary summary =
                publish(
                        file,
                        KafkaSettings.fromMap(settings),
                        RegistrySettings.fromMap(settings),
                        out);
        return summary.rejected().isEmpty() ? 0 : SOME_LINES_REJECTED;
    }

    /**
     * Kafka and registry settings of a publishing command: the config file's keys (secrets
     * resolved), {@code --bootstrap-servers} and {@code --registry-url} over them, the local
     * stack's endpoints where neither names one.
     */
    static Map<String, String> connectionSettings(
            Path config, String bootstrapServers, String registryUrl, Endpoints local)
            throws IOException {
        Map<String, String> settings =
                config == null ? new TreeMap<>() : new TreeMap<>(ConfigFile.read(config));
        if (bootstrapServers != null) {
            settings.put(KafkaSettings.BOOTSTRAP_SERVERS, bootstrapServers);
        }
        settings.putIfAbsent(KafkaSettings.BOOTSTRAP_SERVERS, local.kafkaBootstrapServers());
        if (registryUrl != null) {
            settings.put(RegistrySettings.URL, registryUrl);
        }
        settings.putIfAbsent(RegistrySettings.URL, local.schemaRegistryUrl());
        return settings;
    }

    /** {@link #publish(Path, KafkaSettings, RegistrySettings, PrintWriter)} on plain endpoints. */
    static EventPublisher.Summary publish(
            Path file, String bootstrapServers, String registryUrl, PrintWriter out)
            throws Exception {
        return publish(
                file, KafkaSettings.of(bootstrapServers), RegistrySettings.of(registryUrl), out);
    }

    /**
     * Checks that Kafka and the registry accept the settings (a wrong password fails here once,
     * naming the server and user, instead of once per line), publishes, and prints the per-line
     * errors and the per-topic summary.
     */
    static EventPublisher.Summary publish(
            Path file, KafkaSettings kafka, RegistrySettings registry, PrintWriter out)
            throws Exception {
        out.printf(
                "Publishing %s to %s%s (registry %s)%n",
                file,
                kafka.bootstrapServers(),
                kafka.saslUser().map(u -> " as " + u).orElse(""),
                registry.url());
        out.flush();
        KafkaConnectionCheck.verify(kafka, PREFLIGHT_TIMEOUT);
        new ConfluentSchemaRegistryClient(registry).verifyAccess();
        EventPublisher.Summary summary;
        try (EventPublisher publisher = new EventPublisher(kafka, registry)) {
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
