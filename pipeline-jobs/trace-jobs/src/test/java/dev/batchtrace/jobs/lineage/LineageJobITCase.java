package dev.batchtrace.jobs.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchtrace.connectors.elasticsearch.TraceIndex;
import dev.batchtrace.connectors.gateway.JsonLinesReader;
import dev.batchtrace.connectors.gateway.LineResult;
import dev.batchtrace.connectors.gateway.ParsedEvent;
import dev.batchtrace.connectors.kafka.AvroKafkaDeserializer;
import dev.batchtrace.connectors.registry.ConfluentSchemaRegistryClient;
import dev.batchtrace.connectors.registry.RegistrySettings;
import dev.batchtrace.events.LotFlag;
import dev.batchtrace.events.LotFlagAction;
import dev.batchtrace.events.TraceAlert;
import dev.batchtrace.events.TraceAlertStatus;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import dev.batchtrace.jobs.machine.MachineJob;
import dev.batchtrace.jobs.machine.MachineJobConfig;
import dev.batchtrace.jobs.machine.MachineSinks;
import dev.batchtrace.jobs.machine.MachineSources;
import dev.batchtrace.lineage.FactoryHistoryGenerator;
import dev.batchtrace.lineage.MachineHistoryGenerator;
import dev.batchtrace.lineage.QcHistoryGenerator;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.closure.NodeProtocol;
import dev.batchtrace.lineage.documents.TraceDocument;
import dev.batchtrace.lineage.documents.TraceDocuments;
import dev.batchtrace.lineage.holds.HoldAlert;
import dev.batchtrace.lineage.reference.LineageReference;
import dev.batchtrace.machine.MachineShiftGenerator;
import dev.batchtrace.stack.TestServers;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole lineage job on a MiniCluster (parallelism 2, RocksDB, checkpoints every 500 ms) with
 * the real Kafka broker (inputs, feedback topic, documents topic), the real registry and the real
 * Elasticsearch node; the documents in Elasticsearch must converge to {@link LineageReference}'s
 * ({@link LineageReference#withHolds}: lot flags are inputs), document by document, and the open
 * hold alerts in trace-alerts and on trace.alerts to the reference's, each raised once. Extra
 * generator seeds: {@code -Dlineage.seeds=11,12,13}.
 */
class LineageJobITCase {

    /** Lot parents from which a lot is a hub in the next run (tests with hubs lower it). */
    private int hubFanIn = NodeProtocol.DEFAULT_HUB_FAN_IN;

    private static final int PARALLELISM = 2;
    private static final Duration CONVERGENCE_TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAVEPOINTS = Path.of("target/it-savepoints").toAbsolutePath();
    private static final Path FACTORY_DAY = Path.of("../../deploy/sample-data/factory-day.jsonl");

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
        return config;
    }

    @Test
    void sampleFactoryDayConvergesToTheReference() throws Exception {
        List<SpecificRecordBase> events = new ArrayList<>();
        for (LineResult line : new JsonLinesReader().readAll(FACTORY_DAY)) {
            if (!(line instanceof ParsedEvent parsed)) {
                fail("sample data line does not parse: " + line);
                return;
            }
            events.add(parsed.value());
        }
        // Once the day has converged with its hold, the quality team releases the lot.
        List<LotFlag> holds =
                events.stream().filter(LotFlag.class::isInstance).map(LotFlag.class::cast).toList();
        assertEquals(1, holds.size(), "the sample day flags one lot: " + holds);
        LotFlag release =
                LotFlag.newBuilder(holds.get(0))
                        .setFlagId(holds.get(0).getFlagId() + "-R")
                        .setAction(LotFlagAction.RELEASE)
                        .setFlaggedAt(holds.get(0).getFlaggedAt().plusSeconds(3600))
                        .build();
        Run run = runUntilConverged("factory-day", events, List.of(release), null, true);
        assertTrue(
                run.documents().keySet().stream().anyMatch(k -> k.startsWith("trace-shipments/")),
                "the sample day ships something: " + run.documents().keySet());
        assertEquals(6, run.alertIds(), "the README's 6 alerts of FLAG-26-0042 were raised");
        assertEquals(0, run.openAlerts(), "and the release resolved every one of them");
        // Issue 5: the relay-test FAIL is searchable, on the lot and on its work order (Kibana's
        // query_string syntax), and so is the failed check itself (nested: within one check).
        String esUrl = TestServers.elasticsearchUrl();
        String failed = "{\"query\":{\"query_string\":{\"query\":\"qcStatus:FAILED\"}}}";
        assertEquals(List.of("FG-261102-02"), TestStack.search(esUrl, "trace-lots", failed));
        assertEquals(List.of("WO-26-2002"), TestStack.search(esUrl, "trace-work-orders", failed));
        String failedFunctionalTest =
                "{\"query\":{\"nested\":{\"path\":\"qcChecks\",\"query\":{\"bool\":{\"filter\":["
                        + "{\"term\":{\"qcChecks.characteristic\":\"functional_test\"}},"
                        + "{\"term\":{\"qcChecks.result\":\"FAIL\"}}]}}}}}";
        assertEquals(
                List.of("FG-261102-02"),
                TestStack.search(esUrl, "trace-lots", failedFunctionalTest));
        String pending = "{\"query\":{\"term\":{\"qcStatus\":\"PENDING\"}}}";
        assertFalse(
                TestStack.search(esUrl, "trace-lots", pending).contains("FG-261102-02"),
                "a lot with checks is not pending");
    }

    /**
     * A generated shift of PLC telemetry (3 machines, work orders back to back and with gaps) with
     * a lot or two per work order: the machine job's summaries (partial and final, idle ones too)
     * land on the work orders and their lots as the reference attributes them, and "lots made on
     * machine M between t1 and t2 while alarm A was active" is one Elasticsearch query.
     */
    /** A generated shift on 3 machines with one or two output lots per work order. */
    private static List<SpecificRecordBase> shiftWithOutputs(List<SpecificRecordBase> outputs) {
        List<SpecificRecordBase> events =
                new ArrayList<>(
                        MachineShiftGenerator.generate(
                                17,
                                new MachineShiftGenerator.Options(3, Duration.ofHours(4), 0.25)));
        for (SpecificRecordBase e : events) {
            if (e instanceof WorkOrderEvent w && w.getEventType() == WorkOrderEventType.STARTED) {
                for (int i = 0; i < 1 + Math.abs(w.getWorkOrderId().hashCode()) % 2; i++) {
                    outputs.add(
                            WorkOrderEvent.newBuilder(w)
                                    .setEventId(w.getWorkOrderId() + "-OUT-" + i)
                                    .setEventType(WorkOrderEventType.OUTPUT_PRODUCED)
                                    .setOccurredAt(w.getOccurredAt().plusSeconds(60 + 60L * i))
                                    .setLotCode("LOT-" + w.getWorkOrderId() + "-" + i)
                                    .setQuantity(10.0)
                                    .setUnit("pcs")
                                    .build());
                }
            }
        }
        events.addAll(outputs);
        return events;
    }

    /**
     * The whole chain in one Flink job: machine events -> machine job (attribution) -> summaries
     * topic -> lineage job -> trace-work-orders and trace-lots, equal to the batch reference that
     * attributes the raw machine events itself.
     */
    @Test
    void machineJobAndLineageJobTogetherPutTheShiftOnWorkOrdersAndLots() throws Exception {
        List<SpecificRecordBase> outputs = new ArrayList<>();
        List<SpecificRecordBase> events = shiftWithOutputs(outputs);
        Run run = runUntilConverged("machine-chain", events, List.of(), null, false, true);
        long lotsWithRuns =
                run.documents().entrySet().stream()
                        .filter(d -> d.getKey().startsWith(TraceDocuments.LOTS + "/"))
                        .filter(d -> d.getValue().source().path("machineRuns").size() > 0)
                        .count();
        assertEquals(outputs.size(), lotsWithRuns, "every produced lot shows its machine run");
    }

    @Test
    void machineShiftLandsOnWorkOrdersAndLotsAndAlarmQueryFindsTheLots() throws Exception {
        List<SpecificRecordBase> outputs = new ArrayList<>();
        List<SpecificRecordBase> events = shiftWithOutputs(outputs);
        Run run = runUntilConverged("machine-shift", events, List.of(), null, false);

        // pick an alarm of a run from the reference, and ask at the instant it was first raised
        Map<String, TraceDocument> reference = LineageReference.withHolds(events).documents();
        String machine = null;
        String alarm = null;
        Instant at = null;
        for (TraceDocument doc : reference.values()) {
            if (!doc.index().equals(TraceDocuments.LOTS) || machine != null) {
                continue;
            }
            for (Object r : (List<?>) doc.source().get("machineRuns")) {
                List<?> alarms = (List<?>) ((Map<?, ?>) r).get("alarms");
                if (!alarms.isEmpty() && machine == null) {
                    machine = (String) ((Map<?, ?>) r).get("machineId");
                    Map<?, ?> a = (Map<?, ?>) alarms.get(alarms.size() - 1);
                    alarm = (String) a.get("code");
                    at = Instant.parse((String) a.get("firstAt")).plusSeconds(1);
                }
            }
        }
        assertTrue(machine != null, "the shift raised alarms during runs that made lots");
        Instant t1 = at.minusSeconds(60);
        Instant t2 = at.plusSeconds(60);
        // expected the plain way: a run on the machine whose alarm occurrences span the window
        List<String> expected = new ArrayList<>();
        int onMachineWithAlarm = 0;
        for (TraceDocument doc : reference.values()) {
            if (!doc.index().equals(TraceDocuments.LOTS)) {
                continue;
            }
            boolean match = false;
            for (Object r : (List<?>) doc.source().get("machineRuns")) {
                Map<?, ?> runDoc = (Map<?, ?>) r;
                if (!machine.equals(runDoc.get("machineId"))) {
                    continue;
                }
                for (Object a : (List<?>) runDoc.get("alarms")) {
                    Map<?, ?> alarmDoc = (Map<?, ?>) a;
                    if (alarm.equals(alarmDoc.get("code"))) {
                        onMachineWithAlarm++;
                        match |=
                                !Instant.parse((String) alarmDoc.get("firstAt")).isAfter(t2)
                                        && !Instant.parse((String) alarmDoc.get("lastAt"))
                                                .isBefore(t1);
                    }
                }
            }
            if (match) {
                expected.add(doc.documentId());
            }
        }
        String query =
                """
                {"query": {"nested": {"path": "machineRuns", "query": {"bool": {"filter": [
                  {"term": {"machineRuns.machineId": "%s"}},
                  {"nested": {"path": "machineRuns.alarms", "query": {"bool": {"filter": [
                    {"term": {"machineRuns.alarms.code": "%s"}},
                    {"range": {"machineRuns.alarms.firstAt": {"lte": "%s"}}},
                    {"range": {"machineRuns.alarms.lastAt": {"gte": "%s"}}}
                  ]}}}}
                ]}}}}}
                """
                        .formatted(machine, alarm, t2, t1);
        List<String> found =
                TestStack.search(TestServers.elasticsearchUrl(), TraceDocuments.LOTS, query);
        assertFalse(found.isEmpty(), "the lots of the chosen run: " + query);
        assertEquals(expected, found, query);
        assertTrue(
                found.size() < onMachineWithAlarm,
                "the window is selective: "
                        + found
                        + " of "
                        + onMachineWithAlarm
                        + " runs on "
                        + machine
                        + " with "
                        + alarm);
        long lotsWithRuns =
                run.documents().entrySet().stream()
                        .filter(d -> d.getKey().startsWith(TraceDocuments.LOTS + "/"))
                        .filter(d -> d.getValue().source().path("machineRuns").size() > 0)
                        .count();
        assertEquals(outputs.size(), lotsWithRuns, "every produced lot shows its machine run");
        System.out.printf(
                "machine-shift: %d lots on %s with %s active in [%s, %s]: %s%n",
                found.size(), machine, alarm, t1, t2, found);
    }

    @Test
    void generatedHistoriesShuffledWithDuplicatesConverge() throws Exception {
        for (long seed : seeds()) {
            List<SpecificRecordBase> history = new ArrayList<>();
            // with corrections (issue 10), QC results and machine events (their summaries are
            // published as the machine job would)
            for (Object e :
                    MachineHistoryGenerator.withMachineEvents(
                            QcHistoryGenerator.withChecks(
                                    FactoryHistoryGenerator.generateWithCorrections(seed), seed),
                            seed)) {
                history.add((SpecificRecordBase) e);
            }
            List<SpecificRecordBase> shuffled =
                    FactoryHistoryGenerator.shuffleWithDuplicates(history, new Random(seed), 0.2);
            runUntilConverged("seed-" + seed, shuffled, List.of(), null, false);
        }
    }

    /**
     * With a hub fan-in of 2 most produced lots are hubs: their closures go to trace-closures and
     * the documents still equal the reference's, closure members included.
     */
    @Test
    void withHubsEverywhereAGeneratedHistoryConverges() throws Exception {
        hubFanIn = 2;
        try {
            // the first generated history in which a lot has two lot parents (a hub at fan-in 2)
            List<SpecificRecordBase> history = null;
            long seed = 0;
            while (history == null && seed < 100) {
                seed++;
                List<SpecificRecordBase> candidate =
                        FactoryHistoryGenerator.generateWithFlags(seed);
                boolean hubs =
                        LineageReference.documents(candidate, hubFanIn).values().stream()
                                .anyMatch(d -> d.index().equals(TraceIndex.CLOSURES.alias()));
                if (hubs) {
                    history = candidate;
                }
            }
            assertTrue(history != null, "a generated history with a hub");
            List<SpecificRecordBase> shuffled =
                    FactoryHistoryGenerator.shuffleWithDuplicates(history, new Random(seed), 0.2);
            Run run = runUntilConverged("hubs", shuffled, List.of(), null, false);
            assertTrue(
                    run.documents().keySet().stream()
                            .anyMatch(k -> k.startsWith(TraceIndex.CLOSURES.alias() + "/")),
                    "hub members indexed");
        } finally {
            hubFanIn = NodeProtocol.DEFAULT_HUB_FAN_IN;
        }
    }

    @Test
    void bigFanOutConverges() throws Exception {
        int fanOut = Integer.getInteger("lineage.fanout", 1000);
        List<SpecificRecordBase> history =
                new FactoryHistoryGenerator(
                                11,
                                new FactoryHistoryGenerator.Options(2, 4, 2, 0.1, 3, false, fanOut))
                        .generate();
        List<SpecificRecordBase> shuffled =
                FactoryHistoryGenerator.shuffleWithDuplicates(history, new Random(11), 0.05);
        Run run = runUntilConverged("fan-out-" + fanOut, shuffled, List.of(), null, false);
        assertTrue(
                run.documents().size() > 2 * fanOut,
                "every fanned-out lot and work order has its document: " + run.documents().size());
    }

    @Test
    void failureMidPropagationStillConvergesWithoutVersionCollisions() throws Exception {
        long seed = 7;
        List<SpecificRecordBase> history =
                new FactoryHistoryGenerator(
                                seed,
                                new FactoryHistoryGenerator.Options(4, 8, 3, 0.2, 4, true, 0)
                                        .withFlags(3))
                        .generate();
        List<SpecificRecordBase> shuffled =
                FactoryHistoryGenerator.shuffleWithDuplicates(history, new Random(seed), 0.2);
        FailOnce.reset(25);
        Run run = runUntilConverged("failure", shuffled, List.of(), new FailOnce(), false);
        assertTrue(FailOnce.FAILED.get(), "the injected failure happened");
        assertTrue(
                FailOnce.SEEN.get() > 25,
                "the restored job read feedback again: " + FailOnce.SEEN.get());
        assertTrue(run.feedbackMessages() > 25, "failure was mid-propagation");
        assertTrue(run.openAlerts() > 0, "the flags of the restored run raised alerts");
    }

    /** What one run left behind. */
    record Run(
            Map<String, TestStack.Stored> documents,
            int feedbackMessages,
            int openAlerts,
            int alertIds) {}

    /**
     * Publishes {@code events}, runs the job until it has converged to the reference, then, if
     * {@code later} is not empty, publishes those too and waits for the reference of all of them.
     */
    private Run runUntilConverged(
            String name,
            List<SpecificRecordBase> events,
            List<? extends SpecificRecordBase> later,
            FeedbackTopic.Deserializer feedback,
            boolean withGarbage)
            throws Exception {
        return runUntilConverged(name, events, later, feedback, withGarbage, false);
    }

    /**
     * @param withMachineJob the machine events go to a topic and the machine job, in the same Flink
     *     job, attributes them (otherwise precomputed summaries are published)
     */
    private Run runUntilConverged(
            String name,
            List<SpecificRecordBase> events,
            List<? extends SpecificRecordBase> later,
            FeedbackTopic.Deserializer feedback,
            boolean withGarbage,
            boolean withMachineJob)
            throws Exception {
        long started = System.nanoTime();
        String bootstrap = TestServers.kafkaBootstrapServers();
        String registryUrl = TestServers.schemaRegistryUrl();
        String esUrl = TestServers.elasticsearchUrl();
        String runId = name + "-" + UUID.randomUUID().toString().substring(0, 8);

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
        MachineJobConfig machine = null;
        if (withMachineJob) {
            Map<String, String> machineSettings = new HashMap<>();
            machineSettings.put("bootstrap.servers", bootstrap);
            machineSettings.put("schema.registry.url", registryUrl);
            machineSettings.put("group.id.prefix", "it-machine-" + runId);
            machineSettings.put(
                    MachineJobConfig.TRANSACTIONAL_ID_PREFIX_KEY, "it-machine-" + runId);
            machineSettings.put(MachineJobConfig.SOURCE_IDLE_TIMEOUT_KEY, "1s");
            machineSettings.put(
                    MachineJobConfig.TOPIC_MACHINE_EVENTS_KEY, "plc.machine-events." + runId);
            machineSettings.put(MachineJobConfig.TOPIC_WORK_ORDERS_KEY, topics.workOrders());
            machineSettings.put(
                    MachineJobConfig.TOPIC_MACHINE_SUMMARIES_KEY, topics.machineSummaries());
            machineSettings.put(MachineJobConfig.TOPIC_DEAD_LETTERS_KEY, topics.deadLetters());
            machine = MachineJobConfig.fromMap(machineSettings);
            TestStack.createTopics(
                    bootstrap, PARALLELISM, List.of(machine.topics().machineEvents()));
            // every partition's event time moves past the shift: each run's COMPLETED applies
            Instant closing =
                    events.stream()
                            .map(MachineShiftGenerator::occurredAt)
                            .max(Instant::compareTo)
                            .orElseThrow()
                            .plus(Duration.ofHours(2));
            events = new ArrayList<>(events);
            events.addAll(TestStack.clockTicks(closing));
        }
        TestStack.publish(
                bootstrap,
                registryUrl,
                topics,
                events,
                machine == null ? null : machine.topics().machineEvents());
        if (withGarbage) {
            publishGarbage(bootstrap, topics.workOrders());
            publishGarbage(bootstrap, topics.machineSummaries());
        }

        LineageReference.Result reference = LineageReference.withHolds(events, hubFanIn);
        Map<String, JsonNode> expected = TestStack.expectedDocuments(reference);
        Map<String, String> expectedAlerts = new TreeMap<>();
        reference.alerts().forEach((id, alert) -> expectedAlerts.put(id, alert.kind()));

        Configuration flink = new Configuration();
        flink.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        flink.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        LineageJob.configure(env, config);
        LineageSources sources = LineageSources.kafka(config);
        if (feedback != null) {
            sources =
                    sources.withFeedback(
                            FeedbackTopic.source(config.kafka(), topics.feedback(), feedback));
        }
        LineageJob.defineWorkflow(
                env, sources, LineageSinks.kafka(config), config.coalesceDelay(), hubFanIn);
        if (machine != null) {
            MachineJob.defineWorkflow(
                    env, MachineSources.kafka(machine), MachineSinks.kafka(machine), machine);
        }
        JobClient job = env.executeAsync("lineage ITCase " + runId);
        boolean stopped = false;
        try {
            awaitConvergence(name, esUrl, expected, expectedAlerts, job);
            if (!later.isEmpty()) {
                TestStack.publish(bootstrap, registryUrl, topics, new ArrayList<>(later));
                List<SpecificRecordBase> all = new ArrayList<>(events);
                all.addAll(later);
                events = all;
                reference = LineageReference.withHolds(events, hubFanIn);
                expected = TestStack.expectedDocuments(reference);
                expectedAlerts.clear();
                reference.alerts().forEach((id, alert) -> expectedAlerts.put(id, alert.kind()));
                awaitConvergence(name + " (later events)", esUrl, expected, expectedAlerts, job);
            }
            // Stable: a few more checkpoints change nothing (no late regression).
            Thread.sleep(1500);
            Map<String, TestStack.Stored> again = TestStack.documents(esUrl);
            String difference = firstDifference(expected, again);
            assertEquals(null, difference, name + ": documents changed after convergence");
            assertEquals(
                    expectedAlerts,
                    openAlertKinds(TestStack.alertDocuments(esUrl)),
                    name + ": open alerts changed after convergence");
            // Stop with a savepoint: the sinks commit their last transactions, so the topics can
            // be read to their end below (a cancel would leave them open until they time out).
            job.stopWithSavepoint(
                            false,
                            SAVEPOINTS.resolve(runId).toUri().toString(),
                            SavepointFormatType.CANONICAL)
                    .get(60, TimeUnit.SECONDS);
            stopped = true;
        } finally {
            if (!stopped) {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }

        // Elasticsearch holds, per document, the last committed record of the documents topic,
        // at that record's offset as version: nothing older won, nothing uncommitted leaked.
        Map<String, TestStack.Committed> lastCommitted = new TreeMap<>();
        for (TestStack.Committed record : TestStack.readCommitted(bootstrap, topics.documents())) {
            lastCommitted.merge(record.key(), record, (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        Map<String, TestStack.Stored> finalDocs = TestStack.documents(esUrl);
        Map<String, TestStack.Stored> alertDocs = TestStack.alertDocuments(esUrl);
        Map<String, TestStack.Stored> allDocs = new TreeMap<>(finalDocs);
        allDocs.putAll(alertDocs);
        for (Map.Entry<String, TestStack.Stored> doc : allDocs.entrySet()) {
            TestStack.Committed last = lastCommitted.get(doc.getKey());
            assertTrue(last != null, name + ": " + doc.getKey() + " was never committed");
            assertEquals(
                    last.offset(), doc.getValue().version(), name + ": version of " + doc.getKey());
            assertTrue(
                    sameJson(JSON.readTree(last.value()), doc.getValue().source()),
                    name + ": " + doc.getKey() + " differs from its last committed record");
        }

        // No version collision on the feedback path: one content per (sender, target, version).
        List<LineageMessage> messages = TestStack.feedback(bootstrap, topics.feedback());
        Map<String, List<?>> closures = new HashMap<>();
        for (LineageMessage message : messages) {
            if (message instanceof LineageMessage.Closure closure) {
                String id = closure.from() + ">" + closure.target() + "@" + closure.version();
                List<?> previous = closures.putIfAbsent(id, closure.entries());
                assertTrue(
                        previous == null || previous.equals(closure.entries()),
                        name + ": closure " + id + " committed twice with different content");
            }
        }
        // trace.alerts: per alert id OPEN and RESOLVED alternate (never OPEN twice in a row, also
        // not across the restore), and the ids left OPEN are the reference's, with their kinds.
        Map<String, TraceAlert> lastRecord = new TreeMap<>();
        try (AvroKafkaDeserializer<TraceAlert> avro =
                AvroKafkaDeserializer.forSpecific(
                        new ConfluentSchemaRegistryClient(RegistrySettings.of(registryUrl)),
                        TraceAlert.class)) {
            for (TestStack.Committed record : TestStack.readCommitted(bootstrap, topics.alerts())) {
                TraceAlert alert = avro.deserialize(topics.alerts(), record.value());
                assertEquals(alert.getAlertId(), record.key(), name + ": key of " + alert);
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
        assertEquals(expectedAlerts, openOnTopic, name + ": open alerts on " + topics.alerts());
        for (TraceAlert last : lastRecord.values()) {
            TestStack.Stored doc = alertDocs.get(HoldAlert.INDEX + "/" + last.getAlertId());
            assertTrue(doc != null, name + ": no trace-alerts document for " + last);
            assertEquals(
                    last.getStatus().name(),
                    doc.source().path("status").asText(),
                    name + ": status of " + last.getAlertId());
            assertEquals(
                    last.getRaisedAt().toString(),
                    doc.source().path("raisedAt").asText(),
                    name + ": raisedAt of " + last.getAlertId());
        }
        assertEquals(lastRecord.size(), alertDocs.size(), name + ": one document per alert id");
        if (withGarbage) {
            List<String> letters =
                    TestStack.readCommitted(bootstrap, topics.deadLetters()).stream()
                            .map(TestStack.Committed::key)
                            .toList();
            assertEquals(2, letters.size(), name + ": one dead letter per garbage: " + letters);
            assertTrue(
                    letters.stream().anyMatch(l -> l.startsWith(topics.workOrders() + "/")),
                    letters.toString());
            assertTrue(
                    letters.stream().anyMatch(l -> l.startsWith(topics.machineSummaries() + "/")),
                    "a machine summary that does not decode is a dead letter: " + letters);
        }
        System.out.printf(
                "%s: %d events, %d documents, %d open alerts (%d alert ids), %d feedback messages,"
                        + " converged and checked in %d ms%n",
                name,
                events.size(),
                expected.size(),
                expectedAlerts.size(),
                lastRecord.size(),
                messages.size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return new Run(finalDocs, messages.size(), expectedAlerts.size(), lastRecord.size());
    }

    private static Map<String, TestStack.Stored> awaitConvergence(
            String name,
            String esUrl,
            Map<String, JsonNode> expected,
            Map<String, String> expectedAlerts,
            JobClient job)
            throws Exception {
        long deadline = System.nanoTime() + CONVERGENCE_TIMEOUT.toNanos();
        String difference = "nothing polled yet";
        while (System.nanoTime() < deadline) {
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                fail(name + ": the job ended: " + job.getJobExecutionResult().get());
            }
            Map<String, TestStack.Stored> stored = TestStack.documents(esUrl);
            difference = firstDifference(expected, stored);
            if (difference == null) {
                Map<String, String> open = openAlertKinds(TestStack.alertDocuments(esUrl));
                if (open.equals(expectedAlerts)) {
                    return stored;
                }
                difference = "open alerts " + open + ", expected " + expectedAlerts;
            }
            Thread.sleep(500);
        }
        fail(
                name
                        + ": no convergence within "
                        + CONVERGENCE_TIMEOUT
                        + "; first difference: "
                        + difference);
        return null;
    }

    /** The first document that differs (sorted by index/id), or null when all are equal. */
    static String firstDifference(
            Map<String, JsonNode> expected, Map<String, TestStack.Stored> stored) {
        TreeSet<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(stored.keySet());
        for (String key : keys) {
            JsonNode want = expected.get(key);
            TestStack.Stored have = stored.get(key);
            if (want == null) {
                return key + ": unexpected document " + have.source();
            }
            if (have == null) {
                return key + ": missing, expected " + want;
            }
            if (!sameJson(want, have.source())) {
                return key + ":\n  expected " + want + "\n  actual   " + have.source();
            }
        }
        return null;
    }

    /** Equal JSON, numbers compared by value (1200 and 1200.0 are the same quantity). */
    static boolean sameJson(JsonNode a, JsonNode b) {
        Comparator<JsonNode> numbers =
                (x, y) -> {
                    if (x.equals(y)) {
                        return 0;
                    }
                    if (x.isNumber() && y.isNumber()) {
                        return Double.compare(x.doubleValue(), y.doubleValue());
                    }
                    return 1;
                };
        return a.equals(numbers, b);
    }

    /** alertId -> kind of the trace-alerts documents with status OPEN. */
    static Map<String, String> openAlertKinds(Map<String, TestStack.Stored> alertDocuments) {
        Map<String, String> open = new TreeMap<>();
        for (TestStack.Stored doc : alertDocuments.values()) {
            if (HoldAlert.OPEN.equals(doc.source().path("status").asText())) {
                open.put(doc.source().path("alertId").asText(), doc.source().path("kind").asText());
            }
        }
        return open;
    }

    /** A record that is not in the registry's wire format: a dead letter, the job goes on. */
    private static void publishGarbage(String bootstrap, String topic) throws Exception {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", bootstrap);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        props,
                        new org.apache.kafka.common.serialization.ByteArraySerializer(),
                        new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    "WO-GARBAGE".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                    "{\"eventId\":\"not avro\"}"
                                            .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .get();
        }
    }

    private static List<Long> seeds() {
        String property = System.getProperty("lineage.seeds", "").strip();
        if (property.isEmpty()) {
            return List.of(1L, 3L, 5L);
        }
        return Arrays.stream(property.split(",")).map(String::strip).map(Long::valueOf).toList();
    }

    /**
     * The feedback deserializer, failing the task once after {@code failAfter} messages (in the
     * middle of the propagation); the job restarts from its last checkpoint.
     */
    static final class FailOnce extends FeedbackTopic.Deserializer {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger SEEN = new AtomicInteger();
        static final AtomicBoolean FAILED = new AtomicBoolean();
        static volatile int failAfter;

        static void reset(int after) {
            SEEN.set(0);
            FAILED.set(false);
            failAfter = after;
        }

        @Override
        public void deserialize(
                ConsumerRecord<byte[], byte[]> record, Collector<LineageMessage> out)
                throws IOException {
            if (SEEN.incrementAndGet() > failAfter && FAILED.compareAndSet(false, true)) {
                throw new IOException("injected failure after " + failAfter + " feedback messages");
            }
            super.deserialize(record, out);
        }
    }
}
