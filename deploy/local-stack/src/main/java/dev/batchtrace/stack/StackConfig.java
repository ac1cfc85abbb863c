package dev.batchtrace.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Where and on which ports {@link LocalStack} runs its servers. Every field can be overridden by a
 * system property or environment variable, see {@link Setting}.
 *
 * @param home the checkout (the folder with deploy/), where the server distributions are built
 * @param workDir data, logs and the PID file (default {@code <home>/.trace})
 * @param startTimeout how long each server may take to become healthy
 */
public record StackConfig(
        Path home,
        Path workDir,
        String host,
        int kafkaPort,
        int kafkaControllerPort,
        int registryPort,
        int elasticsearchPort,
        int elasticsearchTransportPort,
        Duration startTimeout) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(180);

    /**
     * The overridable settings: system property {@code key()} wins over environment {@code env()}.
     */
    public enum Setting {
        WORK_DIR("batchtrace.stack.dir", "BATCHTRACE_STACK_DIR", "<checkout>/.trace"),
        HOST("batchtrace.stack.host", "BATCHTRACE_STACK_HOST", DEFAULT_HOST),
        KAFKA_PORT("batchtrace.stack.kafka.port", "BATCHTRACE_STACK_KAFKA_PORT", "9092"),
        KAFKA_CONTROLLER_PORT(
                "batchtrace.stack.kafka.controller-port",
                "BATCHTRACE_STACK_KAFKA_CONTROLLER_PORT",
                "9093"),
        REGISTRY_PORT("batchtrace.stack.registry.port", "BATCHTRACE_STACK_REGISTRY_PORT", "8081"),
        ELASTICSEARCH_PORT(
                "batchtrace.stack.elasticsearch.port",
                "BATCHTRACE_STACK_ELASTICSEARCH_PORT",
                "9200"),
        ELASTICSEARCH_TRANSPORT_PORT(
                "batchtrace.stack.elasticsearch.transport-port",
                "BATCHTRACE_STACK_ELASTICSEARCH_TRANSPORT_PORT",
                "9300"),
        START_TIMEOUT_SECONDS(
                "batchtrace.stack.start-timeout-seconds",
                "BATCHTRACE_STACK_START_TIMEOUT_SECONDS",
                "180");

        private final String key;
        private final String env;
        private final String defaultValue;

        Setting(String key, String env, String defaultValue) {
            this.key = key;
            this.env = env;
            this.defaultValue = defaultValue;
        }

        public String key() {
            return key;
        }

        public String env() {
            return env;
        }

        public String defaultValue() {
            return defaultValue;
        }

        /** How an operator changes it, for error messages. */
        public String howToChange() {
            return "-D" + key + "=... or the environment variable " + env;
        }
    }

    public StackConfig {
        home = home.toAbsolutePath().normalize();
        workDir = workDir.toAbsolutePath().normalize();
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        for (int port :
                new int[] {
                    kafkaPort,
                    kafkaControllerPort,
                    registryPort,
                    elasticsearchPort,
                    elasticsearchTransportPort
                }) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("startTimeout must be positive");
        }
    }

    /** Defaults: work dir {@code <home>/.trace}, 127.0.0.1, ports 9092/9093/8081/9200/9300. */
    public static StackConfig defaults(Path home) {
        return new StackConfig(
                home,
                home.resolve(".trace"),
                DEFAULT_HOST,
                9092,
                9093,
                8081,
                9200,
                9300,
                DEFAULT_START_TIMEOUT);
    }

    /** Defaults for the located checkout, overridden by this JVM's system properties and env. */
    public static StackConfig fromEnvironment() throws StackException {
        Map<String, String> properties = new java.util.HashMap<>();
        System.getProperties().forEach((k, v) -> properties.put(k.toString(), v.toString()));
        return fromSettings(Checkout.locate().root(), properties, System.getenv());
    }

    /** Defaults for {@code home} overridden by the given properties (first) and environment. */
    public static StackConfig fromSettings(
            Path home, Map<String, String> properties, Map<String, String> env)
            throws StackException {
        StackConfig d = defaults(home);
        String dir = value(Setting.WORK_DIR, properties, env);
        return new StackConfig(
                home,
                dir == null ? d.workDir() : Path.of(dir),
                orElse(value(Setting.HOST, properties, env), d.host()),
                port(Setting.KAFKA_PORT, properties, env, d.kafkaPort()),
                port(Setting.KAFKA_CONTROLLER_PORT, properties, env, d.kafkaControllerPort()),
                port(Setting.REGISTRY_PORT, properties, env, d.registryPort()),
                port(Setting.ELASTICSEARCH_PORT, properties, env, d.elasticsearchPort()),
                port(
                        Setting.ELASTICSEARCH_TRANSPORT_PORT,
                        properties,
                        env,
                        d.elasticsearchTransportPort()),
                Duration.ofSeconds(port(Setting.START_TIMEOUT_SECONDS, properties, env, 180)));
    }

    public StackConfig withWorkDir(Path dir) {
        return new StackConfig(
                home,
                dir,
                host,
                kafkaPort,
                kafkaControllerPort,
                registryPort,
                elasticsearchPort,
                elasticsearchTransportPort,
                startTimeout);
    }

    public StackConfig withHost(String newHost) {
        return new StackConfig(
                home,
                workDir,
                newHost,
                kafkaPort,
                kafkaControllerPort,
                registryPort,
                elasticsearchPort,
                elasticsearchTransportPort,
                startTimeout);
    }

    public StackConfig withKafkaPorts(int port, int controllerPort) {
        return new StackConfig(
                home,
                workDir,
                host,
                port,
                controllerPort,
                registryPort,
                elasticsearchPort,
                elasticsearchTransportPort,
                startTimeout);
    }

    public StackConfig withRegistryPort(int port) {
        return new StackConfig(
                home,
                workDir,
                host,
                kafkaPort,
                kafkaControllerPort,
                port,
                elasticsearchPort,
                elasticsearchTransportPort,
                startTimeout);
    }

    public StackConfig withElasticsearchPorts(int port, int transportPort) {
        return new StackConfig(
                home,
                workDir,
                host,
                kafkaPort,
                kafkaControllerPort,
                registryPort,
                port,
                transportPort,
                startTimeout);
    }

    public StackConfig withStartTimeout(Duration timeout) {
        return new StackConfig(
                home,
                workDir,
                host,
                kafkaPort,
                kafkaControllerPort,
                registryPort,
                elasticsearchPort,
                elasticsearchTransportPort,
                timeout);
    }

    private static String value(
            Setting setting, Map<String, String> properties, Map<String, String> env) {
        String v = properties.get(setting.key());
        if (v == null || v.isBlank()) {
            v = env.get(setting.env());
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static String orElse(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static int port(
            Setting setting, Map<String, String> properties, Map<String, String> env, int fallback)
            throws StackException {
        String v = value(setting, properties, env);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new StackException(
                    "Not a number: " + v + " (set by " + setting.howToChange() + ")", e);
        }
    }
}
