package dev.batchtrace.connectors.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ElasticsearchSettingsTest {

    @Test
    void defaultsApplyWhenOnlyHostsAreSet() {
        ElasticsearchSettings s = ElasticsearchSettings.forHosts("http://127.0.0.1:9200");

        assertEquals(List.of(URI.create("http://127.0.0.1:9200")), s.hostUris());
        assertEquals(1000, s.bulkMaxActions());
        assertEquals(5L * 1024 * 1024, s.bulkMaxBytes());
        assertEquals(Duration.ofMillis(200), s.bulkFlushInterval());
        assertEquals(2, s.bulkMaxConcurrentRequests());
        assertEquals(8, s.retryMaxAttempts());
        assertEquals(Duration.ofMillis(100), s.retryInitialBackoff());
        assertEquals(Duration.ofMinutes(10), s.retryOutageBudget());
        assertNull(s.apiKey());
        assertNull(s.username());
        assertEquals("PKCS12", s.truststoreType());
    }

    @Test
    void readsEveryDocumentedKeyFromProperties() {
        Properties p = new Properties();
        p.setProperty("elasticsearch.hosts", "https://es-1:9200, https://es-2:9200");
        p.setProperty("elasticsearch.username", "trace-writer");
        p.setProperty("elasticsearch.password", "s3cret");
        p.setProperty("elasticsearch.tls.ca-certificate", "/etc/es/http_ca.crt");
        p.setProperty("elasticsearch.bulk.max-actions", "500");
        p.setProperty("elasticsearch.bulk.max-bytes", "2mb");
        p.setProperty("elasticsearch.bulk.flush-interval", "250ms");
        p.setProperty("elasticsearch.bulk.max-concurrent-requests", "4");
        p.setProperty("elasticsearch.retry.max-attempts", "3");
        p.setProperty("elasticsearch.retry.initial-backoff", "PT0.05S");
        p.setProperty("elasticsearch.retry.max-backoff", "2m");
        p.setProperty("elasticsearch.retry.outage-budget", "90s");
        p.setProperty("elasticsearch.connect-timeout", "2s");
        p.setProperty("elasticsearch.socket-timeout", "90s");
        p.setProperty("kafka.bootstrap.servers", "ignored:9092");

        ElasticsearchSettings s = ElasticsearchSettings.fromProperties(p);

        assertEquals(List.of("https://es-1:9200", "https://es-2:9200"), s.hosts());
        assertEquals("trace-writer", s.username());
        assertEquals("s3cret", s.password());
        assertEquals("/etc/es/http_ca.crt", s.caCertificatePath());
        assertEquals(500, s.bulkMaxActions());
        assertEquals(2L * 1024 * 1024, s.bulkMaxBytes());
        assertEquals(Duration.ofMillis(250), s.bulkFlushInterval());
        assertEquals(4, s.bulkMaxConcurrentRequests());
        assertEquals(
                new RetryPolicy(
                        3, Duration.ofMillis(50), Duration.ofMinutes(2), Duration.ofSeconds(90)),
                s.retryPolicy());
        assertEquals(Duration.ofSeconds(2), s.connectTimeout());
        assertEquals(Duration.ofSeconds(90), s.socketTimeout());
    }

    @Test
    void sizesAndDurationsAcceptPlainNumbers() {
        Map<String, String> m = new HashMap<>();
        m.put("x", "1024");
        m.put("y", "512kb");
        assertEquals(1024, ElasticsearchSettings.byteSize(m, "x", 0));
        assertEquals(512 * 1024, ElasticsearchSettings.byteSize(m, "y", 0));
        assertEquals(Duration.ofMillis(1024), ElasticsearchSettings.duration(m, "x", null));
    }

    @Test
    void rejectsMissingHostsUnknownKeysAndBadValues() {
        IllegalArgumentException missing =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ElasticsearchSettings.fromMap(Map.of()));
        assertTrue(missing.getMessage().contains("elasticsearch.hosts is required"));

        IllegalArgumentException typo =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                ElasticsearchSettings.fromMap(
                                        Map.of(
                                                "elasticsearch.hosts", "http://h:9200",
                                                "elasticsearch.bulk.max-action", "10")));
        assertTrue(typo.getMessage().contains("elasticsearch.bulk.max-action"));

        assertThrows(
                IllegalArgumentException.class,
                () -> ElasticsearchSettings.forHosts("es-1:9200"),
                "a host without scheme");
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        ElasticsearchSettings.fromMap(
                                Map.of(
                                        "elasticsearch.hosts", "http://h:9200",
                                        "elasticsearch.bulk.flush-interval", "soon")));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        ElasticsearchSettings.fromMap(
                                Map.of(
                                        "elasticsearch.hosts", "http://h:9200",
                                        "elasticsearch.bulk.max-actions", "0")));
    }

    @Test
    void authAndTlsOptionsMustNotContradictEachOther() {
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        ElasticsearchSettings.fromMap(
                                Map.of(
                                        "elasticsearch.hosts", "http://h:9200",
                                        "elasticsearch.username", "u")),
                "username without password");
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        ElasticsearchSettings.fromMap(
                                Map.of(
                                        "elasticsearch.hosts", "http://h:9200",
                                        "elasticsearch.api-key", "k",
                                        "elasticsearch.username", "u",
                                        "elasticsearch.password", "p")));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        ElasticsearchSettings.fromMap(
                                Map.of(
                                        "elasticsearch.hosts", "https://h:9200",
                                        "elasticsearch.tls.ca-certificate", "/ca.crt",
                                        "elasticsearch.tls.ca-fingerprint", "ab:cd")));
    }

    @Test
    void toStringNeverShowsSecrets() {
        ElasticsearchSettings s =
                ElasticsearchSettings.fromMap(
                        Map.of(
                                "elasticsearch.hosts", "https://h:9200",
                                "elasticsearch.username", "writer",
                                "elasticsearch.password", "hunter2",
                                "elasticsearch.tls.truststore", "/ts.p12",
                                "elasticsearch.tls.truststore-password", "changeit"));
        String text = s.toString();
        assertTrue(text.contains("basic(writer)"), text);
        assertFalse(text.contains("hunter2"), text);
        assertFalse(text.contains("changeit"), text);

        ElasticsearchSettings withKey =
                ElasticsearchSettings.fromMap(
                        Map.of(
                                "elasticsearch.hosts", "https://h:9200",
                                "elasticsearch.api-key", "c2VjcmV0OmtleQ=="));
        assertFalse(withKey.toString().contains("c2VjcmV0OmtleQ=="));
    }

    @Test
    void survivesJavaSerializationAsTheSinkShipsIt() throws Exception {
        ElasticsearchSettings s =
                ElasticsearchSettings.forHosts("http://a:9200", "http://b:9200")
                        .withRetry(3, Duration.ofMillis(10), Duration.ofSeconds(1));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(s, in.readObject());
        }
    }

    @Test
    void theIndexRefreshIntervalIsUnsetUnlessGivenAndMustBePositive() {
        Map<String, String> config = new java.util.HashMap<>();
        config.put(ElasticsearchSettings.HOSTS, "http://127.0.0.1:9200");
        assertEquals(null, ElasticsearchSettings.fromMap(config).indexRefreshInterval());
        config.put(ElasticsearchSettings.INDEX_REFRESH_INTERVAL, "500ms");
        assertEquals(
                Duration.ofMillis(500),
                ElasticsearchSettings.fromMap(config).indexRefreshInterval());
        config.put(ElasticsearchSettings.INDEX_REFRESH_INTERVAL, "0s");
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> ElasticsearchSettings.fromMap(config));
    }
}
