package dev.batchtrace.connectors.elasticsearch;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * How to reach Elasticsearch and how to batch writes to it. Immutable and serializable: the sink
 * ships it to every task. Optional values are {@code null} when not set.
 *
 * <p>Keys read by {@link #fromProperties(Properties)} / {@link #fromMap(Map)} (all under the
 * {@value #PREFIX} prefix; durations as ISO-8601 {@code PT5S} or {@code 500ms}, {@code 5s}, {@code
 * 2m}; sizes as bytes or {@code 512kb}, {@code 5mb}):
 *
 * <table>
 *   <tr><th>key</th><th>default</th></tr>
 *   <tr><td>elasticsearch.hosts</td><td>required, comma-separated URLs</td></tr>
 *   <tr><td>elasticsearch.api-key</td><td>none (base64 "id:key" as Elasticsearch returns it)</td></tr>
 *   <tr><td>elasticsearch.username / elasticsearch.password</td><td>none</td></tr>
 *   <tr><td>elasticsearch.tls.ca-certificate</td><td>none (PEM file of the HTTP CA)</td></tr>
 *   <tr><td>elasticsearch.tls.truststore / .truststore-password / .truststore-type</td><td>none / none / PKCS12</td></tr>
 *   <tr><td>elasticsearch.tls.ca-fingerprint</td><td>none (SHA-256 hex of the CA certificate)</td></tr>
 *   <tr><td>elasticsearch.bulk.max-actions</td><td>1000</td></tr>
 *   <tr><td>elasticsearch.bulk.max-bytes</td><td>5mb</td></tr>
 *   <tr><td>elasticsearch.bulk.flush-interval</td><td>200ms</td></tr>
 *   <tr><td>elasticsearch.bulk.max-concurrent-requests</td><td>2</td></tr>
 *   <tr><td>elasticsearch.retry.max-attempts</td><td>8</td></tr>
 *   <tr><td>elasticsearch.retry.initial-backoff</td><td>100ms</td></tr>
 *   <tr><td>elasticsearch.retry.max-backoff</td><td>30s</td></tr>
 *   <tr><td>elasticsearch.retry.outage-budget</td><td>10m</td></tr>
 *   <tr><td>elasticsearch.connect-timeout / elasticsearch.socket-timeout</td><td>5s / 60s</td></tr>
 *   <tr><td>elasticsearch.index.refresh-interval</td><td>none: the templates' 1s; when set, put on every trace index</td></tr>
 * </table>
 */
public record ElasticsearchSettings(
        List<String> hosts,
        String apiKey,
        String username,
        String password,
        String caCertificatePath,
        String truststorePath,
        String truststorePassword,
        String truststoreType,
        String caFingerprint,
        int bulkMaxActions,
        long bulkMaxBytes,
        Duration bulkFlushInterval,
        int bulkMaxConcurrentRequests,
        int retryMaxAttempts,
        Duration retryInitialBackoff,
        Duration retryMaxBackoff,
        Duration retryOutageBudget,
        Duration connectTimeout,
        Duration socketTimeout,
        Duration indexRefreshInterval)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String PREFIX = "elasticsearch.";
    public static final String HOSTS = PREFIX + "hosts";
    public static final String API_KEY = PREFIX + "api-key";
    public static final String USERNAME = PREFIX + "username";
    public static final String PASSWORD = PREFIX + "password";
    public static final String TLS_CA_CERTIFICATE = PREFIX + "tls.ca-certificate";
    public static final String TLS_TRUSTSTORE = PREFIX + "tls.truststore";
    public static final String TLS_TRUSTSTORE_PASSWORD = PREFIX + "tls.truststore-password";
    public static final String TLS_TRUSTSTORE_TYPE = PREFIX + "tls.truststore-type";
    public static final String TLS_CA_FINGERPRINT = PREFIX + "tls.ca-fingerprint";
    public static final String BULK_MAX_ACTIONS = PREFIX + "bulk.max-actions";
    public static final String BULK_MAX_BYTES = PREFIX + "bulk.max-bytes";
    public static final String BULK_FLUSH_INTERVAL = PREFIX + "bulk.flush-interval";
    public static final String BULK_MAX_CONCURRENT_REQUESTS =
            PREFIX + "bulk.max-concurrent-requests";
    public static final String RETRY_MAX_ATTEMPTS = PREFIX + "retry.max-attempts";
    public static final String RETRY_INITIAL_BACKOFF = PREFIX + "retry.initial-backoff";
    public static final String RETRY_MAX_BACKOFF = PREFIX + "retry.max-backoff";
    public static final String RETRY_OUTAGE_BUDGET = PREFIX + "retry.outage-budget";
    public static final String CONNECT_TIMEOUT = PREFIX + "connect-timeout";
    public static final String SOCKET_TIMEOUT = PREFIX + "socket-timeout";

    /**
     * How often the trace indices make new documents searchable (Elasticsearch's {@code
     * index.refresh_interval}); part of a document's freshness, paid in indexing work.
     */
    public static final String INDEX_REFRESH_INTERVAL = PREFIX + "index.refresh-interval";

    public static final int DEFAULT_BULK_MAX_ACTIONS = 1000;
    public static final long DEFAULT_BULK_MAX_BYTES = 5L * 1024 * 1024;
    // a partial bulk waits at most this long: most of a quiet document's trip to being searchable
    public static final Duration DEFAULT_BULK_FLUSH_INTERVAL = Duration.ofMillis(200);
    public static final int DEFAULT_BULK_MAX_CONCURRENT_REQUESTS = 2;
    public static final int DEFAULT_RETRY_MAX_ATTEMPTS = 8;
    public static final Duration DEFAULT_RETRY_INITIAL_BACKOFF = Duration.ofMillis(100);
    public static final Duration DEFAULT_RETRY_MAX_BACKOFF = Duration.ofSeconds(30);
    public static final Duration DEFAULT_RETRY_OUTAGE_BUDGET = Duration.ofMinutes(10);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(60);

    private static final List<String> KNOWN_KEYS =
            List.of(
                    HOSTS,
                    API_KEY,
                    USERNAME,
                    PASSWORD,
                    TLS_CA_CERTIFICATE,
                    TLS_TRUSTSTORE,
                    TLS_TRUSTSTORE_PASSWORD,
                    TLS_TRUSTSTORE_TYPE,
                    TLS_CA_FINGERPRINT,
                    BULK_MAX_ACTIONS,
                    BULK_MAX_BYTES,
                    BULK_FLUSH_INTERVAL,
                    BULK_MAX_CONCURRENT_REQUESTS,
                    RETRY_MAX_ATTEMPTS,
                    RETRY_INITIAL_BACKOFF,
                    RETRY_MAX_BACKOFF,
                    RETRY_OUTAGE_BUDGET,
                    CONNECT_TIMEOUT,
                    SOCKET_TIMEOUT,
                    INDEX_REFRESH_INTERVAL);

    public ElasticsearchSettings {
        Objects.requireNonNull(hosts, "hosts");
        hosts = List.copyOf(hosts);
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException(HOSTS + " must name at least one URL");
        }
        for (String host : hosts) {
            URI uri = parseHost(host);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException(
                        HOSTS + ": '" + host + "' must start with http:// or https://");
            }
        }
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException(
                    USERNAME + " and " + PASSWORD + " must be set together");
        }
        if (apiKey != null && username != null) {
            throw new IllegalArgumentException(
                    "set either " + API_KEY + " or " + USERNAME + "/" + PASSWORD + ", not both");
        }
        int tlsSources =
                (caCertificatePath != null ? 1 : 0)
                        + (truststorePath != null ? 1 : 0)
                        + (caFingerprint != null ? 1 : 0);
        if (tlsSources > 1) {
            throw new IllegalArgumentException(
                    "set only one of "
                            + TLS_CA_CERTIFICATE
                            + ", "
                            + TLS_TRUSTSTORE
                            + ", "
                            + TLS_CA_FINGERPRINT);
        }
        if (truststoreType == null) {
            truststoreType = "PKCS12";
        }
        requirePositive(BULK_MAX_ACTIONS, bulkMaxActions);
        requirePositive(BULK_MAX_BYTES, bulkMaxBytes);
        requirePositive(BULK_MAX_CONCURRENT_REQUESTS, bulkMaxConcurrentRequests);
        requirePositive(RETRY_MAX_ATTEMPTS, retryMaxAttempts);
        requirePositive(BULK_FLUSH_INTERVAL, bulkFlushInterval);
        requirePositive(RETRY_INITIAL_BACKOFF, retryInitialBackoff);
        requirePositive(RETRY_MAX_BACKOFF, retryMaxBackoff);
        Objects.requireNonNull(retryOutageBudget, RETRY_OUTAGE_BUDGET);
        if (retryOutageBudget.isNegative()) {
            throw new IllegalArgumentException(
                    RETRY_OUTAGE_BUDGET + " must not be negative, was " + retryOutageBudget);
        }
        requirePositive(CONNECT_TIMEOUT, connectTimeout);
        requirePositive(SOCKET_TIMEOUT, socketTimeout);
        if (indexRefreshInterval != null) {
            requirePositive(INDEX_REFRESH_INTERVAL, indexRefreshInterval);
        }
        if (retryMaxBackoff.compareTo(retryInitialBackoff) < 0) {
            throw new IllegalArgumentException(
                    RETRY_MAX_BACKOFF + " must not be shorter than " + RETRY_INITIAL_BACKOFF);
        }
    }

    /** Settings with every default, for the given hosts (e.g. {@code http://127.0.0.1:9200}). */
    public static ElasticsearchSettings forHosts(String... hosts) {
        Map<String, String> map = new HashMap<>();
        map.put(HOSTS, String.join(",", hosts));
        return fromMap(map);
    }

    public static ElasticsearchSettings fromProperties(Properties properties) {
        Map<String, String> map = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            map.put(name, properties.getProperty(name));
        }
        return fromMap(map);
    }

    /**
     * Reads the {@value #PREFIX}* keys; other keys are ignored, unknown keys under the prefix are
     * rejected so that a typo does not silently fall back to a default.
     */
    public static ElasticsearchSettings fromMap(Map<String, String> config) {
        for (String key : config.keySet()) {
            if (key.startsWith(PREFIX) && !KNOWN_KEYS.contains(key)) {
                throw new IllegalArgumentException(
                        "unknown setting '" + key + "'; known: " + String.join(", ", KNOWN_KEYS));
            }
        }
        String hosts = optional(config, HOSTS);
        if (hosts == null) {
            throw new IllegalArgumentException(
                    HOSTS
                            + " is required (comma-separated, e.g. https://es-1:9200,https://es-2:9200)");
        }
        List<String> hostList = new ArrayList<>();
        for (String host : hosts.split(",")) {
            if (!host.isBlank()) {
                hostList.add(host.strip());
            }
        }
        return new ElasticsearchSettings(
                hostList,
                optional(config, API_KEY),
                optional(config, USERNAME),
                optional(config, PASSWORD),
                optional(config, TLS_CA_CERTIFICATE),
                optional(config, TLS_TRUSTSTORE),
                optional(config, TLS_TRUSTSTORE_PASSWORD),
                optional(config, TLS_TRUSTSTORE_TYPE),
                optional(config, TLS_CA_FINGERPRINT),
                intValue(config, BULK_MAX_ACTIONS, DEFAULT_BULK_MAX_ACTIONS),
                byteSize(config, BULK_MAX_BYTES, DEFAULT_BULK_MAX_BYTES),
                duration(config, BULK_FLUSH_INTERVAL, DEFAULT_BULK_FLUSH_INTERVAL),
                intValue(
                        config, BULK_MAX_CONCURRENT_REQUESTS, DEFAULT_BULK_MAX_CONCURRENT_REQUESTS),
                intValue(config, RETRY_MAX_ATTEMPTS, DEFAULT_RETRY_MAX_ATTEMPTS),
                duration(config, RETRY_INITIAL_BACKOFF, DEFAULT_RETRY_INITIAL_BACKOFF),
                duration(config, RETRY_MAX_BACKOFF, DEFAULT_RETRY_MAX_BACKOFF),
                duration(config, RETRY_OUTAGE_BUDGET, DEFAULT_RETRY_OUTAGE_BUDGET),
                duration(config, CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT),
                duration(config, SOCKET_TIMEOUT, DEFAULT_SOCKET_TIMEOUT),
                duration(config, INDEX_REFRESH_INTERVAL, null));
    }

    /** A copy with other bulk limits (tests and benchmarks tune these). */
    public ElasticsearchSettings withBulk(
            int maxActions, long maxBytes, Duration flushInterval, int maxConcurrentRequests) {
        return new ElasticsearchSettings(
                hosts,
                apiKey,
                username,
                password,
                caCertificatePath,
                truststorePath,
                truststorePassword,
                truststoreType,
                caFingerprint,
                maxActions,
                maxBytes,
                flushInterval,
                maxConcurrentRequests,
                retryMaxAttempts,
                retryInitialBackoff,
                retryMaxBackoff,
                retryOutageBudget,
                connectTimeout,
                socketTimeout,
                indexRefreshInterval);
    }

    /** A copy with another retry policy. */
    public ElasticsearchSettings withRetry(
            int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        return new ElasticsearchSettings(
                hosts,
                apiKey,
                username,
                password,
                caCertificatePath,
                truststorePath,
                truststorePassword,
                truststoreType,
                caFingerprint,
                bulkMaxActions,
                bulkMaxBytes,
                bulkFlushInterval,
                bulkMaxConcurrentRequests,
                maxAttempts,
                initialBackoff,
                maxBackoff,
                retryOutageBudget,
                connectTimeout,
                socketTimeout,
                indexRefreshInterval);
    }

    /**
     * A copy with another outage budget: how long a document may keep failing transiently (node
     * down, 429, 502-504) before the task fails; zero: {@code retry.max-attempts} alone decides.
     */
    public ElasticsearchSettings withOutageBudget(Duration outageBudget) {
        return new ElasticsearchSettings(
                hosts,
                apiKey,
                username,
                password,
                caCertificatePath,
                truststorePath,
                truststorePassword,
                truststoreType,
                caFingerprint,
                bulkMaxActions,
                bulkMaxBytes,
                bulkFlushInterval,
                bulkMaxConcurrentRequests,
                retryMaxAttempts,
                retryInitialBackoff,
                retryMaxBackoff,
                outageBudget,
                connectTimeout,
                socketTimeout,
                indexRefreshInterval);
    }

    public List<URI> hostUris() {
        return hosts.stream().map(ElasticsearchSettings::parseHost).toList();
    }

    public RetryPolicy retryPolicy() {
        return new RetryPolicy(
                retryMaxAttempts, retryInitialBackoff, retryMaxBackoff, retryOutageBudget);
    }

    /** Never prints secrets: settings end up in logs and exception messages. */
    @Override
    public String toString() {
        return "ElasticsearchSettings{hosts="
                + hosts
                + ", auth="
                + (apiKey != null
                        ? "api-key"
                        : username != null ? "basic(" + username + ")" : "none")
                + ", tls="
                + (caCertificatePath != null
                        ? "ca-certificate " + caCertificatePath
                        : truststorePath != null
                                ? "truststore " + truststorePath
                                : caFingerprint != null ? "ca-fingerprint" : "system default")
                + ", bulk(maxActions="
                + bulkMaxActions
                + ", maxBytes="
                + bulkMaxBytes
                + ", flushInterval="
                + bulkFlushInterval
                + ", maxConcurrentRequests="
                + bulkMaxConcurrentRequests
                + "), retry(maxAttempts="
                + retryMaxAttempts
                + ", initialBackoff="
                + retryInitialBackoff
                + ", maxBackoff="
                + retryMaxBackoff
                + ", outageBudget="
                + retryOutageBudget
                + ")"
                + (indexRefreshInterval == null
                        ? ""
                        : ", indexRefreshInterval=" + indexRefreshInterval)
                + "}";
    }

    private static URI parseHost(String host) {
        try {
            URI uri = URI.create(host.strip());
            if (uri.getHost() == null) {
                throw new IllegalArgumentException(HOSTS + ": '" + host + "' has no host name");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    HOSTS + ": '" + host + "' is not a URL (" + e.getMessage() + ")", e);
        }
    }

    private static String optional(Map<String, String> config, String key) {
        String value = config.get(key);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static int intValue(Map<String, String> config, String key, int defaultValue) {
        String value = optional(config, key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a whole number", e);
        }
    }

    static long byteSize(Map<String, String> config, String key, long defaultValue) {
        String value = optional(config, key);
        if (value == null) {
            return defaultValue;
        }
        String v = value.toLowerCase(Locale.ROOT).replace(" ", "");
        long factor = 1;
        if (v.endsWith("kb")) {
            factor = 1024;
        } else if (v.endsWith("mb")) {
            factor = 1024 * 1024;
        } else if (v.endsWith("gb")) {
            factor = 1024L * 1024 * 1024;
        }
        String digits =
                factor == 1
                        ? (v.endsWith("b") ? v.substring(0, v.length() - 1) : v)
                        : v.substring(0, v.length() - 2);
        try {
            return Long.parseLong(digits) * factor;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    key + ": '" + value + "' is not a size (e.g. 5242880, 512kb, 5mb)", e);
        }
    }

    static Duration duration(Map<String, String> config, String key, Duration defaultValue) {
        String value = optional(config, key);
        if (value == null) {
            return defaultValue;
        }
        String v = value.toLowerCase(Locale.ROOT).replace(" ", "");
        try {
            if (v.startsWith("pt") || v.startsWith("p")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            return Duration.ofMillis(Long.parseLong(v));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(
                    key + ": '" + value + "' is not a duration (e.g. 500ms, 5s, 2m, PT1S)", e);
        }
    }

    private static void requirePositive(String key, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, was " + value);
        }
    }

    private static void requirePositive(String key, Duration value) {
        Objects.requireNonNull(value, key);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, was " + value);
        }
    }
}
