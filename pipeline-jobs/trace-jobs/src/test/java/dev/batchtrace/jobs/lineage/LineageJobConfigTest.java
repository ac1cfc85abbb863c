package dev.batchtrace.jobs.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.jobs.lineage.inputwait.InputWait;
import dev.batchtrace.jobs.lineage.transactionwatch.TransactionWatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineageJobConfigTest {

    private static final String[] REQUIRED = {
        "--bootstrap.servers", "kafka-1:9092",
        "--schema.registry.url", "http://registry:8081",
        "--elasticsearch.hosts", "http://es-1:9200"
    };

    @Test
    void defaultsFollowTheDesign() throws Exception {
        LineageJobConfig config = LineageJobConfig.fromArgs(REQUIRED);
        assertEquals("mes.goods-receipts", config.topics().goodsReceipts());
        assertEquals("mes.work-orders", config.topics().workOrders());
        assertEquals("mes.dispatch-notes", config.topics().dispatchNotes());
        assertEquals("trace.dead-letters", config.topics().deadLetters());
        assertEquals("trace.lineage-feedback", config.topics().feedback());
        assertEquals("trace.documents", config.topics().documents());
        assertEquals("quality.lot-flags", config.topics().lotFlags());
        assertEquals("trace.alerts", config.topics().alerts());
        assertEquals("mes.qc-results", config.topics().qcResults());
        assertEquals("trace.machine-summaries", config.topics().machineSummaries());
        assertEquals(10, config.topics().all().size());
        assertEquals(Duration.ofSeconds(1), config.checkpointInterval());
        assertEquals(128, config.maxParallelism());
        assertEquals(0, config.parallelism());
        assertEquals("rocksdb", config.stateBackend());
        assertEquals(Duration.ofMillis(200), config.coalesceDelay());
        assertEquals("kafka-1:9092", config.kafka().bootstrapServers());
        assertEquals(List.of("http://es-1:9200"), config.elasticsearch().hosts());
        assertEquals("batchtrace-lineage.feedback", config.feedbackTransactionalIdPrefix());
        assertEquals("batchtrace-lineage.documents", config.documentsTransactionalIdPrefix());
        assertEquals(0, config.inputWaitAbove());
        assertFalse(config.inputWait().enabled(), "input never waits unless asked to");
        assertNull(LineageSources.kafka(config).inputWait());
    }

    @Test
    void theInputHoldWatchesTheJobsOwnFeedbackTopicAndGroup() throws Exception {
        LineageJobConfig config =
                LineageJobConfig.fromArgs(
                        with(
                                "--lineage.input-wait-above",
                                "20000",
                                "--topic.lineage-feedback",
                                "plant-a.feedback",
                                "--group.id.prefix",
                                "plant-a"));
        InputWait setting = config.inputWait();
        assertTrue(setting.enabled());
        assertEquals(20_000, setting.waitAbove());
        assertEquals(5_000, setting.resumeBelow());
        assertEquals("plant-a.feedback", setting.feedbackTopic());
        assertEquals("plant-a.plant-a.feedback", setting.feedbackGroupId());
        assertEquals(setting, LineageSources.kafka(config).inputWait());

        IllegalArgumentException negative =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> LineageJobConfig.fromArgs(with("--lineage.input-wait-above", "-1")));
        assertTrue(
                negative.getMessage().startsWith("lineage.input-wait-above"),
                negative.getMessage());
    }

    @Test
    void hangingTransactionsAreCheckedOnTheReadCommittedTopicsEveryHalfMinute() throws Exception {
        LineageJobConfig config =
                LineageJobConfig.fromArgs(with("--topic.lineage-feedback", "plant-a.feedback"));
        TransactionWatch watch = config.transactionWatch();
        assertTrue(watch.enabled());
        assertEquals(Duration.ofSeconds(30), watch.interval());
        assertEquals(
                List.of("plant-a.feedback", "trace.documents", "trace.machine-summaries"),
                watch.topics());
        assertEquals("kafka-1:9092", watch.kafka().bootstrapServers());
        assertEquals(watch, LineageSources.kafka(config).transactionWatch());

        LineageJobConfig off =
                LineageJobConfig.fromArgs(
                        with("--lineage.hanging-transaction-check-interval", "0"));
        assertFalse(off.transactionWatch().enabled());
        assertNull(LineageSources.kafka(off).transactionWatch());
        assertEquals(
                Duration.ofMinutes(2),
                LineageJobConfig.fromArgs(
                                with("--lineage.hanging-transaction-check-interval", "2m"))
                        .transactionWatch()
                        .interval());

        IllegalArgumentException negative =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                LineageJobConfig.fromArgs(
                                        with(
                                                "--lineage.hanging-transaction-check-interval",
                                                "-5s")));
        assertTrue(
                negative.getMessage().startsWith("lineage.hanging-transaction-check-interval"),
                negative.getMessage());
    }

    @Test
    void fileFirstThenOverridesInOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("lineage.properties");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "bootstrap.servers=from-file:9092",
                        "schema.registry.url=http://registry:8081",
                        "elasticsearch.hosts=http://es:9200",
                        "topic.lineage-feedback=plant-a.feedback",
                        "topic.lot-flags=plant-a.lot-flags",
                        "topic.alerts=plant-a.alerts",
                        "checkpoint.interval=5s",
                        "lineage.parallelism=4"));
        LineageJobConfig config =
                LineageJobConfig.fromArgs(
                        "--config",
                        file.toString(),
                        "--bootstrap.servers",
                        "from-args:9092",
                        "--lineage.coalesce-delay=PT0.5S",
                        "--lineage.max-parallelism",
                        "256");
        assertEquals("from-args:9092", config.kafka().bootstrapServers());
        assertEquals("plant-a.feedback", config.topics().feedback());
        assertEquals("plant-a.lot-flags", config.topics().lotFlags());
        assertEquals("plant-a.alerts", config.topics().alerts());
        assertEquals(Duration.ofSeconds(5), config.checkpointInterval());
        assertEquals(4, config.parallelism());
        assertEquals(256, config.maxParallelism());
        assertEquals(Duration.ofMillis(500), config.coalesceDelay());
    }

    @Test
    void typosAndBadValuesAreRejectedWithTheKeyNamed() {
        IllegalArgumentException typo =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> LineageJobConfig.fromArgs(with("--topic.work-order", "x")));
        assertTrue(typo.getMessage().contains("topic.work-order"), typo.getMessage());

        IllegalArgumentException duration =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> LineageJobConfig.fromArgs(with("--checkpoint.interval", "soon")));
        assertTrue(duration.getMessage().startsWith("checkpoint.interval"), duration.getMessage());

        IllegalArgumentException backend =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> LineageJobConfig.fromArgs(with("--state.backend", "heap")));
        assertTrue(backend.getMessage().contains("rocksdb"), backend.getMessage());

        IllegalArgumentException sameTopic =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                LineageJobConfig.fromArgs(
                                        with("--topic.documents", "trace.lineage-feedback")));
        assertTrue(sameTopic.getMessage().contains("different"), sameTopic.getMessage());

        assertThrows(
                IllegalArgumentException.class,
                () -> LineageJobConfig.fromArgs(with("--lineage.parallelism", "200")));
        assertThrows(IllegalArgumentException.class, () -> LineageJobConfig.fromArgs("oops"));
        IllegalArgumentException missing =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                LineageJobConfig.fromArgs(
                                        "--config", "/nonexistent/lineage.properties"));
        assertTrue(missing.getMessage().contains("/nonexistent/lineage.properties"));
    }

    @Test
    void kafkaAndRegistryKeysReachTheirConnectors() throws Exception {
        LineageJobConfig config =
                LineageJobConfig.fromArgs(
                        with(
                                "--group.id.prefix",
                                "lineage-plant-a",
                                "--kafka.client.max.poll.records",
                                "100"));
        assertEquals("lineage-plant-a", config.kafka().groupIdPrefix());
        assertEquals("100", config.kafka().clientProperties().get("max.poll.records"));
        assertEquals("http://registry:8081", config.registry().url());
    }

    private static String[] with(String... more) {
        String[] all = new String[REQUIRED.length + more.length];
        System.arraycopy(REQUIRED, 0, all, 0, REQUIRED.length);
        System.arraycopy(more, 0, all, REQUIRED.length, more.length);
        return all;
    }
}
