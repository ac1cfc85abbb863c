package dev.batchtrace.connectors.webhook;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where to deliver alerts and how hard to try. Immutable and serializable: the sink ships it to
 * every task.
 *
 * <p>Keys read by {@link #fromProperties(Properties)} / {@link #fromMap(Map)} (durations as
 * ISO-8601 {@code PT5S} or {@code 500ms}, {@code 5s}, {@code 2m}):
 *
 * <table>
 *   <tr><th>key</th><th>default</th></tr>
 *   <tr><td>webhook.urls</td><td>required, comma-separated http(s) URLs; every alert goes to each</td></tr>
 *   <tr><td>webhook.header.&lt;Name&gt;</td><td>none; extra request header, e.g. {@code webhook.header.Authorization=Bearer ...} (value never logged)</td></tr>
 *   <tr><td>webhook.connect-timeout</td><td>5s</td></tr>
 *   <tr><td>webhook.request-timeout</td><td>10s (whole request, answer included)</td></tr>
 *   <tr><td>webhook.retry.max-attempts</td><td>8 (sends per alert and URL, the first included)</td></tr>
 *   <tr><td>webhook.retry.initial-backoff</td><td>200ms</td></tr>
 *   <tr><td>webhook.retry.max-backoff</td><td>30s (also caps a receiver's Retry-After)</td></tr>
 *   <tr><td>webhook.max-in-flight</td><td>16 (deliveries per subtask not yet answered; more block the writer)</td></tr>
 * </table>
 */
public record WebhookSettings(
        List<String> urls,
        Map<String, String> headers,
        Duration connectTimeout,
        Duration requestTimeout,
        int retryMaxAttempts,
        Duration retryInitialBackoff,
        Duration retryMaxBackoff,
        int maxInFlight)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String PREFIX = "webhook.";
    public static final String URLS = PREFIX + "urls";
    public static final String HEADER_PREFIX = PREFIX + "header.";
    public static final String CONNECT_TIMEOUT = PREFIX + "connect-timeout";
    public static final String REQUEST_TIMEOUT = PREFIX + "request-timeout";
    public static final String RETRY_MAX_ATTEMPTS = PREFIX + "retry.max-attempts";
    public static final String RETRY_INITIAL_BACKOFF = PREFIX + "retry.initial-backoff";
    public static final String RETRY_MAX_BACKOFF = PREFIX + "retry.max-backoff";
    public static final String MAX_IN_FLIGHT = PREFIX + "max-in-flight";

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_RETRY_MAX_ATTEMPTS = 8;
    public static final Duration DEFAULT_RETRY_INITIAL_BACKOFF = Duration.ofMillis(200);
    public static final Duration DEFAULT_RETRY_MAX_BACKOFF = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_IN_FLIGHT = 16;

    /** The header that carries {@code <alertId>/<status>}; the sink sets it, config may not. */
    public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

    private static final List<String> KNOWN_KEYS =
            List.of(
                    URLS,
                    CONNECT_TIMEOUT,
                    REQUEST_TIMEOUT,
                    RETRY_MAX_ATTEMPTS,
                    RETRY_INITIAL_BACKOFF,
                    RETRY_MAX_BACKOFF,
                    MAX_IN_FLIGHT);

    /** Headers java.net.http.HttpClient refuses to let callers set, plus the ones the sink owns. */
    private static final Set<String> RESERVED_HEADERS =
            Set.of(
                    "connection",
                    "content-length",
                    "expect",
                    "host",
                    "upgrade",
                    "content-type",
                    IDEMPOTENCY_KEY_HEADER.toLowerCase(Locale.ROOT));

    public WebhookSettings {
        Objects.requireNonNull(urls, "urls");
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException(URLS + " must name at least one URL");
        }
        for (String url : urls) {
            parseUrl(url);
        }
        Map<String, String> sorted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, String> header :
                Objects.requireNonNull(headers, "headers").entrySet()) {
            String name = header.getKey();
            if (name == null
                    || name.isBlank()
                    || !name.chars().allMatch(WebhookSettings::isTokenChar)) {
                throw new IllegalArgumentException(
                        HEADER_PREFIX + "'" + name + "' is not a valid HTTP header name");
            }
            if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(
                        HEADER_PREFIX + name + " cannot be configured: the sink sets it");
            }
            if (header.getValue() == null
                    || header.getValue().indexOf('\n') >= 0
                    || header.getValue().indexOf('\r') >= 0) {
                throw new IllegalArgumentException(
                        HEADER_PREFIX + name + " must have a single-line value");
            }
            if (sorted.put(name, header.getValue()) != null) {
                throw new IllegalArgumentException(
                        HEADER_PREFIX + name + " is configured twice (header names ignore case)");
            }
        }
        headers = Collections.unmodifiableMap(sorted);
        requirePositive(CONNECT_TIMEOUT, connectTimeout);
        requirePositive(REQUEST_TIMEOUT, requestTimeout);
        requirePositive(RETRY_INITIAL_BACKOFF, retryInitialBackoff);
        requirePositive(RETRY_MAX_BACKOFF, retryMaxBackoff);
        if (retryMaxAttempts < 1) {
            throw new IllegalArgumentException(
                    RETRY_MAX_ATTEMPTS + " must be at least 1, was " + retryMaxAttempts);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException(
                    MAX_IN_FLIGHT + " must be at least 1, was " + maxInFlight);
        }
        if (retryMaxBackoff.compareTo(retryInitialBackoff) < 0) {
            throw new IllegalArgumentException(
                    RETRY_MAX_BACKOFF + " must not be shorter than " + RETRY_INITIAL_BACKOFF);
        }
    }

    /** Settings with every default and no extra headers, for the given URLs. */
    public static WebhookSettings forUrls(String... urls) {
        return fromMap(Map.of(URLS, String.join(",", urls)));
    }

    public static WebhookSettings fromProperties(Properties properties) {
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
    public static WebhookSettings fromMap(Map<String, String> config) {
        Map<String, String> headers = new HashMap<>();
        for (Map.Entry<String, String> entry : config.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith(HEADER_PREFIX)) {
                headers.put(key.substring(HEADER_PREFIX.length()), entry.getValue().strip());
            } else if (key.startsWith(PREFIX) && !KNOWN_KEYS.contains(key)) {
                throw new IllegalArgumentException(
                        "unknown setting '"
                                + key
                                + "'; known: "
                                + String.join(", ", KNOWN_KEYS)
                                + ", "
                                + HEADER_PREFIX
                                + "<Name>");
            }
        }
        String urls = optional(config, URLS);
        if (urls == null) {
            throw new IllegalArgumentException(
                    URLS + " is required (comma-separated, e.g. https://hooks.example.com/alerts)");
        }
        List<String> urlList = new ArrayList<>();
        for (String url : urls.split(",")) {
            if (!url.isBlank()) {
                urlList.add(url.strip());
            }
        }
        return new WebhookSettings(
                urlList,
                headers,
                duration(config, CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT),
                duration(config, REQUEST_TIMEOUT, DEFAULT_REQUEST_TIMEOUT),
                intValue(config, RETRY_MAX_ATTEMPTS, DEFAULT_RETRY_MAX_ATTEMPTS),
                duration(config, RETRY_INITIAL_BACKOFF, DEFAULT_RETRY_INITIAL_BACKOFF),
                duration(config, RETRY_MAX_BACKOFF, DEFAULT_RETRY_MAX_BACKOFF),
                intValue(config, MAX_IN_FLIGHT, DEFAULT_MAX_IN_FLIGHT));
    }

    /** A copy with other retry limits (tests tune these). */
    public WebhookSettings withRetry(
            int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        return new WebhookSettings(
                urls,
                headers,
                connectTimeout,
                requestTimeout,
                maxAttempts,
                initialBackoff,
                maxBackoff,
                maxInFlight);
    }

    /** A copy with one more request header (e.g. a token read from a secret store). */
    public WebhookSettings withHeader(String name, String value) {
        Map<String, String> more = new HashMap<>(headers);
        more.put(name, value);
        return new WebhookSettings(
                urls,
                more,
                connectTimeout,
                requestTimeout,
                retryMaxAttempts,
                retryInitialBackoff,
                retryMaxBackoff,
                maxInFlight);
    }

    public List<URI> urlUris() {
        return urls.stream().map(WebhookSettings::parseUrl).toList();
    }

    public RetryPolicy retryPolicy() {
        return new RetryPolicy(retryMaxAttempts, retryInitialBackoff, retryMaxBackoff);
    }

    /**
     * A URL as it may appear in logs and errors: scheme, host, port and the first path segment
     * only. Chat webhooks (Slack, Teams, Google Chat) carry their secret in the path or query.
     */
    public static String redact(URI url) {
        StringBuilder out = new StringBuilder().append(url.getScheme()).append("://");
        out.append(url.getHost());
        if (url.getPort() >= 0) {
            out.append(':').append(url.getPort());
        }
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        String[] segments = path.split("/", -1);
        // segments[0] is "" (path starts with '/'); keep the first real segment
        if (segments.length > 1) {
            out.append('/').append(segments[1]);
            if (segments.length > 2 || url.getRawQuery() != null) {
                out.append("/***");
            }
        } else if (url.getRawQuery() != null) {
            out.append("/***");
        }
        return out.toString();
    }

    /** Never prints secrets: header values and URL paths end up in logs otherwise. */
    @Override
    public String toString() {
        return "WebhookSettings{urls="
                + urlUris().stream().map(WebhookSettings::redact).toList()
                + ", headers="
                + headers.keySet()
                + " (values hidden), connectTimeout="
                + connectTimeout
                + ", requestTimeout="
                + requestTimeout
                + ", retry(maxAttempts="
                + retryMaxAttempts
                + ", initialBackoff="
                + retryInitialBackoff
                + ", maxBackoff="
                + retryMaxBackoff
                + "), maxInFlight="
                + maxInFlight
                + "}";
    }

    private static URI parseUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            // the message of URI.create repeats the URL, which may hold a secret
            throw new IllegalArgumentException(URLS + ": an entry is not a valid URL", e);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException(
                    URLS + ": every URL must start with http:// or https://");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(URLS + ": a URL has no host name");
        }
        return uri;
    }

    private static boolean isTokenChar(int c) {
        return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }

    private static String optional(Map<String, String> config, String key) {
        String value = config.get(key);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static int intValue(Map<String, String> config, String key, int fallback) {
        String value = optional(config, key);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a whole number", e);
        }
    }

    static Duration duration(Map<String, String> config, String key, Duration fallback) {
        String value = optional(config, key);
        return value == null ? fallback : parseDuration(key, value);
    }

    /** {@code PT5S}, {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}. */
    static Duration parseDuration(String key, String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("pt") || v.startsWith("p")) {
                return Duration.parse(value.strip().toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).strip()));
            }
            long amount = Long.parseLong(v.substring(0, v.length() - 1).strip());
            switch (v.charAt(v.length() - 1)) {
                case 's':
                    return Duration.ofSeconds(amount);
                case 'm':
                    return Duration.ofMinutes(amount);
                case 'h':
                    return Duration.ofHours(amount);
                default:
                    break;
            }
        } catch (NumberFormatException
                | DateTimeParseException
                | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(
                    key + ": '" + value + "' is not a duration (e.g. 500ms, 5s, 2m, PT5S)", e);
        }
        throw new IllegalArgumentException(
                key + ": '" + value + "' is not a duration (e.g. 500ms, 5s, 2m, PT5S)");
    }

    private static void requirePositive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be a positive duration, was " + value);
        }
    }
}
