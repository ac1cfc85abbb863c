package dev.batchtrace.stack;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A single-node Kafka KRaft broker (broker + controller in one JVM) from deploy/kafka-broker.
 * PLAINTEXT by default; with {@link Security} its client listener is SASL_SSL (SCRAM-SHA-512).
 */
final class KafkaLauncher extends ServerLauncher {
    static final String READY_LINE = "Kafka Server started";
    static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

    /**
     * TLS + SCRAM on the client listener, which is also the inter-broker listener (as user {@code
     * interBrokerUser}); the controller listener stays PLAINTEXT on loopback.
     *
     * @param scramUsers user name to password; created at format time ({@code --add-scram})
     */
    record Security(TlsFiles tls, Map<String, String> scramUsers, String interBrokerUser) {
        Security {
            scramUsers = Map.copyOf(new TreeMap<>(scramUsers));
            if (!scramUsers.containsKey(interBrokerUser)) {
                throw new IllegalArgumentException(
                        "the inter-broker user " + interBrokerUser + " needs a SCRAM password");
            }
        }

        @Override
        public String toString() {
            return "Security[tls=" + tls + ", users=" + scramUsers.keySet() + "]";
        }
    }

    private final Security security;

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
        this(checkout, dir, host, port, controllerPort, portSetting, controllerPortSetting, null);
    }

    /** With {@code security} null: the default PLAINTEXT broker. */
    KafkaLauncher(
            Checkout checkout,
            Path dir,
            String host,
            int port,
            int controllerPort,
            String portSetting,
            String controllerPortSetting,
            Security security) {
        super("kafka", security == null ? "Kafka broker" : "Kafka broker (SASL_SSL)", dir, host);
        this.security = security;
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
        String client = security == null ? "PLAINTEXT" : "SASL_SSL";
        List<String> lines =
                new ArrayList<>(
                        List.of(
                                "# written by dev.batchtrace.stack on every start",
                                "process.roles=broker,controller",
                                "node.id=1",
                                "controller.quorum.voters=1@" + host + ":" + controllerPort,
                                "listeners="
                                        + client
                                        + "://"
                                        + host
                                        + ":"
                                        + port
                                        + ",CONTROLLER://"
                                        + host
                                        + ":"
                                        + controllerPort,
                                "advertised.listeners=" + client + "://" + host + ":" + port,
                                "controller.listener.names=CONTROLLER",
                                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,"
                                        + client
                                        + ":"
                                        + client,
                                "inter.broker.listener.name=" + client,
                                "log.dirs=" + dir.resolve("data"),
                                "num.partitions=1",
                                // one node: internal topics cannot have more replicas than that
                                "offsets.topic.replication.factor=1",
                                "transaction.state.log.replication.factor=1",
                                "transaction.state.log.min.isr=1",
                                "share.coordinator.state.topic.replication.factor=1",
                                "share.coordinator.state.topic.min.isr=1",
                                // consumers in tests should not wait 3 s for a rebalance
                                "group.initial.rebalance.delay.ms=0"));
        if (security != null) {
            TlsFiles tls = security.tls();
            String broker = security.interBrokerUser();
            lines.addAll(
                    List.of(
                            "sasl.enabled.mechanisms=" + SCRAM_MECHANISM,
                            "sasl.mechanism.inter.broker.protocol=" + SCRAM_MECHANISM,
                            "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config="
                                    + jaas(broker, security.scramUsers().get(broker)),
                            "ssl.keystore.location=" + tls.keystore(),
                            "ssl.keystore.type=" + TlsFiles.STORE_TYPE,
                            "ssl.keystore.password=" + tls.password(),
                            "ssl.key.password=" + tls.password(),
                            // the broker connects to itself as a client (inter-broker): trust it
                            "ssl.truststore.location=" + tls.truststore(),
                            "ssl.truststore.type=" + TlsFiles.STORE_TYPE,
                            "ssl.truststore.password=" + tls.password()));
        }
        return String.join("\n", lines) + "\n";
    }

    /** A SCRAM login module line, as clients and the broker's inter-broker listener use it. */
    static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user
                + "\" password=\""
                + password
                + "\";";
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
        List<String> command =
                new ArrayList<>(
                        List.of(
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
                                "--ignore-formatted"));
        if (security != null) {
            // SCRAM credentials go into the first metadata records: they exist before any client
            // (or the inter-broker listener) logs in. Test passwords only: they show in ps here.
            security.scramUsers()
                    .forEach(
                            (user, password) -> {
                                command.add("--add-scram");
                                command.add(
                                        SCRAM_MECHANISM
                                                + "=[name="
                                                + user
                                                + ",password="
                                                + password
                                                + "]");
                            });
        }
        Process format =
                new ProcessBuilder(command)
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
