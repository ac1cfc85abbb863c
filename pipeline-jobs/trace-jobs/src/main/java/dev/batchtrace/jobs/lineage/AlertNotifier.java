package dev.batchtrace.jobs.lineage;

import dev.batchtrace.connectors.kafka.DeadLetterSplit;
import dev.batchtrace.connectors.kafka.Decoded;
import dev.batchtrace.connectors.kafka.EventSources;
import dev.batchtrace.connectors.webhook.KafkaDeliveryLedger;
import dev.batchtrace.connectors.webhook.WebhookSettings;
import dev.batchtrace.connectors.webhook.WebhookSink;
import dev.batchtrace.events.DeadLetter;
import dev.batchtrace.events.TraceAlert;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Delivers the alerts to webhooks (chat tools, e-mail gateways): it reads {@code trace.alerts}
 * read_committed, so only alerts of completed checkpoints go out, and sends each (alert, status) to
 * every URL once, with a delivery ledger in a compacted topic so a restore does not send again what
 * a receiver already acknowledged. Part of the lineage job when {@code webhook.urls} is set.
 *
 * <p>Keys: the {@code webhook.*} keys of {@link WebhookSettings}, and {@value #LEDGER_TOPIC_KEY}
 * (default {@value #DEFAULT_LEDGER_TOPIC}; one per deployment).
 */
public final class AlertNotifier {

    // Operator uids: stable across versions. Never rename.
    public static final String UID_ALERTS_SOURCE = "committed-alerts-source";
    public static final String UID_ALERTS_SPLIT = "committed-alerts-split";
    public static final String UID_WEBHOOK_SINK = "alert-webhooks";
    public static final String UID_DEAD_LETTERS_SINK = "committed-alerts-dead-letters";

    public static final String LEDGER_TOPIC_KEY = "notifier.ledger-topic";
    public static final String DEFAULT_LEDGER_TOPIC = "trace.alert-deliveries";

    private AlertNotifier() {}

    /** The webhook settings of {@code config}, or empty when no {@code webhook.urls} is set. */
    public static Optional<WebhookSettings> webhooks(Map<String, String> config) {
        String urls = config.get(WebhookSettings.URLS);
        if (urls == null || urls.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(WebhookSettings.fromMap(config));
    }

    /** Adds the notifier to the lineage job when {@code config} has webhook URLs. */
    public static boolean addTo(
            StreamExecutionEnvironment env, LineageJobConfig job, Map<String, String> config) {
        Optional<WebhookSettings> webhooks = webhooks(config);
        if (webhooks.isEmpty()) {
            return false;
        }
        defineWorkflow(
                env,
                committedAlerts(job),
                webhookSink(job, webhooks.get(), config),
                LineageSinks.kafka(job).deadLetters());
        return true;
    }

    /** The alerts topic of {@code job}, read_committed. */
    static Source<Decoded<TraceAlert>, ?, ?> committedAlerts(LineageJobConfig job) {
        return EventSources.builder(
                        job.kafka(),
                        job.registry().clientFactory(),
                        job.topics().alerts(),
                        TraceAlert.class)
                // the alerts sink is transactional: never deliver an aborted attempt
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .build();
    }

    /** The webhook sink with its delivery ledger ({@value #LEDGER_TOPIC_KEY}). */
    static WebhookSink webhookSink(
            LineageJobConfig job, WebhookSettings webhooks, Map<String, String> config) {
        String ledgerTopic = config.getOrDefault(LEDGER_TOPIC_KEY, DEFAULT_LEDGER_TOPIC);
        return WebhookSink.of(webhooks)
                .withLedger(
                        KafkaDeliveryLedger.factory(
                                job.kafka().clientProperties(true), ledgerTopic));
    }

    /** committed alerts -> webhooks; an alert that cannot be decoded goes to the dead letters. */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            Source<Decoded<TraceAlert>, ?, ?> committedAlerts,
            Sink<TraceAlert> webhooks,
            Sink<DeadLetter> deadLetters) {
        DeadLetterSplit.Result<TraceAlert> alerts =
                DeadLetterSplit.split(
                        env.fromSource(
                                        committedAlerts,
                                        WatermarkStrategy.noWatermarks(),
                                        "committed alerts")
                                .uid(UID_ALERTS_SOURCE),
                        UID_ALERTS_SPLIT,
                        "committed alerts: split dead letters");
        alerts.deadLetters()
                .sinkTo(deadLetters)
                .uid(UID_DEAD_LETTERS_SINK)
                .name("committed alerts: dead letters");
        alerts.records().sinkTo(webhooks).uid(UID_WEBHOOK_SINK).name("alerts -> webhooks");
    }
}
