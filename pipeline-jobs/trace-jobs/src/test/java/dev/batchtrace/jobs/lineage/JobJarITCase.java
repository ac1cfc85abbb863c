package dev.batchtrace.jobs.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchtrace.connectors.gateway.JsonLinesReader;
import dev.batchtrace.connectors.gateway.LineResult;
import dev.batchtrace.connectors.gateway.ParsedEvent;
import dev.batchtrace.lineage.reference.LineageReference;
import dev.batchtrace.stack.TestServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shaded job jar ({@code target/trace-jobs-*-job.jar}) as an operator runs it: {@code flink
 * run} against a real Flink session cluster (a JobManager and a TaskManager with 2 slots, each its
 * own JVM on flink-dist's classpath, RocksDB, checkpoints every second), configured by {@code
 * --config FILE} plus {@code --key value} overrides. The sample factory day goes in through the
 * real Kafka broker and registry; Elasticsearch must end up holding exactly {@link
 * LineageReference}'s documents. Proves the jar carries everything the cluster does not provide
 * (connectors, Avro, the Elasticsearch client, service files) and nothing that clashes with it.
 */
class JobJarITCase {

    private static final int SLOTS = 2;
    private static final Duration CLUSTER_START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration SUBMIT_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration CONVERGENCE_TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FACTORY_DAY = Path.of("../../deploy/sample-data/factory-day.jsonl");

    private static JobJarCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        long started = System.nanoTime();
        JobJarCluster.requireDistribution();
        // Kafka, registry and Elasticsearch start meanwhile (their own JVMs).
        CompletableFuture<Void> servers = CompletableFuture.runAsync(TestServers::startAll);
        try {
            cluster =
                    JobJarCluster.start(
                            Path.of("target/flink-cluster/run-" + shortId()),
                            SLOTS,
                            CLUSTER_START_TIMEOUT);
        } catch (Exception e) {
            // let the servers finish starting, so that their shutdown hook knows them all
            servers.exceptionally(failure -> null).join();
            throw e;
        }
        System.out.printf(
                "JobJarITCase: Flink session cluster up at %s in %d ms%n",
                cluster.restUrl(), elapsedMillis(started));
        servers.join();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void flinkRunOfTheJobJarConvergesToTheReference() throws Exception {
        try {
            runSampleDay();
        } catch (Throwable t) {
            System.err.println("JobJarITCase failed; cluster logs:" + cluster.logTails(60));
            throw t;
        }
    }

    private void runSampleDay() throws Exception {
        long started = System.nanoTime();
        List<SpecificRecordBase> events = new ArrayList<>();
        for (LineResult line : new JsonLinesReader().readAll(FACTORY_DAY)) {
            if (!(line instanceof ParsedEvent parsed)) {
                fail("sample data line does not parse: " + line);
                return;
            }
            events.add(parsed.value());
        }
        Map<String, JsonNode> expected =
                TestStack.expectedDocuments(LineageReference.withHolds(events));

        String bootstrap = TestServers.kafkaBootstrapServers();
        String registryUrl = TestServers.schemaRegistryUrl();
        String esUrl = TestServers.elasticsearchUrl();
        String runId = "jobjar-" + shortId();
        // The servers in the file, the run's names as overrides: both ways of configuring the job.
        Map<String, String> fileSettings = new TreeMap<>();
        fileSettings.put("bootstrap.servers", bootstrap);
        fileSettings.put("schema.registry.url", registryUrl);
        fileSettings.put("elasticsearch.hosts", esUrl);
        fileSettings.put("elasticsearch.bulk.flush-interval", "200ms");
        Path configFile = Path.of("target/flink-cluster", runId + ".properties").toAbsolutePath();
        Properties properties = new Properties();
        properties.putAll(fileSettings);
        try (var out = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
            properties.store(out, "JobJarITCase " + runId);
        }
        LineageJobConfig.Topics topics = LineageJobConfig.Topics.defaults().withSuffix("." + runId);
        List<String> programArgs =
                List.of(
                        "--config",
                        configFile.toString(),
                        "--" + LineageJobConfig.TOPIC_GOODS_RECEIPTS_KEY,
                        topics.goodsReceipts(),
                        "--" + LineageJobConfig.TOPIC_WORK_ORDERS_KEY,
                        topics.workOrders(),
                        "--" + LineageJobConfig.TOPIC_DISPATCH_NOTES_KEY,
                        topics.dispatchNotes(),
                        "--" + LineageJobConfig.TOPIC_DEAD_LETTERS_KEY,
                        topics.deadLetters(),
                        "--" + LineageJobConfig.TOPIC_FEEDBACK_KEY,
                        topics.feedback(),
                        "--" + LineageJobConfig.TOPIC_DOCUMENTS_KEY,
                        topics.documents(),
                        "--" + LineageJobConfig.TOPIC_LOT_FLAGS_KEY,
                        topics.lotFlags(),
                        "--" + LineageJobConfig.TOPIC_ALERTS_KEY,
                        topics.alerts(),
                        "--" + LineageJobConfig.TOPIC_QC_RESULTS_KEY,
                        topics.qcResults(),
                        "--" + LineageJobConfig.TOPIC_MACHINE_SUMMARIES_KEY,
                        topics.machineSummaries(),
                        "--group.id.prefix",
                        runId,
                        "--" + LineageJobConfig.TRANSACTIONAL_ID_PREFIX_KEY,
                        runId,
                        "--" + LineageJobConfig.PARALLELISM_KEY,
                        String.valueOf(SLOTS),
                        "--" + LineageJobConfig.COALESCE_DELAY_KEY,
                        "100ms",
                        "--" + LineageJobConfig.JOB_NAME_KEY,
                        "lineage " + runId);

        TestStack.createTopics(
                bootstrap,
                SLOTS,
                List.of(
                        topics.goodsReceipts(),
                        topics.workOrders(),
                        topics.dispatchNotes(),
                        topics.deadLetters(),
                        topics.feedback(),
                        topics.documents(),
                        topics.lotFlags(),
                        topics.alerts(),
                        topics.qcResults(),
                        topics.machineSummaries()));
        // LineageJobITCase in the same JVM writes to the same aliases: start from empty indices.
        TestStack.resetIndices(LineageJobConfig.fromMap(fileSettings).elasticsearch(), esUrl);
        TestStack.publish(bootstrap, registryUrl, topics, events);

        long submitted = System.nanoTime();
        String jobId = cluster.submit(jobJar(), programArgs, SUBMIT_TIMEOUT);
        System.out.printf(
                "JobJarITCase: flink run returned job %s in %d ms%n",
                jobId, elapsedMillis(submitted));
        String finalState = null;
        try {
            awaitConvergence(jobId, esUrl, expected);
            System.out.printf(
                    "JobJarITCase: %d events -> %d documents in Elasticsearch, %d ms after"
                            + " submission%n",
                    events.size(), expected.size(), elapsedMillis(submitted));

            // It really ran on the cluster as configured: parallelism 2, RocksDB checkpoints.
            JsonNode job = cluster.get("/jobs/" + jobId);
            assertEquals("lineage " + runId, job.path("name").asText(), "job name from --args");
            for (JsonNode vertex : job.path("vertices")) {
                assertEquals(
                        SLOTS,
                        vertex.path("parallelism").asInt(),
                        "parallelism of " + vertex.path("name").asText());
            }
            JsonNode checkpoints = cluster.get("/jobs/" + jobId + "/checkpoints");
            assertTrue(
                    checkpoints.path("counts").path("completed").asInt() > 0,
                    "checkpoints completed: " + checkpoints.path("counts"));
            JsonNode checkpointConfig = cluster.get("/jobs/" + jobId + "/checkpoints/config");
            assertEquals(1000, checkpointConfig.path("interval").asLong(), "checkpoint interval");
            assertTrue(
                    checkpointConfig.path("state_backend").asText().contains("RocksDB"),
                    "state backend: " + checkpointConfig);
            assertRocksDbHasBloomFilters(cluster.tmpDir());
        } finally {
            finalState = cluster.cancel(jobId, Duration.ofSeconds(30));
        }
        assertEquals("CANCELED", finalState, "the job is cancelled at the end");
        System.out.printf(
                "JobJarITCase: sample day through `flink run` checked in %d ms%n",
                elapsedMillis(started));
    }

    /**
     * The job's defaults ({@code JobResilience}) reach the TaskManager's RocksDB instances: each
     * running instance wrote its options file, and the node stage's tables have bloom filters. The
     * running job rotates options files and creates and deletes checkpoint folders ({@code chk-N})
     * while this looks, so a file or folder gone between listing and reading is skipped; at least
     * one options file of the live database must be read (three tries).
     */
    private static void assertRocksDbHasBloomFilters(Path tmp) throws Exception {
        for (int attempt = 1; ; attempt++) {
            int read = readRocksDbOptions(tmp);
            if (read > 0) {
                return;
            }
            assertTrue(
                    attempt < 3, "no RocksDB options file of the node stage readable under " + tmp);
            Thread.sleep(500);
        }
    }

    /** Checks every options file of the node stage it can read; returns how many it read. */
    private static int readRocksDbOptions(Path tmp) throws IOException {
        List<Path> options = new ArrayList<>();
        Files.walkFileTree(
                tmp,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        return dir.getFileName().toString().startsWith("chk-")
                                ? FileVisitResult.SKIP_SUBTREE
                                : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (file.getFileName().toString().startsWith("OPTIONS-")
                                && file.toString().contains("LineageNodeOperator")) {
                            options.add(file);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e)
                            throws IOException {
                        if (e instanceof NoSuchFileException) {
                            return FileVisitResult.CONTINUE;
                        }
                        throw e;
                    }
                });
        int read = 0;
        for (Path file : options) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException rotated) {
                continue;
            }
            read++;
            assertTrue(
                    text.contains("filter_policy=bloomfilter"),
                    "RocksDB tables without a bloom filter: " + file);
        }
        return read;
    }

    private static void awaitConvergence(String jobId, String esUrl, Map<String, JsonNode> expected)
            throws Exception {
        long deadline = System.nanoTime() + CONVERGENCE_TIMEOUT.toNanos();
        String difference = "nothing polled yet";
        while (System.nanoTime() < deadline) {
            String state = cluster.jobState(jobId);
            String failure = cluster.firstFailure(jobId);
            if (failure != null || JobJarCluster.isTerminal(state)) {
                fail("the job failed on the cluster (now " + state + ") " + failure);
            }
            difference = LineageJobITCase.firstDifference(expected, TestStack.documents(esUrl));
            if (difference == null) {
                return;
            }
            Thread.sleep(500);
        }
        fail(
                "no convergence within "
                        + CONVERGENCE_TIMEOUT
                        + " (job "
                        + cluster.jobState(jobId)
                        + "); first difference: "
                        + difference);
    }

    /** The shaded jar the package phase built (the name carries the project version). */
    private static Path jobJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> jars =
                    files.filter(f -> f.getFileName().toString().matches("trace-jobs-.*-job\\.jar"))
                            .toList();
            if (jars.size() != 1) {
                throw new IllegalStateException(
                        "expected exactly one target/trace-jobs-*-job.jar (built at package), found "
                                + jars);
            }
            return jars.get(0);
        }
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static long elapsedMillis(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
