package dev.batchtrace.jobs.lineage.transactionwatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.connectors.kafka.HangingTransactions.Hanging;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class HangingReportTest {

    private static HangingReport report() {
        return new HangingReport("kafka:9092", Duration.ofMinutes(10), Duration.ofMinutes(16));
    }

    private static final Instant T0 = Instant.parse("2026-12-08T00:32:00Z");
    private static final Hanging FEEDBACK =
            new Hanging(
                    new TopicPartition("trace.lineage-feedback.r1", 0),
                    106,
                    0,
                    0,
                    11,
                    T0,
                    "batchtrace-lineage.feedback-0-18",
                    "CompleteCommit at epoch 1, partitions [] (not this one)",
                    true);
    private static final Hanging UNSEEN_PRODUCER =
            new Hanging(
                    new TopicPartition("trace.machine-summaries.r1", 2),
                    230,
                    3,
                    0,
                    500,
                    T0,
                    null,
                    "no transactional id has this producer id",
                    false);

    @Test
    void aHangingTransactionIsReportedOnceTwoChecksInARowFoundIt() {
        HangingReport report = report();
        assertEquals(List.of(), report.update(List.of(FEEDBACK), T0.plusSeconds(30)));
        assertEquals(0, report.reportedCount());

        List<HangingReport.Line> lines = report.update(List.of(FEEDBACK), T0.plusSeconds(60));
        assertEquals(1, lines.size());
        HangingReport.Line line = lines.get(0);
        assertTrue(line.error());
        assertTrue(line.text().contains("trace.lineage-feedback.r1-0"), line.text());
        assertTrue(line.text().contains("stops at offset 11"), line.text());
        assertTrue(
                line.text()
                        .contains(
                                "kafka-transactions.sh --bootstrap-server kafka:9092 abort"
                                        + " --topic trace.lineage-feedback.r1 --partition 0"
                                        + " --start-offset 11"),
                line.text());
        assertEquals(1, report.reportedCount());
    }

    @Test
    void itIsRepeatedEveryPeriodWhileItStaysAndToldGoneOnce() {
        HangingReport report = report();
        report.update(List.of(FEEDBACK), T0);
        assertEquals(1, report.update(List.of(FEEDBACK), T0.plusSeconds(30)).size());
        assertEquals(List.of(), report.update(List.of(FEEDBACK), T0.plusSeconds(300)));
        List<HangingReport.Line> again = report.update(List.of(FEEDBACK), T0.plusSeconds(630));
        assertEquals(1, again.size());
        assertTrue(again.get(0).error());

        List<HangingReport.Line> gone = report.update(List.of(), T0.plusSeconds(660));
        assertEquals(1, gone.size());
        assertFalse(gone.get(0).error());
        assertTrue(gone.get(0).text().contains("is gone"), gone.get(0).text());
        assertEquals(0, report.reportedCount());
        assertEquals(List.of(), report.update(List.of(), T0.plusSeconds(690)));
    }

    @Test
    void aTransactionTheCoordinatorShowsNothingOfCountsOnlyAfterAnyTimeoutWouldHaveEndedIt() {
        HangingReport report = report();
        for (int s = 0; s < 16 * 60; s += 30) {
            assertEquals(
                    List.of(),
                    report.update(List.of(UNSEEN_PRODUCER), T0.plusSeconds(s)),
                    "open for " + s + " s: may be a transaction this client may not see");
        }
        List<HangingReport.Line> lines =
                report.update(List.of(UNSEEN_PRODUCER), T0.plusSeconds(16 * 60));
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).text().contains("--partition 2 --start-offset 500"));

        // a check that no longer finds it starts the count again
        HangingReport again = report();
        again.update(List.of(UNSEEN_PRODUCER), T0);
        again.update(List.of(), T0.plusSeconds(600));
        assertEquals(List.of(), again.update(List.of(UNSEEN_PRODUCER), T0.plusSeconds(16 * 60)));
    }

    @Test
    void oneOddAnswerRaisesNothing() {
        HangingReport report = report();
        assertEquals(List.of(), report.update(List.of(FEEDBACK), T0));
        assertEquals(List.of(), report.update(List.of(), T0.plusSeconds(30)));
        assertEquals(List.of(), report.update(List.of(FEEDBACK), T0.plusSeconds(60)));
        assertEquals(0, report.reportedCount());
    }
}
