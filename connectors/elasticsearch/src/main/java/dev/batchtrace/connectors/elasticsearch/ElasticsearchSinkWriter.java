package dev.batchtrace.connectors.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkIngester;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkListener;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.json.JsonpMapper;
import co.elastic.clients.json.JsonpUtils;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writer of {@link ElasticsearchSink}. Threads: write/flush/close and retry timers run on the task
 * thread; bulk callbacks run on the client's I/O threads and only record outcomes (the task thread
 * re-submits retries, so a callback never blocks on a full ingester). Flink's own counters
 * (numRecordsSend, numRecordsOutErrors) are not thread-safe: callbacks count into AtomicLongs and
 * the task thread moves those counts into Flink's counters ({@link #publishCounts}).
 */
final class ElasticsearchSinkWriter<T> implements SinkWriter<T> {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchSinkWriter.class);

    static final String METRIC_GROUP = "elasticsearch";
    static final String DOCUMENTS_WRITTEN = "documents-written";
    static final String SKIPPED_OLDER = "skipped-older";
    static final String RETRIES = "retries";
    static final String DOCUMENTS_REJECTED = "documents-rejected";

    /**
     * Histogram of how long a document took from its record's timestamp (for the documents topic:
     * when the lineage job wrote it) to Elasticsearch's acknowledgement of the write, in ms.
     */
    static final String FRESHNESS = "freshness-ms";

    /** Samples the freshness histogram keeps (Prometheus quantiles are over these). */
    static final int FRESHNESS_WINDOW = 10_000;

    /** Longest a flush sleeps before it looks at the retry queue again. */
    private static final long MAX_WAIT_MILLIS = 100;

    private final ElasticsearchSettings settings;
    private final DocumentConverter<T> converter;
    private final RetryPolicy retryPolicy;
    private final ElasticsearchClient client;
    private final BulkIngester<Operation> ingester;
    private final MailboxExecutor mailbox;
    private final ProcessingTimeService timers;

    private final Counter documentsWritten;
    private final Counter skippedOlder;
    private final Counter retries;
    private final Counter documentsRejected;
    private final Counter recordsSend; // task thread only
    private final Counter recordsOutErrors; // task thread only
    private final AtomicLong recordsSendPending = new AtomicLong();
    private final AtomicLong recordsOutErrorsPending = new AtomicLong();
    private final Histogram freshness; // task thread only

    /** Freshness samples of acknowledged writes, recorded on I/O threads. */
    private final Queue<Long> freshnessPending = new ConcurrentLinkedQueue<>();

    private final Object lock = new Object();

    /** Operations added and not yet finally answered (retries waiting in the queue included). */
    private long unacknowledged; // guarded by lock

    private final PriorityQueue<Operation> retryQueue =
            new PriorityQueue<>(Comparator.comparingLong(o -> o.dueAtMillis)); // guarded by lock

    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean closed;

    /**
     * When the current run of transient failures began (0: Elasticsearch answers): logged once when
     * it starts and once when it ends, not per retry.
     */
    private final AtomicLong outageSince = new AtomicLong();

    /**
     * Most operations written and not yet answered while retries are waiting: beyond this {@link
     * #write} waits (backpressure) instead of queueing an outage's worth of documents in memory.
     */
    private final long maxPendingWhileRetrying;

    ElasticsearchSinkWriter(
            ElasticsearchSettings settings,
            DocumentConverter<T> converter,
            ElasticsearchClient client,
            SinkWriterMetricGroup metricGroup,
            MailboxExecutor mailbox,
            ProcessingTimeService timers) {
        this.settings = settings;
        this.converter = converter;
        this.retryPolicy = settings.retryPolicy();
        this.client = client;
        this.mailbox = mailbox;
        this.timers = timers;
        MetricGroup group = metricGroup.addGroup(METRIC_GROUP);
        this.documentsWritten = group.counter(DOCUMENTS_WRITTEN, new ThreadSafeSimpleCounter());
        this.skippedOlder = group.counter(SKIPPED_OLDER, new ThreadSafeSimpleCounter());
        this.retries = group.counter(RETRIES, new ThreadSafeSimpleCounter());
        this.documentsRejected = group.counter(DOCUMENTS_REJECTED, new ThreadSafeSimpleCounter());
        this.freshness =
                group.histogram(FRESHNESS, new DescriptiveStatisticsHistogram(FRESHNESS_WINDOW));
        this.recordsSend = metricGroup.getNumRecordsSendCounter();
        this.recordsOutErrors = metricGroup.getNumRecordsOutErrorsCounter();
        this.maxPendingWhileRetrying =
                (long) settings.bulkMaxActions() * (settings.bulkMaxConcurrentRequests() + 2);
        // no backoffPolicy on the ingester: item-level 429s come back to the listener and are
        // retried here, so every operation is counted exactly once when it is finally answered
        this.ingester =
                BulkIngester.of(
                        b ->
                                b.client(client)
                                        .maxOperations(settings.bulkMaxActions())
                                        .maxSize(settings.bulkMaxBytes())
                                        .maxConcurrentRequests(settings.bulkMaxConcurrentRequests())
                                        .flushInterval(
                                                settings.bulkFlushInterval().toMillis(),
                                                TimeUnit.MILLISECONDS)
                                        .listener(new Listener()));
        LOG.info("Elasticsearch sink writer started with {}", settings);
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        checkFailure(); // also publishes what the I/O threads counted
        if (resubmitDueRetries() > 0) {
            ingester.flush();
        }
        if (retriesWaiting() && unacknowledged() >= maxPendingWhileRetrying) {
            // Elasticsearch is not taking writes: hold the input back until it does
            awaitUnacknowledgedBelow(maxPendingWhileRetrying);
        }
        TraceDocument document = converter.convert(element);
        if (document == null) {
            return;
        }
        Operation operation = new Operation(document, toBulkOperation(document));
        operation.recordTimestamp = recordTimestamp(context);
        synchronized (lock) {
            unacknowledged++;
        }
        try {
            ingester.add(operation.bulkOperation, operation);
        } catch (RuntimeException e) {
            acknowledge(1); // never sent: a later flush must not wait for it
            throw new ElasticsearchSinkException(
                    "cannot add document "
                            + document.index()
                            + "/"
                            + document.id()
                            + " to the bulk request: "
                            + e,
                    e);
        }
    }

    /** Returns when every operation written so far is acknowledged; rethrows a stored failure. */
    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        checkFailure();
        ingester.flush();
        awaitUnacknowledgedBelow(1);
    }

    /**
     * Waits, re-sending due retries meanwhile, until fewer than {@code limit} operations are
     * unanswered; rethrows a stored failure. During an outage this is where the task waits (up to
     * the outage budget): a checkpoint does not complete while writes are pending.
     */
    private void awaitUnacknowledgedBelow(long limit) throws IOException, InterruptedException {
        while (true) {
            publishCounts();
            if (resubmitDueRetries() > 0) {
                ingester.flush();
            }
            synchronized (lock) {
                if (failure.get() != null || unacknowledged < limit) {
                    break;
                }
                long wait = MAX_WAIT_MILLIS;
                Operation next = retryQueue.peek();
                if (next != null) {
                    wait = Math.max(1, Math.min(wait, next.dueAtMillis - now()));
                }
                lock.wait(wait);
            }
        }
        checkFailure();
    }

    @Override
    public void close() throws Exception {
        closed = true;
        try {
            ingester.close(); // waits for the requests in flight, whose answers are counted
            publishCounts();
        } finally {
            client.close();
        }
    }

    private boolean retriesWaiting() {
        synchronized (lock) {
            return !retryQueue.isEmpty();
        }
    }

    /** For tests: operations not yet finally answered. */
    long unacknowledged() {
        synchronized (lock) {
            return unacknowledged;
        }
    }

    long documentsWritten() {
        return documentsWritten.getCount();
    }

    long skippedOlder() {
        return skippedOlder.getCount();
    }

    long retries() {
        return retries.getCount();
    }

    long documentsRejected() {
        return documentsRejected.getCount();
    }

    /** For tests: the freshness histogram (what the task thread has published of it). */
    Histogram freshness() {
        return freshness;
    }

    /**
     * The element's timestamp (a Kafka source gives the record's), or 0 when it has none: then the
     * write adds no freshness sample.
     */
    static long recordTimestamp(Context context) {
        Long timestamp = context == null ? null : context.timestamp();
        return timestamp == null || timestamp <= 0 ? 0 : timestamp;
    }

    static BulkOperation toBulkOperation(TraceDocument document) {
        if (document.isDelete()) {
            return BulkOperation.of(
                    b ->
                            b.delete(
                                    d ->
                                            d.index(document.index())
                                                    .id(document.id())
                                                    .version(document.version())
                                                    .versionType(VersionType.External)));
        }
        Object body =
                document.json() == null
                        ? document.source()
                        : BinaryData.of(
                                document.json().getBytes(StandardCharsets.UTF_8),
                                ContentType.APPLICATION_JSON);
        return BulkOperation.of(
                b ->
                        b.index(
                                i ->
                                        i.index(document.index())
                                                .id(document.id())
                                                .version(document.version())
                                                .versionType(VersionType.External)
                                                .document(body)));
    }

    /** Moves what the I/O threads counted into Flink's counters; runs on the task thread only. */
    private void publishCounts() {
        long sent = recordsSendPending.getAndSet(0);
        if (sent > 0) {
            recordsSend.inc(sent);
        }
        long errors = recordsOutErrorsPending.getAndSet(0);
        if (errors > 0) {
            recordsOutErrors.inc(errors);
        }
        for (Long millis = freshnessPending.poll();
                millis != null;
                millis = freshnessPending.poll()) {
            freshness.update(millis);
        }
    }

    private void checkFailure() throws IOException {
        publishCounts();
        Throwable t = failure.get();
        if (t != null) {
            if (t instanceof ElasticsearchSinkException
                    || t instanceof ElasticsearchAuthException) {
                // already an operator's message: no class-name prefix
                throw new ElasticsearchSinkException(t.getMessage(), t);
            }
            throw new ElasticsearchSinkException("Elasticsearch sink failed: " + t, t);
        }
    }

    /** Sends again the retries whose backoff has passed; runs on the task thread only. */
    private int resubmitDueRetries() {
        List<Operation> due = new ArrayList<>();
        synchronized (lock) {
            long now = now();
            while (!retryQueue.isEmpty() && retryQueue.peek().dueAtMillis <= now) {
                due.add(retryQueue.poll());
            }
        }
        for (Operation operation : due) {
            operation.attempts++;
            if (operation.attempts > 1) {
                retries.inc();
            }
            ingester.add(operation.bulkOperation, operation);
        }
        return due.size();
    }

    private void onRetryTimer() {
        if (!closed && resubmitDueRetries() > 0) {
            ingester.flush();
        }
    }

    private void acknowledge(int count) {
        if (count == 0) {
            return;
        }
        synchronized (lock) {
            unacknowledged -= count;
            lock.notifyAll();
        }
    }

    private void fail(Throwable t) {
        recordsOutErrorsPending.incrementAndGet();
        if (!failure.compareAndSet(null, t)) {
            LOG.warn("Further Elasticsearch sink failure: {}", t.getMessage());
        } else {
            LOG.error("Elasticsearch sink failed: {}", t.getMessage());
        }
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /**
     * Whether {@code operation}, answered with a transient failure now, may be sent again: while it
     * has attempts or outage budget left ({@link RetryPolicy#mayRetry(int, Duration)}).
     */
    private boolean mayRetry(Operation operation, long now) {
        if (operation.failingSinceMillis == 0) {
            operation.failingSinceMillis = now;
        }
        return retryPolicy.mayRetry(
                operation.attempts, Duration.ofMillis(now - operation.failingSinceMillis));
    }

    /** Logs the start of a run of transient failures once; called on I/O threads. */
    private void outageStarted(String what) {
        if (outageSince.compareAndSet(0, now())) {
            LOG.warn(
                    "Elasticsearch is not taking writes ({}); retrying with backoff up to {} for up"
                            + " to {} ({}) before the task fails; checkpoints wait meanwhile",
                    what,
                    retryPolicy.maxBackoff(),
                    retryPolicy.outageBudget(),
                    ElasticsearchSettings.RETRY_OUTAGE_BUDGET);
        }
    }

    /** Logs the end of a run of transient failures once; called on I/O threads. */
    private void outageEnded() {
        long since = outageSince.getAndSet(0);
        if (since != 0) {
            LOG.info(
                    "Elasticsearch takes writes again after {} s of transient failures",
                    (now() - since) / 1000);
        }
    }

    private String giveUpMessage(Operation operation, long now, String what) {
        return "Elasticsearch still "
                + what
                + " after "
                + operation.attempts
                + " attempts over "
                + (now - operation.failingSinceMillis)
                + " ms (outage budget "
                + ElasticsearchSettings.RETRY_OUTAGE_BUDGET
                + "="
                + retryPolicy.outageBudget()
                + ", "
                + ElasticsearchSettings.RETRY_MAX_ATTEMPTS
                + "="
                + retryPolicy.maxAttempts()
                + "; first document "
                + operation.document.index()
                + "/"
                + operation.document.id()
                + ")";
    }

    /** Queues operations for another attempt after their backoff; called on I/O threads. */
    private void scheduleRetries(List<Operation> operations) {
        long now = now();
        for (Operation operation : operations) {
            operation.dueAtMillis =
                    now + retryPolicy.backoffBefore(operation.attempts + 1).toMillis();
        }
        queue(operations);
    }

    /** Queues dead letters to be written by the task thread at once; called on I/O threads. */
    private void scheduleNow(List<Operation> operations) {
        long now = now();
        operations.forEach(o -> o.dueAtMillis = now);
        queue(operations);
    }

    private void queue(List<Operation> operations) {
        if (operations.isEmpty()) {
            return;
        }
        long firstDue = Long.MAX_VALUE;
        synchronized (lock) {
            for (Operation operation : operations) {
                firstDue = Math.min(firstDue, operation.dueAtMillis);
                retryQueue.add(operation);
            }
            lock.notifyAll();
        }
        // wake the task thread when the backoff is over, also when no records or checkpoints come
        long due = firstDue;
        try {
            mailbox.execute(
                    () -> {
                        if (!closed) {
                            timers.registerTimer(due, timestamp -> onRetryTimer());
                        }
                    },
                    "schedule Elasticsearch retry");
        } catch (RejectedExecutionException e) {
            LOG.debug("Task is shutting down; retry of {} operations dropped", operations.size());
        }
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    /** One document write and how often it has been sent. */
    static final class Operation {
        final TraceDocument document;
        final BulkOperation bulkOperation;

        /** Whether this writes the dead letter of a document Elasticsearch refused. */
        final boolean deadLetter;

        int attempts = 1;
        long dueAtMillis;

        /** The element's timestamp when written (0: none), for the freshness histogram. */
        long recordTimestamp;

        /** When the first transient failure of this operation was answered (0: none yet). */
        long failingSinceMillis;

        Operation(TraceDocument document, BulkOperation bulkOperation) {
            this(document, bulkOperation, false);
        }

        private Operation(TraceDocument document, BulkOperation bulkOperation, boolean deadLetter) {
            this.document = document;
            this.bulkOperation = bulkOperation;
            this.deadLetter = deadLetter;
        }

        /**
         * The dead letter of a refused document: id {@code index/id/version} (a replay after a
         * restore overwrites it instead of adding another), the reason, and the document's bytes.
         */
        static Operation deadLetterOf(
                Operation refused, BulkResponseItem item, JsonpMapper mapper) {
            TraceDocument d = refused.document;
            String json =
                    d.isDelete()
                            ? ""
                            : d.json() != null
                                    ? d.json()
                                    : JsonpUtils.toJsonString(d.source(), mapper);
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("index", d.index());
            source.put("documentId", d.id());
            source.put("version", d.version());
            source.put("status", item.status());
            source.put("errorType", item.error() == null ? null : item.error().type());
            source.put("reason", BulkFailures.describe(item));
            source.put("failedAt", Instant.now().toString());
            source.put("sizeBytes", bytes.length);
            source.put("source", Base64.getEncoder().encodeToString(bytes));
            String index = TraceIndex.DEAD_LETTERS.alias();
            String id = d.index() + "/" + d.id() + "/" + d.version();
            BulkOperation op =
                    BulkOperation.of(b -> b.index(i -> i.index(index).id(id).document(source)));
            // the refused write counts as answered only once its dead letter is stored
            Operation letter = new Operation(TraceDocument.upsert(index, id, 0, source), op, true);
            letter.attempts = 0;
            return letter;
        }
    }

    private final class Listener implements BulkListener<Operation> {

        @Override
        public void beforeBulk(long executionId, BulkRequest request, List<Operation> contexts) {}

        @Override
        public void afterBulk(
                long executionId,
                BulkRequest request,
                List<Operation> contexts,
                BulkResponse response) {
            List<BulkResponseItem> items = response.items();
            if (items.size() != contexts.size()) {
                fail(
                        new ElasticsearchSinkException(
                                "bulk response has "
                                        + items.size()
                                        + " items for "
                                        + contexts.size()
                                        + " operations"));
                acknowledge(contexts.size());
                return;
            }
            int answered = 0;
            long now = now();
            boolean anyRetry = false;
            List<Operation> again = new ArrayList<>();
            List<Operation> deadLetters = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                BulkResponseItem item = items.get(i);
                Operation operation = contexts.get(i);
                switch (BulkFailures.classifyItem(item)) {
                    case WRITTEN -> {
                        if (operation.deadLetter) {
                            documentsRejected.inc();
                            recordsOutErrorsPending.incrementAndGet();
                        } else {
                            documentsWritten.inc();
                            recordsSendPending.incrementAndGet();
                            if (operation.recordTimestamp > 0) {
                                // a producer's clock slightly ahead must not give negative ages
                                freshnessPending.add(Math.max(0, now - operation.recordTimestamp));
                            }
                        }
                        answered++;
                    }
                    case REJECTED -> {
                        if (operation.deadLetter) {
                            fail(
                                    new ElasticsearchSinkException(
                                            "the dead-letter index refused a dead letter: "
                                                    + BulkFailures.describe(item)));
                            answered++;
                        } else {
                            LOG.warn(
                                    "Elasticsearch refused a document; it goes to {}: {}",
                                    TraceIndex.DEAD_LETTERS.alias(),
                                    BulkFailures.describe(item));
                            deadLetters.add(
                                    Operation.deadLetterOf(operation, item, client._jsonpMapper()));
                        }
                    }
                    case SKIPPED_OLDER -> {
                        skippedOlder.inc();
                        answered++;
                    }
                    case RETRY -> {
                        anyRetry = true;
                        if (mayRetry(operation, now)) {
                            again.add(operation);
                        } else {
                            fail(
                                    new ElasticsearchSinkException(
                                            giveUpMessage(operation, now, "rejected a document")
                                                    + ": "
                                                    + BulkFailures.describe(item)));
                            answered++;
                        }
                    }
                    case FAIL -> {
                        fail(
                                new ElasticsearchSinkException(
                                        "Elasticsearch rejected a document: "
                                                + BulkFailures.describe(item)));
                        answered++;
                    }
                }
            }
            if (anyRetry) {
                outageStarted("bulk items answered 429/502/503/504");
            } else {
                outageEnded();
            }
            scheduleRetries(again);
            scheduleNow(deadLetters);
            acknowledge(answered);
        }

        @Override
        public void afterBulk(
                long executionId,
                BulkRequest request,
                List<Operation> contexts,
                Throwable failure) {
            java.util.OptionalInt status = BulkFailures.httpStatus(failure);
            if (status.isPresent() && (status.getAsInt() == 401 || status.getAsInt() == 403)) {
                // wrong credentials do not get better by retrying: fail the task at once
                fail(
                        new ElasticsearchAuthException(
                                status.getAsInt(),
                                "bulk request of "
                                        + contexts.size()
                                        + " operations: "
                                        + ElasticsearchClients.explain(
                                                        settings,
                                                        failure instanceof Exception e
                                                                ? e
                                                                : new RuntimeException(failure))
                                                .getMessage(),
                                failure));
                acknowledge(contexts.size());
                return;
            }
            if (!BulkFailures.isRetryable(failure)) {
                fail(
                        new ElasticsearchSinkException(
                                "bulk request of "
                                        + contexts.size()
                                        + " operations failed (not retryable): "
                                        + failure,
                                failure));
                acknowledge(contexts.size());
                return;
            }
            outageStarted(failure.toString());
            long now = now();
            List<Operation> again = new ArrayList<>();
            Operation firstGivenUp = null;
            int givenUp = 0;
            for (Operation operation : contexts) {
                if (mayRetry(operation, now)) {
                    again.add(operation);
                } else {
                    givenUp++;
                    if (firstGivenUp == null) {
                        firstGivenUp = operation;
                    }
                }
            }
            if (givenUp > 0) {
                fail(
                        new ElasticsearchSinkException(
                                "bulk request failed: "
                                        + giveUpMessage(firstGivenUp, now, "unavailable")
                                        + ": "
                                        + failure,
                                failure));
            } else {
                LOG.debug(
                        "bulk request of {} operations will be retried: {}",
                        contexts.size(),
                        failure.toString());
            }
            scheduleRetries(again);
            acknowledge(givenUp);
        }
    }
}
