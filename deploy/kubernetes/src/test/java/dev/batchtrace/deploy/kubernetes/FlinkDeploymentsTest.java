package dev.batchtrace.deploy.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.jobs.ConfigValues;
import dev.batchtrace.jobs.lineage.AlertNotifier;
import dev.batchtrace.jobs.lineage.LineageJobConfig;
import dev.batchtrace.jobs.machine.MachineJobConfig;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.UpgradeMode;
import org.apache.flink.metrics.prometheus.PrometheusReporterFactory;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The FlinkDeployments agree with the code: classes, jar, image, every key they pass. */
class FlinkDeploymentsTest {

    static final Path DOCKERFILE = Kustomize.MODULE.resolve("Dockerfile");

    static Stream<Kustomize.Rendered> variants() {
        return ManifestModelsTest.variants().map(ManifestModelsTest::render);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void entryClassesAreTheJobsMainClasses(Kustomize.Rendered rendered) throws Exception {
        for (var expected :
                Map.of(
                                "batchtrace-lineage",
                                "dev.batchtrace.jobs.lineage.LineageJob",
                                "batchtrace-machine",
                                "dev.batchtrace.jobs.machine.MachineJob")
                        .entrySet()) {
            FlinkDeployment deployment = JobManifest.of(rendered, expected.getKey()).deployment();
            String entryClass = deployment.getSpec().getJob().getEntryClass();
            assertEquals(expected.getValue(), entryClass);
            Method main = Class.forName(entryClass).getMethod("main", String[].class);
            assertTrue(Modifier.isStatic(main.getModifiers()), entryClass + ".main is static");
        }
    }

    @Test
    void theJarTheDeploymentsRunIsTheOneTheImageCopies() throws IOException {
        String version = System.getProperty("batchtrace.version", "0.1.0");
        String jarName = "trace-jobs-" + version + "-job.jar";
        Matcher copy =
                Pattern.compile(
                                "(?m)^COPY\\s+(?:--\\S+\\s+)*(pipeline-jobs/trace-jobs/target/\\S+)\\s+(\\S+)$")
                        .matcher(Files.readString(DOCKERFILE));
        assertTrue(copy.find(), "the Dockerfile copies the job jar");
        assertEquals("pipeline-jobs/trace-jobs/target/" + jarName, copy.group(1));
        // the shade plugin makes the -job jar (attached with classifier "job")
        assertTrue(
                Files.readString(Kustomize.MODULE.resolve("../../pipeline-jobs/trace-jobs/pom.xml"))
                        .contains("<shadedClassifierName>job</shadedClassifierName>"));
        for (Kustomize.Rendered rendered : variants().toList()) {
            for (String name : List.of("batchtrace-lineage", "batchtrace-machine")) {
                FlinkDeployment deployment = JobManifest.of(rendered, name).deployment();
                assertEquals("local://" + copy.group(2), deployment.getSpec().getJob().getJarURI());
            }
        }
    }

    @Test
    void theImageIsBuiltOnTheFlinkTheJobsAreBuiltFor() throws IOException {
        Matcher from =
                Pattern.compile("(?m)^FROM\\s+(\\S+)$").matcher(Files.readString(DOCKERFILE));
        assertTrue(from.find());
        assertEquals("flink:" + EnvironmentInformation.getVersion() + "-java17", from.group(1));
        // the checkpoint filesystem plugin comes from the same Flink distribution
        assertTrue(
                Files.readString(DOCKERFILE)
                        .contains(
                                "/opt/flink/opt/flink-s3-fs-hadoop-"
                                        + EnvironmentInformation.getVersion()
                                        + ".jar"));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void theJobsTheirInitContainersAndTheSetupJobRunOneImage(Kustomize.Rendered rendered) {
        Set<String> images = new java.util.TreeSet<>();
        for (String name : List.of("batchtrace-lineage", "batchtrace-machine")) {
            FlinkDeployment deployment = JobManifest.of(rendered, name).deployment();
            images.add(deployment.getSpec().getImage());
            deployment
                    .getSpec()
                    .getPodTemplate()
                    .getSpec()
                    .getInitContainers()
                    .forEach(c -> images.add(c.getImage()));
        }
        var setup =
                Models.parse(
                                rendered.get("Job", "batchtrace-setup"),
                                io.fabric8.kubernetes.api.model.batch.v1.Job.class)
                        .getSpec()
                        .getTemplate()
                        .getSpec();
        setup.getInitContainers().forEach(c -> images.add(c.getImage()));
        setup.getContainers().forEach(c -> images.add(c.getImage()));
        assertEquals(1, images.size(), "one image, one tag: " + images);
        assertTrue(images.iterator().next().matches(".+/trace-jobs:[^:/]+"), images.toString());
    }

    @ParameterizedTest
    @MethodSource("variants")
    void everyKeyPassedToTheLineageJobIsOneItKnows(Kustomize.Rendered rendered) {
        JobManifest job = JobManifest.of(rendered, "batchtrace-lineage");
        assertKnown(job, KnownKeys.lineage());
        Map<String, String> settings = job.settings();
        // the job's own parser accepts them (it rejects unknown keys under its prefixes)
        LineageJobConfig config = LineageJobConfig.fromMap(settings);
        assertEquals("rocksdb", config.stateBackend());
        assertTrue(AlertNotifier.webhooks(settings).isPresent(), "webhooks from the Secret");
        assertTrue(job.secretKeys().containsKey("sasl.jaas.config"));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void everyKeyPassedToTheMachineJobIsOneItKnows(Kustomize.Rendered rendered) {
        JobManifest job = JobManifest.of(rendered, "batchtrace-machine");
        assertKnown(job, KnownKeys.machine());
        MachineJobConfig config = MachineJobConfig.fromMap(job.settings());
        assertEquals("rocksdb", config.stateBackend());
    }

    @Test
    void aKeyNoJobReadsIsFound() {
        Set<String> lineage = KnownKeys.lineage();
        assertTrue(KnownKeys.unknownJobKey("lineage.paralelism", lineage).isPresent());
        assertTrue(KnownKeys.unknownJobKey("elasticsearch.hostz", lineage).isPresent());
        assertTrue(KnownKeys.unknownJobKey("sasl.jaas.konfig", lineage).isPresent());
        assertTrue(KnownKeys.unknownJobKey("webhook.urls", KnownKeys.machine()).isPresent());
        assertFalse(KnownKeys.unknownJobKey("kafka.client.max.request.size", lineage).isPresent());
        assertFalse(KnownKeys.unknownJobKey("webhook.header.Authorization", lineage).isPresent());
        assertTrue(KnownKeys.unknownFlinkKey("execution.checkpointing.incremantal").isPresent());
        assertTrue(KnownKeys.unknownFlinkKey("metrics.reporter.prom.prot").isPresent());
    }

    @ParameterizedTest
    @MethodSource("variants")
    void flinkConfigurationHasOnlyFlinkKeysAndTheProductionSettings(Kustomize.Rendered rendered) {
        for (String name : List.of("batchtrace-lineage", "batchtrace-machine")) {
            FlinkDeployment deployment = JobManifest.of(rendered, name).deployment();
            Map<String, String> flink = deployment.getSpec().getFlinkConfiguration();
            List<String> unknown = new ArrayList<>();
            flink.keySet().forEach(k -> KnownKeys.unknownFlinkKey(k).ifPresent(unknown::add));
            assertEquals(List.of(), unknown, name);

            assertEquals("rocksdb", flink.get("state.backend.type"), name);
            assertEquals("true", flink.get("execution.checkpointing.incremental"), name);
            assertTrue(flink.get("execution.checkpointing.dir").startsWith("s3://"), name);
            assertTrue(flink.get("execution.checkpointing.savepoint-dir").startsWith("s3://"));
            assertEquals("kubernetes", flink.get("high-availability.type"), name);
            assertTrue(flink.get("high-availability.storageDir").startsWith("s3://"), name);
            assertTrue(flink.containsKey("restart-strategy.type"), name);
            assertTrue(
                    Integer.parseInt(
                                    flink.get(
                                            "execution.checkpointing.tolerable-failed-checkpoints"))
                            > 0,
                    name);
            assertEquals(
                    PrometheusReporterFactory.class.getName(),
                    flink.get("metrics.reporter.prom.factory.class"),
                    name);
            assertEquals(UpgradeMode.SAVEPOINT, deployment.getSpec().getJob().getUpgradeMode());
            // application mode: the operator starts the job of the spec in its own cluster
            assertTrue(deployment.getSpec().getJob() != null, name);
            assertTrue(deployment.getSpec().getJob().getJarURI().startsWith("local:///"), name);

            // a checkpoint must finish within the Kafka transaction timeout of the exactly-once
            // sinks (15 min, JobTopics) or its transactions are aborted under it
            Duration timeout =
                    ConfigValues.parseDuration(
                            "timeout",
                            flink.get("execution.checkpointing.timeout").replace("min", "m"));
            assertTrue(timeout.compareTo(Duration.ofMinutes(15)) < 0, name + ": " + timeout);
        }
    }

    private static void assertKnown(JobManifest job, Set<String> ownKeys) {
        List<String> unknown = new ArrayList<>();
        for (String key : job.keys()) {
            Optional<String> problem = KnownKeys.unknownJobKey(key, ownKeys);
            problem.ifPresent(unknown::add);
        }
        assertEquals(List.of(), unknown, job.deployment().getMetadata().getName());
    }
}
