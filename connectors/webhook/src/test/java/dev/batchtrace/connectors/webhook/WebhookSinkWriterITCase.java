package dev.batchtrace.connectors.webhook;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchtrace.connectors.webhook.WebhookReceiver.Answer;
import dev.batchtrace.connectors.webhook.WebhookReceiver.Request;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/**
 * The writer alone (no Flink job) against a local HTTP server: retries, Retry-After, the flush
 * barrier and the failures an operator must see.
 */
class WebhookSinkWriterITCase {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** 503, then 429 with Retry-After: 1, then a dropped connection, then 200. */
    static Answer failThreeTimes(String key, int attempt) {
        return switch (attempt) {
            case 1 -> Answer.UNAVAILABLE;
            case 2 -> Answer.TOO_MANY_REQUESTS;
            case 3 -> Answer.DROP;
            default -> Answer.OK;
        };
    }

    @Test
    void theEndOfInputWaitsUntilEveryAlertReachedEveryUrlThroughTheFailures() throws Exception {
        try (WebhookReceiver receiver =
                WebhookReceiver.start(WebhookSinkWriterITCase::failThreeTimes)) {
            WebhookSettings settings =
                    WebhookSettings.forUrls(receiver.url("/chat"), receiver.url("/mail"))
                            .withHeader("Authorization", "Bearer tok-123")
                            .withRetry(5, Duration.ofMillis(50), Duration.ofSeconds(5));
            WebhookSinkWriter writer = writer(settings);
            long start = System.nanoTime();
            for (int i = 1; i <= 3; i++) {
                writer.write(Alerts.shipment("A-" + i), null);
            }
            writer.flush(true);
            long millis = (System.nanoTime() - start) / 1_000_000;
            writer.close();

            assertEquals(0, writer.pending());
            assertEquals(6, writer.delivered());
            assertEquals(18, writer.retries());
            // every (url, alert) exactly once answered 200, after exactly three failures
            Map<String, List<Request>> byDelivery =
                    receiver.requests().stream()
                            .collect(
                                    Collectors.groupingBy(
                                            r -> r.path() + " " + r.idempotencyKey()));
            assertEquals(6, byDelivery.size());
            for (Map.Entry<String, List<Request>> entry : byDelivery.entrySet()) {
                List<Request> tries = entry.getValue();
                assertEquals(4, tries.size(), entry.getKey());
                assertEquals(Answer.OK, tries.get(3).answer(), entry.getKey());
                // Retry-After: 1 honoured between the 429 and the next attempt
                Duration gap = Duration.between(tries.get(1).at(), tries.get(2).at());
                assertTrue(gap.toMillis() >= 990, entry.getKey() + " retried after " + gap);
            }
            assertTrue(millis >= 1000, "flush returned after " + millis + " ms");

            Request first = receiver.delivered().get(0);
            assertEquals("Bearer tok-123", first.headers().get("Authorization"));
            assertEquals("application/json", first.headers().get("Content-Type"));
            JsonNode body = MAPPER.readTree(first.body());
            assertEquals(first.idempotencyKey(), body.get("alertId").asText() + "/OPEN");
            assertEquals(AlertPayload.text(Alerts.shipment("A-1")), body.get("text").asText());
        }
    }

    @Test
    void aReceiverRefusingThePayloadGivesUpThatDeliveryOnly() throws Exception {
        try (WebhookReceiver receiver =
                WebhookReceiver.start(
                        (key, attempt) ->
                                key.startsWith("A-2/") ? Answer.BAD_REQUEST : Answer.OK)) {
            WebhookSinkWriter writer = writer(WebhookSettings.forUrls(receiver.url("/alerts")));
            writer.write(Alerts.shipment("A-1"), null);
            writer.write(Alerts.shipment("A-2"), null);
            writer.flush(true); // a receiver's answer never fails the task
            writer.write(Alerts.shipment("A-3"), null);
            writer.flush(true);
            writer.close();

            assertEquals(1, writer.rejected());
            assertEquals(2, writer.delivered());
            assertEquals(0, writer.pending());
            assertEquals(1, triesOf(receiver, "A-2/OPEN").size(), "a 400 is not retried");
            assertEquals(1, triesOf(receiver, "A-3/OPEN").size(), "later alerts still go out");
        }
    }

    @Test
    void keepsRetryingPastThePolicysAttemptsUntilTheReceiverIsBack() throws Exception {
        try (WebhookReceiver receiver =
                WebhookReceiver.start(
                        (key, attempt) -> attempt <= 7 ? Answer.UNAVAILABLE : Answer.OK)) {
            WebhookSinkWriter writer =
                    writer(
                            WebhookSettings.forUrls(receiver.url("/alerts"))
                                    .withRetry(3, Duration.ofMillis(10), Duration.ofMillis(50)));
            writer.write(Alerts.stock("A-9"), null);
            writer.flush(false); // returns at once: the delivery waits in the writer's state
            assertEquals(1, writer.snapshotState(1).size());

            writer.flush(true);
            writer.close();

            assertEquals(1, writer.delivered());
            assertEquals(7, writer.retries());
            assertEquals(8, receiver.requests().size());
        }
    }

    @Test
    void aRefusedConnectionIsRetriedAndTheStateKeepsNoSecretOfTheUrl() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort(); // closed again: nobody listens there now
        }
        WebhookSinkWriter writer =
                writer(
                        WebhookSettings.forUrls("http://127.0.0.1:" + port + "/hooks/s3cr3t")
                                .withRetry(2, Duration.ofMillis(10), Duration.ofMillis(10)));
        writer.write(Alerts.shipment("A-1"), null);
        long start = System.nanoTime();
        writer.flush(false);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (writer.retries() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<PendingDelivery> state = writer.snapshotState(1);
        writer.close();

        assertTrue(writer.retries() >= 3, "retried past the policy: " + writer.retries());
        assertEquals(1, state.size());
        assertEquals("A-1/OPEN", state.get(0).idempotencyKey());
        String stored = state.get(0).deliveryKey() + new String(state.get(0).body(), UTF_8);
        assertFalse(stored.contains("s3cr3t"), stored);
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(11).toNanos());
    }

    @Test
    void aCheckpointDoesNotWaitForASlowReceiverAndARestoreSendsWhatWasPending() throws Exception {
        // first attempts take 2 s each; the task fails before any answer is back
        try (WebhookReceiver receiver =
                WebhookReceiver.start((key, attempt) -> attempt == 1 ? Answer.SLOW : Answer.OK)) {
            WebhookSettings settings = WebhookSettings.forUrls(receiver.url("/alerts"));
            WebhookSinkWriter writer = writer(settings);
            for (int i = 1; i <= 3; i++) {
                writer.write(Alerts.shipment("A-" + i), null);
            }
            long start = System.nanoTime();
            writer.flush(false);
            List<PendingDelivery> state = writer.snapshotState(7);
            long millis = (System.nanoTime() - start) / 1_000_000;
            writer.close();

            assertTrue(millis < Answer.SLOW_MILLIS / 2, "checkpoint took " + millis + " ms");
            assertEquals(3, state.size());

            // the restored task reads the state back through the serializer and sends again
            PendingDelivery.Serializer serializer = new PendingDelivery.Serializer();
            List<PendingDelivery> restored = new java.util.ArrayList<>();
            for (PendingDelivery p : state) {
                restored.add(serializer.deserialize(1, serializer.serialize(p)));
            }
            assertEquals(state, restored);
            WebhookSinkWriter after = writer(settings);
            after.resume(restored);
            after.flush(true);
            after.close();

            assertEquals(3, after.delivered());
            for (int i = 1; i <= 3; i++) {
                List<Request> tries = triesOf(receiver, "A-" + i + "/OPEN");
                assertEquals(Answer.OK, tries.get(tries.size() - 1).answer(), "A-" + i);
            }
        }
    }

    @Test
    void anAnswerStillOnTheWireWhenTheTaskFailsIsInTheLedgerOfTheRestoredWriter() throws Exception {
        // the first attempt is answered 200 after 2 s: the task fails while that answer is on its
        // way, after the receiver got the alert
        try (WebhookReceiver receiver =
                WebhookReceiver.start((key, attempt) -> attempt == 1 ? Answer.SLOW : Answer.OK)) {
            WebhookSettings settings = WebhookSettings.forUrls(receiver.url("/alerts"));
            MemoryLedger ledger = new MemoryLedger();
            WebhookSinkWriter writer = writer(settings, ledger.open(0));
            writer.write(Alerts.shipment("A-1"), null);
            List<PendingDelivery> state = writer.snapshotState(1); // the checkpoint holds it
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (receiver.requests().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, receiver.requests().size(), "the receiver got A-1");
            writer.close(); // the task fails

            WebhookSinkWriter restored = writer(settings, ledger.open(0));
            restored.resume(state);
            restored.write(Alerts.shipment("A-1"), null); // replayed from the checkpoint
            restored.flush(true);
            restored.close();

            assertEquals(1, receiver.requests().size(), "A-1 reached the receiver once");
            assertEquals(1, writer.delivered(), "the 200 on the wire counts");
            assertEquals(2, restored.alreadyDelivered());
        }
    }

    @Test
    void aRestoredDeliveryForAWebhookNoLongerConfiguredIsDropped() throws Exception {
        PendingDelivery gone =
                new PendingDelivery(
                        "A-1/OPEN",
                        DeliveryLedger.key("A-1/OPEN", java.net.URI.create("http://old/hook")),
                        new byte[] {'{', '}'});
        try (WebhookReceiver receiver = WebhookReceiver.start((key, attempt) -> Answer.OK)) {
            WebhookSinkWriter writer = writer(WebhookSettings.forUrls(receiver.url("/alerts")));
            writer.resume(List.of(gone));
            writer.flush(true);
            writer.close();
            assertEquals(0, writer.pending());
            assertEquals(0, receiver.requests().size());
        }
    }

    @Test
    void writeNeverBlocksWhileTooManyDeliveriesAreInFlight() throws Exception {
        try (WebhookReceiver receiver =
                WebhookReceiver.start(
                        (key, attempt) -> attempt == 1 ? Answer.TOO_MANY_REQUESTS : Answer.OK)) {
            WebhookSinkWriter writer =
                    writer(
                            WebhookSettings.fromMap(
                                    Map.of(
                                            WebhookSettings.URLS,
                                            receiver.url("/alerts"),
                                            WebhookSettings.MAX_IN_FLIGHT,
                                            "2")));
            long start = System.nanoTime();
            writer.write(Alerts.shipment("A-1"), null);
            writer.write(Alerts.shipment("A-2"), null);
            writer.write(Alerts.shipment("A-3"), null); // queued for a slot, not blocking
            long writeMillis = (System.nanoTime() - start) / 1_000_000;
            writer.flush(true);
            writer.close();

            assertTrue(writeMillis < 500, "writes took " + writeMillis + " ms");
            // A-3 could only be sent once was answered 200, one second after its 429
            Instant firstThrottled =
                    receiver.requests().stream()
                            .filter(r -> r.answer() == Answer.TOO_MANY_REQUESTS)
                            .map(Request::at)
                            .min(Instant::compareTo)
                            .orElseThrow();
            Instant thirdSent = triesOf(receiver, "A-3/OPEN").get(0).at();
            long waited = Duration.between(firstThrottled, thirdSent).toMillis();
            assertTrue(waited >= 990, "A-3 sent " + waited + " ms after the first 429");
            assertEquals(3, receiver.delivered().size());
        }
    }

    private static List<Request> triesOf(WebhookReceiver receiver, String key) {
        return receiver.requests().stream().filter(r -> r.idempotencyKey().equals(key)).toList();
    }

    private static WebhookSinkWriter writer(WebhookSettings settings) {
        return new WebhookSinkWriter(
                settings, DeliveryLedger.NONE, new UnregisteredMetricsGroup(), 0);
    }

    private static WebhookSinkWriter writer(WebhookSettings settings, DeliveryLedger ledger) {
        return new WebhookSinkWriter(settings, ledger, new UnregisteredMetricsGroup(), 0);
    }

    /**
     * A ledger kept in memory the way {@link KafkaDeliveryLedger} keeps it in a topic: each writer
     * reads it whole when it opens, records go through to it, and once closed it records nothing.
     */
    private static final class MemoryLedger implements DeliveryLedger.Factory {
        private static final long serialVersionUID = 1L;
        private final java.util.Set<String> durable =
                java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public DeliveryLedger open(int subtask) {
            java.util.Set<String> read = java.util.concurrent.ConcurrentHashMap.newKeySet();
            read.addAll(durable);
            return new DeliveryLedger() {
                private volatile boolean closed;

                @Override
                public boolean contains(String deliveryKey) {
                    return read.contains(deliveryKey);
                }

                @Override
                public void record(String deliveryKey) {
                    if (closed) {
                        throw new IllegalStateException("ledger closed");
                    }
                    read.add(deliveryKey);
                    durable.add(deliveryKey);
                }

                @Override
                public void flush() {}

                @Override
                public void close() {
                    closed = true;
                }
            };
        }
    }
}
