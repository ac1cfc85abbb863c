package dev.batchtrace.jobs.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchtrace.connectors.kafka.AvroKafkaDeserializer;
import dev.batchtrace.connectors.kafka.AvroRecordSerializer;
import dev.batchtrace.connectors.registry.ConfluentSchemaRegistryClient;
import dev.batchtrace.connectors.registry.RegistrySettings;
import dev.batchtrace.events.DeadLetter;
import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.LotFlag;
import dev.batchtrace.events.QcResult;
import dev.batchtrace.events.TraceAlert;
import dev.batchtrace.events.TraceAlertStatus;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.lineage.FactoryHistoryGenerator;
import dev.batchtrace.lineage.MachineHistoryGenerator;
import dev.batchtrace.lineage.QcHistoryGenerator;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.holds.HoldAlert;
import dev.batchtrace.lineage.reference.LineageReference;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One lineage job run for a fault test (issue 13): its own topics and run id against the given
 * servers, a generated plant history serialized once up front (as a gateway that has its schema ids
 * cached keeps publishing while the registry is down), published at a pace while the test breaks a
 * server, then convergence to the batch reference and the checks that nothing was duplicated.
 */
final class FaultRun {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAVEPOINTS = Path.of("target/it-savepoints").toAbsolutePath();
    static final int PARALLELISM = 2;

    final String name;
    final String runId;
    final String bootstrap;
    final String registryUrl;
    final String esUrl;
    final LineageJobConfig config;
    final LineageJobConfig.Topics topics;

    FaultRun(String name, String bootstrap, String registryUrl, String esUrl) throws Exception {
        this(name, bootstrap, registryUrl, esUrl, Map.of());
    }

    /** With {@code extra} job settings on top of the fault runs' ones. */
    FaultRun(
            String name,
            String bootstrap,
            String registryUrl,
            String esUrl,
            Map<String, String> extra)
            throws Exception {
        this.name = name;
        this.runId = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.bootstrap = bootstrap;
        this.registryUrl = registryUrl;
        this.esUrl = esUrl;
        Map<String, String> settings = new HashMap<>();
        settings.put("bootstrap.servers", bootstrap);
        settings.put("group.id.prefix", "it-" + runId);
        settings.put("schema.registry.url", registryUrl);
        settings.put("elasticsearch.hosts", esUrl);
        settings.put("elasticsearch.bulk.flush-interval", "200ms");
        settings.put(LineageJobConfig.TRANSACTIONAL_ID_PREFIX_KEY, "it-" + runId);
        settings.put(LineageJobConfig.CHECKPOINT_INTERVAL_KEY, "1s");
        settings.put(LineageJobConfig.COALESCE_DELAY_KEY, "100ms");
        settings.put(LineageJobConfig.PARALLELISM_KEY, String.valueOf(PARALLELISM));
        settings.putAll(extra);
        this.config =
                LineageJobConfig.fromMap(settings)
                        .withTopics(LineageJobConfig.Topics.defaults().withSuffix("." + runId));
        this.topics = config.topics();
        TestStack.createTopics(
                bootstrap,
                PARALLELISM,
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
        TestStack.resetIndices(config.elasticsearch(), esUrl);
    }

    /**
     * A plant history: 5 levels, holds and releases, QC checks, machine events. Without the
     * generator's cycle: with it, one run of seed 7 (registry outage) ended with a phantom ancestor
     * at the depth bound (RM-002 at depth 64 on L1-002-0), a protocol matter outside these tests.
     */
    static List<SpecificRecordBase> history(long seed) {
        List<SpecificRecordBase> history = new ArrayList<>();
        for (Object e :
                MachineHistoryGenerator.withMachineEvents(
                        QcHistoryGenerator.withChecks(
                                new FactoryHistoryGenerator(
                                                seed,
                                                new FactoryHistoryGenerator.Options(
                                                                5, 20, 8, 0.2, 10, false, 0)
                                                        .withFlags(4))
                                        .generate(),
                                seed),
                        seed)) {
            history.add((SpecificRecordBase) e);
        }
        return FactoryHistoryGenerator.shuffleWithDuplicates(history, new Random(seed), 0.1);
    }

    /**
     * The job's input records of {@code events}, in the wire format (schemas registered now);
     * machine events are left out (their summaries go to the job, {@link
     * #publishMachineSummaries}).
     */
    List<ProducerRecord<byte[], byte[]>> serialize(List<SpecificRecordBase> events) {
        AvroRecordSerializer<SpecificRecordBase> avro =
                new AvroRecordSerializer<>(
                        new ConfluentSchemaRegistryClient(RegistrySettings.of(registryUrl)));
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (SpecificRecordBase event : events) {
            String topic;
            String key;
            if (event instanceof GoodsReceipt r) {
                topic = topics.goodsReceipts();
                key = r.getLotCode();
            } else if (event instanceof WorkOrderEvent w) {
                topic = topics.workOrders();
                key = w.getWorkOrderId();
            } else if (event instanceof DispatchNote n) {
                topic = topics.dispatchNotes();
                key = n.getDispatchId();
            } else if (event instanceof LotFlag f) {
                topic = topics.lotFlags();
                key = f.getLotCode();
            } else if (event instanceof QcResult q) {
                topic = topics.qcResults();
                key = q.getLotCode();
            } else {
                continue;
            }
            records.add(
                    new ProducerRecord<>(
                            topic,
                            key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            avro.serialize(topic, event)));
        }
        return records;
    }

    void publishMachineSummaries(List<SpecificRecordBase> events) {
        TestStack.publishMachineSummaries(
                bootstrap,
                topics.machineSummaries(),
                MachineHistoryGenerator.summaryUpdates(events, new Random(events.size())));
    }

    /** A savepoint of {@code job} in this run's folder, taken as the job stops; its path. */
    String stopWithSavepoint(JobClient job) throws Exception {
        return job.stopWithSavepoint(
                        false,
                        SAVEPOINTS.resolve(runId + "-upgrade").toUri().toString(),
                        SavepointFormatType.CANONICAL)
                .get(120, TimeUnit.SECONDS);
    }

    /**
     * Publishes {@code records} evenly over {@code spread} (a producer that retries through a
     * broker restart: idempotent, 3 min delivery timeout).
     */
    void publish(List<ProducerRecord<byte[], byte[]>> records, Duration spread) throws Exception {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", bootstrap);
        props.setProperty("acks", "all");
        props.setProperty("enable.idempotence", "true");
        props.setProperty("delivery.timeout.ms", "180000");
        props.setProperty("request.timeout.ms", "30000");
        props.setProperty("max.block.ms", "180000");
        long pauseNanos = records.isEmpty() ? 0 : spread.toNanos() / records.size();
        // A send the broker refuses (its restart can fail a batch for good) is only reported to
        // the send's callback, not by flush(): a gateway sends it again, and so does this one.
        java.util.Queue<ProducerRecord<byte[], byte[]>> refused =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            long next = System.nanoTime();
            for (ProducerRecord<byte[], byte[]> record : records) {
                sendOrKeep(producer, record, refused);
                next += pauseNanos;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
            producer.flush();
            for (int round = 1; !refused.isEmpty(); round++) {
                if (round > 5) {
                    throw new IllegalStateException(
                            refused.size() + " records still refused after 5 rounds of re-sending");
                }
                List<ProducerRecord<byte[], byte[]>> again = new ArrayList<>(refused);
                refused.clear();
                System.out.printf(
                        "%s: sending %d refused records again (round %d; last refusal: %s)%n",
                        name, again.size(), round, lastRefusal);
                for (ProducerRecord<byte[], byte[]> record : again) {
                    sendOrKeep(producer, record, refused);
                }
                producer.flush();
            }
        }
    }

    private static volatile String lastRefusal;

    private static void sendOrKeep(
            KafkaProducer<byte[], byte[]> producer,
            ProducerRecord<byte[], byte[]> record,
            java.util.Queue<ProducerRecord<byte[], byte[]>> refused) {
        try {
            producer.send(
                    record,
                    (metadata, error) -> {
                        if (error != null) {
                            refused.add(record);
                            lastRefusal = error.toString();
                        }
                    });
        } catch (org.apache.kafka.common.KafkaException e) {
            refused.add(record); // not even queued (e.g. max.block.ms passed)
            lastRefusal = e.toString();
        }
    }

    /**
     * Checks that the broker holds every record of {@code records} (as often as it was published):
     * tells a record lost on the way in (by the producer or the broker) from one the job lost.
     */
    void assertInputsStored(List<ProducerRecord<byte[], byte[]>> records) {
        Map<String, Map<ByteBuffer, Integer>> published = new TreeMap<>();
        for (ProducerRecord<byte[], byte[]> record : records) {
            published
                    .computeIfAbsent(record.topic(), t -> new HashMap<>())
                    .merge(ByteBuffer.wrap(record.value()), 1, Integer::sum);
        }
        List<String> missing = new ArrayList<>();
        published.forEach(
                (topic, values) -> {
                    Map<ByteBuffer, Integer> stored = new HashMap<>();
                    for (TestStack.Committed record : TestStack.readCommitted(bootstrap, topic)) {
                        stored.merge(ByteBuffer.wrap(record.value()), 1, Integer::sum);
                    }
                    values.forEach(
                            (value, count) -> {
                                int there = stored.getOrDefault(value, 0);
                                if (there < count) {
                                    missing.add(
                                            topic + " (" + (count - there) + " of " + count + ")");
                                }
                            });
                });
        assertEquals(
                List.of(),
                missing,
                name + ": published records the broker does not hold (lost on the way in)");
    }

    /** {@link #publish} on another thread, so the test can break a server meanwhile. */
    java.util.concurrent.CompletableFuture<Void> publishInBackground(
            List<ProducerRecord<byte[], byte[]>> records, Duration spread) {
        return java.util.concurrent.CompletableFuture.runAsync(
                () -> {
                    try {
                        publish(records, spread);
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
    }

    /** Starts the lineage job on the test's MiniCluster. */
    JobClient start() throws Exception {
        return start(sources -> sources, env -> {});
    }

    /**
     * Starts the lineage job with its Kafka sources changed by {@code sources} (e.g. one that fails
     * once) and {@code more} added to the same job (e.g. the alert notifier).
     */
    JobClient start(
            java.util.function.UnaryOperator<LineageSources> sources,
            java.util.function.Consumer<StreamExecutionEnvironment> more)
            throws Exception {
        return start(sources, more, null);
    }

    /** Starts the lineage job from {@code savepoint} (a path; null: empty state). */
    JobClient startFrom(String savepoint) throws Exception {
        return start(sources -> sources, env -> {}, savepoint);
    }

    private JobClient start(
            java.util.function.UnaryOperator<LineageSources> sources,
            java.util.function.Consumer<StreamExecutionEnvironment> more,
            String savepoint)
            throws Exception {
        Configuration flink = new Configuration();
        flink.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        if (savepoint != null) {
            flink.set(
                    org.apache.flink.configuration.StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        LineageJob.configure(env, config);
        LineageJob.defineWorkflow(
                env,
                sources.apply(LineageSources.kafka(config)),
                LineageSinks.kafka(config),
                config.coalesceDelay(),
                config.hubFanIn(),
                config.alertQuietPeriod());
        more.accept(env);
        return env.executeAsync(name + " " + runId);
    }

    /** Waits until Elasticsearch holds the reference's documents and open alerts. */
    Map<String, TestStack.Stored> awaitConvergence(
            JobClient job, LineageReference.Result reference, Duration timeout) throws Exception {
        Map<String, JsonNode> expected = TestStack.expectedDocuments(reference);
        Map<String, String> expectedAlerts = expectedAlerts(reference);
        long deadline = System.nanoTime() + timeout.toNanos();
        String difference = "nothing polled yet";
        while (System.nanoTime() < deadline) {
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                fail(name + ": the job ended: " + job.getJobExecutionResult().get());
            }
            try {
                Map<String, TestStack.Stored> stored = TestStack.documents(esUrl);
                difference = LineageJobITCase.firstDifference(expected, stored);
                if (difference == null) {
                    Map<String, String> open =
                            LineageJobITCase.openAlertKinds(TestStack.alertDocuments(esUrl));
                    if (open.equals(expectedAlerts)) {
                        return stored;
                    }
                    difference = "open alerts " + open + ", expected " + expectedAlerts;
                }
            } catch (Exception e) {
                difference = "Elasticsearch not answering: " + e; // while it is down
            }
            Thread.sleep(1000);
        }
        fail(name + ": no convergence within " + timeout + "; first difference: " + difference);
        return null;
    }

    static Map<String, String> expectedAlerts(LineageReference.Result reference) {
        Map<String, String> expected = new TreeMap<>();
        reference.alerts().forEach((id, alert) -> expected.put(id, alert.kind()));
        return expected;
    }

    /**
     * Stops the job with a savepoint (the exactly-once sinks commit their last transactions), then
     * checks that nothing was duplicated: each document in Elasticsearch is the last committed
     * record of the documents topic at that record's offset as version; one closure content per
     * (sender, target, version) on the feedback topic; per alert id OPEN and RESOLVED alternate on
     * trace.alerts and the alerts left open are the reference's; one trace-alerts document per id.
     */
    void stopAndCheckNothingDuplicated(JobClient job, LineageReference.Result reference)
            throws Exception {
        awaitQuiet();
        job.stopWithSavepoint(
                        false,
                        SAVEPOINTS.resolve(runId).toUri().toString(),
                        SavepointFormatType.CANONICAL)
                .get(120, TimeUnit.SECONDS);
        Map<String, TestStack.Committed> lastCommitted = new TreeMap<>();
        for (TestStack.Committed record : TestStack.readCommitted(bootstrap, topics.documents())) {
            lastCommitted.merge(record.key(), record, (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        Map<String, TestStack.Stored> all = new TreeMap<>(TestStack.documents(esUrl));
        Map<String, TestStack.Stored> alertDocs = TestStack.alertDocuments(esUrl);
        all.putAll(alertDocs);
        for (Map.Entry<String, TestStack.Stored> doc : all.entrySet()) {
            TestStack.Committed last = lastCommitted.get(doc.getKey());
            assertTrue(last != null, name + ": " + doc.getKey() + " was never committed");
            assertEquals(
                    last.offset(), doc.getValue().version(), name + ": version of " + doc.getKey());
            assertTrue(
                    LineageJobITCase.sameJson(JSON.readTree(last.value()), doc.getValue().source()),
                    name + ": " + doc.getKey() + " differs from its last committed record");
        }
        Map<String, List<?>> closures = new HashMap<>();
        for (LineageMessage message : TestStack.feedback(bootstrap, topics.feedback())) {
            if (message instanceof LineageMessage.Closure closure) {
                // a version goes out as a difference and, to a new child or on request, whole
                String id =
                        closure.from()
                                + ">"
                                + closure.target()
                                + "@"
                                + closure.version()
                                + (closure.full() ? " whole" : " difference");
                List<Object> content = List.of(closure.entries(), closure.removed());
                List<?> previous = closures.putIfAbsent(id, content);
                assertTrue(
                        previous == null || previous.equals(content),
                        name + ": closure " + id + " committed twice with different content");
            }
        }
        Map<String, TraceAlert> lastRecord = new TreeMap<>();
        try (AvroKafkaDeserializer<TraceAlert> avro =
                AvroKafkaDeserializer.forSpecific(
                        new ConfluentSchemaRegistryClient(RegistrySettings.of(registryUrl)),
                        TraceAlert.class)) {
            for (TestStack.Committed record : TestStack.readCommitted(bootstrap, topics.alerts())) {
                TraceAlert alert = avro.deserialize(topics.alerts(), record.value());
                TraceAlert before = lastRecord.put(alert.getAlertId(), alert);
                boolean wasOpen = before != null && before.getStatus() == TraceAlertStatus.OPEN;
                boolean isOpen = alert.getStatus() == TraceAlertStatus.OPEN;
                assertTrue(
                        wasOpen != isOpen,
                        name
                                + ": alert records must alternate OPEN/RESOLVED: "
                                + before
                                + " then "
                                + alert);
            }
        }
        Map<String, String> openOnTopic = new TreeMap<>();
        lastRecord.values().stream()
                .filter(a -> a.getStatus() == TraceAlertStatus.OPEN)
                .forEach(a -> openOnTopic.put(a.getAlertId(), a.getKind().name()));
        assertEquals(expectedAlerts(reference), openOnTopic, name + ": open alerts on the topic");
        assertEquals(lastRecord.size(), alertDocs.size(), name + ": one document per alert id");
        for (TraceAlert last : lastRecord.values()) {
            TestStack.Stored doc = alertDocs.get(HoldAlert.INDEX + "/" + last.getAlertId());
            assertTrue(doc != null, name + ": no trace-alerts document for " + last);
            assertEquals(last.getStatus().name(), doc.source().path("status").asText());
        }
    }

    /**
     * Waits until the job has written nothing to its documents and feedback topics for 5 s: the
     * nodes may still repeat a converged document (same content, new offset); a savepoint taken in
     * between commits records the Elasticsearch sink of this run never reads.
     */
    void awaitQuiet() throws Exception {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", bootstrap);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(topics.documents(), topics.feedback())) {
                consumer.partitionsFor(topic)
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            Map<TopicPartition, Long> last = consumer.endOffsets(partitions);
            long quietSince = System.nanoTime();
            while (System.nanoTime() < deadline) {
                Thread.sleep(500);
                Map<TopicPartition, Long> now = consumer.endOffsets(partitions);
                if (!now.equals(last)) {
                    last = now;
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince > Duration.ofSeconds(5).toNanos()) {
                    return;
                }
            }
        }
        fail(name + ": the job kept writing documents or feedback for 2 min after convergence");
    }

    /** The dead letters written so far. */
    List<DeadLetter> deadLetters() throws Exception {
        List<DeadLetter> letters = new ArrayList<>();
        try (AvroKafkaDeserializer<DeadLetter> avro =
                AvroKafkaDeserializer.forSpecific(
                        new ConfluentSchemaRegistryClient(RegistrySettings.of(registryUrl)),
                        DeadLetter.class)) {
            for (TestStack.Committed record :
                    TestStack.readCommitted(bootstrap, topics.deadLetters())) {
                letters.add(avro.deserialize(topics.deadLetters(), record.value()));
            }
        }
        return letters;
    }
}
