package dev.batchtrace.connectors.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class RegistrySettingsTest {

    @Test
    void readsConfluentStyleKeys() {
        Properties p = new Properties();
        p.setProperty("schema.registry.url", "https://registry.plant-1:8081/");
        p.setProperty("schema.registry.basic.auth.user.info", "flink:pa:ss");
        p.setProperty("schema.registry.ssl.truststore.location", "/etc/ssl/registry.p12");
        p.setProperty("schema.registry.ssl.truststore.password", "changeit");
        p.setProperty("schema.registry.ssl.truststore.type", "PKCS12");
        p.setProperty("schema.registry.connect.timeout.ms", "1500");
        p.setProperty("schema.registry.request.timeout.ms", "2500");
        p.setProperty("schema.registry.cache.capacity", "50");
        p.setProperty("bootstrap.servers", "ignored:9092");

        RegistrySettings s = RegistrySettings.fromProperties(p);

        assertEquals("https://registry.plant-1:8081", s.url(), "trailing slash removed");
        assertEquals("flink", s.basicAuthUser());
        assertEquals("pa:ss", s.basicAuthPassword(), "only the first colon separates");
        assertEquals("/etc/ssl/registry.p12", s.truststorePath());
        assertEquals("PKCS12", s.truststoreType());
        assertEquals(Duration.ofMillis(1500), s.connectTimeout());
        assertEquals(Duration.ofMillis(2500), s.requestTimeout());
        assertEquals(50, s.cacheSize());
        assertFalse(s.toString().contains("pa:ss"));
        assertFalse(s.toString().contains("changeit"));
    }

    @Test
    void defaultsAndShortUserInfoKey() {
        RegistrySettings s =
                RegistrySettings.fromMap(
                        Map.of(
                                "schema.registry.url",
                                "http://r:8081",
                                "basic.auth.user.info",
                                "u:p"));
        assertEquals("u", s.basicAuthUser());
        assertEquals(RegistrySettings.DEFAULT_CONNECT_TIMEOUT, s.connectTimeout());
        assertEquals(RegistrySettings.DEFAULT_CACHE_SIZE, s.cacheSize());
        assertNull(s.truststorePath());
    }

    @Test
    void rejectsWhatWouldFailLater() {
        IllegalArgumentException missing =
                assertThrows(
                        IllegalArgumentException.class, () -> RegistrySettings.fromMap(Map.of()));
        assertTrue(missing.getMessage().contains("schema.registry.url"));
        assertThrows(IllegalArgumentException.class, () -> RegistrySettings.of("registry:8081"));
        assertThrows(
                IllegalArgumentException.class,
                () -> RegistrySettings.of("http://r1:8081,http://r2:8081"));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        RegistrySettings.fromMap(
                                Map.of(
                                        "schema.registry.url", "http://r",
                                        "schema.registry.basic.auth.user.info", "nocolon")));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        RegistrySettings.fromMap(
                                Map.of(
                                        "schema.registry.url", "http://r",
                                        "schema.registry.request.timeout.ms", "soon")));
    }

    @Test
    void settingsAndFactorySurviveJavaSerialization() throws Exception {
        RegistrySettings s = RegistrySettings.of("http://r:8081").withBasicAuth("u", "p");
        assertEquals(s, InstantiationUtil.clone(s));
        SchemaRegistryClientFactory factory =
                InstantiationUtil.clone(s.clientFactory(), getClass().getClassLoader());
        assertTrue(factory.create() instanceof ConfluentSchemaRegistryClient);
    }
}
