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
    void anEpcisExportFromTheSecuredIndexIsImportedToTheSecuredTopics() throws Exception {
        Path config = config(kafka.password(), registry.password(), elasticsearch.password());
        Path epcis = dir.resolve("fg-261102-01.jsonld");

        CliRun export =
                CliRun.trace(
                        "export",
                        "epcis",
                        "FG-261102-01",
                        "--out",
                        epcis.toString(),
                        "--config",
                        config.toString());
        assertEquals(0, export.exitCode(), export.out() + export.err());
        CliRun imported =
                CliRun.trace("import", "epcis", epcis.toString(), "--config", config.toString());

        assertEquals(0, imported.exitCode(), imported.out() + imported.err());
        assertTrue(imported.out().contains("as " + SecuredTestServers.KAFKA_USER), imported.out());
        assertTrue(imported.out().contains(" 0 rejected"), imported.out());
        assertFalse(imported.out().contains(" 0 published"), imported.out());
    }

    /**
     * {@code bin/trace run --config}'s path: the lineage and machine jobs in a local Flink read the
     * secured topics through the secured registry and write to the secured Elasticsearch.
     */
    @Test
    void theJobsRunFromTheSameConfigFile() throws Exception {
        Path config = config(kafka.password(), registry.password(), elasticsearch.password());
        String lot = "RM-SECURED-" + System.currentTimeMillis();
        Path receipt = dir.resolve("secured-receipt.jsonl");
        Files.writeString(
                receipt,
                "{\"type\":\"GoodsReceipt\",\"receiptId\":\"GR-"
                        + lot
                        + "\",\"lotCode\":\""
                        + lot
                        + "\",\"materialCode\":\"PP-H350\",\"materialName\":\"Polypropylene"
                        + " resin\",\"supplierId\":\"SUP-POLY\",\"supplierName\":\"PolyChem"
                        + " GmbH\",\"supplierLotCode\":\"L-SEC\",\"quantity\":100.0,\"unit\":\"kg\","
                        + "\"receivedAt\":\"2026-11-03T06:15:00Z\",\"site\":\"PLANT-1\"}\n");
        CliRun publish = CliRun.trace("publish", "--config", config.toString(), receipt.toString());
        assertEquals(0, publish.exitCode(), publish.out() + publish.err());

        Map<String, String> settings =
                LocalLineageRun.settings(
                        new Endpoints("unused:1", "http://unused", "http://unused"),
                        "secured",
                        dev.batchtrace.jobs.ConfigFile.read(config));
        settings.put("state.backend", "hashmap");
        // a platform team creates the topics (Strimzi); the job does not create its inputs
        TopicSetup.ensureTopics(
                dev.batchtrace.connectors.kafka.KafkaSettings.fromMap(settings),
                StackSetup.pipelineTopics(),
                StackSetup.LOCAL_PARTITIONS);
        int webUi;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            webUi = socket.getLocalPort();
        }
        List<String> said = new ArrayList<>();
        org.apache.flink.core.execution.JobClient job =
                LocalLineageRun.start(
                        settings,
                        dir.resolve("secured-run"),
                        new LocalLineageRun.Resume(
                                "secured", java.util.Optional.empty(), List.of()),
                        webUi,
                        said::add);
        ElasticsearchSettings es = ElasticsearchSettings.fromMap(esKeys(elasticsearch.password()));
        try (ElasticsearchClient client = ElasticsearchClients.create(es)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            boolean found = false;
            while (!found && System.nanoTime() < deadline) {
                found =
                        client.get(
                                        g -> g.index("trace-lots").id(lot),
                                        tools.jackson.databind.JsonNode.class)
                                .found();
                if (!found) {
                    assertFalse(
                            job.getJobStatus().get().isGloballyTerminalState(),
                            "the job ended: " + said);
                    Thread.sleep(1000);
                }
            }
            assertTrue(found, lot + " indexed by the job; it said " + said);
        } finally {
            job.cancel().get();
        }
        String shown = String.join("\n", said);
        assertFalse(shown.contains(kafka.password()), shown);
        assertFalse(shown.contains(elasticsearch.password()), shown);
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
