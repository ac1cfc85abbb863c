package dev.batchtrace.connectors.webhook;

import dev.batchtrace.events.TraceAlert;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writer of {@link WebhookSink}. Threads: write/flush/snapshot/close run on the task thread; HTTP
 * answers arrive on the client's threads and retries are sent from a small scheduler, so deliveries
 * make progress without records or checkpoints coming in.
 *
 * <p>Nothing here waits for a receiver: deliveries not yet answered 2xx are part of the writer's
 * state ({@link #snapshotState}) and are sent again after a restore, so a checkpoint completes at
 * once however slow or absent the receivers are, and the job they run in (the lineage job) keeps
 * flowing (issue 13: a receiver taking 10 s per request stalled every genealogy hop). Only {@link
 * #close} waits, at most a request's timeouts, for the requests already on the wire, so that a 2xx
 * a receiver gives while the task fails is in the ledger before the restore. Transient failures
 * (connection errors, timeouts, 408/425/429/5xx, and 401/403/404, which a fixed configuration
 * cures) are retried for as long as it takes at the capped backoff; only a receiver that refuses
 * the payload itself (400, 413, 415, 422) gives up that delivery, logged and counted as {@value
 * #REJECTED}.
 */
final class WebhookSinkWriter implements StatefulSinkWriter<TraceAlert, PendingDelivery> {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSinkWriter.class);

    static final String METRIC_GROUP = "webhook";
    static final String DELIVERED = "delivered";
    static final String RETRIES = "retries";
    static final String FAILED = "failed";
    static final String REJECTED = "rejected";
    static final String ALREADY_DELIVERED = "already-delivered";
    static final String PENDING = "pending";

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
    private final Counter rejected;
    private final Counter alreadyDelivered;
    private final DeliveryLedger ledger;

    private final Object lock = new Object();

    /** Deliveries (alert x URL) not yet finally answered, by delivery key, in arrival order. */
    private final Map<String, Delivery> pending = new LinkedHashMap<>(); // guarded by lock

    /** Pending deliveries not sent yet because {@code maxInFlight} requests are out. */
    private final Deque<Delivery> waiting = new ArrayDeque<>(); // guarded by lock

    private int inFlight; // guarded by lock; sent or waiting for a retry

    private int onTheWire; // guarded by lock; requests sent and not answered yet

    private final AtomicReference<WebhookDeliveryException> failure = new AtomicReference<>();
    private volatile boolean closed; // written under lock: nothing is sent once it is set

    /** Guards the ledger against a record after {@link #close} closed it. */
    private final Object ledgerLock = new Object();

    private boolean ledgerClosed; // guarded by ledgerLock

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
        this.rejected = group.counter(REJECTED, new ThreadSafeSimpleCounter());
        this.alreadyDelivered = group.counter(ALREADY_DELIVERED, new ThreadSafeSimpleCounter());
        group.gauge(PENDING, this::pending);
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

    /**
     * Takes over the deliveries a checkpoint held: each goes out again unless the ledger knows it
     * was answered 2xx; one whose URL is no longer configured is dropped with a warning.
     */
    void resume(Collection<PendingDelivery> restored) {
        for (PendingDelivery p : restored) {
            if (ledger.contains(p.deliveryKey())) {
                alreadyDelivered.inc();
                continue;
            }
            int urlIndex = -1;
            for (int i = 0; i < urls.size(); i++) {
                if (DeliveryLedger.key(p.idempotencyKey(), urls.get(i)).equals(p.deliveryKey())) {
                    urlIndex = i;
                }
            }
            if (urlIndex < 0) {
                LOG.warn(
                        "Alert {} was pending for a webhook that is no longer configured: dropped",
                        p.idempotencyKey());
                continue;
            }
            enqueue(new Delivery(urlIndex, p.idempotencyKey(), p.deliveryKey(), p.body()));
        }
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
            enqueue(new Delivery(i, payload.idempotencyKey(), deliveryKey, body));
        }
    }

    /**
     * Does not wait for receivers (pending deliveries are checkpointed instead), except at the end
     * of a bounded input, where it returns when every delivery is answered.
     */
    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        if (endOfInput) {
            synchronized (lock) {
                while (!pending.isEmpty() && failure.get() == null) {
                    lock.wait(100);
                }
            }
        }
        checkFailure();
        ledger.flush();
    }

    /** The deliveries not answered 2xx yet: after a restore they go out again. */
    @Override
    public List<PendingDelivery> snapshotState(long checkpointId) {
        synchronized (lock) {
            List<PendingDelivery> state = new ArrayList<>(pending.size());
            for (Delivery d : pending.values()) {
                state.add(new PendingDelivery(d.idempotencyKey, d.deliveryKey, d.body));
            }
            return state;
        }
    }

    /**
     * Sends nothing more and drops the deliveries still pending (the last checkpoint holds them),
     * but first waits for the requests already on the wire, at most the connect plus the request
     * timeout: a receiver may have taken one already, and its 2xx must be in the ledger before a
     * restored writer reads the ledger, or the restore sends that alert again (a task failure
     * closes the writer, the JVM stays; only a crash leaves the window the Idempotency-Key covers).
     */
    @Override
    public void close() {
        retryScheduler.shutdownNow();
        long deadline =
                System.nanoTime()
                        + settings.connectTimeout().plus(settings.requestTimeout()).toNanos();
        boolean interrupted = false;
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
            if (onTheWire > 0) {
                LOG.info("Webhook sink closing: waits for {} request(s) on the wire", onTheWire);
            }
            while (onTheWire > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn(
                            "Webhook sink closed with {} request(s) unanswered: a receiver that"
                                    + " took one gets it again after a restore",
                            onTheWire);
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    interrupted = true; // a cancelled task: the wait is bounded, finish it
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        synchronized (ledgerLock) {
            ledgerClosed = true;
        }
        ledger.close();
    }

    /** Deliveries not yet finally answered (also the gauge {@value #PENDING}). */
    long pending() {
        synchronized (lock) {
            return pending.size();
        }
    }

    long delivered() {
        return delivered.getCount();
    }

    long retries() {
        return retries.getCount();
    }

    long rejected() {
        return rejected.getCount();
    }

    long alreadyDelivered() {
        return alreadyDelivered.getCount();
    }

    private void enqueue(Delivery delivery) {
        boolean sendNow;
        synchronized (lock) {
            if (pending.putIfAbsent(delivery.deliveryKey, delivery) != null) {
                return; // the same alert again (a replay): one delivery is enough
            }
            sendNow = inFlight < settings.maxInFlight();
            if (sendNow) {
                inFlight++;
            } else {
                waiting.add(delivery);
            }
        }
        if (sendNow) {
            send(delivery);
        }
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
        synchronized (lock) {
            if (closed) {
                return;
            }
            onTheWire++;
        }
        delivery.attempts++;
        try {
            client.sendAsync(request(delivery), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, error) -> onAnswerSafely(delivery, response, error));
        } catch (RuntimeException e) {
            offTheWire();
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
        } finally {
            offTheWire();
        }
    }

    /** A request sent is answered (or failed): {@link #close} may stop waiting for it. */
    private void offTheWire() {
        synchronized (lock) {
            onTheWire--;
            lock.notifyAll();
        }
    }

    private void onAnswer(Delivery delivery, HttpResponse<String> response, Throwable error) {
        boolean ok = error == null && response.statusCode() >= 200 && response.statusCode() < 300;
        if (closed && !ok) {
            return; // not retried: the last checkpoint holds it, or the input is replayed
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
        if (ok) {
            // also while closing: a restored writer must find it in the ledger
            synchronized (ledgerLock) {
                if (ledgerClosed) {
                    return; // close gave up waiting for it
                }
                ledger.record(delivery.deliveryKey);
            }
            delivered.inc();
            done(delivery);
        } else if (RetryPolicy.isRetryable(status)
                || status == 401
                || status == 403
                || status == 404) {
            Optional<Duration> retryAfter =
                    RetryPolicy.parseRetryAfter(
                            response.headers().firstValue("Retry-After").orElse(null),
                            Instant.now());
            retryOrFail(delivery, retryAfter, "HTTP " + status + excerptSuffix(response.body()));
        } else {
            // the receiver refuses this payload: sending it again cannot help
            rejected.inc();
            LOG.error(
                    "webhook {} rejected alert {} with HTTP {}{} (not retried: fix the receiver or"
                            + " its configuration)",
                    redactedUrls.get(delivery.urlIndex),
                    delivery.idempotencyKey,
                    status,
                    excerptSuffix(response.body()));
            done(delivery);
        }
    }

    /**
     * Sends again after the backoff, for as long as it takes: the backoff stays at its maximum once
     * the policy's attempts are used up, and each further round of attempts logs a warning.
     */
    private void retryOrFail(Delivery delivery, Optional<Duration> retryAfter, String reason) {
        int next = Math.min(delivery.attempts + 1, retryPolicy.maxAttempts());
        Duration delay = retryPolicy.delayBefore(next, retryAfter);
        retries.inc();
        if (!retryPolicy.mayRetry(delivery.attempts)
                && delivery.attempts % retryPolicy.maxAttempts() == 0) {
            LOG.warn(
                    "webhook {} still failing for alert {} after {} attempts (last: {}); it keeps"
                            + " trying every {}",
                    redactedUrls.get(delivery.urlIndex),
                    delivery.idempotencyKey,
                    delivery.attempts,
                    reason,
                    delay);
        } else {
            LOG.debug(
                    "Webhook {}: alert {} attempt {} failed ({}), next in {}",
                    redactedUrls.get(delivery.urlIndex),
                    delivery.idempotencyKey,
                    delivery.attempts,
                    reason,
                    delay);
        }
        try {
            retryScheduler.schedule(() -> send(delivery), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Writer closed; retry of alert {} dropped", delivery.idempotencyKey);
        }
    }

    /** A delivery is finally answered: its slot goes to the next waiting one. */
    private void done(Delivery delivery) {
        Delivery next;
        synchronized (lock) {
            pending.remove(delivery.deliveryKey);
            next = waiting.poll();
            if (next == null) {
                inFlight--;
            }
            lock.notifyAll();
        }
        if (next != null) {
            send(next);
        }
    }

    /** A failure of the writer itself (not of a receiver): the task fails. */
    private void fail(WebhookDeliveryException e) {
        failed.inc();
        if (failure.compareAndSet(null, e)) {
            LOG.error("Webhook sink failed: {}", e.getMessage());
        } else {
            LOG.warn("Further webhook sink failure: {}", e.getMessage());
        }
        synchronized (lock) {
            lock.notifyAll();
        }
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
