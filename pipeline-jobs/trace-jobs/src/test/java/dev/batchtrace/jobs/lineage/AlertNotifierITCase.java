package dev.batchtrace.jobs.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.batchtrace.connectors.kafka.AvroKafkaSerializer;
import dev.batchtrace.connectors.registry.ConfluentSchemaRegistryClient;
import dev.batchtrace.connectors.registry.RegistrySettings;
import dev.batchtrace.events.TraceAlert;
import dev.batchtrace.events.TraceAlertKind;
import dev.batchtrace.events.TraceAlertStatus;
import dev.batchtrace.stack.TestServers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The alert notifier in a Flink job with the real Kafka and registry: committed alerts reach every
 * webhook once, an aborted transaction's alert never, an undecodable record becomes a dead letter,
 * and a second run over the same topic (a restore that replays the input) sends nothing twice.
 */
class AlertNotifierITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

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

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static TraceAlert alert(String id, TraceAlertStatus status) {
        return TraceAlert.newBuilder()
                .setAlertId(id)
                .setFlagId("FLAG-1")
                .setFlaggedLotCode("RM-1")
                .setKind(TraceAlertKind.AFFECTED_SHIPMENT)
                .setDispatchId("DN-" + id)
                .setCustomerId("C-1")
                .setLotCode("FG-1")
                .setQuantity(10)
                .setUnit("pcs")
                .setPath(List.of("RM-1", "FG-1"))
                .setRaisedAt(Instant.parse("2026-11-02T16:30:00Z"))
                .setStatus(status)
                .build();
    }

    @Test
    void committedAlertsReachEveryWebhookOnceAcrossARestart() throws Exception {
        String bootstrap = TestServers.kafkaBootstrapServers();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String alertsTopic = "notifier-it.alerts." + run;
        TestStack.createTopics(bootstrap, 1, List.of(alertsTopic, "notifier-it.dead." + run));

        publish(bootstrap, alertsTopic, List.of(alert("A-1", TraceAlertStatus.OPEN)), false);
        publish(bootstrap, alertsTopic, List.of(alert("A-ABORTED", TraceAlertStatus.OPEN)), true);
        publishGarbage(bootstrap, alertsTopic);
        publish(bootstrap, alertsTopic, List.of(alert("A-2", TraceAlertStatus.OPEN)), false);

        try (Receiver receiver = new Receiver()) {
            Map<String, String> config = new TreeMap<>();
            config.put("bootstrap.servers", bootstrap);
            config.put("schema.registry.url", TestServers.schemaRegistryUrl());
            config.put("elasticsearch.hosts", TestServers.elasticsearchUrl());
            config.put("topic.alerts", alertsTopic);
            config.put("topic.dead-letters", "notifier-it.dead." + run);
            config.put("webhook.urls", receiver.url("/chat") + "," + receiver.url("/mail"));
            String ledgerTopic = "notifier-it.deliveries." + run;
            config.put(AlertNotifier.LEDGER_TOPIC_KEY, ledgerTopic);

            // first run
            config.put("group.id.prefix", "notifier-it-1-" + run);
            JobClient first = start(config);
            await(() -> receiver.received.size() >= 4, "4 deliveries", receiver);
            // a receiver counts a delivery before its 200 reaches the sink: cancel only once the
            // ledger holds all four (a crash inside that window may repeat one delivery, which its
            // Idempotency-Key covers; see KafkaDeliveryLedger)
            await(
                    () -> TestStack.readCommittedSoFar(bootstrap, ledgerTopic).size() >= 4,
                    "4 deliveries in the ledger",
                    receiver);
            first.cancel().get();

            // the "restore": a run that reads the whole topic again, then a new alert arrives
            config.put("group.id.prefix", "notifier-it-2-" + run);
            JobClient second = start(config);
            publish(
                    bootstrap,
                    alertsTopic,
                    List.of(alert("A-1", TraceAlertStatus.RESOLVED)),
                    false);
            await(() -> receiver.received.size() >= 6, "6 deliveries", receiver);
            Thread.sleep(1_000); // anything sent twice would show up by now
            second.cancel().get();

            List<String> sorted = new ArrayList<>(receiver.received);
            Collections.sort(sorted);
            assertEquals(
                    List.of(
                            "/chat A-1/OPEN",
                            "/chat A-1/RESOLVED",
                            "/chat A-2/OPEN",
                            "/mail A-1/OPEN",
                            "/mail A-1/RESOLVED",
                            "/mail A-2/OPEN"),
                    sorted,
                    "each committed alert and status once per URL; the aborted one never");
        }
        assertEquals(
                2,
                TestStack.readCommitted(bootstrap, "notifier-it.dead." + run).size(),
                "the undecodable record is a dead letter, once per run (the second run reads the"
                        + " topic again; dead letters are at least once)");
    }

    private static JobClient start(Map<String, String> config) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(500);
        boolean added = AlertNotifier.addTo(env, LineageJobConfig.fromMap(config), config);
        assertEquals(true, added);
        return env.executeAsync("alert notifier");
    }

    private static void await(BooleanSupplier condition, String what, Receiver receiver)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "timed out waiting for " + what + "; received " + receiver.received);
            }
            Thread.sleep(100);
        }
    }

    private static void publish(
            String bootstrap, String topic, List<TraceAlert> alerts, boolean abort)
            throws Exception {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", bootstrap);
        props.setProperty("transactional.id", "notifier-it-" + UUID.randomUUID());
        try (KafkaProducer<String, TraceAlert> producer =
                new KafkaProducer<>(
                        props,
                        new StringSerializer(),
                        new AvroKafkaSerializer<>(
                                new ConfluentSchemaRegistryClient(
                                        RegistrySettings.of(TestServers.schemaRegistryUrl()))))) {
            producer.initTransactions();
            producer.beginTransaction();
            for (TraceAlert a : alerts) {
                producer.send(new ProducerRecord<>(topic, a.getAlertId(), a));
            }
            producer.flush();
            if (abort) {
                producer.abortTransaction();
            } else {
                producer.commitTransaction();
            }
        }
    }

    private static void publishGarbage(String bootstrap, String topic) throws Exception {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", bootstrap);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "garbage", "not avro")).get();
        }
    }
}
