package dev.batchtrace.jobs.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.batchtrace.jobs.lineage.transactionwatch.TransactionWatchFunction;
import dev.batchtrace.lineage.reference.LineageReference;
import dev.batchtrace.stack.RestartableServer;
import dev.batchtrace.stack.TestServers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 13: the Kafka broker is restarted (stopped, then started again with the same data and
 * ports) while a plant history keeps arriving and the job propagates it (inputs, feedback and
 * documents topics, their transactions). The gateway's producer retries through the restart; once
 * the broker is back every document equals the batch reference and nothing is duplicated.
 */
class KafkaRestartITCase {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(clusterConfiguration())
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(FaultRun.PARALLELISM)
                            .build());

    private static Configuration clusterConfiguration() {
        Configuration config = new Configuration();
        config.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        return METRICS.addToConfiguration(config);
    }

    @Test
    void brokerRestartedUnderLoadLosesNothingAndDuplicatesNothing() throws Exception {
        RestartableServer kafka =
                TestServers.restartableKafka(
                        "kafka-restart-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            FaultRun run =
                    new FaultRun(
                            "kafka-restart",
                            kafka.url(),
                            TestServers.schemaRegistryUrl(),
                            TestServers.elasticsearchUrl(),
                            // the check for hanging transactions (seen once here) every 2 s
                            Map.of(LineageJobConfig.TRANSACTION_CHECK_INTERVAL_KEY, "2s"));
            List<SpecificRecordBase> events = FaultRun.history(13);
            List<ProducerRecord<byte[], byte[]>> records = run.serialize(events);
            run.publishMachineSummaries(events);
            LineageReference.Result reference = LineageReference.withHolds(events);

            long started = System.nanoTime();
            JobClient job = run.start();
            CompletableFuture<Void> publishing =
                    run.publishInBackground(records, Duration.ofSeconds(60));
            Thread.sleep(20_000);
            long down = System.nanoTime();
            kafka.stop();
            long restarting = System.nanoTime();
            kafka.start();
            System.out.printf(
                    "kafka-restart: broker stopped in %d s, started again in %d s%n",
                    Duration.ofNanos(restarting - down).toSeconds(),
                    Duration.ofNanos(System.nanoTime() - restarting).toSeconds());
            publishing.get(5, TimeUnit.MINUTES);
            run.assertInputsStored(records);

            try {
                run.awaitConvergence(job, reference, Duration.ofMinutes(4));
            } catch (AssertionError e) {
                throw new AssertionError(
                        e.getMessage()
                                + "; hanging Kafka transactions the job's check reports: "
                                + JobMetrics.sum(
                                        METRICS,
                                        job.getJobID(),
                                        TransactionWatchFunction.METRIC_HANGING_TRANSACTIONS)
                                + " (its ERROR line in the log names them)",
                        e);
            }
            // the check ran in the job, through the restart, and found nothing hanging
            assertEquals(
                    0,
                    JobMetrics.sum(
                            METRICS,
                            job.getJobID(),
                            TransactionWatchFunction.METRIC_HANGING_TRANSACTIONS));
            long restarts = JobMetrics.sum(METRICS, job.getJobID(), "numRestarts");
            run.stopAndCheckNothingDuplicated(job, reference);
            assertEquals(List.of(), run.deadLetters(), "no input record is a dead letter");
            System.out.printf(
                    "kafka-restart: %d records, %d job restarts, converged and checked %d s after"
                            + " the job started%n",
                    records.size(),
                    restarts,
                    Duration.ofNanos(System.nanoTime() - started).toSeconds());
        } finally {
            kafka.stop();
        }
    }
}
