package dev.batchtrace.stack;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A single-node Kafka KRaft broker (broker + controller in one JVM) from deploy/kafka-broker. */
final class KafkaLauncher extends ServerLauncher {
    static final String READY_LINE = "Kafka Server started";

    private final int port;
    private final int controllerPort;
    private final String portSetting;
    private final String controllerPortSetting;
    private final Checkout checkout;

    KafkaLauncher(
            Checkout checkout,
            Path dir,
            String host,
            int port,
            int controllerPort,
            String portSetting,
            String controllerPortSetting) {
        super("kafka", "Kafka broker", dir, host);
        this.checkout = checkout;
        this.port = port;
        this.controllerPort = controllerPort;
        this.portSetting = portSetting;
        this.controllerPortSetting = controllerPortSetting;
    }

    @Override
    String endpoint() {
        return host + ":" + port;
    }

    @Override
    List<PortUse> ports() {
        return List.of(
                new PortUse(port, "port", portSetting),
                new PortUse(controllerPort, "controller port", controllerPortSetting));
    }

    @Override
    protected String commandMarker() {
        return marker(dir);
    }

    /** The marker argument of the broker whose directory is {@code dir} (absolute, normalized). */
    static String marker(Path dir) {
        return dir.resolve("server.properties").toString();
    }

    private Path serverProperties() {
        return dir.resolve("server.properties");
    }

    @Override
    boolean isHealthy() {
        return LogTail.contains(logFile(), READY_LINE) && Ports.isListening(host, port);
    }

    @Override
    String unhealthyDetail() {
        return LogTail.contains(logFile(), READY_LINE)
                ? "not accepting connections on " + endpoint()
                : "no \"" + READY_LINE + "\" in " + logFile() + " yet";
    }

    @Override
    protected List<String> prepareCommand() throws StackException {
        Path lib = checkout.kafkaLib();
        String classpath = lib + File.separator + "*";
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.writeString(serverProperties(), serverPropertiesText(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("log4j2.properties"), LOG4J2, StandardCharsets.UTF_8);
            if (!Files.isRegularFile(dir.resolve("data").resolve("meta.properties"))) {
                // formatting costs a JVM start (~1.5 s); a formatted data dir is reused as is
                format(classpath, clusterId());
            }
        } catch (IOException e) {
            throw new StackException(
                    "Cannot write the Kafka configuration in " + dir + ": " + e, e);
        }
        return List.of(
                currentJava(),
                "-Xmx512m",
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"),
                "-cp",
                classpath,
                "kafka.Kafka",
                serverProperties().toString());
    }

    String serverPropertiesText() {
        return String.join(
                        "\n",
                        "# written by dev.batchtrace.stack on every start",
                        "process.roles=broker,controller",
                        "node.id=1",
                        "controller.quorum.voters=1@" + host + ":" + controllerPort,
                        "listeners=PLAINTEXT://"
                                + host
                                + ":"
                                + port
                                + ",CONTROLLER://"
                                + host
                                + ":"
                                + controllerPort,
                        "advertised.listeners=PLAINTEXT://" + host + ":" + port,
                        "controller.listener.names=CONTROLLER",
                        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                        "inter.broker.listener.name=PLAINTEXT",
                        "log.dirs=" + dir.resolve("data"),
                        "num.partitions=1",
                        // one node: internal topics cannot have more replicas than that
                        "offsets.topic.replication.factor=1",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "share.coordinator.state.topic.replication.factor=1",
                        "share.coordinator.state.topic.min.isr=1",
                        // consumers in tests should not wait 3 s for a rebalance
                        "group.initial.rebalance.delay.ms=0")
                + "\n";
    }

    /** The cluster id: generated once per data dir and kept next to it. */
    String clusterId() throws IOException {
        Path file = dir.resolve("cluster.id");
        if (Files.isRegularFile(file)) {
            String id = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!id.isEmpty()) {
                return id;
            }
        }
        String id = newClusterId(new SecureRandom());
        Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
        return id;
    }

    /** 16 random bytes as 22-char unpadded base64url, as Kafka's own Uuid prints them. */
    static String newClusterId(SecureRandom random) {
        while (true) {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            // Kafka avoids a leading '-' too: it would be read as a command-line option
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    private void format(String classpath, String clusterId) throws StackException, IOException {
        Path log = dir.resolve("format.log");
        Process format =
                new ProcessBuilder(
                                currentJava(),
                                "-Xmx256m",
                                "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"),
                                "-cp",
                                classpath,
                                "kafka.tools.StorageTool",
                                "format",
                                "-t",
                                clusterId,
                                "-c",
                                serverProperties().toString(),
                                "--ignore-formatted")
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start();
        try {
            if (!format.waitFor(120, TimeUnit.SECONDS)) {
                ServerProcess.stopTree(format.toHandle(), java.time.Duration.ofSeconds(5));
                throw new StackException(
                        "Formatting the Kafka data dir did not finish in 120 s."
                                + LogTail.describe(log, LOG_TAIL_LINES));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            format.destroyForcibly();
            throw new StackException("Interrupted while formatting the Kafka data dir", e);
        }
        if (format.exitValue() != 0) {
            throw new StackException(
                    "Formatting the Kafka data dir "
                            + dir.resolve("data")
                            + " failed (exit code "
                            + format.exitValue()
                            + ")."
                            + LogTail.describe(log, LOG_TAIL_LINES));
        }
    }

    private static final String LOG4J2 =
            String.join(
                            "\n",
                            "# INFO to stdout (redirected to kafka.log): the launcher waits for \""
                                    + READY_LINE
                                    + "\"",
                            "status = warn",
                            "appender.out.type = Console",
                            "appender.out.name = out",
                            "appender.out.layout.type = PatternLayout",
                            "appender.out.layout.pattern = [%d] %p %m (%c)%n",
                            "rootLogger.level = info",
                            "rootLogger.appenderRef.out.ref = out",
                            "logger.state.name = state.change.logger",
                            "logger.state.level = warn",
                            "logger.clients.name = org.apache.kafka.clients",
                            "logger.clients.level = warn")
                    + "\n";
}
