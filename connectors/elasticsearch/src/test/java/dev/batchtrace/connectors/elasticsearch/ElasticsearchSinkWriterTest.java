package dev.batchtrace.connectors.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.HistogramStatistics;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The writer against an in-memory bulk endpoint: flush is a barrier, versions are external, 429s
 * are retried from the writer thread and permanent errors fail with index, id and reason.
 */
class ElasticsearchSinkWriterTest {

    private BulkProxy fake;
    private final FakeTaskServices.RecordingMailbox mailbox =
            new FakeTaskServices.RecordingMailbox();

    @BeforeEach
    void startFake() throws Exception {
        fake = BulkProxy.inMemory();
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    @Test
    void flushReturnsOnlyWhenEveryOperationIsAcknowledged() throws Exception {
        ElasticsearchSettings bigBatches =
                settings(fake.url(), 3).withBulk(1000, 5 * 1024 * 1024, Duration.ofHours(1), 2);
        try (ElasticsearchSinkWriter<Integer> writer = writer(bigBatches)) {
            for (int i = 0; i < 250; i++) {
                writer.write(i, null);
            }
            assertEquals(250, writer.unacknowledged(), "nothing sent before the flush interval");

            writer.flush(false);

            assertEquals(0, writer.unacknowledged());
            assertEquals(250, fake.documents().size());
            assertEquals(250, writer.documentsWritten());
            assertEquals("7", fake.documents().get("idx/doc-7").source().path("n").asString());
        }
    }

    @Test
    void freshnessIsRecordedPerAcknowledgedDocumentFromItsRecordTimestamp() throws Exception {
        TaskThreadMetricGroup metrics = new TaskThreadMetricGroup();
        ElasticsearchSettings settings = settings(fake.url(), 3);
        try (ElasticsearchSinkWriter<TraceDocument> writer =
                new ElasticsearchSinkWriter<>(
                        settings,
                        d -> d,
                        ElasticsearchClients.create(settings),
                        metrics,
                        mailbox(),
                        timers())) {
            Histogram registered =
                    (Histogram)
                            metrics.registered.get(
                                    ElasticsearchSinkWriter.METRIC_GROUP
                                            + "."
                                            + ElasticsearchSinkWriter.FRESHNESS);
            assertSame(writer.freshness(), registered, "registered: " + metrics.registered);

            long writtenAt = System.currentTimeMillis() - 5_000;
            for (int i = 0; i < 3; i++) {
                writer.write(
                        TraceDocument.upsert("idx", "LOT-" + i, 1, Map.of("v", i)), at(writtenAt));
            }
            // no timestamp (none in the context, or no context), and below a replay Elasticsearch
            // skips as older: none of them is a sample
            writer.write(TraceDocument.upsert("idx", "LOT-9", 1, Map.of("v", 9)), at(null));
            writer.write(TraceDocument.upsert("idx", "LOT-9", 2, Map.of("v", 9)), null);
            writer.flush(false);
            writer.write(TraceDocument.upsert("idx", "LOT-0", 1, Map.of("v", 0)), at(writtenAt));
            writer.flush(false);

            assertEquals(5, writer.documentsWritten());
            assertEquals(1, writer.skippedOlder());
            assertEquals(3, registered.getCount());
            HistogramStatistics statistics = registered.getStatistics();
            assertTrue(statistics.getMin() >= 5_000, "min " + statistics.getMin());
            assertTrue(statistics.getMax() < 65_000, "max " + statistics.getMax());
        }
    }

    @Test
    void aProducerClockAheadGivesZeroNotANegativeFreshness() throws Exception {
        ElasticsearchSettings settings = settings(fake.url(), 3);
        try (ElasticsearchSinkWriter<TraceDocument> writer =
                new ElasticsearchSinkWriter<>(
                        settings,
                        d -> d,
                        ElasticsearchClients.create(settings),
                        UnregisteredMetricsGroup.createSinkWriterMetricGroup(),
                        mailbox(),
                        timers())) {
            writer.write(
                    TraceDocument.upsert("idx", "LOT-1", 1, Map.of("v", 1)),
                    at(System.currentTimeMillis() + 60_000));
            writer.flush(false);

            assertEquals(1, writer.freshness().getCount());
            assertEquals(0, writer.freshness().getStatistics().getMax());
        }
    }

    @Test
    void anOlderVersionNeverOverwritesANewerOne() throws Exception {
        try (ElasticsearchSinkWriter<TraceDocument> writer =
                new ElasticsearchSinkWriter<>(
                        settings(fake.url(), 3),
                        d -> d,
                        ElasticsearchClients.create(settings(fake.url(), 3)),
                        UnregisteredMetricsGroup.createSinkWriterMetricGroup(),
                        mailbox(),
                        timers())) {
            writer.write(TraceDocument.upsert("idx", "LOT-1", 5, Map.of("v", 5)), null);
            writer.flush(false);
            writer.write(TraceDocument.upsert("idx", "LOT-1", 3, Map.of("v", 3)), null);
            writer.write(TraceDocument.upsert("idx", "LOT-1", 5, Map.of("v", 55)), null);
            writer.flush(false);

            assertEquals(5, fake.documents().get("idx/LOT-1").version());
            assertEquals(5, fake.documents().get("idx/LOT-1").source().path("v").asInt());
            assertEquals(1, writer.documentsWritten());
            assertEquals(2, writer.skippedOlder(), "older and equal versions are skipped");

            writer.write(TraceDocument.delete("idx", "LOT-1", 4), null);
            writer.flush(false);
            assertEquals(3, writer.skippedOlder(), "an older delete is skipped as well");
            writer.write(TraceDocument.delete("idx", "LOT-1", 6), null);
            writer.flush(false);
            assertNull(fake.documents().get("idx/LOT-1").source());
        }
    }

    @Test
    void wholeRequestAndItemLevel429sAreRetriedUntilEverythingIsStored() throws Exception {
        fake.rejectNextBulkRequests(2);
        fake.rejectItemsOfNextBulkRequests(2);
        try (ElasticsearchSinkWriter<Integer> writer = writer(settings(fake.url(), 8))) {
            for (int i = 0; i < 100; i++) {
                writer.write(i, null);
            }
            writer.flush(false);

            assertEquals(100, fake.documents().size());
            assertEquals(100, writer.documentsWritten());
            assertTrue(fake.rejectedOperations() > 0);
            assertEquals(fake.rejectedOperations(), writer.retries());
        }
    }

    @Test
    void failsAfterTheLastAttemptAndNamesTheDocument() throws Exception {
        fake.rejectNextBulkRequests(1000);
        try (ElasticsearchSinkWriter<Integer> writer = writer(settings(fake.url(), 3))) {
            for (int i = 0; i < 10; i++) {
                writer.write(i, null);
            }
            ElasticsearchSinkException e =
                    assertThrows(ElasticsearchSinkException.class, () -> writer.flush(false));

            assertTrue(e.getMessage().contains("after 3 attempts"), e.getMessage());
            assertTrue(e.getMessage().contains("idx/doc-"), e.getMessage());
            assertEquals(3, fake.bulkRequests());
            assertThrows(ElasticsearchSinkException.class, () -> writer.write(11, null));
        }
    }

    @Test
    void aDocumentElasticsearchRefusesBecomesADeadLetterAndTheSinkGoesOn() throws Exception {
        try (ElasticsearchSinkWriter<TraceDocument> writer =
                new ElasticsearchSinkWriter<>(
                        settings(fake.url(), 8),
                        d -> d,
                        ElasticsearchClients.create(settings(fake.url(), 8)),
                        UnregisteredMetricsGroup.createSinkWriterMetricGroup(),
                        mailbox(),
                        timers())) {
            writer.write(TraceDocument.upsert("idx", "good-1", 1, Map.of("q", 1)), null);
            writer.write(TraceDocument.upsert("idx", "bad-1", 3, Map.of("q", "x")), null);

            writer.flush(false); // does not throw: a refused document is not a broken sink
            writer.write(TraceDocument.upsert("idx", "good-2", 1, Map.of("q", 2)), null);
            writer.flush(false);

            assertEquals(2, writer.documentsWritten());
            assertEquals(1, writer.documentsRejected());
            assertEquals(0, writer.unacknowledged());
            assertEquals(0, writer.retries(), "a refused document is not retried");
            BulkProxy.Stored letter =
                    fake.documents().get(TraceIndex.DEAD_LETTERS.alias() + "/idx/bad-1/3");
            assertNotNull(letter, "dead letter stored: " + fake.documents().keySet());
            assertEquals("bad-1", letter.source().path("documentId").asString());
            assertEquals(400, letter.source().path("status").asInt());
            assertEquals(
                    "document_parsing_exception", letter.source().path("errorType").asString());
            assertTrue(
                    letter.source().path("reason").asString().contains("index=idx id=bad-1"),
                    letter.source().toString());
            String original =
                    new String(
                            Base64.getDecoder().decode(letter.source().path("source").asString()),
                            StandardCharsets.UTF_8);
            assertEquals("{\"q\":\"x\"}", original, "the document's bytes");
        }
    }

    @Test
    void aDocumentJacksonCannotWriteFailsInsteadOfHangingTheFlush() throws Exception {
        try (ElasticsearchSinkWriter<TraceDocument> writer =
                new ElasticsearchSinkWriter<>(
                        settings(fake.url(), 8),
                        d -> d,
                        ElasticsearchClients.create(settings(fake.url(), 8)),
                        UnregisteredMetricsGroup.createSinkWriterMetricGroup(),
                        mailbox(),
                        timers())) {
            ElasticsearchSinkException e =
                    assertThrows(
                            ElasticsearchSinkException.class,
                            () -> {
                                writer.write(
                                        TraceDocument.upsert(
                                                "idx", "LOT-9", 1, Map.of("x", new Exploding())),
                                        null);
                                writer.flush(false);
                            });
            assertTrue(e.getMessage().contains("LOT-9"), e.getMessage());
            assertEquals(0, writer.unacknowledged());
        }
    }

    @Test
    void flinksCountersAreOnlyTouchedOnTheTaskThread() throws Exception {
        TaskThreadMetricGroup metrics = new TaskThreadMetricGroup();
        ElasticsearchSinkWriter<TraceDocument> writer =
                new ElasticsearchSinkWriter<>(
                        settings(fake.url(), 3),
                        d -> d,
                        ElasticsearchClients.create(settings(fake.url(), 3)),
                        metrics,
                        mailbox(),
                        timers());
        try (writer) {
            for (int i = 0; i < 100; i++) {
                writer.write(TraceDocument.upsert("idx", "LOT-" + i, 1, Map.of("q", i)), null);
            }
            writer.flush(false);
            assertEquals(100, metrics.recordsSend.getCount(), "counted when flush returns");

            writer.write(TraceDocument.upsert("idx", "bad-1", 1, Map.of("q", "x")), null);
            writer.flush(false); // refused: a dead letter, counted as an output error
            assertEquals(1, metrics.recordsOutErrors.getCount());
        }

        String taskThread = Thread.currentThread().getName();
        assertEquals(Set.of(taskThread), metrics.recordsSend.threads);
        assertEquals(Set.of(taskThread), metrics.recordsOutErrors.threads);
        assertEquals(100, metrics.recordsSend.getCount());
    }

    @Test
    void anUnreachableNodeIsRetriedThenFailsTheTask() throws Exception {
        String nowhere;
        try (BulkProxy closed = BulkProxy.inMemory()) {
            nowhere = closed.url();
        }
        try (ElasticsearchSinkWriter<Integer> writer = writer(settings(nowhere, 2))) {
            writer.write(1, null);
            ElasticsearchSinkException e =
                    assertThrows(ElasticsearchSinkException.class, () -> writer.flush(false));
            assertTrue(e.getMessage().contains("after 2 attempts"), e.getMessage());
            assertEquals(1, writer.retries());
        }
    }

    @Test
    void anOutageWithinTheBudgetIsWaitedOutInsteadOfFailingTheTask() throws Exception {
        // 2 attempts would give up at the first rejected retry; the budget keeps the writer going
        fake.rejectNextBulkRequests(30);
        ElasticsearchSettings budget =
                settings(fake.url(), 2).withOutageBudget(Duration.ofMinutes(10));
        try (ElasticsearchSinkWriter<Integer> writer = writer(budget)) {
            for (int i = 0; i < 100; i++) {
                writer.write(i, null);
            }
            writer.flush(false);

            assertEquals(0, writer.unacknowledged());
            assertEquals(100, fake.documents().size());
            assertEquals(100, writer.documentsWritten());
            assertEquals(30, fake.rejectedRequests());
            assertEquals(fake.rejectedOperations(), writer.retries());
        }
    }

    @Test
    void anOutageLongerThanTheBudgetFailsTheTaskNamingTheBudget() throws Exception {
        fake.rejectNextBulkRequests(Integer.MAX_VALUE);
        ElasticsearchSettings budget =
                settings(fake.url(), 2).withOutageBudget(Duration.ofMillis(300));
        try (ElasticsearchSinkWriter<Integer> writer = writer(budget)) {
            writer.write(1, null);
            ElasticsearchSinkException e =
                    assertThrows(ElasticsearchSinkException.class, () -> writer.flush(false));

            assertTrue(
                    e.getMessage().contains("elasticsearch.retry.outage-budget=PT0.3S"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("idx/doc-1"), e.getMessage());
            assertTrue(fake.bulkRequests() > 2, "retried beyond max-attempts within the budget");
        }
    }

    @Test
    void writesWaitWhileRetriesPileUp() throws Exception {
        // 40 operations per bulk, 2 in flight: at most 40 * (2 + 2) unanswered while retrying,
        // plus up to the 2 bulks in flight whose rejections are not queued yet when a write looks
        // (seen: 199 on a loaded machine); rejected operations wait 200 ms each time
        fake.rejectNextBulkRequests(40);
        ElasticsearchSettings budget =
                settings(fake.url(), 2)
                        .withRetry(2, Duration.ofMillis(200), Duration.ofMillis(200))
                        .withOutageBudget(Duration.ofMinutes(10));
        long most = 0;
        try (ElasticsearchSinkWriter<Integer> writer = writer(budget)) {
            for (int i = 0; i < 2000; i++) {
                writer.write(i, null);
                most = Math.max(most, writer.unacknowledged());
            }
            writer.flush(false);

            assertEquals(2000, fake.documents().size());
            assertTrue(most <= 160 + 2 * 40, "unanswered operations reached " + most);
        }
    }

    /** A value whose serialization fails, like a bug in a converter. */
    public static final class Exploding {
        public String getValue() {
            throw new IllegalStateException("cannot be serialized");
        }
    }

    /** Attempts alone decide when to give up (no outage budget). */
    private static ElasticsearchSettings settings(String url, int maxAttempts) {
        return ElasticsearchSettings.forHosts(url)
                .withBulk(40, 5 * 1024 * 1024, Duration.ofHours(1), 2)
                .withRetry(maxAttempts, Duration.ofMillis(5), Duration.ofMillis(50))
                .withOutageBudget(Duration.ZERO);
    }

    private ElasticsearchSinkWriter<Integer> writer(ElasticsearchSettings settings) {
        return new ElasticsearchSinkWriter<>(
                settings,
                i -> TraceDocument.upsert("idx", "doc-" + i, 1, Map.of("n", String.valueOf(i))),
                ElasticsearchClients.create(settings),
                UnregisteredMetricsGroup.createSinkWriterMetricGroup(),
                mailbox(),
                timers());
    }

    /** A sink context whose element has {@code timestamp} (null: none). */
    private static SinkWriter.Context at(Long timestamp) {
        return new SinkWriter.Context() {
            @Override
            public long currentWatermark() {
                return Long.MIN_VALUE;
            }

            @Override
            public Long timestamp() {
                return timestamp;
            }
        };
    }

    private MailboxExecutor mailbox() {
        return mailbox;
    }

    private static ProcessingTimeService timers() {
        return FakeTaskServices.noTimers();
    }
}
