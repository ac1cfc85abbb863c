package dev.batchtrace.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.connectors.registry.ConfluentSchemaRegistryClient;
import dev.batchtrace.connectors.registry.RegistrySettings;
import dev.batchtrace.connectors.registry.SchemaRegistryException;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.stack.SecuredTestServers;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The real Apicurio registry with HTTPS only and HTTP basic auth (checked by the registry through
 * its OpenID Connect token endpoint, here {@code OidcTokenStandIn}): the client's {@code
 * schema.registry.*} keys for TLS and basic auth work; a wrong password, no credentials and an
 * untrusted certificate each fail fast with the registry URL, the user and the key to fix.
 */
class SecuredRegistryITCase {

    @Test
    void serdesWorkOverTlsWithBasicAuth() throws Exception {
        SecuredTestServers.SchemaRegistry registry = SecuredTestServers.schemaRegistry();
        assertTrue(registry.url().startsWith("https://127.0.0.1:"), registry.url());
        RegistrySettings settings = RegistrySettings.fromMap(keys(registry, registry.password()));
        assertFalse(settings.toString().contains(registry.password()), settings.toString());

        String topic = "mes.goods-receipts.secured-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] bytes =
                new AvroRecordSerializer<GoodsReceipt>(new ConfluentSchemaRegistryClient(settings))
                        .serialize(topic, Samples.receipt(3));
        GoodsReceipt back =
                AvroRecordDeserializer.forSpecific(
                                new ConfluentSchemaRegistryClient(settings), GoodsReceipt.class)
                        .deserialize(bytes);
        assertEquals(Samples.receipt(3), back);
        assertEquals(
                AvroWireFormat.schemaId(bytes),
                new ConfluentSchemaRegistryClient(settings)
                        .getLatestSchemaMetadata(topic + "-value")
                        .id());
    }

    @Test
    void wrongPasswordAndNoCredentialsAreUnauthorizedNamingUserNotPassword() {
        SecuredTestServers.SchemaRegistry registry = SecuredTestServers.schemaRegistry();
        String wrong = "not-" + registry.password();
        ConfluentSchemaRegistryClient client =
                new ConfluentSchemaRegistryClient(RegistrySettings.fromMap(keys(registry, wrong)));
        long refusedBefore = SecuredTestServers.registryLoginsRefused();
        long started = System.nanoTime();
        SchemaRegistryException e =
                assertThrows(
                        SchemaRegistryException.class,
                        () -> client.getLatestSchemaMetadata("mes.goods-receipts-value"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertEquals(SchemaRegistryException.Kind.UNAUTHORIZED, e.kind(), e.getMessage());
        assertEquals(401, e.httpStatus());
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "took " + took);
        assertTrue(e.getMessage().contains(registry.url()), e.getMessage());
        assertTrue(
                e.getMessage().contains("'" + SecuredTestServers.REGISTRY_USER + "'"),
                e.getMessage());
        assertTrue(e.getMessage().contains(RegistrySettings.BASIC_AUTH_USER_INFO), e.getMessage());
        assertFalse(e.getMessage().contains(wrong), e.getMessage());
        // the registry really asked its token endpoint, which said no
        assertTrue(SecuredTestServers.registryLoginsRefused() > refusedBefore);

        Map<String, String> anonymous = keys(registry, null);
        SchemaRegistryException none =
                assertThrows(
                        SchemaRegistryException.class,
                        () ->
                                new ConfluentSchemaRegistryClient(
                                                RegistrySettings.fromMap(anonymous))
                                        .getLatestSchemaMetadata("mes.goods-receipts-value"));
        assertEquals(SchemaRegistryException.Kind.UNAUTHORIZED, none.kind(), none.getMessage());
    }

    @Test
    void untrustedCertificateIsUnreachableNamingTheTruststoreKey() {
        SecuredTestServers.SchemaRegistry registry = SecuredTestServers.schemaRegistry();
        Map<String, String> keys = keys(registry, registry.password());
        keys.remove(RegistrySettings.TRUSTSTORE_LOCATION);
        keys.remove(RegistrySettings.TRUSTSTORE_PASSWORD);
        keys.remove(RegistrySettings.TRUSTSTORE_TYPE);
        SchemaRegistryException e =
                assertThrows(
                        SchemaRegistryException.class,
                        () ->
                                new ConfluentSchemaRegistryClient(RegistrySettings.fromMap(keys))
                                        .getLatestSchemaMetadata("mes.goods-receipts-value"));
        assertEquals(SchemaRegistryException.Kind.UNREACHABLE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("TLS"), e.getMessage());
        assertTrue(e.getMessage().contains(RegistrySettings.TRUSTSTORE_LOCATION), e.getMessage());
    }

    /** The keys of an operator's config file. */
    private static Map<String, String> keys(
            SecuredTestServers.SchemaRegistry registry, String password) {
        Map<String, String> keys = new HashMap<>();
        keys.put(RegistrySettings.URL, registry.url());
        if (password != null) {
            keys.put(RegistrySettings.BASIC_AUTH_USER_INFO, registry.user() + ":" + password);
        }
        keys.put(RegistrySettings.TRUSTSTORE_LOCATION, registry.tls().truststore().toString());
        keys.put(RegistrySettings.TRUSTSTORE_PASSWORD, registry.tls().password());
        keys.put(RegistrySettings.TRUSTSTORE_TYPE, "PKCS12");
        return keys;
    }
}
