package dev.batchtrace.cli;

import dev.batchtrace.stack.Checkout;
import dev.batchtrace.stack.StackConfig;
import dev.batchtrace.stack.StackException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the local stack lives and which loopback ports it uses. Options win over the environment
 * ({@code BATCHTRACE_STACK_*}, see {@link StackConfig.Setting}), which wins over the defaults.
 */
public final class StackOptions {

    @Option(
            names = "--work-dir",
            description =
                    "Folder for the stack's data, logs and PIDs (default: .trace in the checkout;"
                            + " env BATCHTRACE_STACK_DIR).")
    Path workDir;

    @Option(
            names = "--kafka-port",
            description = "Kafka broker port (default 9092; env BATCHTRACE_STACK_KAFKA_PORT).")
    Integer kafkaPort;

    @Option(
            names = "--kafka-controller-port",
            description =
                    "Kafka KRaft controller port (default 9093;"
                            + " env BATCHTRACE_STACK_KAFKA_CONTROLLER_PORT).")
    Integer kafkaControllerPort;

    @Option(
            names = "--registry-port",
            description =
                    "Schema registry port (default 8081; env BATCHTRACE_STACK_REGISTRY_PORT).")
    Integer registryPort;

    @Option(
            names = "--elasticsearch-port",
            description =
                    "Elasticsearch HTTP port (default 9200; env BATCHTRACE_STACK_ELASTICSEARCH_PORT).")
    Integer elasticsearchPort;

    @Option(
            names = "--elasticsearch-transport-port",
            description =
                    "Elasticsearch transport port (default 9300;"
                            + " env BATCHTRACE_STACK_ELASTICSEARCH_TRANSPORT_PORT).")
    Integer elasticsearchTransportPort;

    StackConfig toConfig() throws StackException {
        StackConfig config = StackConfig.fromEnvironment();
        if (workDir != null) {
            config = config.withWorkDir(workDir);
        }
        if (kafkaPort != null || kafkaControllerPort != null) {
            config =
                    config.withKafkaPorts(
                            kafkaPort != null ? kafkaPort : config.kafkaPort(),
                            kafkaControllerPort != null
                                    ? kafkaControllerPort
                                    : config.kafkaControllerPort());
        }
        if (registryPort != null) {
            config = config.withRegistryPort(registryPort);
        }
        if (elasticsearchPort != null || elasticsearchTransportPort != null) {
            config =
                    config.withElasticsearchPorts(
                            elasticsearchPort != null
                                    ? elasticsearchPort
                                    : config.elasticsearchPort(),
                            elasticsearchTransportPort != null
                                    ? elasticsearchTransportPort
                                    : config.elasticsearchTransportPort());
        }
        return config;
    }

    /** The endpoints clients use to reach this stack. */
    Endpoints endpoints() throws StackException {
        return Endpoints.of(toConfig());
    }

    static Path sampleFactoryDay() throws StackException {
        return Checkout.locate().root().resolve("deploy/sample-data/factory-day.jsonl");
    }
}
