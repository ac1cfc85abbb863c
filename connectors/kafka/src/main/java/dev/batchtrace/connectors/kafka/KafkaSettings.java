package dev.batchtrace.connectors.kafka;

import java.io.Serializable;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How to reach Kafka. Immutable and serializable. {@code clientProperties} are passed unchanged to
 * every consumer and producer the builders create (SASL, TLS, client tuning).
 *
 * @param bootstrapServers {@code host:port[,host:port...]}
 * @param groupIdPrefix consumer group ids and transactional ids are {@code <prefix>.<topic>}; use
 *     one prefix per job
 * @param clientProperties extra Kafka client properties, e.g. {@code security.protocol}, {@code
 *     sasl.jaas.config}, {@code ssl.truststore.location}
 */
public record KafkaSettings(
        String bootstrapServers, String groupIdPrefix, Map<String, String> clientProperties)
        implements Serializable {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String GROUP_ID_PREFIX = "group.id.prefix";

    /** Any key {@code kafka.client.X} is passed to the clients as {@code X}. */
    public static final String CLIENT_PREFIX = "kafka.client.";

    public static final String DEFAULT_GROUP_ID_PREFIX = "batchtrace";

    /** What {@link #toString()} shows instead of a secret value. */
    public static final String MASK = "***";

    private static final Pattern JAAS_USERNAME = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, BOOTSTRAP_SERVERS + " is required");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException(BOOTSTRAP_SERVERS + " is empty");
        }
        groupIdPrefix =
                groupIdPrefix == null || groupIdPrefix.isBlank()
                        ? DEFAULT_GROUP_ID_PREFIX
                        : groupIdPrefix;
        // A sorted copy: stable in logs and serializable.
        clientProperties =
                clientProperties == null ? Map.of() : Map.copyOf(new TreeMap<>(clientProperties));
    }

    public static KafkaSettings of(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, DEFAULT_GROUP_ID_PREFIX, Map.of());
    }

    public static KafkaSettings fromProperties(Properties properties) {
        return fromMap(properties);
    }

    /**
     * Reads {@value #BOOTSTRAP_SERVERS}, {@value #GROUP_ID_PREFIX}; passes {@code
     * security.protocol}, {@code sasl.*}, {@code ssl.*} and {@code kafka.client.*} (prefix removed)
     * to the clients.
     */
    public static KafkaSettings fromMap(Map<?, ?> config) {
        Object servers = config.get(BOOTSTRAP_SERVERS);
        if (servers == null || servers.toString().isBlank()) {
            throw new IllegalArgumentException(
                    "missing " + BOOTSTRAP_SERVERS + " (e.g. kafka-1:9092,kafka-2:9092)");
        }
        Map<String, String> client = new TreeMap<>();
        for (Map.Entry<?, ?> entry : config.entrySet()) {
            String key = entry.getKey().toString();
            String value = String.valueOf(entry.getValue());
            if (key.startsWith(CLIENT_PREFIX)) {
                client.put(key.substring(CLIENT_PREFIX.length()), value);
            } else if (key.equals("security.protocol")
                    || key.startsWith("sasl.")
                    || key.startsWith("ssl.")) {
                client.put(key, value);
            }
        }
        Object prefix = config.get(GROUP_ID_PREFIX);
        return new KafkaSettings(
                servers.toString().strip(), prefix == null ? null : prefix.toString(), client);
    }

    public KafkaSettings withClientProperty(String key, String value) {
        Map<String, String> client = new TreeMap<>(clientProperties);
        client.put(key, value);
        return new KafkaSettings(bootstrapServers, groupIdPrefix, client);
    }

    public KafkaSettings withGroupIdPrefix(String prefix) {
        return new KafkaSettings(bootstrapServers, prefix, clientProperties);
    }

    /** {@code <prefix>.<name>}: the consumer group id / transactional id prefix for one topic. */
    public String groupId(String name) {
        return groupIdPrefix + "." + name;
    }

    /** Client properties including {@code bootstrap.servers}, ready for a plain client. */
    public Properties clientProperties(boolean withBootstrap) {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        if (withBootstrap) {
            properties.setProperty(BOOTSTRAP_SERVERS, bootstrapServers);
        }
        return properties;
    }

    /**
     * What the jobs' consumers take unless {@code kafka.client.*} says otherwise: a fetch waits up
     * to 25 ms for 256 KiB instead of returning as soon as one record is there (Kafka's 1 byte /
     * 500 ms). At a steady few hundred events/s Kafka's defaults make a busy source fetch for every
     * batch a producer sends; on the benchmark's machine that cost the broker up to a tenth of a
     * core. A replay fills the fetches either way (BENCHMARKS.md, 2026-12-07 afternoon).
     */
    public static final Map<String, String> CONSUMER_DEFAULTS =
            Map.of("fetch.min.bytes", "262144", "fetch.max.wait.ms", "25");

    /**
     * What the jobs' producers take unless {@code kafka.client.*} says otherwise: records wait up
     * to 20 ms (Kafka's default: 5 ms) to share a request. The exactly-once topics' records are
     * read after their checkpoint commits (1 s), which flushes them anyway, so their readers wait
     * no longer.
     */
    public static final Map<String, String> PRODUCER_DEFAULTS = Map.of("linger.ms", "20");

    /** A job consumer's properties: {@link #CONSUMER_DEFAULTS} under the client properties. */
    public Properties consumerProperties() {
        return clientPropertiesOver(CONSUMER_DEFAULTS);
    }

    /** A job producer's properties: {@link #PRODUCER_DEFAULTS} under the client properties. */
    public Properties producerProperties() {
        return clientPropertiesOver(PRODUCER_DEFAULTS);
    }

    private Properties clientPropertiesOver(Map<String, String> defaults) {
        Properties properties = clientProperties(false);
        defaults.forEach(properties::putIfAbsent);
        return properties;
    }

    /** {@code security.protocol}, {@code PLAINTEXT} when not set (Kafka's default). */
    public String securityProtocol() {
        return clientProperties.getOrDefault("security.protocol", "PLAINTEXT");
    }

    /** The SASL user named in {@code sasl.jaas.config} ({@code username="..."}), if any. */
    public Optional<String> saslUser() {
        String jaas = clientProperties.get("sasl.jaas.config");
        if (jaas == null) {
            return Optional.empty();
        }
        Matcher m = JAAS_USERNAME.matcher(jaas);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /**
     * True for client properties whose values are secrets: passwords, JAAS configs (they carry the
     * password), secrets (OAuth client secrets) and inline PEM private keys ({@code
     * ssl.keystore.key}).
     */
    public static boolean isSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password")
                || k.contains("jaas")
                || k.contains("secret")
                || k.equals("ssl.keystore.key")
                || k.endsWith(".credentials")
                || k.contains("token");
    }

    /** Never prints secret values (see {@link #isSecretKey}); the SASL user is shown. */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        clientProperties.forEach((k, v) -> shown.put(k, isSecretKey(k) ? MASK : v));
        return "KafkaSettings[bootstrapServers="
                + bootstrapServers
                + ", groupIdPrefix="
                + groupIdPrefix
                + saslUser().map(u -> ", saslUser=" + u).orElse("")
                + ", clientProperties="
                + shown
                + "]";
    }
}
