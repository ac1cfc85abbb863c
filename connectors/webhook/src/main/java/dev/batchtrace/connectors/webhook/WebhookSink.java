package dev.batchtrace.connectors.webhook;

import dev.batchtrace.events.TraceAlert;
import java.io.IOException;
import java.util.Collection;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A Flink Sink v2 that POSTs every {@link TraceAlert} as JSON ({@link AlertPayload}) to each
 * configured webhook URL, at least once.
 *
 * <ul>
 *   <li>Every request carries {@code Idempotency-Key: <alertId>/<status>}; receivers deduplicate on
 *       it.
 *   <li>Connection errors, timeouts, 408/425/429, 5xx and 401/403/404 (a configuration that gets
 *       fixed) are retried with exponential backoff ({@link RetryPolicy}; a {@code Retry-After} is
 *       honoured up to the maximum backoff), and after the policy's attempts at the maximum backoff
 *       for as long as it takes. A receiver refusing the payload (400, 413, 415, 422) gives up that
 *       delivery: logged with the URL (redacted), status and the start of the body, and counted.
 *       Nothing a receiver does fails the task.
 *   <li>Checkpoints never wait for receivers: deliveries not yet answered 2xx are the writer's
 *       state ({@link PendingDelivery}) and go out again after a restore. So a slow or absent
 *       receiver neither stalls the job the sink runs in nor loses an alert. What was answered 2xx
 *       after the last checkpoint may be sent again after a failure; that is the at-least-once
 *       window the Idempotency-Key covers, and that a {@link DeliveryLedger} ({@link #withLedger},
 *       e.g. {@link KafkaDeliveryLedger}) closes: deliveries answered 2xx are recorded outside
 *       Flink's state and not sent again.
 * </ul>
 *
 * <p>Metrics on the writer's metric group, subgroup {@value WebhookSinkWriter#METRIC_GROUP}:
 * counters {@value WebhookSinkWriter#DELIVERED}, {@value WebhookSinkWriter#RETRIES}, {@value
 * WebhookSinkWriter#REJECTED}, {@value WebhookSinkWriter#ALREADY_DELIVERED}, {@value
 * WebhookSinkWriter#FAILED}; gauge {@value WebhookSinkWriter#PENDING}.
 */
public final class WebhookSink
        implements Sink<TraceAlert>, SupportsWriterState<TraceAlert, PendingDelivery> {

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
    public StatefulSinkWriter<TraceAlert, PendingDelivery> createWriter(WriterInitContext context)
            throws IOException {
        int subtask = context.getTaskInfo().getIndexOfThisSubtask();
        return new WebhookSinkWriter(
                settings, ledger.open(subtask), context.metricGroup(), subtask);
    }

    @Override
    public StatefulSinkWriter<TraceAlert, PendingDelivery> restoreWriter(
            WriterInitContext context, Collection<PendingDelivery> pending) throws IOException {
        int subtask = context.getTaskInfo().getIndexOfThisSubtask();
        WebhookSinkWriter writer =
                new WebhookSinkWriter(
                        settings, ledger.open(subtask), context.metricGroup(), subtask);
        writer.resume(pending);
        return writer;
    }

    @Override
    public SimpleVersionedSerializer<PendingDelivery> getWriterStateSerializer() {
        return new PendingDelivery.Serializer();
    }
}
