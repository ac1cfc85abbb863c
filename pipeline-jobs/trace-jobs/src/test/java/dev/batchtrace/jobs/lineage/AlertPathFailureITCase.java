package dev.batchtrace.jobs.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.batchtrace.connectors.kafka.AvroKafkaDeserializer;
import dev.batchtrace.connectors.registry.ConfluentSchemaRegistryClient;
import dev.batchtrace.connectors.registry.RegistrySettings;
import dev.batchtrace.connectors.webhook.WebhookSettings;
import dev.batchtrace.events.TraceAlert;
import dev.batchtrace.jobs.faults.FailOnceSource;
import dev.batchtrace.lineage.reference.LineageReference;
import dev.batchtrace.stack.TestServers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 13: the lineage job with the alert notifier in it (webhooks with a delivery ledger) loses a
 * task twice while alerts are raised and delivered: the feedback reader fails once the first alert
 * is committed (holds still propagating), the committed-alerts reader fails once the first webhook
 * delivery is made. In the end the documents and open alerts equal the batch reference (which is
 * what a run without failure converges to), nothing is duplicated ({@link
 * FaultRun#stopAndCheckNothingDuplicated}), and every webhook got each (alert, status) of the
 * committed alerts topic exactly once.
 */
class AlertPathFailureITCase {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(clusterConfiguration())
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(FaultRun.PARALLELISM)
                            .build());

    private static Configuration clusterConfiguration() {
        Configuration config = new Configuration();
        config.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        return METRICS.addToConfiguration(config);
    }

    /** A webhook receiver that answers 200 and keeps "path idempotencyKey" of each request. */
    private static final class Receiver implements AutoCloseable {
        final HttpServer server;
        final List<String> received = Collections.synchronizedList(new ArrayList<>());

        Receiver() throws Exception {
            server =
                    HttpServer.create(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext(
                    "/",
                    exchange -> {
                        exchange.getRequestBody().readAllBytes();
                        received.add(
                                exchange.getRequestURI().getPath()
                                        + " "
                                        + exchange.getRequestHeaders().getFirst("Idempotency-Key"));
                        byte[] ok = "{}".getBytes(StandardCharsets.UTF_8);
                        exchange.sendResponseHeaders(200, ok.length);
                        exchange.getResponseBody().write(ok);
                        exchange.close();
                    });
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        List<String> sorted() {
            List<String> copy;
            synchronized (received) {
                copy = new ArrayList<>(received);
            }
            Collections.sort(copy);
            return copy;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void tasksLostWhileAlertsAreRaisedAndDeliveredEndAsARunWithoutFailure() throws Exception {
        FaultRun run =
                new FaultRun(
                        "alert-failure",
                        TestServers.kafkaBootstrapServers(),
                        TestServers.schemaRegistryUrl(),
                        TestServers.elasticsearchUrl());
        List<SpecificRecordBase> events = FaultRun.history(11);
        List<ProducerRecord<byte[], byte[]>> records = run.serialize(events);
        run.publishMachineSummaries(events);
        LineageReference.Result reference = LineageReference.withHolds(events);
        assertTrue(reference.alerts().size() > 0, "the history raises alerts");

        String feedbackFailure = "feedback-" + run.runId;
        String alertsFailure = "alerts-" + run.runId;
        try (Receiver receiver = new Receiver()) {
            Map<String, String> settings = new TreeMap<>();
            settings.put(WebhookSettings.URLS, receiver.url("/chat") + "," + receiver.url("/mail"));
            settings.put(AlertNotifier.LEDGER_TOPIC_KEY, "trace.alert-deliveries." + run.runId);
            WebhookSettings webhooks = AlertNotifier.webhooks(settings).orElseThrow();

            long started = System.nanoTime();
            JobClient job =
                    run.start(
                            sources ->
                                    sources.withFeedback(
                                            FailOnceSource.wrap(
                                                    sources.feedback(), feedbackFailure)),
                            env ->
                                    AlertNotifier.defineWorkflow(
                                            env,
                                            FailOnceSource.wrap(
                                                    AlertNotifier.committedAlerts(run.config),
                                                    alertsFailure),
                                            AlertNotifier.webhookSink(
                                                    run.config, webhooks, settings),
                                            LineageSinks.kafka(run.config).deadLetters()));
            var publishing = run.publishInBackground(records, Duration.ofSeconds(40));

            await(
                    () ->
                            !TestStack.readCommittedSoFar(run.bootstrap, run.topics.alerts())
                                    .isEmpty(),
                    "the first committed alert");
            FailOnceSource.arm(feedbackFailure); // holds are still propagating
            await(() -> FailOnceSource.failed(feedbackFailure), "the feedback reader's failure");
            await(() -> !receiver.received.isEmpty(), "the first webhook delivery");
            int deliveredBefore = receiver.received.size();
            FailOnceSource.arm(alertsFailure); // deliveries under way
            await(() -> FailOnceSource.failed(alertsFailure), "the alerts reader's failure");
            publishing.get();

            run.awaitConvergence(job, reference, Duration.ofMinutes(4));
            await(() -> deliveredAll(run, receiver), "every committed alert delivered");
            long restarts = JobMetrics.sum(METRICS, job.getJobID(), "numRestarts");
            run.stopAndCheckNothingDuplicated(job, reference);

            List<String> expected = expectedDeliveries(run);
            assertEquals(expected, receiver.sorted(), "each (alert, status) once per webhook");
            assertEquals(List.of(), run.deadLetters(), "no input record is a dead letter");
            assertTrue(restarts >= 1, "the job restarted: " + restarts);
            System.out.printf(
                    "alert-failure: %d records, %d deliveries before the second failure, %d in"
                            + " all, %d restart(s), checked %d s after the job started%n",
                    records.size(),
                    deliveredBefore,
                    expected.size(),
                    restarts,
                    Duration.ofNanos(System.nanoTime() - started).toSeconds());
        }
    }

    /** "path alertId/status" for both webhooks and each (alert, status) the alerts topic holds. */
    private static List<String> expectedDeliveries(FaultRun run) throws Exception {
        return expectedDeliveries(run, true);
    }

    /** As above; {@code afterStop} false: while the job may still have a transaction open. */
    private static List<String> expectedDeliveries(FaultRun run, boolean afterStop)
            throws Exception {
        TreeSet<String> keys = new TreeSet<>();
        try (AvroKafkaDeserializer<TraceAlert> avro =
                AvroKafkaDeserializer.forSpecific(
                        new ConfluentSchemaRegistryClient(RegistrySettings.of(run.registryUrl)),
                        TraceAlert.class)) {
            for (TestStack.Committed record :
                    afterStop
                            ? TestStack.readCommitted(run.bootstrap, run.topics.alerts())
                            : TestStack.readCommittedSoFar(run.bootstrap, run.topics.alerts())) {
                TraceAlert alert = avro.deserialize(run.topics.alerts(), record.value());
                keys.add(alert.getAlertId() + "/" + alert.getStatus().name());
            }
        }
        List<String> expected = new ArrayList<>();
        for (String path : List.of("/chat", "/mail")) {
            keys.forEach(k -> expected.add(path + " " + k));
        }
        Collections.sort(expected);
        return expected;
    }

    private static boolean deliveredAll(FaultRun run, Receiver receiver) {
        try {
            return new TreeSet<>(receiver.sorted()).containsAll(expectedDeliveries(run, false));
        } catch (Exception e) {
            return false;
        }
    }

    private static void await(BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
