package dev.batchtrace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchtrace.cli.query.LotsCommand;
import dev.batchtrace.cli.query.MadeHowQuery;
import dev.batchtrace.cli.query.RecallTables;
import dev.batchtrace.cli.query.TraceQueries;
import dev.batchtrace.cli.query.TraceTables;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchSettings;
import dev.batchtrace.connectors.registry.RegistrySettings;
import dev.batchtrace.schemas.EventTopics;
import dev.batchtrace.stack.StackStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.core.execution.JobClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trace demo}: the local stack with the sample factory day, end to end. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Start the local stack, publish the sample factory day"
                    + " (deploy/sample-data/factory-day.jsonl), read every topic back, run the"
                    + " lineage job until its trace documents match the batch reference, answer"
                    + " the trace questions from Elasticsearch, then put a raw lot on hold"
                    + " (deploy/sample-data/demo-hold.jsonl), print the alerts as the job raises"
                    + " them and the mock-recall report of that lot.",
            "The stack keeps running afterwards: stop it with 'trace stack down'."
        })
final class DemoCommand implements Callable<Integer> {
    /** The sample day's questions (see deploy/sample-data/README.md for the expected answers). */
    static final String FINISHED_LOT = "FG-261102-02";

    /** The Wednesday call (issue 10): a TC-100 of FG-261102-02, shipped to ThermoPro. */
    static final String FAILED_UNIT = "TC100-000612";

    static final String SUSPECT_MATERIAL = "PCBA-TC100";

    static final String RAW_LOT = "RM-261102-01";
    static final String SUPPLIER = "SUP-POLY";
    static final String SUPPLIER_LOT = "L2611-01";
    static final String SAMPLE_DAY_FLAG = "FLAG-26-0042";
    private static final Duration PROCESSING_TIMEOUT = Duration.ofMinutes(3);

    @Option(
            names = "--web-ui-port",
            description =
                    "Port of the Flink web UI while the job runs (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + LocalLineageRun.DEFAULT_WEB_UI_PORT)
    int webUiPort;

    @Mixin StackOptions stack;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.println("== 1/6 Local stack");
        StackStatus status = StackSetup.up(stack, out);
        StackPrinter.print(status, stack.endpoints(), out);
        if (!status.allRunning()) {
            return 1;
        }
        Endpoints endpoints = stack.endpoints();

        out.println();
        out.println("== 2/6 Publish the sample factory day");
        EventPublisher.Summary summary;
        if (PublishedEvents.alreadyPublished(StackOptions.sampleFactoryDay(), endpoints)) {
            // machine events are counted: a second copy would be a second set of measurements
            out.println(
                    "The sample day is already in the topics (an earlier demo run published it):"
                            + " not published again.");
            summary = new EventPublisher.Summary(Map.of(), List.of());
        } else {
            summary =
                    PublishCommand.publish(
                            StackOptions.sampleFactoryDay(),
                            endpoints.kafkaBootstrapServers(),
                            endpoints.schemaRegistryUrl(),
                            out);
        }

        out.println();
        out.println("== 3/6 Read every input topic back through the registry");
        long started = System.nanoTime();
        Map<String, TopicCounter.Count> counts =
                TopicCounter.count(
                        endpoints.kafkaBootstrapServers(),
                        RegistrySettings.of(endpoints.schemaRegistryUrl()),
                        EventTopics.inputTopicNames());
        out.printf("%-24s %10s %10s %12s%n", "TOPIC", "THIS RUN", "IN TOPIC", "DECODED");
        long undecodable = 0;
        for (Map.Entry<String, TopicCounter.Count> topic : counts.entrySet()) {
            TopicCounter.Count count = topic.getValue();
            undecodable += count.records() - count.decoded();
            out.printf(
                    "%-24s %10d %10d %12d%n",
                    topic.getKey(),
                    summary.publishedPerTopic().getOrDefault(topic.getKey(), 0L),
                    count.records(),
                    count.decoded());
        }
        out.printf(
                "Read back in %d ms. Topics keep what earlier runs published too.%n",
                (System.nanoTime() - started) / 1_000_000);
        out.flush();
        if (!summary.rejected().isEmpty() || undecodable > 0) {
            return 1;
        }

        out.println();
        out.println(
                "== 4/6 Run the lineage job until the trace documents match the batch reference");
        // an earlier demo run's hold is in the topics too: the reference must include it
        boolean holdPublished = DemoHold.published(endpoints);
        List<Path> published =
                holdPublished
                        ? List.of(StackOptions.sampleFactoryDay(), DemoHold.file())
                        : List.of(StackOptions.sampleFactoryDay());
        ReferenceCheck reference = ReferenceCheck.forFiles(published, endpoints.elasticsearchUrl());
        LocalLineageRun.Resume resume = LocalLineageRun.resume(stack.toConfig().workDir());
        JobClient job =
                LocalLineageRun.start(
                        LocalLineageRun.settings(endpoints, resume.runId(), Map.of()),
                        stack.toConfig().workDir(),
                        resume,
                        webUiPort,
                        line -> {
                            out.println(line);
                            out.flush();
                        });
        boolean ok;
        try {
            ok = awaitReference(reference, out);
            if (ok) {
                out.println();
                out.println("== 5/6 Trace questions, answered from Elasticsearch");
                answerQuestions(endpoints, reference, out);

                out.println();
                out.println(
                        "== 6/6 Quality puts raw lot "
                                + DemoHold.LOT
                                + " on hold ("
                                + DemoHold.FLAG_ID
                                + ", deploy/sample-data/demo-hold.jsonl)");
                ReferenceCheck withHold =
                        ReferenceCheck.forFiles(
                                List.of(StackOptions.sampleFactoryDay(), DemoHold.file()),
                                endpoints.elasticsearchUrl());
                ok =
                        DemoHold.flagAndWatch(
                                        endpoints,
                                        withHold.expectedOpenAlerts(DemoHold.FLAG_ID),
                                        out)
                                && awaitReference(withHold, out);
                if (ok) {
                    out.println();
                    out.println(
                            "Mock recall of "
                                    + DemoHold.LOT
                                    + " (bin/trace recall "
                                    + DemoHold.LOT
                                    + "):");
                    try (TraceQueries queries =
                            TraceQueries.open(
                                    ElasticsearchSettings.forHosts(endpoints.elasticsearchUrl()))) {
                        out.print(RecallTables.report(queries.recall(DemoHold.LOT)));
                    }
                }
            }
        } finally {
            // cancelling keeps the newest checkpoint, so bin/trace run continues from here
            job.cancel().get();
            out.println("  job stopped (its checkpoint is kept in the work folder)");
        }
        out.println();
        out.println(
                "The stack is still running (Kafka "
                        + endpoints.kafkaBootstrapServers()
                        + ", registry "
                        + endpoints.schemaRegistryUrl()
                        + ", Elasticsearch "
                        + endpoints.elasticsearchUrl()
                        + "); stop it with: bin/trace stack down");
        out.println(
                "Keep the job running with: bin/trace run (it resumes from the demo's checkpoint)");
        out.flush();
        return ok ? 0 : 1;
    }

    /** Waits until Elasticsearch holds exactly the reference's documents and open alerts. */
    private boolean awaitReference(ReferenceCheck reference, PrintWriter out) throws Exception {
        long started = System.nanoTime();
        long deadline = started + PROCESSING_TIMEOUT.toNanos();
        int matching = 0;
        long lastReport = 0;
        while (System.nanoTime() < deadline) {
            matching = reference.matching();
            if (matching == reference.documentCount()) {
                reference.refresh();
                out.printf(
                        "  all %d trace documents match the batch reference after %.1f s%n",
                        matching, (System.nanoTime() - started) / 1e9);
                return true;
            }
            if (System.nanoTime() - lastReport > 5_000_000_000L) {
                out.printf(
                        "  %d of %d trace documents match the batch reference...%n",
                        matching, reference.documentCount());
                out.flush();
                lastReport = System.nanoTime();
            }
            Thread.sleep(500);
        }
        out.printf(
                "error: after %s only %d of %d trace documents match the batch reference;"
                        + " see the Flink web UI and the logs. If %s holds checkpoints of an"
                        + " older version of the job (its state misses what the new version"
                        + " keeps), delete that folder: the next run recomputes everything from"
                        + " the topics.%n",
                PROCESSING_TIMEOUT,
                matching,
                reference.documentCount(),
                LocalLineageRun.checkpointsDir(stack.toConfig().workDir()));
        List<String> differing = reference.differing();
        out.println(
                "  differing: "
                        + String.join(", ", differing.subList(0, Math.min(10, differing.size())))
                        + (differing.size() > 10 ? ", ..." : ""));
        return false;
    }

    private static void answerQuestions(
            Endpoints endpoints, ReferenceCheck reference, PrintWriter out) throws Exception {
        try (TraceQueries queries =
                TraceQueries.open(ElasticsearchSettings.forHosts(endpoints.elasticsearchUrl()))) {
            out.println();
            out.println(
                    "Q0. The Wednesday call: ThermoPro reports unit "
                            + FAILED_UNIT
                            + " failed in the field. Which batch, made how, from what, shipped"
                            + " where? (bin/trace unit "
                            + FAILED_UNIT
                            + ")");
            try (dev.batchtrace.cli.query.UnitQueries units =
                    dev.batchtrace.cli.query.UnitQueries.open(
                            ElasticsearchSettings.forHosts(endpoints.elasticsearchUrl()))) {
                out.print(
                        dev.batchtrace.cli.query.UnitTables.units(units.units(FAILED_UNIT, null)));
                out.println();
                out.println(
                        "Q0b. Are other units exposed? Its suspect controller board, every work"
                                + " order that used that board lot, every customer (bin/trace"
                                + " exposure --serial "
                                + FAILED_UNIT
                                + " --material "
                                + SUSPECT_MATERIAL
                                + ")");
                out.print(
                        dev.batchtrace.cli.query.UnitTables.exposure(
                                units.exposureOfUnit(
                                        FAILED_UNIT,
                                        null,
                                        new dev.batchtrace.cli.query.UnitQueries.Limits(
                                                SUSPECT_MATERIAL, null, null, null))));
            }
            out.println();
            out.println(
                    "Q1. A unit of finished lot "
                            + FINISHED_LOT
                            + " failed: what went into it, at every level?");
            out.print(TraceTables.backward(queries.backward(FINISHED_LOT)));
            out.println();
            out.println(
                    "Q2. Raw lot "
                            + RAW_LOT
                            + " is suspect: where did it go? (bin/trace lot "
                            + RAW_LOT
                            + ")");
            out.print(TraceTables.forward(queries.forward(RAW_LOT)));
            out.println();
            out.println(
                    "Q3. Which customers received product made from supplier "
                            + SUPPLIER
                            + "'s lot "
                            + SUPPLIER_LOT
                            + "? (bin/trace customers --supplier "
                            + SUPPLIER
                            + " --supplier-lot "
                            + SUPPLIER_LOT
                            + ")");
            out.print(
                    TraceTables.customers(queries.customersOfSupplierLot(SUPPLIER, SUPPLIER_LOT)));
        }
        out.println();
        List<JsonNode> alerts = reference.openAlerts(SAMPLE_DAY_FLAG);
        out.println(
                "Q4. The sample day puts a lot on hold: which shipments and stock are affected? The job"
                        + " raised "
                        + alerts.size()
                        + " alerts by itself (trace.alerts, index trace-alerts):");
        out.printf(
                "%-22s %-13s %-13s %-11s %-9s %10s  %s%n",
                "KIND", "FLAGGED LOT", "LOT", "SHIPMENT", "CUSTOMER", "QUANTITY", "PATH");
        for (JsonNode alert : alerts) {
            List<String> path = new ArrayList<>();
            alert.path("path").forEach(lot -> path.add(lot.asText()));
            out.printf(
                    "%-22s %-13s %-13s %-11s %-9s %10s  %s%n",
                    alert.path("kind").asText(),
                    alert.path("flaggedLotCode").asText(),
                    alert.path("lotCode").asText(),
                    alert.path("dispatchId").asText("-"),
                    alert.path("customerId").asText("-"),
                    alert.path("quantity").isMissingNode()
                            ? "-"
                            : alert.path("quantity").asText() + " " + alert.path("unit").asText(""),
                    String.join(" > ", path));
        }
        try (TraceQueries queries =
                TraceQueries.open(ElasticsearchSettings.forHosts(endpoints.elasticsearchUrl()))) {
            out.println();
            out.println(
                    "Q5. How was it made? Lots made on IMM-02 between 09:00 and 10:00 while alarm"
                            + " A-231 was active (bin/trace lots --machine IMM-02 --alarm A-231"
                            + " --from 2026-11-02T09:00:00Z --to 2026-11-02T10:00:00Z), and lots that"
                            + " failed QC (bin/trace lots --qc-status FAILED):");
            out.print(
                    LotsCommand.table(
                            queries.madeHow(
                                    new MadeHowQuery(
                                            null,
                                            "IMM-02",
                                            "A-231",
                                            Instant.parse("2026-11-02T09:00:00Z"),
                                            Instant.parse("2026-11-02T10:00:00Z")))));
            out.print(
                    LotsCommand.table(
                            queries.madeHow(new MadeHowQuery("FAILED", null, null, null, null))));
        }
        out.flush();
    }
}
