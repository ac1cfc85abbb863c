package dev.batchtrace.jobs.lineage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchtrace.connectors.gateway.JsonLinesReader;
import dev.batchtrace.connectors.gateway.LineResult;
import dev.batchtrace.connectors.gateway.ParsedEvent;
import dev.batchtrace.connectors.kafka.AvroKafkaDeserializer;
import dev.batchtrace.connectors.kafka.AvroRecordSerializer;
import dev.batchtrace.connectors.kafka.DeadLetterSplit;
import dev.batchtrace.connectors.registry.ConfluentSchemaRegistryClient;
import dev.batchtrace.connectors.registry.RegistrySettings;
import dev.batchtrace.events.DeadLetter;
import dev.batchtrace.events.DispatchLine;
import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.LotFlag;
import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.events.QcResult;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import dev.batchtrace.jobs.faults.Oddities;
import dev.batchtrace.jobs.machine.MachineJob;
import dev.batchtrace.jobs.machine.MachineJobConfig;
import dev.batchtrace.jobs.machine.MachineSinks;
import dev.batchtrace.jobs.machine.MachineSources;
import dev.batchtrace.lineage.reference.LineageReference;
import dev.batchtrace.machine.MachineShiftGenerator;
import dev.batchtrace.stack.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 13's bad input catalogue through the real pipeline: the sample factory day (good records,
 * through the registry serializer) with every kind of bad record published raw among them to the
 * input topics of the lineage job and the machine job (one Flink job, the real Kafka, registry and
 * Elasticsearch). Every bad record ends in the dead-letter topic with its original bytes and its
 * reason, the per-reason metric counts it, the job keeps running, and the documents equal the batch
 * reference of the good records and the domain oddities (which are processed, not dead-lettered;
 * what each does is asserted below and tabled in the README).
 */
class BadInputCatalogueITCase {

    private static final int PARALLELISM = 2;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Path FACTORY_DAY = Path.of("../../deploy/sample-data/factory-day.jsonl");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(clusterConfiguration())
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(PARALLELISM)
                            .build());

    private static Configuration clusterConfiguration() {
        Configuration config = new Configuration();
        config.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        return METRICS.addToConfiguration(config);
    }

    /** One bad record: published raw, expected as a dead letter with this reason. */
    record Bad(String kind, String topic, byte[] value, String reason) {}

    /** Where a bad record landed. */
    record Sent(Bad bad, int partition, long offset) {}

    @Test
    void everyKindOfBadInputIsADeadLetterAndEveryGoodRecordIsProcessed() throws Exception {
        String bootstrap = TestServers.kafkaBootstrapServers();
        String registryUrl = TestServers.schemaRegistryUrl();
        String esUrl = TestServers.elasticsearchUrl();
        String runId = "bad-input-" + UUID.randomUUID().toString().substring(0, 8);

        Map<String, String> settings = new HashMap<>();
        settings.put("bootstrap.servers", bootstrap);
        settings.put("group.id.prefix", "it-" + runId);
        settings.put("schema.registry.url", registryUrl);
        settings.put("elasticsearch.hosts", esUrl);
        settings.put("elasticsearch.bulk.flush-interval", "200ms");
        settings.put(LineageJobConfig.TRANSACTIONAL_ID_PREFIX_KEY, "it-" + runId);
        settings.put(LineageJobConfig.CHECKPOINT_INTERVAL_KEY, "500ms");
        settings.put(LineageJobConfig.COALESCE_DELAY_KEY, "100ms");
        settings.put(LineageJobConfig.PARALLELISM_KEY, String.valueOf(PARALLELISM));
        LineageJobConfig config =
                LineageJobConfig.fromMap(settings)
                        .withTopics(LineageJobConfig.Topics.defaults().withSuffix("." + runId));
        LineageJobConfig.Topics topics = config.topics();
        String machineEvents = "plc.machine-events." + runId;
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
                        topics.machineSummaries(),
                        machineEvents));
        TestStack.resetIndices(config.elasticsearch(), esUrl);
        Map<String, String> machineSettings = new HashMap<>();
        machineSettings.put("bootstrap.servers", bootstrap);
        machineSettings.put("schema.registry.url", registryUrl);
        machineSettings.put("group.id.prefix", "it-machine-" + runId);
        machineSettings.put(MachineJobConfig.TRANSACTIONAL_ID_PREFIX_KEY, "it-machine-" + runId);
        machineSettings.put(MachineJobConfig.SOURCE_IDLE_TIMEOUT_KEY, "1s");
        machineSettings.put(MachineJobConfig.TOPIC_MACHINE_EVENTS_KEY, machineEvents);
        machineSettings.put(MachineJobConfig.TOPIC_WORK_ORDERS_KEY, topics.workOrders());
        machineSettings.put(
                MachineJobConfig.TOPIC_MACHINE_SUMMARIES_KEY, topics.machineSummaries());
        machineSettings.put(MachineJobConfig.TOPIC_DEAD_LETTERS_KEY, topics.deadLetters());
        MachineJobConfig machine = MachineJobConfig.fromMap(machineSettings);

        // Good records: the sample day, then the oddities, then a clock tick that closes the runs.
        List<SpecificRecordBase> day = new ArrayList<>();
        for (LineResult line : new JsonLinesReader().readAll(FACTORY_DAY)) {
            day.add(((ParsedEvent) line).value());
        }
        List<SpecificRecordBase> good = new ArrayList<>(day);
        good.addAll(Oddities.all());
        Instant closing =
                good.stream()
                        .filter(e -> e instanceof WorkOrderEvent || e instanceof MachineEvent)
                        .map(MachineShiftGenerator::occurredAt)
                        .max(Instant::compareTo)
                        .orElseThrow()
                        .plus(Duration.ofHours(2));
        good.addAll(TestStack.clockTicks(closing));

        List<Bad> catalogue = catalogue(registryUrl, topics, machineEvents);
        assertTrue(catalogue.size() >= 20, "at least 20 kinds: " + catalogue.size());
        List<Sent> sent = new ArrayList<>();
        // the bad records go in among the good ones: after the first third, after the second
        int third = good.size() / 3;
        TestStack.publish(bootstrap, registryUrl, topics, good.subList(0, third), machineEvents);
        sent.addAll(publishRaw(bootstrap, catalogue.subList(0, catalogue.size() / 2)));
        TestStack.publish(
                bootstrap, registryUrl, topics, good.subList(third, 2 * third), machineEvents);
        sent.addAll(
                publishRaw(bootstrap, catalogue.subList(catalogue.size() / 2, catalogue.size())));
        TestStack.publish(
                bootstrap,
                registryUrl,
                topics,
                good.subList(2 * third, good.size()),
                machineEvents);

        LineageReference.Result reference = LineageReference.withHolds(good);
        Map<String, JsonNode> expected = TestStack.expectedDocuments(reference);
        Map<String, String> expectedAlerts = new TreeMap<>();
        reference.alerts().forEach((id, alert) -> expectedAlerts.put(id, alert.kind()));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        LineageJob.configure(env, config);
        LineageJob.defineWorkflow(
                env,
                LineageSources.kafka(config),
                LineageSinks.kafka(config),
                config.coalesceDelay());
        MachineJob.defineWorkflow(
                env, MachineSources.kafka(machine), MachineSinks.kafka(machine), machine);
        long started = System.nanoTime();
        JobClient job = env.executeAsync("bad input catalogue " + runId);
        try {
            Map<String, TestStack.Stored> documents =
                    awaitDocuments(esUrl, expected, expectedAlerts, job);
            Map<String, DeadLetter> letters =
                    awaitDeadLetters(bootstrap, registryUrl, topics, sent);
            assertEquals(JobStatus.RUNNING, job.getJobStatus().get(), "the job keeps running");

            // each bad record: one dead letter at its position, its bytes, its reason
            for (Sent s : sent) {
                DeadLetter letter =
                        letters.get(s.bad().topic() + "/" + s.partition() + "/" + s.offset());
                assertTrue(letter != null, s.bad().kind() + ": no dead letter");
                assertTrue(
                        letter.getError().startsWith(s.bad().reason() + ": "),
                        s.bad().kind() + ": " + letter.getError());
                if (s.bad().value() == null) {
                    assertNull(letter.getValue(), s.bad().kind());
                } else {
                    assertArrayEquals(s.bad().value(), bytes(letter.getValue()), s.bad().kind());
                }
            }
            assertEquals(
                    sent.size(),
                    letters.size(),
                    "no good record is a dead letter: " + letters.keySet());

            // the metric counts each reason as often as the catalogue has it
            // (the machine job reads the work-order topic too: it dead-letters those again)
            Map<String, Long> expectedCounts = new TreeMap<>();
            catalogue.forEach(
                    b ->
                            expectedCounts.merge(
                                    b.reason(),
                                    b.topic().equals(topics.workOrders()) ? 2L : 1L,
                                    Long::sum));
            assertEquals(expectedCounts, deadLetterCounts(job));

            assertOddities(documents);
            System.out.printf(
                    "bad input catalogue: %d kinds dead-lettered (%s), %d good events, %d"
                            + " documents equal the reference, in %d ms%n",
                    sent.size(),
                    expectedCounts,
                    good.size(),
                    expected.size(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    /** What the domain oddities did (the README's table says the same). */
    private static void assertOddities(Map<String, TestStack.Stored> documents) {
        JsonNode never = source(documents, "trace-lots/RM-NEVER-01");
        assertFalse(never.has("kind"), "a lot that never arrived has no kind: " + never);
        assertFalse(never.has("supplierId"), never.toString());
        assertEquals(
                5.0, never.path("balance").path("unaccounted").get(0).path("consumed").asDouble());
        assertEquals(
                "RM-NEVER-01",
                source(documents, "trace-lots/SA-ODD-01").path("ancestorLotCodes").get(0).asText());
        JsonNode cycle = source(documents, "trace-lots/SA-ODD-02");
        assertEquals(0, cycle.path("ancestors").size(), "a lot is not its own ancestor: " + cycle);
        assertEquals("SA-ODD-02", cycle.path("inputLotCodes").get(0).asText());
        JsonNode reversal = source(documents, "trace-work-orders/WO-ODD-3");
        assertEquals(0, reversal.path("consumedLotCodes").size(), reversal.toString());
        JsonNode resin = source(documents, "trace-lots/RM-261102-02");
        Map<String, Double> consumedBy = new TreeMap<>();
        resin.path("balance")
                .path("consumedBy")
                .forEach(
                        c ->
                                consumedBy.put(
                                        c.path("workOrderId").asText(),
                                        c.path("quantity").asDouble()));
        assertFalse(consumedBy.containsKey("WO-ODD-3"), "nothing to reverse: " + consumedBy);
        assertEquals(7.0, consumedBy.get("WO-ODD-4"), "same eventId twice: the larger wins");
        assertFalse(resin.path("onHold").asBoolean(), "a RELEASE without HOLD changes nothing");
        assertFalse(
                documents.containsKey("trace-lots/RM-UNKNOWN-9"),
                "a flag for an unknown lot makes no document");
        documents.values().stream()
                .map(TestStack.Stored::source)
                .forEach(
                        d ->
                                assertFalse(
                                        d.path("machineIds").toString().contains("IMM-99"),
                                        "an unknown machine's event lands nowhere: " + d));
    }

    private static JsonNode source(Map<String, TestStack.Stored> documents, String key) {
        TestStack.Stored stored = documents.get(key);
        assertTrue(stored != null, "no document " + key);
        return stored.source();
    }

    /** The catalogue: at least 20 kinds of bad input, with their expected reasons. */
    private static List<Bad> catalogue(
            String registryUrl, LineageJobConfig.Topics topics, String machineEvents)
            throws Exception {
        ConfluentSchemaRegistryClient registry =
                new ConfluentSchemaRegistryClient(RegistrySettings.of(registryUrl));
        AvroRecordSerializer<SpecificRecordBase> avro = new AvroRecordSerializer<>(registry);
        String receipts = topics.goodsReceipts();
        String workOrders = topics.workOrders();
        String dispatches = topics.dispatchNotes();
        String flags = topics.lotFlags();
        String qc = topics.qcResults();
        byte[] goodReceipt = avro.serialize(receipts, receipt());
        List<Bad> bad = new ArrayList<>();
        bad.add(
                new Bad(
                        "not Avro (JSON text)",
                        workOrders,
                        "{\"eventId\":\"WO-JSON\"}".getBytes(StandardCharsets.UTF_8),
                        "WRONG_MAGIC_BYTE"));
        bad.add(new Bad("empty value", receipts, new byte[0], "EMPTY"));
        bad.add(new Bad("null value (tombstone)", dispatches, null, "EMPTY"));
        bad.add(new Bad("shorter than the header", flags, new byte[] {0, 0, 1}, "TOO_SHORT"));
        bad.add(
                new Bad(
                        "unknown schema id",
                        qc,
                        new byte[] {0, 0x0f, 0x42, 0x3f, 0x7f, 2, 'x'},
                        "UNKNOWN_SCHEMA_ID"));
        bad.add(
                new Bad(
                        "negative schema id",
                        receipts,
                        new byte[] {0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe, 2},
                        "UNKNOWN_SCHEMA_ID"));
        bad.add(
                new Bad(
                        "schema id of a JSON Schema",
                        receipts,
                        withSchemaId(goodReceipt, registerJsonSchema(registryUrl, runSubject())),
                        "UNUSABLE_SCHEMA"));
        bad.add(
                new Bad(
                        "schema of another record type (a goods receipt on the work-order topic)",
                        workOrders,
                        goodReceipt,
                        "INCOMPATIBLE_SCHEMA"));
        bad.add(
                new Bad(
                        "truncated record",
                        receipts,
                        Arrays.copyOf(goodReceipt, goodReceipt.length / 2),
                        "CORRUPT_PAYLOAD"));
        byte[] trailing = Arrays.copyOf(goodReceipt, goodReceipt.length + 3);
        bad.add(new Bad("bytes after the record", receipts, trailing, "CORRUPT_PAYLOAD"));
        byte[] hugeLength = Arrays.copyOf(goodReceipt, 12);
        System.arraycopy(
                new byte[] {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07},
                0,
                hugeLength,
                5,
                5);
        bad.add(new Bad("string length of 1 GiB", receipts, hugeLength, "CORRUPT_PAYLOAD"));

        GoodsReceipt in1970 = receipt();
        in1970.setReceivedAt(Instant.EPOCH);
        bad.add(
                new Bad(
                        "timestamp in 1970",
                        receipts,
                        avro.serialize(receipts, in1970),
                        "TIMESTAMP_OUT_OF_RANGE"));
        WorkOrderEvent in2100 = consumption();
        in2100.setOccurredAt(Instant.parse("2100-01-01T00:00:00Z"));
        bad.add(
                new Bad(
                        "timestamp in 2100",
                        workOrders,
                        avro.serialize(workOrders, in2100),
                        "TIMESTAMP_OUT_OF_RANGE"));
        WorkOrderEvent negative = consumption();
        negative.setQuantity(-60.0);
        bad.add(
                new Bad(
                        "negative quantity",
                        workOrders,
                        avro.serialize(workOrders, negative),
                        "NEGATIVE_QUANTITY"));
        GoodsReceipt nan = receipt();
        nan.setQuantity(Double.NaN);
        bad.add(new Bad("NaN quantity", receipts, avro.serialize(receipts, nan), "INVALID_NUMBER"));
        QcResult infinite = qcResult();
        infinite.setValue(Double.POSITIVE_INFINITY);
        bad.add(new Bad("infinite QC value", qc, avro.serialize(qc, infinite), "INVALID_NUMBER"));
        GoodsReceipt emptyLot = receipt();
        emptyLot.setLotCode("");
        bad.add(
                new Bad(
                        "empty lot code",
                        receipts,
                        avro.serialize(receipts, emptyLot),
                        "MISSING_FIELD"));
        DispatchNote blankLine = dispatch(2);
        blankLine.getLines().get(1).setLotCode("  ");
        bad.add(
                new Bad(
                        "blank lot code on a dispatch line",
                        dispatches,
                        avro.serialize(dispatches, blankLine),
                        "MISSING_FIELD"));
        WorkOrderEvent noLot = consumption();
        noLot.setLotCode(null);
        bad.add(
                new Bad(
                        "consumption without a lot code",
                        workOrders,
                        avro.serialize(workOrders, noLot),
                        "MISSING_FIELD"));
        bad.add(
                new Bad(
                        "dispatch note with 10,000 lines",
                        dispatches,
                        avro.serialize(dispatches, dispatch(10_000)),
                        "TOO_MANY_ITEMS"));
        GoodsReceipt megabyte = receipt();
        megabyte.setMaterialName("x".repeat(1_000_000));
        bad.add(
                new Bad(
                        "1 MB string field",
                        receipts,
                        avro.serialize(receipts, megabyte),
                        "FIELD_TOO_LONG"));
        QcResult reversed = qcResult();
        reversed.setLowerLimit(2.1);
        reversed.setUpperLimit(1.9);
        bad.add(
                new Bad(
                        "QC result with lower limit > upper limit",
                        qc,
                        avro.serialize(qc, reversed),
                        "LIMITS_REVERSED"));
        LotFlag blankFlag = LotFlag.newBuilder(hold()).setFlagId(" ").build();
        bad.add(
                new Bad(
                        "lot flag with a blank flag id",
                        flags,
                        avro.serialize(flags, blankFlag),
                        "MISSING_FIELD"));
        MachineEvent measurement = measurement();
        measurement.setLowerLimit(245.0);
        measurement.setUpperLimit(230.0);
        bad.add(
                new Bad(
                        "machine measurement with limits reversed",
                        machineEvents,
                        avro.serialize(machineEvents, measurement),
                        "LIMITS_REVERSED"));
        MachineEvent nanMeasurement = measurement();
        nanMeasurement.setValue(Double.NaN);
        bad.add(
                new Bad(
                        "machine measurement NaN",
                        machineEvents,
                        avro.serialize(machineEvents, nanMeasurement),
                        "INVALID_NUMBER"));
        bad.add(
                new Bad(
                        "machine event not Avro",
                        machineEvents,
                        "IMM-01;ALARM;A-1".getBytes(StandardCharsets.UTF_8),
                        "WRONG_MAGIC_BYTE"));
        return bad;
    }

    private static String runSubject() {
        return "bad-input-json-" + UUID.randomUUID();
    }

    /** Registers a JSON Schema (not Avro) and returns its id. */
    private static int registerJsonSchema(String registryUrl, String subject) throws Exception {
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                registryUrl + "/subjects/" + subject + "/versions"))
                                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                                .POST(HttpRequest.BodyPublishers.ofString(JSON_SCHEMA_REQUEST))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(response.body())
                .path("id")
                .asInt();
    }

    /** A JSON Schema the registry recognises as one (Apicurio looks for {@code $schema}). */
    private static final String JSON_SCHEMA_REQUEST =
            "{\"schemaType\":\"JSON\",\"schema\":\"{\\\"$schema\\\":"
                    + "\\\"http://json-schema.org/draft-07/schema#\\\",\\\"type\\\":"
                    + "\\\"object\\\",\\\"properties\\\":{\\\"lotCode\\\":"
                    + "{\\\"type\\\":\\\"string\\\"}}}\"}";

    private static byte[] withSchemaId(byte[] wire, int id) {
        byte[] copy = wire.clone();
        ByteBuffer.wrap(copy, 1, 4).putInt(id);
        return copy;
    }

    private static List<Sent> publishRaw(String bootstrap, List<Bad> bad) throws Exception {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", bootstrap);
        props.setProperty("acks", "all");
        List<Sent> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Bad b : bad) {
                RecordMetadata at =
                        producer.send(
                                        new ProducerRecord<>(
                                                b.topic(),
                                                ("BAD " + b.kind())
                                                        .getBytes(StandardCharsets.UTF_8),
                                                b.value()))
                                .get();
                sent.add(new Sent(b, at.partition(), at.offset()));
            }
        }
        return sent;
    }

    private static Map<String, TestStack.Stored> awaitDocuments(
            String esUrl,
            Map<String, JsonNode> expected,
            Map<String, String> expectedAlerts,
            JobClient job)
            throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        String difference = "nothing polled yet";
        while (System.nanoTime() < deadline) {
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                fail("the job ended: " + job.getJobExecutionResult().get());
            }
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
            Thread.sleep(500);
        }
        fail("no convergence within " + TIMEOUT + "; first difference: " + difference);
        return null;
    }

    /** The dead letters by topic/partition/offset, once every bad record has one. */
    private static Map<String, DeadLetter> awaitDeadLetters(
            String bootstrap, String registryUrl, LineageJobConfig.Topics topics, List<Sent> sent)
            throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Map<String, DeadLetter> letters = new TreeMap<>();
        try (AvroKafkaDeserializer<DeadLetter> avro =
                AvroKafkaDeserializer.forSpecific(
                        new ConfluentSchemaRegistryClient(RegistrySettings.of(registryUrl)),
                        DeadLetter.class)) {
            while (System.nanoTime() < deadline) {
                letters.clear();
                for (TestStack.Committed record :
                        TestStack.readCommitted(bootstrap, topics.deadLetters())) {
                    DeadLetter letter = avro.deserialize(topics.deadLetters(), record.value());
                    // at least once: a letter written twice has the same position and content
                    letters.put(
                            letter.getSourceTopic()
                                    + "/"
                                    + letter.getPartition()
                                    + "/"
                                    + letter.getOffset(),
                            letter);
                }
                if (letters.size() >= sent.size()) {
                    return letters;
                }
                Thread.sleep(500);
            }
        }
        fail(letters.size() + " of " + sent.size() + " dead letters within " + TIMEOUT);
        return null;
    }

    /** Reason -> dead letters counted by the split operators of this job. */
    private static Map<String, Long> deadLetterCounts(JobClient job) {
        Map<String, Long> counts = new TreeMap<>();
        for (Map.Entry<MetricGroup, Map<String, Metric>> group :
                METRICS.getMetricsByGroup().entrySet()) {
            if (!job.getJobID()
                    .toString()
                    .equals(group.getKey().getAllVariables().get("<job_id>"))) {
                continue;
            }
            List<String> scope = Arrays.asList(group.getKey().getScopeComponents());
            int at = scope.lastIndexOf(DeadLetterSplit.REASON_GROUP);
            if (at >= 0
                    && at + 1 < scope.size()
                    && group.getValue().get(DeadLetterSplit.METRIC) instanceof Counter c
                    && c.getCount() > 0) {
                counts.merge(scope.get(at + 1), c.getCount(), Long::sum);
            }
        }
        return counts;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    private static final Instant DAY = Instant.parse("2026-11-02T12:00:00Z");

    private static GoodsReceipt receipt() {
        return GoodsReceipt.newBuilder()
                .setReceiptId("GR-BAD-1")
                .setLotCode("RM-BAD-1")
                .setMaterialCode("PCABS-NAT")
                .setMaterialName("PC/ABS resin, natural")
                .setSupplierId("SUP-POLY")
                .setSupplierName("Polymer Werke GmbH")
                .setSupplierLotCode("L-BAD-1")
                .setQuantity(100.0)
                .setUnit("kg")
                .setReceivedAt(DAY)
                .setSite("PLANT-ULM")
                .build();
    }

    private static WorkOrderEvent consumption() {
        return WorkOrderEvent.newBuilder()
                .setEventId("WO-BAD-1-E01")
                .setWorkOrderId("WO-BAD-1")
                .setEventType(WorkOrderEventType.MATERIAL_CONSUMED)
                .setOccurredAt(DAY)
                .setProductCode("HSG-F-WH")
                .setLotCode("RM-261102-01")
                .setQuantity(60.0)
                .setUnit("kg")
                .build();
    }

    private static DispatchNote dispatch(int lines) {
        List<DispatchLine> all = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            all.add(
                    DispatchLine.newBuilder()
                            .setLotCode(String.format("FG-BAD-%05d", i))
                            .setProductCode("TC-100")
                            .setQuantity(1.0)
                            .setUnit("pcs")
                            .build());
        }
        return DispatchNote.newBuilder()
                .setDispatchId("DN-BAD-" + lines)
                .setCustomerId("C-100")
                .setCustomerName("HeatWise GmbH")
                .setDestination("München")
                .setVehicle("UL-HW 412")
                .setCarrier("Spedition Maier")
                .setRecipient("Tor 3")
                .setShippedAt(DAY)
                .setLines(all)
                .build();
    }

    private static QcResult qcResult() {
        return QcResult.newBuilder()
                .setCheckId("QC-BAD-1")
                .setLotCode("SA-261102-01")
                .setCharacteristic("wall_thickness")
                .setValue(2.0)
                .setLowerLimit(1.9)
                .setUpperLimit(2.1)
                .setResult(dev.batchtrace.events.QcOutcome.PASS)
                .setInspectorId("QA-KRAUSE")
                .setCheckedAt(DAY)
                .build();
    }

    private static LotFlag hold() {
        return LotFlag.newBuilder()
                .setFlagId("FLAG-BAD-1")
                .setLotCode("RM-261102-02")
                .setAction(dev.batchtrace.events.LotFlagAction.HOLD)
                .setReason("bad input test")
                .setSeverity(dev.batchtrace.events.LotFlagSeverity.MINOR)
                .setFlaggedBy("qa.test")
                .setFlaggedAt(DAY)
                .build();
    }

    private static MachineEvent measurement() {
        return MachineEvent.newBuilder()
                .setMachineId("IMM-01")
                .setOccurredAt(DAY)
                .setEventType(dev.batchtrace.events.MachineEventType.MEASUREMENT)
                .setParameter("melt_temperature")
                .setValue(238.0)
                .setLowerLimit(230.0)
                .setUpperLimit(245.0)
                .setEventId("IMM-01-BAD")
                .build();
    }
}
