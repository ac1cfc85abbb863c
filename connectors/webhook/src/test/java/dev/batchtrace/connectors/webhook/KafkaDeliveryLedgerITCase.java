package dev.batchtrace.connectors.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.connectors.webhook.WebhookReceiver.Answer;
import dev.batchtrace.connectors.webhook.WebhookReceiver.Request;
import dev.batchtrace.stack.TestServers;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/**
 * The delivery ledger in a real Kafka broker: a writer opened after a restore (the alerts after the
 * last checkpoint come again) sends only what the receiver has not answered 2xx yet.
 */
class KafkaDeliveryLedgerITCase {

    private static Map<String, String> kafka() {
        return Map.of("bootstrap.servers", TestServers.kafkaBootstrapServers());
    }

    @Test
    void aWriterAfterARestoreDoesNotSendWhatWasDeliveredBefore() throws Exception {
        String topic = "test.alert-deliveries." + UUID.randomUUID();
        try (WebhookReceiver receiver = WebhookReceiver.start((key, attempt) -> Answer.OK)) {
            WebhookSettings settings =
                    WebhookSettings.forUrls(receiver.url("/chat"), receiver.url("/mail"))
                            .withRetry(3, Duration.ofMillis(50), Duration.ofSeconds(1));

            WebhookSinkWriter first = writer(settings, topic);
            first.write(Alerts.shipment("A-1"), null);
            first.write(Alerts.stock("A-2"), null);
            first.flush(true); // every delivery answered (and in the ledger) before the failure
            first.close(); // the task fails here; its input is replayed from the checkpoint
            assertEquals(4, receiver.delivered().size());

            WebhookSinkWriter restored = writer(settings, topic);
            restored.write(Alerts.shipment("A-1"), null); // replayed
            restored.write(Alerts.stock("A-2"), null); // replayed
            restored.write(Alerts.shipment("A-3"), null); // new
            restored.flush(true);
            restored.close();

            assertEquals(4, restored.alreadyDelivered());
            assertEquals(2, restored.delivered());
            List<String> deliveries =
                    receiver.delivered().stream()
                            .map(r -> r.path() + " " + r.idempotencyKey())
                            .sorted()
                            .toList();
            assertEquals(
                    List.of(
                            "/chat A-1/OPEN",
                            "/chat A-2/OPEN",
                            "/chat A-3/OPEN",
                            "/mail A-1/OPEN",
                            "/mail A-2/OPEN",
                            "/mail A-3/OPEN"),
                    deliveries,
                    "each alert reached each URL once");
        }
    }

    @Test
    void aDeliveryThatFailedIsNotRecordedAndASecondUrlIsIndependent() throws Exception {
        String topic = "test.alert-deliveries." + UUID.randomUUID();
        try (WebhookReceiver receiver =
                WebhookReceiver.start(
                        (key, attempt) -> key.startsWith("B-1") ? Answer.BAD_REQUEST : Answer.OK)) {
            URI chat = URI.create(receiver.url("/chat"));
            WebhookSettings settings =
                    WebhookSettings.forUrls(chat.toString())
                            .withRetry(2, Duration.ofMillis(50), Duration.ofSeconds(1));
            WebhookSinkWriter writer = writer(settings, topic);
            writer.write(Alerts.shipment("B-2"), null);
            writer.flush(true);
            writer.write(Alerts.shipment("B-1"), null);
            writer.flush(true); // a 400 gives up that alert, not retried, not recorded
            writer.close();
            assertEquals(1, writer.rejected());

            try (KafkaDeliveryLedger ledger = KafkaDeliveryLedger.open(kafka(), topic)) {
                assertTrue(ledger.contains(DeliveryLedger.key("B-2/OPEN", chat)));
                assertFalse(ledger.contains(DeliveryLedger.key("B-1/OPEN", chat)));
                URI other = URI.create(receiver.url("/mail"));
                assertFalse(
                        ledger.contains(DeliveryLedger.key("B-2/OPEN", other)),
                        "delivered to one URL says nothing about another");
            }
            List<Request> rejected =
                    receiver.requests().stream()
                            .filter(r -> r.answer() == Answer.BAD_REQUEST)
                            .toList();
            assertEquals(1, rejected.size());
        }
    }

    private static WebhookSinkWriter writer(WebhookSettings settings, String topic)
            throws Exception {
        return new WebhookSinkWriter(
                settings,
                KafkaDeliveryLedger.open(kafka(), topic),
                new UnregisteredMetricsGroup(),
                0);
    }
}
