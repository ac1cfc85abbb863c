package dev.batchtrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.batchtrace.cli.query.SampleDayDocuments;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchClients;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchSettings;
import dev.batchtrace.connectors.elasticsearch.IndexTemplates;
import dev.batchtrace.stack.Checkout;
import dev.batchtrace.stack.SecuredTestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/trace} against servers that all demand TLS and credentials (Kafka SASL_SSL with
 * SCRAM-SHA-512, the registry over HTTPS with basic auth, Elasticsearch over HTTPS with basic
 * auth), configured by one {@code --config} file: the gateway publisher publishes, the trace
 * queries answer, and a wrong password for any of them ends the command at once with the server,
 * the user and the key to fix, and without the password.
 */
class SecuredCliITCase {

    @TempDir static Path dir;

    private static SecuredTestServers.Kafka kafka;
    private static SecuredTestServers.SchemaRegistry registry;
    private static SecuredTestServers.Elasticsearch elasticsearch;

    @BeforeAll
    static void startServers() throws Exception {
        // in parallel: the secured Elasticsearch alone takes ~1 min to set up and start here
        CompletableFuture<SecuredTestServers.Elasticsearch> es =
                CompletableFuture.supplyAsync(SecuredTestServers::elasticsearch);
        CompletableFuture<SecuredTestServers.SchemaRegistry> reg =
                CompletableFuture.supplyAsync(SecuredTestServers::schemaRegistry);
        kafka = SecuredTestServers.kafka();
        registry = reg.join();
        elasticsearch = es.join();
        ElasticsearchSettings settings =
                ElasticsearchSettings.fromMap(esKeys(elasticsearch.password()));
        try (ElasticsearchClient client = ElasticsearchClients.create(settings)) {
            IndexTemplates.install(client, line -> {});
            SampleDayDocuments.index(client, Instant.parse("2026-11-02T18:00:05Z"));
        }
    }

    @Test
    void publishAndQueriesWorkFromOneConfigFile() throws Exception {
        Path config = config(kafka.password(), registry.password(), elasticsearch.password());

        CliRun publish =
                CliRun.trace("publish", "--config", config.toString(), holdFile().toString());
        assertEquals(0, publish.exitCode(), publish.out() + publish.err());
        assertTrue(publish.out().contains("as " + SecuredTestServers.KAFKA_USER), publish.out());
        assertTrue(publish.out().contains("1 published, 0 rejected"), publish.out());

        CliRun lot = CliRun.trace("lot", "RM-261102-06", "--config", config.toString());
        assertEquals(0, lot.exitCode(), lot.out() + lot.err());
        assertTrue(lot.out().contains("RM-261102-06"), lot.out());
        assertTrue(lot.out().contains("SZ-44121"), lot.out());

        CliRun unknown = CliRun.trace("lot", "NO-SUCH-LOT", "--config", config.toString());
        assertEquals(4, unknown.exitCode(), unknown.out() + unknown.err());
    }

    @Test
    void aWrongKafkaPasswordEndsPublishAtOnceNamingBrokerAndUser() throws Exception {
        String wrong = "not-" + kafka.password();
        Path config = config(wrong, registry.password(), elasticsearch.password());
        long started = System.nanoTime();
        CliRun publish =
                CliRun.trace("publish", "--config", config.toString(), holdFile().toString());
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertEquals(1, publish.exitCode(), publish.out() + publish.err());
        assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "took " + took);
        String err = publish.err();
        assertTrue(err.contains("Kafka at " + kafka.bootstrapServers()), err);
        assertTrue(err.contains("SASL user '" + SecuredTestServers.KAFKA_USER + "'"), err);
        assertTrue(err.contains("sasl.jaas.config"), err);
        assertFalse(err.contains(wrong) || publish.out().contains(wrong), err);
    }

    @Test
    void aWrongRegistryPasswordEndsPublishBeforeAnyLine() throws Exception {
        String wrong = "not-" + registry.password();
        Path config = config(kafka.password(), wrong, elasticsearch.password());
        CliRun publish =
                CliRun.trace("publish", "--config", config.toString(), holdFile().toString());
        assertEquals(1, publish.exitCode(), publish.out() + publish.err());
        String err = publish.err();
        assertTrue(err.contains(registry.url()), err);
        assertTrue(err.contains("401"), err);
        assertTrue(err.contains("'" + SecuredTestServers.REGISTRY_USER + "'"), err);
        assertFalse(publish.out().contains("line 3"), publish.out());
        assertFalse(err.contains(wrong), err);
    }

    @Test
    void aWrongElasticsearchPasswordIsA401NamingTheUser() throws Exception {
        String wrong = "not-" + elasticsearch.password();
        Path config = config(kafka.password(), registry.password(), wrong);
        CliRun lot = CliRun.trace("lot", "RM-261102-06", "--config", config.toString());
        assertEquals(5, lot.exitCode(), lot.out() + lot.err());
        String err = lot.err();
        assertTrue(err.contains("Elasticsearch at " + elasticsearch.url()), err);
        assertTrue(err.contains("401"), err);
        assertTrue(err.contains(SecuredTestServers.ELASTICSEARCH_USER), err);
        assertFalse(err.contains(wrong), err);
    }

    /** The operator's file: every connection key of the three servers, as the README lists. */
    private static Path config(String kafkaPassword, String registryPassword, String esPassword)
            throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("bootstrap.servers=" + kafka.bootstrapServers());
        kafka.clientProperties(kafka.user(), kafkaPassword)
                .forEach((k, v) -> lines.add(k + "=" + v.replace("\\", "\\\\")));
        lines.add("schema.registry.url=" + registry.url());
        lines.add(
                "schema.registry.basic.auth.user.info=" + registry.user() + ":" + registryPassword);
        lines.add("schema.registry.ssl.truststore.location=" + registry.tls().truststore());
        lines.add("schema.registry.ssl.truststore.password=" + registry.tls().password());
        lines.add("schema.registry.ssl.truststore.type=PKCS12");
        esKeys(esPassword).forEach((k, v) -> lines.add(k + "=" + v));
        Path file = Files.createTempFile(dir, "secured-", ".properties");
        Files.write(file, lines);
        return file;
    }

    private static Map<String, String> esKeys(String password) {
        return Map.of(
                ElasticsearchSettings.HOSTS, elasticsearch.url(),
                ElasticsearchSettings.USERNAME, elasticsearch.user(),
                ElasticsearchSettings.PASSWORD, password,
                ElasticsearchSettings.TLS_CA_CERTIFICATE,
                        elasticsearch.tls().certificatePem().toString());
    }

    private static Path holdFile() throws Exception {
        return Checkout.locate().root().resolve("deploy/sample-data/demo-hold.jsonl");
    }
}
