package dev.batchtrace.connectors.webhook;

import dev.batchtrace.events.TraceAlert;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writer of {@link WebhookSink}. Threads: write/flush/close run on the task thread; HTTP answers
 * arrive on the client's threads and retries are sent from a small scheduler, so deliveries make
 * progress without records or checkpoints coming in. The task thread only counts and waits.
 */
final class WebhookSinkWriter implements SinkWriter<TraceAlert> {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSinkWriter.class);

    static final String METRIC_GROUP = "webhook";
    static final String DELIVERED = "delivered";
    static final String RETRIES = "retries";
    static final String FAILED = "failed";
    static final String ALREADY_DELIVERED = "already-delivered";

    /** How much of a rejecting receiver's answer goes into the error message. */
    static final int BODY_EXCERPT_CHARS = 300;

    private final WebhookSettings settings;
    private final RetryPolicy retryPolicy;
    private final List<URI> urls;
    private final List<String> redactedUrls;
    private final HttpClient client;
    private final ScheduledExecutorService retryScheduler;

    private final Counter delivered;
    private final Counter retries;
    private final Counter failed;
    private final Counter alreadyDelivered;
    private final DeliveryLedger ledger;

    private final Object lock = new Object();

    /** Deliveries (alert x URL) sent and not yet finally answered, retries waiting included. */
    private long pending; // guarded by lock

    private final AtomicReference<WebhookDeliveryException> failure = new AtomicReference<>();
    private volatile boolean closed;

    WebhookSinkWriter(
            WebhookSettings settings, DeliveryLedger ledger, MetricGroup metricGroup, int subtask) {
        this.settings = settings;
        this.ledger = ledger;
        this.retryPolicy = settings.retryPolicy();
        this.urls = settings.urlUris();
        this.redactedUrls = urls.stream().map(WebhookSettings::redact).toList();
        MetricGroup group = metricGroup.addGroup(METRIC_GROUP);
        this.delivered = group.counter(DELIVERED, new ThreadSafeSimpleCounter());
        this.retries = group.counter(RETRIES, new ThreadSafeSimpleCounter());
        this.failed = group.counter(FAILED, new ThreadSafeSimpleCounter());
        this.alreadyDelivered = group.counter(ALREADY_DELIVERED, new ThreadSafeSimpleCounter());
        // HTTP/1.1: webhook bodies are small, and some receivers mishandle the h2c upgrade
        this.client =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(settings.connectTimeout())
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
        this.retryScheduler =
                Executors.newSingleThreadScheduledExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, "webhook-sink-retries-" + subtask);
                            thread.setDaemon(true);
                            return thread;
                        });
        LOG.info("Webhook sink writer {} started with {}", subtask, settings);
    }

    @Override
    public void write(TraceAlert alert, Context context) throws IOException, InterruptedException {
        checkFailure();
        AlertPayload payload = AlertPayload.from(alert);
        byte[] body = payload.toJson();
        for (int i = 0; i < urls.size(); i++) {
            String deliveryKey = DeliveryLedger.key(payload.idempotencyKey(), urls.get(i));
            if (ledger.contains(deliveryKey)) {
                alreadyDelivered.inc(); // sent before a restore rolled the input back
                continue;
            }
            awaitCapacity();
            synchronized (lock) {
                pending++;
            }
            send(new Delivery(i, payload.idempotencyKey(), deliveryKey, body));
        }
    }

    /** Returns when every delivery written so far is answered 2xx; rethrows a stored failure. */
    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        synchronized (lock) {
            while (pending > 0 && failure.get() == null) {
                lock.wait(100);
            }
        }
        checkFailure();
        ledger.flush();
    }

    /**
     * Deliveries still waiting are dropped: they were not acknowledged, so no checkpoint counts
     * them, and Flink replays their alerts after the restore.
     */
    @Override
    public void close() {
        closed = true;
        retryScheduler.shutdownNow();
        synchronized (lock) {
            lock.notifyAll();
        }
        ledger.close();
    }

    /** For tests: deliveries not yet finally answered. */
    long pending() {
        synchronized (lock) {
            return pending;
        }
    }

    long delivered() {
        return delivered.getCount();
    }

    long retries() {
        return retries.getCount();
    }

    long alreadyDelivered() {
        return alreadyDelivered.getCount();
    }

    private void awaitCapacity() throws IOException, InterruptedException {
        synchronized (lock) {
            while (pending >= settings.maxInFlight() && failure.get() == null) {
                lock.wait(100);
            }
        }
        checkFailure();
    }

    private void checkFailure() throws WebhookDeliveryException {
        WebhookDeliveryException e = failure.get();
        if (e != null) {
            // a fresh exception: the stored one may be thrown more than once (write, then flush)
            throw new WebhookDeliveryException(e.getMessage(), e);
        }
    }

    private HttpRequest request(Delivery delivery) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(urls.get(delivery.urlIndex))
                        .timeout(settings.requestTimeout())
                        .header("Content-Type", "application/json")
                        .header(WebhookSettings.IDEMPOTENCY_KEY_HEADER, delivery.idempotencyKey)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body));
        for (Map.Entry<String, String> header : settings.headers().entrySet()) {
            request.header(header.getKey(), header.getValue());
        }
        return request.build();
    }

    private void send(Delivery delivery) {
        if (closed) {
            return;
        }
        delivery.attempts++;
        try {
            client.sendAsync(request(delivery), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, error) -> onAnswerSafely(delivery, response, error));
        } catch (RuntimeException e) {
            // also runs on the retry thread, where an exception would vanish and flush hang
            fail(
                    new WebhookDeliveryException(
                            "webhook "
                                    + redactedUrls.get(delivery.urlIndex)
                                    + ": alert "
                                    + delivery.idempotencyKey
                                    + " could not be sent: "
                                    + e,
                            e));
        }
    }

    /** Callbacks run on the client's threads, which swallow exceptions: record them instead. */
    private void onAnswerSafely(Delivery delivery, HttpResponse<String> response, Throwable error) {
        try {
            onAnswer(delivery, response, error);
        } catch (RuntimeException e) {
            fail(
                    new WebhookDeliveryException(
                            "webhook sink: cannot handle the answer for alert "
                                    + delivery.idempotencyKey
                                    + ": "
                                    + e,
                            e));
        }
    }

    private void onAnswer(Delivery delivery, HttpResponse<String> response, Throwable error) {
        if (closed) {
            return;
        }
        if (error != null) {
            Throwable cause = error instanceof CompletionException ? error.getCause() : error;
            if (cause instanceof IOException) { // refused, reset, timed out, closed mid-answer
                retryOrFail(
                        delivery,
                        Optional.empty(),
                        cause.getCause() == null
                                ? cause.toString()
                                : cause + " (" + cause.getCause() + ")");
            } else {
                fail(
                        new WebhookDeliveryException(
                                "webhook "
                                        + redactedUrls.get(delivery.urlIndex)
                                        + ": alert "
                                        + delivery.idempotencyKey
                                        + " could not be sent: "
                                        + cause,
                                cause));
            }
            return;
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            ledger.record(delivery.deliveryKey);
            delivered.inc();
            done();
        } else if (RetryPolicy.isRetryable(status)) {
            Optional<Duration> retryAfter =
                    RetryPolicy.parseRetryAfter(
                            response.headers().firstValue("Retry-After").orElse(null),
                            Instant.now());
            retryOrFail(delivery, retryAfter, "HTTP " + status + excerptSuffix(response.body()));
        } else {
            fail(
                    new WebhookDeliveryException(
                            "webhook "
                                    + redactedUrls.get(delivery.urlIndex)
                                    + " rejected alert "
                                    + delivery.idempotencyKey
                                    + " with HTTP "
                                    + status
                                    + excerptSuffix(response.body())
                                    + " (not retried: fix the receiver or its configuration)"));
        }
    }

    private void retryOrFail(Delivery delivery, Optional<Duration> retryAfter, String reason) {
        if (!retryPolicy.mayRetry(delivery.attempts)) {
            fail(
                    new WebhookDeliveryException(
                            "webhook "
                                    + redactedUrls.get(delivery.urlIndex)
                                    + " still failing for alert "
                                    + delivery.idempotencyKey
                                    + " after "
                                    + delivery.attempts
                                    + " attempts; last: "
                                    + reason));
            return;
        }
        Duration delay = retryPolicy.delayBefore(delivery.attempts + 1, retryAfter);
        retries.inc();
        LOG.debug(
                "Webhook {}: alert {} attempt {} failed ({}), next in {}",
                redactedUrls.get(delivery.urlIndex),
                delivery.idempotencyKey,
                delivery.attempts,
                reason,
                delay);
        try {
            retryScheduler.schedule(() -> send(delivery), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Writer closed; retry of alert {} dropped", delivery.idempotencyKey);
        }
    }

    private void done() {
        synchronized (lock) {
            pending--;
            lock.notifyAll();
        }
    }

    private void fail(WebhookDeliveryException e) {
        failed.inc();
        if (failure.compareAndSet(null, e)) {
            LOG.error("Webhook sink failed: {}", e.getMessage());
        } else {
            LOG.warn("Further webhook sink failure: {}", e.getMessage());
        }
        done();
    }

    static String excerptSuffix(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return ", body: "
                + (oneLine.length() > BODY_EXCERPT_CHARS
                        ? oneLine.substring(0, BODY_EXCERPT_CHARS) + "..."
                        : oneLine);
    }

    /** One alert to one URL, and how often it has been sent. */
    private static final class Delivery {
        final int urlIndex;
        final String idempotencyKey;
        final String deliveryKey;
        final byte[] body;
        volatile int attempts;

        Delivery(int urlIndex, String idempotencyKey, String deliveryKey, byte[] body) {
            this.urlIndex = urlIndex;
            this.idempotencyKey = idempotencyKey;
            this.deliveryKey = deliveryKey;
            this.body = body;
        }
    }
}
