package dev.batchtrace.cli;

import dev.batchtrace.cli.bench.BenchReport;
import dev.batchtrace.cli.bench.Convergence;
import dev.batchtrace.cli.bench.ElasticsearchProbe;
import dev.batchtrace.cli.bench.FlagProbe;
import dev.batchtrace.cli.bench.FreshnessProbe;
import dev.batchtrace.cli.bench.HistoryGraph;
import dev.batchtrace.cli.bench.Percentiles;
import dev.batchtrace.cli.bench.PostgresPeer;
import dev.batchtrace.cli.bench.TopicSizes;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchSettings;
import dev.batchtrace.connectors.elasticsearch.TraceIndex;
import dev.batchtrace.connectors.kafka.AvroKafkaSerializer;
import dev.batchtrace.connectors.kafka.KafkaSettings;
import dev.batchtrace.connectors.registry.ConfluentSchemaRegistryClient;
import dev.batchtrace.connectors.registry.RegistrySettings;
import dev.batchtrace.jobs.lineage.LineageJobConfig;
import dev.batchtrace.jobs.machine.MachineJobConfig;
import dev.batchtrace.lineage.closure.NodeProtocol;
import dev.batchtrace.lineage.reference.LineageReference;
import dev.batchtrace.schemas.EventTopics;
import dev.batchtrace.simulator.GatewayJson;
import dev.batchtrace.simulator.PlantHistory;
import dev.batchtrace.simulator.PlantParameters;
import dev.batchtrace.simulator.PlantSimulator;
import dev.batchtrace.stack.StackStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trace bench}: a simulated plant's history through the real local stack, measured. See
 * BENCHMARKS.md at the repository root for what each figure means and recorded results.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Benchmark the pipeline on a simulated plant: generate a history (profile and"
                    + " parameters), publish it to fresh topics of the local stack, run the jobs"
                    + " from empty state until the trace documents are right, then time the"
                    + " canonical questions, and the same questions in PostgreSQL when one answers.",
            "The trace indices must be empty (or pass --reset-indices): the check counts"
                    + " documents. With --write FILE only the history is written, as JSON lines"
                    + " for 'trace publish'."
        })
final class BenchCommand implements Callable<Integer> {
    static final DateTimeFormatter RUN_ID =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final List<String> TRACE_ALIASES =
            List.of(
                    TraceIndex.LOTS.alias(),
                    TraceIndex.WORK_ORDERS.alias(),
                    TraceIndex.SHIPMENTS.alias(),
                    TraceIndex.ALERTS.alias());

    @Option(
            names = "--profile",
            description = "tiny, small, bulk, silo or mixed (default: ${DEFAULT-VALUE}).",
            defaultValue = "small")
    String profile;

    @Option(
            names = "--seed",
            description = "Seed of the history (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    long seed;

    @Option(names = "--lots", paramLabel = "N", description = "Raw (purchased) lots.")
    Integer rawLots;

    @Option(names = "--levels", description = "Production levels.")
    Integer levels;

    @Option(names = "--work-orders", paramLabel = "N", description = "Work orders per level.")
    Integer workOrders;

    @Option(
            names = "--fan-in",
            paramLabel = "N",
            description = "Most lots one work order consumes.")
    Integer fanIn;

    @Option(
            names = "--fan-out",
            paramLabel = "N",
            description = "Most lots one work order produces.")
    Integer fanOut;

    @Option(
            names = "--bulk",
            paramLabel = "LOTS:CONSUMERS",
            description = "Bulk lots, each consumed by CONSUMERS level-1 work orders, e.g. 5:1500.")
    String bulk;

    @Option(
            names = "--silo",
            paramLabel = "LOTS:DELIVERIES:CONSUMERS",
            description =
                    "Silo lots, each filled from DELIVERIES received lots and consumed by CONSUMERS work orders, e.g. 1:20000:2000.")
    String silo;

    @Option(names = "--shipments", paramLabel = "N", description = "Dispatch notes.")
    Integer shipments;

    @Option(names = "--days", paramLabel = "N", description = "Days the history spans.")
    Integer days;

    @Option(
            names = "--machines",
            paramLabel = "N",
            description = "Machines the work orders run on.")
    Integer machines;

    @Option(
            names = "--machine-share",
            paramLabel = "SHARE",
            description = "Share of PLC machine events in the stream, 0 to 0.99.")
    Double machineShare;

    @Option(
            names = "--qc-share",
            paramLabel = "SHARE",
            description = "Share of produced lots with a QC result.")
    Double qcShare;

    @Option(
            names = "--disorder",
            paramLabel = "SHARE",
            description = "Share of events that arrive up to 30 s late (jitter).")
    Double disorder;

    @Option(
            names = "--duplicates",
            paramLabel = "SHARE",
            description = "Share of events sent twice.")
    Double duplicates;

    @Option(
            names = "--late",
            paramLabel = "SHARE",
            description = "Share of events that arrive 30 min late.")
    Double late;

    @Option(
            names = "--write",
            paramLabel = "FILE",
            description = "Only write the history as JSON lines (for 'trace publish') and exit.")
    Path writeTo;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            description =
                    "Give up waiting for the documents after this long (default: ${DEFAULT-VALUE}).",
            defaultValue = "900")
    long timeoutSeconds;

    @Option(
            names = "--freshness-seconds",
            paramLabel = "SECONDS",
            description =
                    "After the documents are right, publish freshness probes (a receipt and a"
                            + " dispatch note of a new lot each) for this long and time each until"
                            + " its effect is searchable; 0 skips (default: ${DEFAULT-VALUE}).",
            defaultValue = "30")
    long freshnessSeconds;

    @Option(
            names = "--freshness-rate",
            paramLabel = "EVENTS_PER_S",
            description =
                    "Events per second of the freshness probes (default: half the sustained"
                            + " end-to-end rate of the run).")
    Double freshnessRate;

    @Option(
            names = "--no-flag-probe",
            negatable = true,
            description =
                    "After the documents are right, put the lot that reaches the most shipments"
                            + " on hold and time its alerts (default: on; --no-flag-probe skips).")
    // picocli's way for an option on by default: declared by its negative name, so that
    // --no-flag-probe gives false (declared as --flag-probe with default true, both forms
    // toggled the wrong way: BenchCommandTest)
    boolean flagProbe = true;

    @Option(
            names = "--queries",
            paramLabel = "N",
            description =
                    "Timed queries per question (default: ${DEFAULT-VALUE}; 20 more warm up first).",
            defaultValue = "200")
    int queries;

    @Option(
            names = "--check",
            description =
                    "auto, reference or counts: how the documents are checked (default: ${DEFAULT-VALUE}; auto takes counts when a silo's closures would not fit the reference in memory).",
            defaultValue = "auto")
    String check;

    @Option(
            names = "--full-check-limit",
            paramLabel = "N",
            description =
                    "Compare every reference document up to this many, else a sample (default: ${DEFAULT-VALUE}).",
            defaultValue = "20000")
    int fullCheckLimit;

    @Option(
            names = "--sample",
            paramLabel = "N",
            description = "Documents compared when not all are (default: ${DEFAULT-VALUE}).",
            defaultValue = "1000")
    int sample;

    @Option(
            names = "--pg-url",
            paramLabel = "JDBC_URL",
            description =
                    "PostgreSQL for the peer run (default: "
                            + PostgresPeer.DEFAULT_URL
                            + "; skipped when it does not answer).")
    String pgUrl;

    @Option(names = "--no-pg", description = "Do not run the PostgreSQL peer.")
    boolean noPg;

    @Option(
            names = "--reset-indices",
            description = "Delete the trace indices first (their documents are lost).")
    boolean resetIndices;

    @Option(
            names = "--keep",
            description = "Keep the run's topics and checkpoints (deleted at the end by default).")
    boolean keep;

    @Option(names = "--json", description = "Print the report as JSON (progress goes to stderr).")
    boolean json;

    @Option(
            names = "--job-setting",
            paramLabel = "KEY=VALUE",
            description =
                    "A lineage job setting for this run (repeatable), e.g."
                            + " checkpoint.interval=2s or lineage.hub-fan-in=500, to compare"
                            + " settings on the same history; flink.KEY=VALUE sets KEY in the"
                            + " local Flink's configuration (e.g."
                            + " flink.taskmanager.network.memory.buffer-debloat.enabled=true);"
                            + " elasticsearch.bulk.KEY=VALUE the documents' bulk writes (e.g."
                            + " elasticsearch.bulk.flush-interval=1s);"
                            + " elasticsearch.index.refresh-interval=500ms how often the trace"
                            + " indices make documents searchable.")
    Map<String, String> jobSettings = new TreeMap<>();

    @Option(
            names = "--web-ui-port",
            description =
                    "Port of the Flink web UI while the job runs (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + LocalLineageRun.DEFAULT_WEB_UI_PORT)
    int webUiPort;

    @Option(
            names = "--soak",
            paramLabel = "DURATION",
            description =
                    "Soak instead (a benchmark, not a test): the profile's plant stream, repeated"
                            + " as rounds of new lots, at a steady rate for DURATION (30m, 90s, 1h);"
                            + " heap, RocksDB state, Kafka lag, checkpoint duration and index size are"
                            + " sampled, written as CSV and a PNG, and judged bounded (exit 3 when"
                            + " not). Try --profile mixed --soak 30m.")
    String soak;

    @Option(
            names = "--soak-rate",
            paramLabel = "EVENTS_PER_S",
            description =
                    "Events per second of the soak (default: half the most the jobs take, measured"
                            + " first in the same run on a backlog of --capacity-events).")
    Double soakRate;

    @Option(
            names = "--capacity-events",
            paramLabel = "N",
            description =
                    "Backlog the soak measures the jobs' maximum rate on (default: ${DEFAULT-VALUE}).",
            defaultValue = "30000")
    long capacityEvents;

    @Option(
            names = "--sample-every",
            paramLabel = "SECONDS",
            description = "Seconds between the soak's samples (default: ${DEFAULT-VALUE}).",
            defaultValue = "10")
    int sampleEvery;

    @Option(
            names = "--soak-dir",
            paramLabel = "DIR",
            description =
                    "Where the soak writes soak.csv and soak.png (default: <work dir>/bench/<run id>).")
    Path soakDir;

    @Mixin StackOptions stack;
    @Spec CommandSpec spec;

    private PrintWriter progress;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        progress = json ? spec.commandLine().getErr() : out;
        if (soak != null) {
            if (sampleEvery < 1) {
                throw new IllegalArgumentException("--sample-every must be at least 1 s");
            }
            return new SoakRun(this, out).run();
        }
        PlantParameters parameters = parameters();
        BenchReport report = new BenchReport();
        long generating = System.nanoTime();
        PlantHistory history = PlantSimulator.generate(parameters);
        long generateMillis = (System.nanoTime() - generating) / 1_000_000;
        HistoryGraph graph = HistoryGraph.of(history.events());
        describe(parameters, history, graph, generateMillis, report);
        if (writeTo != null) {
            GatewayJson.write(history.events(), writeTo);
            say(
                    "Wrote %,d events to %s (publish them with: bin/trace publish %s)",
                    history.events().size(), writeTo, writeTo);
            return 0;
        }

        say("== Local stack");
        StackStatus status = StackSetup.up(stack, progress);
        if (!status.allRunning()) {
            StackPrinter.print(status, stack.endpoints(), progress);
            return 1;
        }
        Endpoints endpoints = stack.endpoints();
        ElasticsearchProbe es = new ElasticsearchProbe(endpoints.elasticsearchUrl());
        if (!emptyReadModel(es)) {
            return 1;
        }

        say("== History: %,d events (%s)", history.events().size(), profile);
        Convergence convergence = convergence(es, history, graph, report);

        String runId = "bench-" + RUN_ID.format(ZonedDateTime.now());
        Map<String, String> overrides = runSettings(runId, jobSettings);
        Map<String, String> machineOverrides =
                Map.of(
                        MachineJobConfig.TOPIC_MACHINE_EVENTS_KEY,
                        EventTopics.MACHINE_EVENTS + "." + runId);
        Map<String, String> settings = LocalLineageRun.settings(endpoints, runId, overrides);
        LineageJobConfig config = LineageJobConfig.fromMap(settings);
        List<String> runTopics = new ArrayList<>(config.topics().all());
        runTopics.add(machineOverrides.get(MachineJobConfig.TOPIC_MACHINE_EVENTS_KEY));
        runTopics.add(
                LocalLineageRun.machineConfig(settings, machineOverrides)
                        .topics()
                        .machineSummaries());
        runTopics = runTopics.stream().distinct().toList();
        TopicSetup.ensureTopics(
                endpoints.kafkaBootstrapServers(), runTopics, StackSetup.LOCAL_PARTITIONS);
        report.put("run", "run id", runId);

        say("== Publish to the run's topics (*.%s)", runId);
        Map<String, String> topicOf = inputTopics(overrides, machineOverrides);
        long publishStarted = System.nanoTime();
        long published = publish(history.events(), topicOf, endpoints);
        double publishSeconds = (System.nanoTime() - publishStarted) / 1e9;
        long lastPublished = System.nanoTime();
        report.put("publish", "events", published);
        report.put("publish", "time", publishSeconds, "s");
        report.put("publish", "rate", published / publishSeconds, "events/s");
        say(
                "  %,d events in %.1f s: %,.0f events/s",
                published, publishSeconds, published / publishSeconds);

        say("== Jobs from empty state (run %s)", runId);
        Path benchDir = stack.toConfig().workDir().resolve("bench");
        LocalLineageRun.Resume fresh =
                new LocalLineageRun.Resume(runId, Optional.empty(), List.of());
        long jobStarted = System.nanoTime();
        JobClient job =
                LocalLineageRun.start(
                        settings,
                        machineOverrides,
                        benchDir,
                        fresh,
                        webUiPort,
                        line -> say("%s", line));
        Path checkpoints = LocalLineageRun.checkpointsDir(benchDir).resolve(runId);
        String feedbackTopic = config.topics().feedback();
        String documentsTopic = config.topics().documents();
        try {
            Optional<Double> converged =
                    awaitConvergence(convergence, endpoints, feedbackTopic, jobStarted);
            double sinceLast = (System.nanoTime() - lastPublished) / 1e9;
            Map<String, Long> sizes =
                    TopicSizes.of(
                            endpoints.kafkaBootstrapServers(),
                            List.of(feedbackTopic, documentsTopic));
            long stateBytes = folderSize(checkpoints);
            if (converged.isPresent()) {
                double seconds = converged.get();
                report.put(
                        "end to end",
                        "documents right",
                        "yes (" + checkDescription(convergence) + ")");
                report.put("end to end", "job start -> documents right", seconds, "s");
                report.put("end to end", "last event published -> documents right", sinceLast, "s");
                report.put("end to end", "sustained rate", published / seconds, "events/s");
            } else {
                report.put(
                        "end to end",
                        "documents right",
                        String.format(
                                Locale.ROOT,
                                "NO: did not converge within %d s, feedback topic %.2f GB",
                                timeoutSeconds,
                                sizes.get(feedbackTopic) / 1e9));
            }
            report.put("cost", "feedback topic", sizes.get(feedbackTopic), "bytes");
            report.put(
                    "cost",
                    "feedback per input event",
                    (double) sizes.get(feedbackTopic) / published,
                    "bytes");
            report.put("cost", "documents topic", sizes.get(documentsTopic), "bytes");
            report.put(
                    "cost",
                    "documents per input event",
                    (double) sizes.get(documentsTopic) / published,
                    "bytes");
            report.put("cost", "RocksDB checkpoint folder", stateBytes, "bytes");
            for (ElasticsearchProbe.IndexSize index : es.indexSizes("trace-*")) {
                report.put(
                        "index size",
                        index.index(),
                        String.format(
                                Locale.ROOT,
                                "%,d bytes, %,d Lucene docs (nested included)",
                                index.storeBytes(),
                                index.luceneDocs()));
            }
            if (converged.isPresent() && freshnessSeconds > 0) {
                freshness(
                        es,
                        runId,
                        topicOf,
                        endpoints,
                        freshnessRate != null
                                ? freshnessRate
                                : Math.max(2.0, published / converged.get() / 2),
                        report);
            }
            if (converged.isPresent() && flagProbe) {
                flagToAlerts(es, runId, topicOf, endpoints, graph, report);
            }
            if (converged.isPresent()) {
                say("== Canonical questions: %d timed queries each on Elasticsearch", queries);
                Duration waited =
                        es.waitUntilQuiet(
                                "trace-*", Duration.ofSeconds(3), Duration.ofSeconds(120));
                report.put(
                        "questions",
                        "elasticsearch timed on",
                        waited != null
                                ? String.format(
                                        Locale.ROOT,
                                        "a quiet index: nothing indexed or merged for 3 s (waited"
                                                + " %.1f s)",
                                        waited.toMillis() / 1000.0)
                                : "an index still being written (not quiet within 120 s)");
                QueryTargets targets = QueryTargets.pick(graph, history.parameters().seed());
                timeElasticsearch(es, targets, report);
                peer(graph, targets, runId, report);
            } else {
                report.put(
                        "questions", "elasticsearch", "skipped: the documents never became right");
                peer(graph, QueryTargets.pick(graph, history.parameters().seed()), runId, report);
            }
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
            if (!keep) {
                deleteTopics(endpoints.kafkaBootstrapServers(), runTopics);
                deleteFolder(checkpoints);
            }
        }
        if (json) {
            out.println(report.json());
        } else {
            out.println();
            out.print(report.table());
        }
        out.flush();
        return report.get("end to end", "sustained rate") != null ? 0 : 2;
    }

    PlantParameters parameters() {
        PlantParameters p = PlantParameters.profile(profile, seed);
        if (rawLots != null) p = p.withRawLots(rawLots);
        if (levels != null) p = p.withLevels(levels);
        if (workOrders != null) p = p.withWorkOrdersPerLevel(workOrders);
        if (fanIn != null) p = p.withFanIn(fanIn);
        if (fanOut != null) p = p.withFanOut(fanOut);
        if (shipments != null) p = p.withShipments(shipments);
        if (days != null) p = p.withDays(days);
        if (machines != null) p = p.withMachines(machines);
        if (machineShare != null) p = p.withMachineEventShare(machineShare);
        if (qcShare != null) p = p.withQc(qcShare, p.qcFailShare());
        if (bulk != null) {
            int[] v = ints("--bulk", bulk, 2);
            p = p.withBulk(v[0], v[1]);
        }
        if (silo != null) {
            int[] v = ints("--silo", silo, 3);
            p = p.withSilo(v[0], v[1], v[2]);
        }
        if (disorder != null || duplicates != null || late != null) {
            p =
                    p.withArrival(
                            disorder != null ? disorder : p.disorderShare(),
                            p.disorderWindow(),
                            duplicates != null ? duplicates : p.duplicateShare(),
                            late != null ? late : p.lateShare(),
                            p.lateBy());
        }
        return p;
    }

    private static int[] ints(String option, String value, int parts) {
        String[] split = value.split(":");
        if (split.length != parts) {
            throw new IllegalArgumentException(
                    option + " takes " + parts + " numbers separated by ':', got " + value);
        }
        int[] numbers = new int[parts];
        for (int i = 0; i < parts; i++) {
            numbers[i] = Integer.parseInt(split[i].strip());
        }
        return numbers;
    }

    private void describe(
            PlantParameters p,
            PlantHistory history,
            HistoryGraph graph,
            long generateMillis,
            BenchReport report) {
        report.put("history", "profile", profile + " (seed " + p.seed() + ")");
        report.put(
                "history",
                "shape",
                String.format(
                        Locale.ROOT,
                        "%d raw lots, %d levels x %d work orders, fan-in <= %d, fan-out <= %d, bulk %d x %d, silo %d x %d deliveries x %d consumers, %d shipments, %d days",
                        p.rawLots(),
                        p.levels(),
                        p.workOrdersPerLevel(),
                        p.fanIn(),
                        p.fanOut(),
                        p.bulkLots(),
                        p.bulkConsumers(),
                        p.siloLots(),
                        p.siloDeliveries(),
                        p.siloConsumers(),
                        p.shipments(),
                        p.days()));
        report.put("history", "events", (long) history.events().size());
        report.put("history", "genealogy events", history.genealogyEvents());
        report.put("history", "machine events", history.machineEvents());
        report.put(
                "history",
                "duplicates / late / jittered",
                history.duplicates() + " / " + history.late() + " / " + history.jittered());
        report.put(
                "history",
                "lots / work orders / shipments",
                graph.lots().size()
                        + " / "
                        + graph.workOrders().size()
                        + " / "
                        + graph.shipments().size());
        report.put("history", "generated in", generateMillis, "ms");
    }

    boolean emptyReadModel(ElasticsearchProbe es) throws Exception {
        if (resetIndices) {
            es.delete(
                    String.join(
                            ",",
                            Stream.of(TraceIndex.values())
                                    .map(TraceIndex::concreteIndex)
                                    .toList()));
            say("  trace indices deleted (--reset-indices); the job recreates them");
            return true;
        }
        long documents = es.total(TRACE_ALIASES);
        if (documents > 0) {
            spec.commandLine()
                    .getErr()
                    .printf(
                            "error: the trace indices already hold %,d documents; the benchmark checks"
                                    + " its own by count, so it needs them empty. Pass --reset-indices to"
                                    + " delete them, or run it against a stack of its own (--work-dir DIR"
                                    + " with other ports, see bin/trace bench --help).%n",
                            documents);
            spec.commandLine().getErr().flush();
            return false;
        }
        return true;
    }

    private Convergence convergence(
            ElasticsearchProbe es, PlantHistory history, HistoryGraph graph, BenchReport report)
            throws IOException {
        PlantParameters p = history.parameters();
        // reference closures: every product of a silo holds all its deliveries
        // a silo fed by at least the hub fan-in is a hub: its closure is kept once, so the
        // reference stays small; only silos just below it copy their closures to every consumer
        long siloClosure =
                p.siloDeliveries() >= NodeProtocol.DEFAULT_HUB_FAN_IN
                        ? 0
                        : (long) p.siloLots() * p.siloDeliveries() * p.siloConsumers();
        boolean counts =
                switch (check.toLowerCase(Locale.ROOT)) {
                    case "counts" -> true;
                    case "reference" -> false;
                    case "auto" -> siloClosure > 2_000_000;
                    default ->
                            throw new IllegalArgumentException(
                                    "--check must be auto, reference or counts: " + check);
                };
        long started = System.nanoTime();
        Convergence convergence;
        if (counts) {
            convergence = Convergence.counts(es, graph, Math.min(sample, 100), p.seed());
        } else {
            List<Object> values = new ArrayList<>(history.events());
            convergence =
                    Convergence.reference(
                            es,
                            LineageReference.withHolds(values).documents(),
                            fullCheckLimit,
                            sample,
                            p.seed());
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        report.put("check", "how", checkDescription(convergence));
        report.put("check", "expected documents", convergence.expectedCounts().toString());
        report.put("check", "prepared in", millis, "ms");
        say("  check: %s (prepared in %,d ms)", checkDescription(convergence), millis);
        return convergence;
    }

    private static String checkDescription(Convergence c) {
        if (c.mode() == Convergence.Mode.COUNTS) {
            return "document counts per index + ancestorLotCodes of "
                    + c.compared()
                    + " sampled shipments vs a BFS";
        }
        return c.compared() == c.referenceDocuments()
                ? "all " + c.compared() + " documents equal the batch reference (LineageReference)"
                : "document counts per index + "
                        + c.compared()
                        + " of "
                        + c.referenceDocuments()
                        + " reference documents (random sample) equal the batch reference";
    }

    /**
     * The run's own topics and the user's job settings; a setting that would move the run's topics
     * or transactions, or that the lineage job does not know, is refused with its key.
     */
    /** Kafka client keys that say who a client is: the run's, not a setting to compare. */
    static final java.util.Set<String> RUN_OWNED_CLIENT_KEYS =
            java.util.Set.of(
                    "bootstrap.servers",
                    "group.id",
                    "group.instance.id",
                    "client.id",
                    "transactional.id",
                    "isolation.level");

    static Map<String, String> runSettings(String runId, Map<String, String> jobSettings) {
        Map<String, String> settings = topicOverrides(runId);
        jobSettings.forEach(
                (key, value) -> {
                    boolean flink = key.startsWith(LocalLineageRun.FLINK_PREFIX);
                    // the documents' bulk writes and the indices' refresh are the run's to tune;
                    // hosts come from the stack
                    boolean bulk =
                            key.startsWith(ElasticsearchSettings.PREFIX + "bulk.")
                                    || key.equals(ElasticsearchSettings.INDEX_REFRESH_INTERVAL);
                    // Kafka client tuning (fetch sizes and waits, linger); not who the clients are
                    boolean client =
                            key.startsWith(KafkaSettings.CLIENT_PREFIX)
                                    && !RUN_OWNED_CLIENT_KEYS.contains(
                                            key.substring(KafkaSettings.CLIENT_PREFIX.length()));
                    if (!flink
                            && !bulk
                            && !client
                            && (key.startsWith("topic.")
                                    || key.equals(LineageJobConfig.TRANSACTIONAL_ID_PREFIX_KEY)
                                    || !LineageJobConfig.KNOWN_KEYS.contains(key))) {
                        throw new picocli.CommandLine.ParameterException(
                                new picocli.CommandLine(new BenchCommand()),
                                "--job-setting "
                                        + key
                                        + ": not a lineage job setting a bench run may change"
                                        + " (the run names its own topics and transactions;"
                                        + " flink.KEY=VALUE for the local Flink's settings,"
                                        + " elasticsearch.bulk.KEY=VALUE for the documents'"
                                        + " bulk writes, elasticsearch.index.refresh-interval,"
                                        + " kafka.client.KEY=VALUE for the Kafka clients' tuning)");
                    }
                    settings.put(key, value);
                });
        return settings;
    }

    static Map<String, String> topicOverrides(String runId) {
        Map<String, String> topics = new TreeMap<>();
        topics.put(
                LineageJobConfig.TOPIC_GOODS_RECEIPTS_KEY,
                EventTopics.GOODS_RECEIPTS + "." + runId);
        topics.put(LineageJobConfig.TOPIC_WORK_ORDERS_KEY, EventTopics.WORK_ORDERS + "." + runId);
        topics.put(
                LineageJobConfig.TOPIC_DISPATCH_NOTES_KEY,
                EventTopics.DISPATCH_NOTES + "." + runId);
        topics.put(LineageJobConfig.TOPIC_QC_RESULTS_KEY, EventTopics.QC_RESULTS + "." + runId);
        topics.put(LineageJobConfig.TOPIC_LOT_FLAGS_KEY, EventTopics.LOT_FLAGS + "." + runId);
        topics.put(LineageJobConfig.TOPIC_ALERTS_KEY, EventTopics.TRACE_ALERTS + "." + runId);
        topics.put(LineageJobConfig.TOPIC_DEAD_LETTERS_KEY, EventTopics.DEAD_LETTERS + "." + runId);
        topics.put(
                LineageJobConfig.TOPIC_DOCUMENTS_KEY,
                LineageJobConfig.DEFAULT_DOCUMENTS_TOPIC + "." + runId);
        return topics;
    }

    /** Record name -> the run's topic for it. */
    static Map<String, String> inputTopics(
            Map<String, String> overrides, Map<String, String> machine) {
        Map<String, String> byRecord = new TreeMap<>();
        byRecord.put("GoodsReceipt", overrides.get(LineageJobConfig.TOPIC_GOODS_RECEIPTS_KEY));
        byRecord.put("WorkOrderEvent", overrides.get(LineageJobConfig.TOPIC_WORK_ORDERS_KEY));
        byRecord.put("DispatchNote", overrides.get(LineageJobConfig.TOPIC_DISPATCH_NOTES_KEY));
        byRecord.put("QcResult", overrides.get(LineageJobConfig.TOPIC_QC_RESULTS_KEY));
        byRecord.put("LotFlag", overrides.get(LineageJobConfig.TOPIC_LOT_FLAGS_KEY));
        byRecord.put("MachineEvent", machine.get(MachineJobConfig.TOPIC_MACHINE_EVENTS_KEY));
        return byRecord;
    }

    /** Freshness at a steady rate (see {@link FreshnessProbe}), into the report. */
    private void freshness(
            ElasticsearchProbe es,
            String runId,
            Map<String, String> topicOf,
            Endpoints endpoints,
            double eventsPerSecond,
            BenchReport report)
            throws Exception {
        int probes = (int) Math.max(10, Math.round(eventsPerSecond * freshnessSeconds / 2));
        say(
                "== Freshness: %,d probes (a receipt and a dispatch note each) at %,.0f events/s",
                probes, eventsPerSecond);
        AtomicReference<Exception> failure = new AtomicReference<>();
        FreshnessProbe.Result result;
        try (KafkaProducer<String, SpecificRecordBase> producer = producer(endpoints)) {
            result =
                    new FreshnessProbe(es, TraceIndex.LOTS.alias(), TraceIndex.SHIPMENTS.alias())
                            .run(
                                    runId,
                                    probes,
                                    eventsPerSecond,
                                    event -> send(producer, topicOf, event, failure),
                                    Duration.ofSeconds(Math.max(60, timeoutSeconds / 10)),
                                    // at most six windows, none shorter than 10 s
                                    Duration.ofSeconds(Math.max(10, (freshnessSeconds + 5) / 6)));
        }
        String where =
                String.format(
                        Locale.ROOT,
                        "%,d probes at %,.0f events/s, polled every %d ms",
                        result.probes(),
                        result.eventsPerSecond(),
                        FreshnessProbe.POLL.toMillis());
        report.put("freshness", "probes", where);
        report.put("freshness", "receipt -> lot searchable", percentiles(result.lotMillis()));
        report.put(
                "freshness",
                "dispatch -> shipment searchable with the lot as ancestor",
                percentiles(result.shipmentMillis()));
        report.put("freshness", "probes not searchable in time", result.missing());
        for (FreshnessProbe.Window w : result.windows()) {
            report.put(
                    "freshness",
                    String.format(
                            Locale.ROOT,
                            "probes sent %d-%d s (%,d)",
                            w.fromSecond(),
                            w.toSecond(),
                            w.probes()),
                    "lot " + p50p99(w.lotMillis()) + ", shipment " + p50p99(w.shipmentMillis()));
        }
        say(
                "  lot %s, shipment %s, %d not searchable in time",
                percentiles(result.lotMillis()),
                percentiles(result.shipmentMillis()),
                result.missing());
    }

    /** Sends one event to the run's topic for its kind and waits for it to be written. */
    private static void send(
            KafkaProducer<String, SpecificRecordBase> producer,
            Map<String, String> topicOf,
            SpecificRecordBase event,
            AtomicReference<Exception> failure) {
        if (failure.get() != null) {
            throw new IllegalStateException(failure.get().getMessage(), failure.get());
        }
        EventTopics.Topic contract = EventTopics.byClass(event.getClass());
        producer.send(
                new ProducerRecord<>(
                        topicOf.get(contract.recordName()), contract.keyOf(event), event),
                (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                });
        producer.flush();
    }

    /** Flag -> alerts (see {@link FlagProbe}) on the lot that reaches the most shipments. */
    private void flagToAlerts(
            ElasticsearchProbe es,
            String runId,
            Map<String, String> topicOf,
            Endpoints endpoints,
            HistoryGraph graph,
            BenchReport report)
            throws Exception {
        List<String> candidates = new ArrayList<>();
        graph.lots().stream()
                .filter(l -> l.startsWith("BULK-") || l.startsWith("SILO-"))
                .forEach(candidates::add);
        List<String> purchased = new ArrayList<>(graph.receipts().keySet());
        Collections.shuffle(purchased, new Random(seed));
        candidates.addAll(purchased.subList(0, Math.min(50, purchased.size())));
        String lot = null;
        int expected = 0;
        for (String candidate : candidates) {
            int shipments = graph.shipmentsDownstreamOf(candidate).size();
            if (shipments > expected) {
                lot = candidate;
                expected = shipments;
            }
        }
        if (lot == null) {
            report.put("flag -> alerts", "probe", "skipped: no lot reaches a shipment");
            return;
        }
        say("== Flag -> alerts: HOLD on %s, which reaches %,d shipments", lot, expected);
        AtomicReference<Exception> failure = new AtomicReference<>();
        FlagProbe.Result result;
        try (KafkaProducer<String, SpecificRecordBase> producer = producer(endpoints)) {
            result =
                    new FlagProbe(es, TraceIndex.ALERTS.alias())
                            .run(
                                    "FLAG-" + runId,
                                    lot,
                                    expected,
                                    flag -> send(producer, topicOf, flag, failure),
                                    Duration.ofSeconds(Math.max(60, timeoutSeconds / 10)));
        }
        report.put(
                "flag -> alerts",
                "flagged lot",
                String.format(
                        Locale.ROOT,
                        "%s (%,d shipments downstream: one AFFECTED_SHIPMENT alert each)",
                        lot,
                        expected));
        report.put("flag -> alerts", "alerts found", result.alerts());
        report.put(
                "flag -> alerts",
                "flag published -> last alert raised",
                result.lastRaisedMillis(),
                "ms");
        report.put(
                "flag -> alerts",
                "flag published -> all alerts searchable",
                result.allSearchableMillis() < 0
                        ? "NOT within the timeout"
                        : String.format(Locale.ROOT, "%.0f ms", result.allSearchableMillis()));
        say(
                "  %,d of %,d alerts; last raised %.0f ms after the flag, all searchable after %.0f ms",
                result.alerts(), expected, result.lastRaisedMillis(), result.allSearchableMillis());
    }

    private static String p50p99(Percentiles p) {
        return p == null
                ? "none searchable"
                : String.format(Locale.ROOT, "p50 %.0f / p99 %.0f ms", p.p50(), p.p99());
    }

    private static String percentiles(Percentiles p) {
        return p == null
                ? "none searchable"
                : String.format(
                        Locale.ROOT,
                        "p50 %.0f / p99 %.0f / max %.0f ms",
                        p.p50(),
                        p.p99(),
                        p.max());
    }

    static KafkaProducer<String, SpecificRecordBase> producer(Endpoints endpoints) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        endpoints.kafkaBootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.LINGER_MS_CONFIG,
                        20,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        256 * 1024,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                        120_000,
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        60_000),
                new StringSerializer(),
                new AvroKafkaSerializer<>(
                        new ConfluentSchemaRegistryClient(
                                RegistrySettings.of(endpoints.schemaRegistryUrl()))));
    }

    private long publish(
            List<SpecificRecordBase> events, Map<String, String> topicOf, Endpoints endpoints)
            throws Exception {
        AtomicLong acknowledged = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, SpecificRecordBase> producer = producer(endpoints)) {
            long lastReport = System.nanoTime();
            long started = lastReport;
            long sent = 0;
            for (SpecificRecordBase event : events) {
                EventTopics.Topic contract = EventTopics.byClass(event.getClass());
                String topic = topicOf.get(contract.recordName());
                producer.send(
                        new ProducerRecord<>(topic, contract.keyOf(event), event),
                        (metadata, error) -> {
                            if (error == null) {
                                acknowledged.incrementAndGet();
                            } else {
                                failure.compareAndSet(null, error);
                            }
                        });
                sent++;
                if (System.nanoTime() - lastReport > 5_000_000_000L) {
                    lastReport = System.nanoTime();
                    say(
                            "  [%5.1f s] published %,d of %,d",
                            (lastReport - started) / 1e9, sent, events.size());
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException(
                    "publishing failed: " + failure.get().getMessage(), failure.get());
        }
        return acknowledged.get();
    }

    /** Seconds from the job's start to the documents being right, or empty after the timeout. */
    private Optional<Double> awaitConvergence(
            Convergence convergence, Endpoints endpoints, String feedbackTopic, long jobStarted)
            throws Exception {
        long deadline = jobStarted + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        long lastReport = 0;
        while (System.nanoTime() < deadline) {
            Convergence.Status status = convergence.check();
            if (status.converged()) {
                double seconds = (status.rightSince() - jobStarted) / 1e9;
                say(
                        "  [%5.1f s] documents right: %,d documents, %d of %d compared match",
                        seconds, status.documents(), status.matching(), status.compared());
                return Optional.of(seconds);
            }
            if (System.nanoTime() - lastReport > 5_000_000_000L) {
                lastReport = System.nanoTime();
                long feedback =
                        TopicSizes.of(endpoints.kafkaBootstrapServers(), List.of(feedbackTopic))
                                .get(feedbackTopic);
                say(
                        "  [%5.1f s] documents in Elasticsearch %,d of %,d %s%s | feedback topic %,.1f MB",
                        (lastReport - jobStarted) / 1e9,
                        status.documents(),
                        status.expected(),
                        status.counts(),
                        status.compared() > 0
                                ? " | "
                                        + status.matching()
                                        + " of "
                                        + status.compared()
                                        + " compared match"
                                : "",
                        feedback / 1e6);
            }
            Thread.sleep(1_000);
        }
        writeDifferences(convergence);
        return Optional.empty();
    }

    /** Expected and stored versions of documents that never matched, to see why. */
    private void writeDifferences(Convergence convergence) throws Exception {
        if (convergence.differing().isEmpty()) {
            return;
        }
        Path file = stack.toConfig().workDir().resolve("bench").resolve("differences.json");
        Files.createDirectories(file.getParent());
        com.fasterxml.jackson.databind.ObjectMapper mapper =
                new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode all = mapper.createObjectNode();
        convergence
                .differing()
                .forEach(
                        (key, pair) -> {
                            com.fasterxml.jackson.databind.node.ObjectNode one = all.putObject(key);
                            one.set("expected", pair[0]);
                            one.set("stored", pair[1]);
                        });
        Files.writeString(file, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(all));
        say(
                "  documents that differ: %s (expected and stored versions in %s)",
                convergence.differing().keySet(), file);
    }

    /** What the questions are asked about: supplier lots, lots to trace back and forward. */
    record QueryTargets(
            List<HistoryGraph.SupplierLot> supplierLots,
            List<String> backward,
            List<String> forward) {
        static QueryTargets pick(HistoryGraph graph, long seed) {
            Random random = new Random(seed);
            List<String> purchased = new ArrayList<>(graph.receipts().keySet());
            Collections.shuffle(purchased, random);
            purchased = purchased.subList(0, Math.min(50, purchased.size()));
            // bulk and silo lots are the expensive questions: always among them
            graph.receipts().keySet().stream()
                    .filter(l -> l.startsWith("BULK-"))
                    .forEach(purchased::add);
            List<HistoryGraph.SupplierLot> supplierLots =
                    purchased.stream().map(graph.receipts()::get).distinct().toList();
            List<String> forward = new ArrayList<>(purchased);
            graph.lots().stream().filter(l -> l.startsWith("SILO-")).forEach(forward::add);
            List<String> shipped = new ArrayList<>();
            graph.shipments().keySet().forEach(id -> shipped.addAll(graph.linesOf(id)));
            Collections.shuffle(shipped, random);
            List<String> backward = shipped.stream().distinct().limit(50).toList();
            return new QueryTargets(supplierLots, backward, forward);
        }
    }

    private void timeElasticsearch(ElasticsearchProbe es, QueryTargets targets, BenchReport report)
            throws Exception {
        String shipments = TraceIndex.SHIPMENTS.alias();
        String lots = TraceIndex.LOTS.alias();
        Map<String, java.util.function.Function<Integer, String[]>> questions =
                new LinkedHashMap<>();
        // what the node's took is for a search that finds nothing to do: the floor under the others
        questions.put(
                "floor: an empty search (size 0, no count)",
                i -> new String[] {lots, "{\"size\":0,\"track_total_hits\":false}"});
        questions.put(
                "customers of a supplier lot",
                i -> {
                    HistoryGraph.SupplierLot s =
                            targets.supplierLots().get(i % targets.supplierLots().size());
                    return new String[] {
                        shipments,
                        termQuery(
                                "ancestorSupplierLots",
                                s.key(),
                                "dispatchId",
                                "customerId",
                                "shippedAt")
                    };
                });
        questions.put(
                "backward (ancestors of a lot)",
                i ->
                        new String[] {
                            lots,
                            termQuery(
                                    "lotCode",
                                    targets.backward().get(i % targets.backward().size()),
                                    "lotCode",
                                    "ancestorLotCodes",
                                    "ancestorSupplierLots")
                        });
        questions.put(
                "forward (lots and shipments made from a lot)",
                i ->
                        new String[] {
                            lots + "," + shipments,
                            termQuery(
                                    "ancestorLotCodes",
                                    targets.forward().get(i % targets.forward().size()),
                                    "lotCode",
                                    "dispatchId",
                                    "customerId")
                        });
        for (Map.Entry<String, java.util.function.Function<Integer, String[]>> q :
                questions.entrySet()) {
            for (int i = 0; i < 20; i++) {
                String[] call = q.getValue().apply(i);
                es.search(call[0], call[1]);
            }
            double[] took = new double[queries];
            double[] roundTrip = new double[queries];
            for (int i = 0; i < queries; i++) {
                String[] call = q.getValue().apply(i);
                ElasticsearchProbe.Timed timed = es.search(call[0], call[1]);
                took[i] = timed.tookMillis();
                roundTrip[i] = timed.roundTripMillis();
            }
            Percentiles server = Percentiles.of(took);
            Percentiles trip = Percentiles.of(roundTrip);
            report.put(
                    "elasticsearch questions",
                    q.getKey(),
                    String.format(
                            Locale.ROOT,
                            "took p50 %.0f / p99 %.0f ms, round trip p50 %.1f / p99 %.1f ms (%d queries)",
                            server.p50(),
                            server.p99(),
                            trip.p50(),
                            trip.p99(),
                            queries));
        }
    }

    /**
     * A term query returning up to 100 hits with only the fields the answer shows, read from doc
     * values as the query commands read a page (a hit's source holds its whole closure).
     */
    private static String termQuery(String field, String value, String... fields) {
        com.fasterxml.jackson.databind.node.ObjectNode body =
                new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        body.put("size", 100);
        body.put("track_total_hits", true);
        body.put("_source", false);
        body.put("stored_fields", "_none_");
        java.util.Arrays.stream(fields).forEach(body.putArray("docvalue_fields")::add);
        body.putObject("query").putObject("term").put(field, value);
        return body.toString();
    }

    private void peer(HistoryGraph graph, QueryTargets targets, String runId, BenchReport report) {
        if (noPg) {
            report.put("postgresql", "peer", "skipped (--no-pg)");
            return;
        }
        String url = pgUrl != null ? pgUrl : PostgresPeer.DEFAULT_URL;
        PostgresPeer peer;
        try {
            peer = PostgresPeer.open(url, runId.replace('-', '_'));
        } catch (Exception e) {
            String line =
                    "skipped: no PostgreSQL at "
                            + url.replaceAll("password=[^&]*", "password=***")
                            + " ("
                            + e.getMessage()
                            + "); start one with: pg_ctlcluster 15 main start, and create the role:"
                            + " su postgres -c \"psql -c \\\"CREATE ROLE batchtrace LOGIN PASSWORD 'batchtrace'\\\"\""
                            + " and let it create its schemas:"
                            + " su postgres -c \"psql -c \\\"GRANT CREATE ON DATABASE postgres TO batchtrace\\\"\"";
            report.put("postgresql", "peer", line);
            say("  postgresql %s", line);
            return;
        }
        say("== The same questions in PostgreSQL (recursive CTEs)");
        try (peer) {
            report.put("postgresql", "server", peer.serverVersion());
            PostgresPeer.Load load = peer.load(graph);
            report.put("postgresql", "load (COPY)", load.copyMillis(), "ms");
            report.put("postgresql", "indexes + ANALYZE", load.indexMillis(), "ms");
            report.put(
                    "postgresql",
                    "rows",
                    load.receipts()
                            + " receipts, "
                            + load.edges()
                            + " edges, "
                            + load.dispatchLines()
                            + " dispatch lines");
            Map<String, java.util.function.Function<Integer, String[]>> questions =
                    new LinkedHashMap<>();
            questions.put(
                    "customers of a supplier lot",
                    i -> {
                        HistoryGraph.SupplierLot s =
                                targets.supplierLots().get(i % targets.supplierLots().size());
                        return new String[] {
                            PostgresPeer.CUSTOMERS_OF_SUPPLIER_LOT,
                            s.supplierId(),
                            s.supplierLotCode()
                        };
                    });
            questions.put(
                    "backward (ancestors of a lot)",
                    i ->
                            new String[] {
                                PostgresPeer.BACKWARD,
                                targets.backward().get(i % targets.backward().size())
                            });
            questions.put(
                    "forward (lots and shipments made from a lot)",
                    i ->
                            new String[] {
                                PostgresPeer.FORWARD,
                                targets.forward().get(i % targets.forward().size())
                            });
            for (Map.Entry<String, java.util.function.Function<Integer, String[]>> q :
                    questions.entrySet()) {
                for (int i = 0; i < 20; i++) {
                    String[] call = q.getValue().apply(i);
                    peer.query(call[0], java.util.Arrays.copyOfRange(call, 1, call.length));
                }
                double[] roundTrip = new double[queries];
                for (int i = 0; i < queries; i++) {
                    String[] call = q.getValue().apply(i);
                    long started = System.nanoTime();
                    peer.query(call[0], java.util.Arrays.copyOfRange(call, 1, call.length));
                    roundTrip[i] = (System.nanoTime() - started) / 1e6;
                }
                Percentiles trip = Percentiles.of(roundTrip);
                report.put(
                        "postgresql",
                        q.getKey(),
                        String.format(
                                Locale.ROOT,
                                "round trip p50 %.1f / p99 %.1f ms (%d queries, all rows read)",
                                trip.p50(),
                                trip.p99(),
                                queries));
            }
        } catch (Exception e) {
            report.put("postgresql", "peer", "failed: " + e.getMessage());
        }
    }

    /**
     * The bytes of the regular files under {@code folder}. Flink removes subsumed checkpoints
     * (files and whole folders) while this walks: what vanished is skipped, not an error (a walk
     * that restarted on each vanished entry failed five times in a row during a flag's wave).
     */
    static long folderSize(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        long[] bytes = {0};
        Files.walkFileTree(
                folder,
                new java.nio.file.SimpleFileVisitor<>() {
                    @Override
                    public java.nio.file.FileVisitResult visitFile(
                            Path file, java.nio.file.attribute.BasicFileAttributes attributes) {
                        if (attributes.isRegularFile()) {
                            bytes[0] += attributes.size();
                        }
                        return java.nio.file.FileVisitResult.CONTINUE;
                    }

                    @Override
                    public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e)
                            throws IOException {
                        if (e instanceof java.nio.file.NoSuchFileException) {
                            return java.nio.file.FileVisitResult.CONTINUE; // subsumed meanwhile
                        }
                        throw e;
                    }

                    @Override
                    public java.nio.file.FileVisitResult postVisitDirectory(Path dir, IOException e)
                            throws IOException {
                        if (e != null && !(e instanceof java.nio.file.NoSuchFileException)) {
                            throw e;
                        }
                        return java.nio.file.FileVisitResult.CONTINUE;
                    }
                });
        return bytes[0];
    }

    static void deleteFolder(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    void deleteTopics(String bootstrapServers, List<String> topics) {
        try (Admin admin =
                Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.deleteTopics(topics).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            say("  could not delete the run's topics (%s): delete them by hand", e.getMessage());
        }
    }

    private void say(String format, Object... args) {
        String line = String.format(Locale.ROOT, format, args);
        if (line.startsWith("== ")) {
            // a phase's start, with the wall-clock time to line it up with profiles and metrics
            line += " [" + LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS) + " UTC]";
        }
        progress.println(line);
        progress.flush();
    }
}
