package dev.batchtrace.connectors.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class WebhookSettingsTest {

    private static final String SLACK =
            "https://hooks.slack.example/services/T000/B000/s3cr3tPathToken";

    @Test
    void defaultsApplyWhenOnlyUrlsAreGiven() {
        WebhookSettings s = WebhookSettings.fromMap(Map.of("webhook.urls", "http://a:8080/x"));
        assertEquals(List.of("http://a:8080/x"), s.urls());
        assertEquals(Map.of(), s.headers());
        assertEquals(WebhookSettings.DEFAULT_CONNECT_TIMEOUT, s.connectTimeout());
        assertEquals(WebhookSettings.DEFAULT_REQUEST_TIMEOUT, s.requestTimeout());
        assertEquals(WebhookSettings.DEFAULT_RETRY_MAX_ATTEMPTS, s.retryMaxAttempts());
        assertEquals(WebhookSettings.DEFAULT_RETRY_INITIAL_BACKOFF, s.retryInitialBackoff());
        assertEquals(WebhookSettings.DEFAULT_RETRY_MAX_BACKOFF, s.retryMaxBackoff());
        assertEquals(WebhookSettings.DEFAULT_MAX_IN_FLIGHT, s.maxInFlight());
    }

    @Test
    void everyKeyIsReadFromProperties() {
        Properties p = new Properties();
        p.setProperty("webhook.urls", " https://a.example/hook , http://127.0.0.1:9/b ,");
        p.setProperty("webhook.header.Authorization", "Bearer tok-123");
        p.setProperty("webhook.header.X-Team", "quality");
        p.setProperty("webhook.connect-timeout", "2s");
        p.setProperty("webhook.request-timeout", "PT15S");
        p.setProperty("webhook.retry.max-attempts", "4");
        p.setProperty("webhook.retry.initial-backoff", "50ms");
        p.setProperty("webhook.retry.max-backoff", "2m");
        p.setProperty("webhook.max-in-flight", "3");
        p.setProperty("elasticsearch.hosts", "http://ignored:9200"); // other prefixes are ignored

        WebhookSettings s = WebhookSettings.fromProperties(p);

        assertEquals(List.of("https://a.example/hook", "http://127.0.0.1:9/b"), s.urls());
        assertEquals(
                List.of(URI.create("https://a.example/hook"), URI.create("http://127.0.0.1:9/b")),
                s.urlUris());
        assertEquals("Bearer tok-123", s.headers().get("Authorization"));
        assertEquals("Bearer tok-123", s.headers().get("authorization")); // names ignore case
        assertEquals("quality", s.headers().get("X-Team"));
        assertEquals(Duration.ofSeconds(2), s.connectTimeout());
        assertEquals(Duration.ofSeconds(15), s.requestTimeout());
        assertEquals(
                new RetryPolicy(4, Duration.ofMillis(50), Duration.ofMinutes(2)), s.retryPolicy());
        assertEquals(3, s.maxInFlight());
    }

    @Test
    void toStringHidesHeaderValuesAndUrlSecrets() {
        WebhookSettings s =
                WebhookSettings.fromMap(
                        Map.of(
                                "webhook.urls",
                                SLACK + ",https://gw.example/mail?token=qwerty",
                                "webhook.header.Authorization",
                                "Bearer tok-123"));
        String text = s.toString();
        assertFalse(text.contains("tok-123"), text);
        assertFalse(text.contains("s3cr3tPathToken"), text);
        assertFalse(text.contains("T000"), text);
        assertFalse(text.contains("qwerty"), text);
        assertTrue(text.contains("https://hooks.slack.example/services/***"), text);
        assertTrue(text.contains("https://gw.example/mail/***"), text);
        assertTrue(text.contains("[Authorization] (values hidden)"), text);
    }

    @Test
    void redactKeepsWhatAnOperatorNeedsToFindTheReceiver() {
        assertEquals(
                "http://127.0.0.1:8080/alerts",
                WebhookSettings.redact(URI.create("http://127.0.0.1:8080/alerts")));
        assertEquals("https://h.example", WebhookSettings.redact(URI.create("https://h.example")));
        assertEquals(
                "https://h.example/***",
                WebhookSettings.redact(URI.create("https://user:pw@h.example?key=1")));
    }

    @Test
    void missingUrlsAndTyposAreRejectedWithTheKey() {
        IllegalArgumentException missing =
                assertThrows(
                        IllegalArgumentException.class, () -> WebhookSettings.fromMap(Map.of()));
        assertTrue(missing.getMessage().contains("webhook.urls is required"));

        IllegalArgumentException typo =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                WebhookSettings.fromMap(
                                        Map.of(
                                                "webhook.urls", "http://a/x",
                                                "webhook.retry.max-atempts", "3")));
        assertTrue(typo.getMessage().contains("webhook.retry.max-atempts"), typo.getMessage());
    }

    @Test
    void badValuesAreRejectedWithoutEchoingTheUrl() {
        IllegalArgumentException scheme =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> WebhookSettings.forUrls("ftp://files.example/secret-path"));
        assertFalse(scheme.getMessage().contains("secret-path"));
        assertThrows(IllegalArgumentException.class, () -> WebhookSettings.forUrls("not a url"));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        WebhookSettings.fromMap(
                                Map.of(
                                        "webhook.urls",
                                        "http://a/x",
                                        "webhook.max-in-flight",
                                        "0")));
        IllegalArgumentException duration =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                WebhookSettings.fromMap(
                                        Map.of(
                                                "webhook.urls",
                                                "http://a/x",
                                                "webhook.request-timeout",
                                                "10 parsecs")));
        assertTrue(duration.getMessage().contains("webhook.request-timeout"));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        WebhookSettings.fromMap(
                                Map.of(
                                        "webhook.urls", "http://a/x",
                                        "webhook.retry.initial-backoff", "5s",
                                        "webhook.retry.max-backoff", "1s")));
    }

    @Test
    void headersTheSinkOwnsOrTheClientForbidsCannotBeConfigured() {
        for (String name : List.of("Idempotency-Key", "content-type", "Host", "Content-Length")) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> WebhookSettings.forUrls("http://a/x").withHeader(name, "v"),
                            name);
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> WebhookSettings.forUrls("http://a/x").withHeader("Bad Name", "v"));
        assertThrows(
                IllegalArgumentException.class,
                () -> WebhookSettings.forUrls("http://a/x").withHeader("X-A", "one\r\nX-B: two"));
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        WebhookSettings s =
                WebhookSettings.forUrls("http://a/x", "http://b/y")
                        .withHeader("X-Token", "t")
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
}
