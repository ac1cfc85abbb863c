package dev.batchtrace.jobs.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.connectors.kafka.AvroKafkaDeserializer;
import dev.batchtrace.connectors.kafka.AvroKafkaSerializer;
import dev.batchtrace.connectors.registry.ConfluentSchemaRegistryClient;
import dev.batchtrace.connectors.registry.RegistrySettings;
import dev.batchtrace.events.DeadLetter;
import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.events.MachineEventType;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import dev.batchtrace.machine.MachineReference;
import dev.batchtrace.machine.MachineRunSummary;
import dev.batchtrace.machine.MachineShiftGenerator;
import dev.batchtrace.stack.TestServers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The machine job on a MiniCluster (parallelism 2, RocksDB, checkpoints every 500 ms) against the
 * real Kafka broker and schema registry: a generated shift published as Avro, delivered out of
 * order; the committed summaries (read_committed, merged per key) equal {@link MachineReference}; a
 * machine event sent after its summary was final lands in the dead-letter topic with its reason.
 */
class MachineJobITCase {

    private static final int PARALLELISM = 2;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(rocksDb())
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(PARALLELISM)
                            .build());

    private static Configuration rocksDb() {
        Configuration config = new Configuration();
        config.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        return config;
    }

    @Test
    void aShiftOfTelemetryBecomesTheReferenceSummariesAndATooLateEventADeadLetter()
            throws Exception {
        String bootstrap = TestServers.kafkaBootstrapServers();
        String registryUrl = TestServers.schemaRegistryUrl();
        String runId = "machine-" + UUID.randomUUID().toString().substring(0, 8);
        MachineJobConfig config =
                runConfig(
                        runId,
                        Map.of(
                                MachineJobConfig.ALLOWED_LATENESS_KEY,
                                "2m",
                                MachineJobConfig.OUT_OF_ORDERNESS_KEY,
                                "5s"));
        MachineJobConfig.Topics topics = config.topics();

        MachineShiftGenerator.Options options =
                new MachineShiftGenerator.Options(4, Duration.ofHours(3), 8);
        List<SpecificRecordBase> shift = MachineShiftGenerator.generate(42, options);
        Map<String, MachineRunSummary> expected = new TreeMap<>();
        MachineReference.summaries(shift).forEach(s -> expected.put(s.key(), s));
        assertTrue(expected.size() > 20, "runs and idle buckets of 4 machines: " + expected.size());
        // gateways deliver up to a minute late (within the allowed lateness)
        List<SpecificRecordBase> arrival =
                MachineShiftGenerator.arrivalOrder(shift, Duration.ofMinutes(1), new Random(42));
        Instant closing = options.start().plus(options.shift()).plus(Duration.ofHours(2));

        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(rocksDb());
        MachineJob.configure(env, config);
        MachineJob.defineWorkflow(
                env, MachineSources.kafka(config), MachineSinks.kafka(config), config);
        JobClient job = env.executeAsync("machine ITCase " + runId);
        try (KafkaProducer<String, SpecificRecordBase> producer =
                producer(bootstrap, registryUrl)) {
            publish(producer, topics, arrival, closing);

            Map<String, MachineRunSummary> actual =
                    awaitSummaries(bootstrap, topics.machineSummaries(), expected, job);
            assertEquals(expected, actual);

            // A machine event of the shift's first minute now: its summary is long final.
            MachineEvent tooLate =
                    MachineEvent.newBuilder()
                            .setMachineId("M-00")
                            .setOccurredAt(options.start().plusSeconds(60))
                            .setEventType(MachineEventType.CYCLE)
                            .setEventId("too-late-1")
                            .build();
            producer.send(new ProducerRecord<>(topics.machineEvents(), "M-00", tooLate));
            producer.flush();
            DeadLetter letter = awaitDeadLetter(bootstrap, registryUrl, topics.deadLetters());
            assertEquals(topics.machineEvents(), letter.getSourceTopic());
            assertTrue(letter.getError().contains("allowed lateness"), letter.getError());
            assertEquals(tooLate, MachineEvent.fromByteBuffer(letter.getValue()));
        } finally {
            job.cancel().get();
        }
        // and nothing changed the summaries: the too-late event was not counted anywhere
        assertEquals(expected, merged(bootstrap, topics.machineSummaries()));
    }

    /**
     * The first run on a fresh machine (issue 13): the whole day is in the topics before the job
     * starts, and one input starts slowly (here its readers get their partitions 8 s late, longer
     * than the 2 s source idleness of local runs). An input must not count as idle while it still
     * has a backlog to read: otherwise the machine events run event time past every work order that
     * has not been read yet, their runs are never split and all events land in idle buckets.
     */
    @Test
    void aWorkOrderInputThatStartsLateDoesNotLetMachineEventsRunAhead() throws Exception {
        String bootstrap = TestServers.kafkaBootstrapServers();
        String registryUrl = TestServers.schemaRegistryUrl();
        String runId = "slow-" + UUID.randomUUID().toString().substring(0, 8);
        MachineJobConfig config =
                runConfig(runId, Map.of(MachineJobConfig.SOURCE_IDLE_TIMEOUT_KEY, "2s")); // local
        MachineJobConfig.Topics topics = config.topics();
        MachineShiftGenerator.Options options =
                new MachineShiftGenerator.Options(3, Duration.ofHours(2), 4);
        List<SpecificRecordBase> shift = MachineShiftGenerator.generate(7, options);
        Map<String, MachineRunSummary> expected = new TreeMap<>();
        MachineReference.summaries(shift).forEach(s -> expected.put(s.key(), s));
        Instant closing = options.start().plus(options.shift()).plus(Duration.ofHours(2));
        // the day first, as `bin/trace demo` publishes it before the job starts
        try (KafkaProducer<String, SpecificRecordBase> producer =
                producer(bootstrap, registryUrl)) {
            publish(producer, topics, shift, closing);
        }
        MachineSources kafka = MachineSources.kafka(config);
        MachineSources slowWorkOrders =
                new MachineSources(
                        kafka.machineEvents(),
                        new SlowStartSource<>(kafka.workOrders(), Duration.ofSeconds(8)));

        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(rocksDb());
        MachineJob.configure(env, config);
        MachineJob.defineWorkflow(env, slowWorkOrders, MachineSinks.kafka(config), config);
        JobClient job = env.executeAsync("machine ITCase " + runId);
        try {
            Map<String, MachineRunSummary> actual =
                    awaitSummaries(bootstrap, topics.machineSummaries(), expected, job);
            // the keys first: the race shows as missing work-order runs ("wo:...")
            assertEquals(expected.keySet(), actual.keySet());
            assertEquals(expected, actual);
        } finally {
            job.cancel().get();
        }
    }

    /**
     * The job's settings for one test run against the test servers (topics, groups and transaction
     * ids of its own, created here), with {@code extra} on top.
     */
    static MachineJobConfig runConfig(String runId, Map<String, String> extra) throws Exception {
        String bootstrap = TestServers.kafkaBootstrapServers();
        Map<String, String> settings = new HashMap<>();
        settings.put("bootstrap.servers", bootstrap);
        settings.put("group.id.prefix", "it-" + runId);
        settings.put("schema.registry.url", TestServers.schemaRegistryUrl());
        settings.put(MachineJobConfig.TRANSACTIONAL_ID_PREFIX_KEY, "it-" + runId);
        settings.put(MachineJobConfig.CHECKPOINT_INTERVAL_KEY, "500ms");
        settings.put(MachineJobConfig.EMIT_INTERVAL_KEY, "1m");
        settings.put(MachineJobConfig.PARALLELISM_KEY, String.valueOf(PARALLELISM));
        settings.putAll(extra);
        MachineJobConfig config =
                MachineJobConfig.fromMap(settings)
                        .withTopics(MachineJobConfig.Topics.defaults().withSuffix("." + runId));
        MachineJobConfig.Topics topics = config.topics();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(
                            List.of(
                                            topics.machineEvents(),
                                            topics.workOrders(),
                                            topics.machineSummaries(),
                                            topics.deadLetters())
                                    .stream()
                                    .map(t -> new NewTopic(t, PARALLELISM, (short) 1))
                                    .toList())
                    .all()
                    .get();
        }
        return config;
    }

    /**
     * The shift's events to their topics, then a clock tick at {@code closing} on every partition
     * of both inputs: every partition's event time moves on past the shift, so every summary is
     * final.
     */
    static void publish(
            KafkaProducer<String, SpecificRecordBase> producer,
            MachineJobConfig.Topics topics,
            List<SpecificRecordBase> events,
            Instant closing) {
        for (SpecificRecordBase e : events) {
            if (e instanceof MachineEvent m) {
                producer.send(new ProducerRecord<>(topics.machineEvents(), m.getMachineId(), m));
            } else if (e instanceof WorkOrderEvent w) {
                producer.send(new ProducerRecord<>(topics.workOrders(), w.getWorkOrderId(), w));
            }
        }
        for (int p = 0; p < PARALLELISM; p++) {
            producer.send(
                    new ProducerRecord<>(topics.machineEvents(), p, "M-CLOCK", clockTick(closing)));
            producer.send(
                    new ProducerRecord<>(topics.workOrders(), p, "WO-CLOCK", released(closing)));
        }
        producer.flush();
    }

    private static MachineEvent clockTick(Instant at) {
        return MachineEvent.newBuilder()
                .setMachineId("M-CLOCK")
                .setOccurredAt(at)
                .setEventType(MachineEventType.CYCLE)
                .build();
    }

    private static WorkOrderEvent released(Instant at) {
        return WorkOrderEvent.newBuilder()
                .setEventId("WO-CLOCK-" + at)
                .setWorkOrderId("WO-CLOCK")
                .setEventType(WorkOrderEventType.RELEASED)
                .setOccurredAt(at)
                .setProductCode("CLOCK")
                .build();
    }

    static KafkaProducer<String, SpecificRecordBase> producer(
            String bootstrap, String registryUrl) {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", bootstrap);
        props.setProperty("acks", "all");
        props.setProperty("linger.ms", "5");
        props.setProperty("batch.size", "65536");
        return new KafkaProducer<>(
                props,
                new StringSerializer(),
                new AvroKafkaSerializer<>(
                        new ConfluentSchemaRegistryClient(RegistrySettings.of(registryUrl))));
    }

    private static Map<String, MachineRunSummary> awaitSummaries(
            String bootstrap, String topic, Map<String, MachineRunSummary> expected, JobClient job)
            throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Map<String, MachineRunSummary> actual = Map.of();
        while (System.nanoTime() < deadline) {
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                throw new AssertionError("the job ended: " + job.getJobStatus().get());
            }
            actual = merged(bootstrap, topic);
            if (actual.equals(expected)) {
                return actual;
            }
            Thread.sleep(1000);
        }
        return actual; // the caller's assertEquals shows the difference
    }

    /** The committed summaries, merged per key as a consumer keeps them. */
    static Map<String, MachineRunSummary> merged(String bootstrap, String topic) {
        Map<String, MachineRunSummary> byKey = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : readCommitted(bootstrap, topic)) {
            MachineRunSummary s = MachineRunSummary.decode(r.value());
            assertEquals(s.key(), new String(r.key(), java.nio.charset.StandardCharsets.UTF_8));
            byKey.merge(s.key(), s, MachineRunSummary::merge);
        }
        return byKey;
    }

    private static DeadLetter awaitDeadLetter(String bootstrap, String registryUrl, String topic)
            throws Exception {
        var deserializer =
                AvroKafkaDeserializer.forSpecific(
                        new ConfluentSchemaRegistryClient(RegistrySettings.of(registryUrl)),
                        DeadLetter.class);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            List<ConsumerRecord<byte[], byte[]>> records = readCommitted(bootstrap, topic);
            if (!records.isEmpty()) {
                assertEquals(1, records.size(), "one dead letter");
                return deserializer.deserialize(topic, records.get(0).value());
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no dead letter on " + topic + " within " + TIMEOUT);
    }

    /** Everything committed so far (read_committed, up to the last stable offsets). */
    static List<ConsumerRecord<byte[], byte[]>> readCommitted(String bootstrap, String topic) {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", bootstrap);
        props.setProperty("isolation.level", "read_committed");
        props.setProperty("enable.auto.commit", "false");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
