package dev.batchtrace.stack;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project checkout and the server distributions built inside it (deploy/kafka-broker,
 * deploy/schema-registry, deploy/elasticsearch-node).
 */
public record Checkout(Path root) {
    /** System property that names the checkout root explicitly. */
    public static final String HOME_PROPERTY = "batchtrace.home";

    /** Environment variable that names the checkout root explicitly. */
    public static final String HOME_ENV = "BATCHTRACE_HOME";

    static final String ELASTICSEARCH_VERSION = "9.5.3";
    static final String PROJECT_VERSION = "0.1.0";

    public Checkout {
        root = root.toAbsolutePath().normalize();
    }

    /**
     * Finds the checkout: {@code -Dbatchtrace.home}, else {@code BATCHTRACE_HOME}, else the first
     * folder at or above the working directory that has deploy/kafka-broker.
     */
    public static Checkout locate() throws StackException {
        String explicit = System.getProperty(HOME_PROPERTY);
        String source = "-D" + HOME_PROPERTY;
        if (explicit == null || explicit.isBlank()) {
            explicit = System.getenv(HOME_ENV);
            source = HOME_ENV;
        }
        if (explicit != null && !explicit.isBlank()) {
            Path root = Path.of(explicit);
            if (!isCheckout(root)) {
                throw new StackException(
                        source
                                + "="
                                + explicit
                                + " is not a batchtrace checkout (no deploy/kafka-broker there).");
            }
            return new Checkout(root);
        }
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (isCheckout(dir)) {
                return new Checkout(dir);
            }
        }
        throw new StackException(
                "Cannot find the batchtrace checkout: no folder at or above "
                        + start
                        + " has deploy/kafka-broker. Run from inside the checkout or set "
                        + HOME_ENV
                        + " (or -D"
                        + HOME_PROPERTY
                        + ") to it.");
    }

    static boolean isCheckout(Path dir) {
        return Files.isDirectory(dir.resolve("deploy").resolve("kafka-broker"));
    }

    /** The broker classpath folder (deploy/kafka-broker/target/lib). */
    public Path kafkaLib() throws StackException {
        Path lib = root.resolve("deploy/kafka-broker/target/lib");
        if (!Files.isRegularFile(lib.resolve("kafka_2.13-4.3.1.jar"))
                && !hasJarStartingWith(lib, "kafka_2.13-")) {
            throw notBuilt("Kafka broker", lib, "deploy/kafka-broker");
        }
        return lib;
    }

    /** The Apicurio registry runner jar (deploy/schema-registry/target/...-runner.jar). */
    public Path registryRunnerJar() throws StackException {
        Path jar =
                root.resolve(
                        "deploy/schema-registry/target/schema-registry-"
                                + PROJECT_VERSION
                                + "-runner.jar");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(jar.resolveSibling("lib"))) {
            throw notBuilt("Schema registry", jar, "deploy/schema-registry");
        }
        return jar;
    }

    /**
     * The unpacked Elasticsearch distribution (deploy/elasticsearch-node/target/elasticsearch-V).
     */
    public Path elasticsearchHome() throws StackException {
        Path home =
                root.resolve(
                        "deploy/elasticsearch-node/target/elasticsearch-" + ELASTICSEARCH_VERSION);
        if (!Files.isRegularFile(home.resolve("bin/elasticsearch"))) {
            throw notBuilt("Elasticsearch", home, "deploy/elasticsearch-node");
        }
        return home;
    }

    private static boolean hasJarStartingWith(Path dir, String prefix) {
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith(prefix));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private StackException notBuilt(String what, Path expected, String module) {
        return new StackException(
                what
                        + " distribution is not built: "
                        + expected
                        + " is missing. Build it first: cd "
                        + root
                        + " && mvn -B -DskipTests install (or just: mvn -B -DskipTests -pl "
                        + module
                        + " install).");
    }
}
