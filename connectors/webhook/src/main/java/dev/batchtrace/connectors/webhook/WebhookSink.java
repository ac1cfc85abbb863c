package dev.batchtrace.connectors.webhook;

import dev.batchtrace.events.TraceAlert;
import java.io.IOException;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A Flink Sink v2 that POSTs every {@link TraceAlert} as JSON ({@link AlertPayload}) to each
 * configured webhook URL, at least once.
 *
 * <ul>
 *   <li>Every request carries {@code Idempotency-Key: <alertId>/<status>}; receivers deduplicate on
 *       it.
 *   <li>Connection errors, timeouts, 408/425/429 and 5xx are retried with exponential backoff
 *       ({@link RetryPolicy}; a {@code Retry-After} is honoured up to the maximum backoff). Any
 *       other answer outside 2xx fails the task with the URL (redacted), status and the start of
 *       the body, as does the last failed attempt.
 *   <li>{@link SinkWriter#flush} (before every checkpoint and at end of input) returns only when
 *       every delivery written so far has been answered 2xx. So an alert delivered before the last
 *       completed checkpoint is never sent again after a restore: the source resumes after it.
 *       Alerts written after that checkpoint may be sent again after a failure; that is the
 *       at-least-once window the Idempotency-Key covers, and that a {@link DeliveryLedger} ({@link
 *       #withLedger}, e.g. {@link KafkaDeliveryLedger}) closes: deliveries answered 2xx are
 *       recorded outside Flink's state and not sent again.
 * </ul>
 *
 * <p>The sink keeps no Flink state: what the checkpoint already guarantees needs none, and a set of
 * delivered keys per subtask would only catch duplicates of the input itself (which the pipeline
 * prevents with deterministic alert ids) when they happen to reach the same subtask.
 *
 * <p>Metrics on the writer's metric group, subgroup {@value WebhookSinkWriter#METRIC_GROUP}:
 * counters {@value WebhookSinkWriter#DELIVERED}, {@value WebhookSinkWriter#RETRIES}, {@value
 * WebhookSinkWriter#FAILED}.
 */
public final class WebhookSink implements Sink<TraceAlert> {

    private static final long serialVersionUID = 1L;

    private final WebhookSettings settings;
    private final DeliveryLedger.Factory ledger;

    public WebhookSink(WebhookSettings settings, DeliveryLedger.Factory ledger) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    /** Without a ledger: a restore may send again what was sent after the last checkpoint. */
    public static WebhookSink of(WebhookSettings settings) {
        return new WebhookSink(settings, DeliveryLedger.none());
    }

    /** With a ledger of deliveries made: a restore does not send them again. */
    public WebhookSink withLedger(DeliveryLedger.Factory ledger) {
        return new WebhookSink(settings, ledger);
    }

    public WebhookSettings settings() {
        return settings;
    }

    @Override
    public SinkWriter<TraceAlert> createWriter(WriterInitContext context) throws IOException {
        int subtask = context.getTaskInfo().getIndexOfThisSubtask();
        return new WebhookSinkWriter(
                settings, ledger.open(subtask), context.metricGroup(), subtask);
    }
}
