package dev.batchtrace.connectors.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.connectors.webhook.WebhookReceiver.Answer;
import dev.batchtrace.connectors.webhook.WebhookReceiver.Request;
import dev.batchtrace.events.TraceAlert;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sink in Flink jobs (MiniCluster, parallelism 2, checkpoints every 200 ms) against a local
 * webhook receiver that fails first attempts: 503, then 429 with Retry-After, then a dropped
 * connection.
 */
class WebhookSinkITCase {

    private static final int ALERTS = 200;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .setConfiguration(jobConfig())
                            .build());

    @BeforeEach
    void reset() {
        ThrottledAlerts.reset();
    }

    /**
     * Every tenth alert goes through the whole failure script, every tenth plus five gets one 503,
     * the rest are accepted at once.
     */
    static Answer script(String key, int attempt) {
        int i = Integer.parseInt(key.substring(2, key.indexOf('/')));
        if (i % 10 == 0) {
            return WebhookSinkWriterITCase.failThreeTimes(key, attempt);
        }
        return i % 10 == 5 && attempt == 1 ? Answer.UNAVAILABLE : Answer.OK;
    }

    @Test
    void everyAlertArrivesOnceThroughRetries() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start(WebhookSinkITCase::script)) {
            StreamExecutionEnvironment env = environment(jobConfig());
            env.fromSequence(0, ALERTS - 1)
                    .map(new ThrottledAlerts(false))
                    .sinkTo(WebhookSink.of(settings(receiver)));

            long start = System.nanoTime();
            env.execute("webhook-sink-it-retries");
            report("no failure", start, receiver);

            Map<String, Long> delivered = deliveriesPerKey(receiver);
            assertEquals(Set.of(), missing(delivered), "alerts never delivered");
            delivered.forEach((key, count) -> assertEquals(1L, count, key));
            for (int i = 0; i < ALERTS; i += 10) {
                List<Request> tries = triesOf(receiver, key(i));
                assertEquals(
                        List.of(
                                Answer.UNAVAILABLE,
                                Answer.TOO_MANY_REQUESTS,
                                Answer.DROP,
                                Answer.OK),
                        tries.stream().map(Request::answer).toList(),
                        key(i));
                Duration gap = Duration.between(tries.get(1).at(), tries.get(2).at());
                assertTrue(gap.toMillis() >= 990, key(i) + ": Retry-After ignored, gap " + gap);
            }
        }
    }

    @Test
    void aRestoreDoesNotResendWhatWasDeliveredBeforeTheCheckpoint() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start(WebhookSinkITCase::script)) {
            StreamExecutionEnvironment env = environment(jobConfig());
            env.fromSequence(0, ALERTS - 1)
                    .map(new ThrottledAlerts(true))
                    .sinkTo(WebhookSink.of(settings(receiver)));

            long start = System.nanoTime();
            env.execute("webhook-sink-it-restore");
            report("failure and restore", start, receiver);

            assertTrue(ThrottledAlerts.FAILED.get(), "the failure was injected");
            long safeMillis = ThrottledAlerts.safeMillis;
            assertTrue(safeMillis > 0, "a checkpoint had completed before the failure");
            Map<String, Long> delivered = deliveriesPerKey(receiver);
            assertEquals(Set.of(), missing(delivered), "alerts never delivered");
            int resent = 0;
            for (Map.Entry<String, Long> entry : delivered.entrySet()) {
                List<Request> ok =
                        triesOf(receiver, entry.getKey()).stream()
                                .filter(r -> r.answer() == Answer.OK)
                                .toList();
                // answered well before the snapshot of a checkpoint that completed before the
                // failure: not in the sink's checkpointed pending deliveries, and the restore
                // resumes after it, so never again. (An answer that reached the sink only after
                // its snapshot is sent again: the at-least-once window the Idempotency-Key and
                // the ledger cover; the margin keeps the receiver's clock on the safe side.)
                if (ok.get(0).at().toEpochMilli() < safeMillis - ANSWER_MARGIN_MILLIS) {
                    assertEquals(
                            1, ok.size(), entry.getKey() + " was sent again after the restore");
                }
                // otherwise at most once more: the replay after the restore
                assertTrue(ok.size() <= 2, entry.getKey() + " delivered " + ok.size() + " times");
                resent += ok.size() - 1;
            }
            long beforeCheckpoint =
                    receiver.delivered().stream()
                            .filter(r -> r.at().toEpochMilli() < safeMillis - ANSWER_MARGIN_MILLIS)
                            .count();
            assertTrue(beforeCheckpoint > 0, "some alerts were delivered before the checkpoint");
            System.out.printf(
                    "WebhookSinkITCase: %d alerts delivered before the checkpoint, %d re-sent in"
                            + " the window after it%n",
                    beforeCheckpoint, resent);
        }
    }

    @Test
    void aBadRequestGivesUpThatAlertAndTheJobGoesOn() throws Exception {
        try (WebhookReceiver receiver =
                WebhookReceiver.start(
                        (key, attempt) -> key.equals(key(3)) ? Answer.BAD_REQUEST : Answer.OK)) {
            Configuration conf = jobConfig();
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            StreamExecutionEnvironment env = environment(conf);
            env.fromSequence(0, 9)
                    .map(new ThrottledAlerts(false))
                    .sinkTo(WebhookSink.of(settings(receiver)));

            // a receiver refusing one payload must not fail (and restart-loop) the job it runs in
            env.executeAsync("webhook-sink-it-400").getJobExecutionResult().get();

            assertEquals(
                    1,
                    receiver.requests().stream()
                            .filter(r -> r.idempotencyKey().equals(key(3)))
                            .count(),
                    "a 400 is not retried");
            assertEquals(9, receiver.delivered().size(), "every other alert delivered");
        }
    }

    // ---------------------------------------------------------------- helpers

    /** How long an answer may take from the receiver to the sink's bookkeeping (generous). */
    static final long ANSWER_MARGIN_MILLIS = 100;

    static String key(int i) {
        return String.format("A-%04d/OPEN", i);
    }

    private static Set<String> allKeys() {
        return IntStream.range(0, ALERTS)
                .mapToObj(WebhookSinkITCase::key)
                .collect(Collectors.toSet());
    }

    private static Set<String> missing(Map<String, Long> delivered) {
        Set<String> missing = new TreeSet<>(allKeys());
        missing.removeAll(delivered.keySet());
        return missing;
    }

    private static Map<String, Long> deliveriesPerKey(WebhookReceiver receiver) {
        return receiver.delivered().stream()
                .collect(Collectors.groupingBy(Request::idempotencyKey, Collectors.counting()));
    }

    private static List<Request> triesOf(WebhookReceiver receiver, String key) {
        return receiver.requests().stream().filter(r -> r.idempotencyKey().equals(key)).toList();
    }

    private static void report(String what, long startNanos, WebhookReceiver receiver) {
        System.out.printf(
                "WebhookSinkITCase (%s): %d alerts, %d requests, %d answered 200, in %.2f s%n",
                what,
                ALERTS,
                receiver.requests().size(),
                receiver.delivered().size(),
                (System.nanoTime() - startNanos) / 1e9);
    }

    private static WebhookSettings settings(WebhookReceiver receiver) {
        return WebhookSettings.forUrls(receiver.url("/alerts"))
                .withRetry(6, Duration.ofMillis(50), Duration.ofSeconds(5));
    }

    private static Configuration jobConfig() {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(200));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        return conf;
    }

    private static StreamExecutionEnvironment environment(Configuration conf) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    /**
     * Turns i into alert A-i, slowly (so checkpoints happen mid-stream), and optionally fails once
     * after a checkpoint completed. Remembers when each checkpoint's snapshot was taken here: an
     * alert the receiver accepted before that time passed this operator before the barrier.
     */
    static final class ThrottledAlerts
            implements MapFunction<Long, TraceAlert>, CheckpointedFunction, CheckpointListener {

        static final AtomicBoolean FAILED = new AtomicBoolean();
        static final AtomicLong LAST_COMPLETED = new AtomicLong(-1);

        /** Checkpoint id to the earliest snapshot time over the subtasks. */
        static final Map<Long, Long> SNAPSHOT_MILLIS = new ConcurrentHashMap<>();

        /** Snapshot time of the last checkpoint that completed before the failure. */
        static volatile long safeMillis = -1;

        private final boolean failOnce;

        ThrottledAlerts(boolean failOnce) {
            this.failOnce = failOnce;
        }

        static void reset() {
            FAILED.set(false);
            LAST_COMPLETED.set(-1);
            SNAPSHOT_MILLIS.clear();
            safeMillis = -1;
        }

        @Override
        public TraceAlert map(Long i) throws Exception {
            Thread.sleep(20);
            long completed = LAST_COMPLETED.get();
            if (failOnce && completed >= 1 && i % 100 > 40 && FAILED.compareAndSet(false, true)) {
                safeMillis = SNAPSHOT_MILLIS.get(completed);
                throw new IllegalStateException("injected failure after checkpoint " + completed);
            }
            return Alerts.shipment(String.format("A-%04d", i));
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            SNAPSHOT_MILLIS.merge(context.getCheckpointId(), System.currentTimeMillis(), Math::min);
        }

        @Override
        public void initializeState(FunctionInitializationContext context) {}

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            LAST_COMPLETED.accumulateAndGet(checkpointId, Math::max);
        }
    }
}
