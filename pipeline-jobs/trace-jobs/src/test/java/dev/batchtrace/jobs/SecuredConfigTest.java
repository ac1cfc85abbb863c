package dev.batchtrace.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.jobs.lineage.AlertNotifier;
import dev.batchtrace.jobs.lineage.LineageJob;
import dev.batchtrace.jobs.lineage.LineageJobConfig;
import dev.batchtrace.jobs.lineage.LineageSinks;
import dev.batchtrace.jobs.lineage.LineageSources;
import dev.batchtrace.jobs.machine.MachineJob;
import dev.batchtrace.jobs.machine.MachineJobConfig;
import dev.batchtrace.jobs.machine.MachineSinks;
import dev.batchtrace.jobs.machine.MachineSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One secured config file for both jobs: every connection key is read, and no secret reaches what
 * is logged (the config records' toString, which the job mains log), what Flink's web UI shows of a
 * job (its configuration, global job parameters, vertex names and descriptions) or the command line
 * (secrets there are refused).
 */
class SecuredConfigTest {

    private static final List<String> SECRETS =
            List.of(
                    "kafkaS3cret",
                    "trustS3cret",
                    "keyS3cret",
                    "registryS3cret",
                    "esS3cret",
                    "apiKeyS3cret",
                    "hookS3cret");

    @TempDir Path dir;

    private Path securedFile() throws Exception {
        Path file = dir.resolve("plant-a.properties");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "bootstrap.servers=kafka-1:9093,kafka-2:9093",
                        "security.protocol=SASL_SSL",
                        "sasl.mechanism=SCRAM-SHA-512",
                        "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule"
                                + " required username=\"lineage-job\" password=\"kafkaS3cret\";",
                        "ssl.truststore.location=/etc/batchtrace/kafka-truststore.p12",
                        "ssl.truststore.password=trustS3cret",
                        "ssl.keystore.password=keyS3cret",
                        "schema.registry.url=https://registry:8443/apis/ccompat/v7",
                        "schema.registry.basic.auth.user.info=lineage-job:registryS3cret",
                        "schema.registry.ssl.truststore.location=/etc/batchtrace/registry-trust.p12",
                        "schema.registry.ssl.truststore.password=trustS3cret",
                        "elasticsearch.hosts=https://es-1:9200",
                        "elasticsearch.username=lineage-writer",
                        "elasticsearch.password=esS3cret",
                        "elasticsearch.tls.ca-certificate=/etc/batchtrace/es-ca.crt",
                        "webhook.urls=https://hooks.example/quality",
                        "webhook.header.Authorization=Bearer hookS3cret",
                        "lineage.parallelism=2"));
        return file;
    }

    @Test
    void everyConnectionKeyIsReadFromTheFile() throws Exception {
        LineageJobConfig config = LineageJobConfig.fromArgs("--config", securedFile().toString());
        assertEquals("SASL_SSL", config.kafka().securityProtocol());
        assertEquals("lineage-job", config.kafka().saslUser().orElseThrow());
        assertEquals(
                "/etc/batchtrace/kafka-truststore.p12",
                config.kafka().clientProperties().get("ssl.truststore.location"));
        assertEquals("lineage-job", config.registry().basicAuthUser());
        assertEquals("registryS3cret", config.registry().basicAuthPassword());
        assertEquals("/etc/batchtrace/registry-trust.p12", config.registry().truststorePath());
        assertEquals("lineage-writer", config.elasticsearch().username());
        assertEquals("/etc/batchtrace/es-ca.crt", config.elasticsearch().caCertificatePath());
        MachineJobConfig machine = MachineJobConfig.fromArgs("--config", securedFile().toString());
        assertEquals("lineage-job", machine.kafka().saslUser().orElseThrow());
        assertEquals("registryS3cret", machine.registry().basicAuthPassword());
    }

    @Test
    void theLoggedConfigsShowUsersButNoSecret() throws Exception {
        Map<String, String> settings =
                LineageJobConfig.argsToMap("--config", securedFile().toString());
        String lineage = LineageJobConfig.fromMap(settings).toString();
        String machine = MachineJobConfig.fromArgs("--config", securedFile().toString()).toString();
        String webhooks = AlertNotifier.webhooks(settings).orElseThrow().toString();
        String masked = ConfigFile.masked(settings).toString();
        for (String logged : List.of(lineage, machine, webhooks, masked)) {
            assertNoSecret(logged);
        }
        assertTrue(lineage.contains("saslUser=lineage-job"), lineage);
        assertTrue(lineage.contains("basic(lineage-writer)"), lineage);
        assertTrue(lineage.contains("basicAuthUser=lineage-job"), lineage);
        assertTrue(masked.contains("elasticsearch.password=***"), masked);
    }

    @Test
    void whatFlinkShowsOfTheJobsHoldsNoSecret() throws Exception {
        LineageJobConfig lineage = LineageJobConfig.fromArgs("--config", securedFile().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        LineageJob.configure(env, lineage);
        LineageJob.defineWorkflow(
                env,
                LineageSources.kafka(lineage),
                LineageSinks.kafka(lineage),
                lineage.coalesceDelay());
        assertNoSecret(shownByFlink(env));

        MachineJobConfig machine = MachineJobConfig.fromArgs("--config", securedFile().toString());
        StreamExecutionEnvironment machineEnv =
                StreamExecutionEnvironment.getExecutionEnvironment();
        MachineJob.configure(machineEnv, machine);
        MachineJob.defineWorkflow(
                machineEnv, MachineSources.kafka(machine), MachineSinks.kafka(machine), machine);
        assertNoSecret(shownByFlink(machineEnv));
    }

    /** The job's configuration, global job parameters and every vertex's name and description. */
    private static String shownByFlink(StreamExecutionEnvironment env) {
        List<String> shown = new ArrayList<>();
        shown.add(env.getConfig().getGlobalJobParameters().toMap().toString());
        shown.add(env.getConfig().toString());
        JobGraph graph = env.getStreamGraph().getJobGraph();
        shown.add(graph.getJobConfiguration().toMap().toString());
        for (JobVertex vertex : graph.getVertices()) {
            shown.add(vertex.getName());
            shown.add(String.valueOf(vertex.getOperatorDescription()));
            shown.add(String.valueOf(vertex.getOperatorPrettyName()));
        }
        return String.join("\n", shown);
    }

    @Test
    void aSecretOnTheCommandLineIsRefusedNamingTheFileInstead() throws Exception {
        for (String key :
                List.of(
                        "elasticsearch.password",
                        "elasticsearch.api-key",
                        "sasl.jaas.config",
                        "ssl.truststore.password",
                        "schema.registry.basic.auth.user.info",
                        "webhook.header.Authorization",
                        "kafka.client.ssl.key.password")) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    LineageJobConfig.argsToMap(
                                            "--config", securedFile().toString(), "--" + key, "x"));
            assertTrue(e.getMessage().startsWith("--" + key + " holds a secret"), e.getMessage());
            assertTrue(e.getMessage().contains("--config file"), e.getMessage());
        }
        // not secrets: user names, locations, hosts may still be overridden
        Map<String, String> ok =
                LineageJobConfig.argsToMap(
                        "--config",
                        securedFile().toString(),
                        "--elasticsearch.username",
                        "other",
                        "--ssl.truststore.location",
                        "/x.p12");
        assertEquals("other", ok.get("elasticsearch.username"));
    }

    @Test
    void secretsMayComeFromTheEnvironmentOrAFile() throws Exception {
        Path secret = dir.resolve("es-password");
        Files.writeString(secret, "fromFileS3cret\n");
        Map<String, String> resolved =
                ConfigFile.resolve(
                        Map.of(
                                "elasticsearch.password",
                                "${file:" + secret + "}",
                                "sasl.jaas.config",
                                "Scram required username=\"u\" password=\"${env:KAFKA_PW}\";",
                                "elasticsearch.hosts",
                                "https://es:9200"),
                        Map.of("KAFKA_PW", "fromEnvS3cret"));
        assertEquals("fromFileS3cret", resolved.get("elasticsearch.password"));
        assertEquals(
                "Scram required username=\"u\" password=\"fromEnvS3cret\";",
                resolved.get("sasl.jaas.config"));
        assertEquals("https://es:9200", resolved.get("elasticsearch.hosts"));

        IllegalArgumentException missing =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                ConfigFile.resolve(
                                        Map.of("elasticsearch.password", "${env:NOPE}"), Map.of()));
        assertEquals(
                "elasticsearch.password: environment variable NOPE is not set",
                missing.getMessage());
    }

    private static void assertNoSecret(String shown) {
        for (String secret : SECRETS) {
            assertFalse(shown.contains(secret), () -> "'" + secret + "' is shown in: " + shown);
        }
    }
}
