package dev.batchtrace.connectors.registry;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Where and how to reach a schema registry that speaks the Confluent REST API. Immutable and
 * serializable: Flink ships it to the tasks, which create their own (transient) client from it.
 *
 * <p>Keys read by {@link #fromMap(Map)} follow the names of Confluent's own serde configs so
 * production configs look familiar; see the module README for the table.
 */
public record RegistrySettings(
        String url,
        String basicAuthUser,
        String basicAuthPassword,
        String truststorePath,
        String truststorePassword,
        String truststoreType,
        Duration connectTimeout,
        Duration requestTimeout,
        int cacheSize)
        implements Serializable {

    public static final String URL = "schema.registry.url";
    public static final String BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";

    /** Confluent's serdes also accept the key without the {@code schema.registry.} prefix. */
    public static final String BASIC_AUTH_USER_INFO_SHORT = "basic.auth.user.info";

    public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String CONNECT_TIMEOUT_MS = "schema.registry.connect.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    public static final String CACHE_CAPACITY = "schema.registry.cache.capacity";

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_CACHE_SIZE = 1000;

    public RegistrySettings {
        Objects.requireNonNull(url, URL + " is required");
        url = url.strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        if (url.contains(",")) {
            throw new IllegalArgumentException(
                    URL
                            + " takes one URL (put a load balancer in front of several registry"
                            + " nodes), got '"
                            + url
                            + "'");
        }
        URI parsed = URI.create(url);
        if (parsed.getScheme() == null
                || !(parsed.getScheme().equals("http") || parsed.getScheme().equals("https"))) {
            throw new IllegalArgumentException(
                    URL + " must be an http:// or https:// URL, got '" + url + "'");
        }
        if ((basicAuthUser == null) != (basicAuthPassword == null)) {
            throw new IllegalArgumentException(
                    "basic auth needs both user and password (" + BASIC_AUTH_USER_INFO + ")");
        }
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        if (connectTimeout.isNegative()
                || connectTimeout.isZero()
                || requestTimeout.isNegative()
                || requestTimeout.isZero()) {
            throw new IllegalArgumentException("registry timeouts must be positive");
        }
        if (cacheSize <= 0) {
            throw new IllegalArgumentException(CACHE_CAPACITY + " must be positive: " + cacheSize);
        }
        if (truststorePath == null && truststorePassword != null) {
            throw new IllegalArgumentException(
                    TRUSTSTORE_PASSWORD + " is set but " + TRUSTSTORE_LOCATION + " is not");
        }
    }

    /** Plain settings: no auth, JVM default trust, default timeouts and cache. */
    public static RegistrySettings of(String url) {
        return new RegistrySettings(
                url,
                null,
                null,
                null,
                null,
                null,
                DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_REQUEST_TIMEOUT,
                DEFAULT_CACHE_SIZE);
    }

    public static RegistrySettings fromProperties(Properties properties) {
        return fromMap(properties);
    }

    /** Reads the documented keys; unknown keys are ignored (the map may be a whole job config). */
    public static RegistrySettings fromMap(Map<?, ?> config) {
        String url = string(config, URL);
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(
                    "missing " + URL + " (e.g. http://registry:8081 or the Apicurio ccompat base)");
        }
        String userInfo = string(config, BASIC_AUTH_USER_INFO);
        if (userInfo == null) {
            userInfo = string(config, BASIC_AUTH_USER_INFO_SHORT);
        }
        String user = null;
        String password = null;
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(
                        BASIC_AUTH_USER_INFO + " must be 'user:password'");
            }
            user = userInfo.substring(0, colon);
            password = userInfo.substring(colon + 1);
        }
        return new RegistrySettings(
                url,
                user,
                password,
                string(config, TRUSTSTORE_LOCATION),
                string(config, TRUSTSTORE_PASSWORD),
                string(config, TRUSTSTORE_TYPE),
                millis(config, CONNECT_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT),
                millis(config, REQUEST_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT),
                integer(config, CACHE_CAPACITY, DEFAULT_CACHE_SIZE));
    }

    public RegistrySettings withBasicAuth(String user, String password) {
        return new RegistrySettings(
                url,
                user,
                password,
                truststorePath,
                truststorePassword,
                truststoreType,
                connectTimeout,
                requestTimeout,
                cacheSize);
    }

    public RegistrySettings withTimeouts(Duration connect, Duration request) {
        return new RegistrySettings(
                url,
                basicAuthUser,
                basicAuthPassword,
                truststorePath,
                truststorePassword,
                truststoreType,
                connect,
                request,
                cacheSize);
    }

    public RegistrySettings withTruststore(String path, String password, String type) {
        return new RegistrySettings(
                url,
                basicAuthUser,
                basicAuthPassword,
                path,
                password,
                type,
                connectTimeout,
                requestTimeout,
                cacheSize);
    }

    public Optional<String> basicAuth() {
        return Optional.ofNullable(basicAuthUser);
    }

    /** A serializable factory for the HTTP client, for Flink functions that create it in open(). */
    public SchemaRegistryClientFactory clientFactory() {
        RegistrySettings settings = this;
        return () -> new ConfluentSchemaRegistryClient(settings);
    }

    /** Never prints secrets: settings end up in logs and Flink's web UI. */
    @Override
    public String toString() {
        return "RegistrySettings[url="
                + url
                + ", basicAuthUser="
                + basicAuthUser
                + ", basicAuthPassword="
                + (basicAuthPassword == null ? "null" : "***")
                + ", truststorePath="
                + truststorePath
                + ", truststorePassword="
                + (truststorePassword == null ? "null" : "***")
                + ", truststoreType="
                + truststoreType
                + ", connectTimeout="
                + connectTimeout
                + ", requestTimeout="
                + requestTimeout
                + ", cacheSize="
                + cacheSize
                + "]";
    }

    private static String string(Map<?, ?> config, String key) {
        Object value = config.get(key);
        return value == null ? null : value.toString().strip();
    }

    private static Duration millis(Map<?, ?> config, String key, Duration fallback) {
        String value = string(config, key);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return Duration.ofMillis(Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be milliseconds, got '" + value + "'");
        }
    }

    private static int integer(Map<?, ?> config, String key, int fallback) {
        String value = string(config, key);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + value + "'");
        }
    }
}
