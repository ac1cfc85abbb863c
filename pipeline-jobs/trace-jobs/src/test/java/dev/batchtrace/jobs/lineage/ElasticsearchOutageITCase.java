package dev.batchtrace.jobs.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.lineage.reference.LineageReference;
import dev.batchtrace.stack.RestartableServer;
import dev.batchtrace.stack.TestServers;
import java.time.Duration;
import java.util.List;
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
 * Issue 13: Elasticsearch down for 60 s (its process stopped, then started again with the same data
 * and port) while a plant history keeps arriving. Once it is back every document equals the batch
 * reference and nothing is duplicated (each document is the last committed record of the documents
 * topic, at that record's offset as version; alerts alternate OPEN/RESOLVED), and the job never
 * restarted: the sink backs off and waits the outage out within its outage budget (checkpoints wait
 * for the pending writes meanwhile). The outage length: {@code
 * -Dfaults.elasticsearch-outage-seconds} (60 by default).
 */
class ElasticsearchOutageITCase {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();
    private static final Duration OUTAGE =
            Duration.ofSeconds(Long.getLong("faults.elasticsearch-outage-seconds", 60));

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
    void elasticsearchDownUnderLoadLosesNothingAndDuplicatesNothing() throws Exception {
        RestartableServer elasticsearch =
                TestServers.restartableElasticsearch(
                        "es-outage-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            FaultRun run =
                    new FaultRun(
                            "es-outage",
                            TestServers.kafkaBootstrapServers(),
                            TestServers.schemaRegistryUrl(),
                            elasticsearch.url());
            List<SpecificRecordBase> events = FaultRun.history(11);
            List<ProducerRecord<byte[], byte[]>> records = run.serialize(events);
            run.publishMachineSummaries(events);
            LineageReference.Result reference = LineageReference.withHolds(events);

            long started = System.nanoTime();
            JobClient job = run.start();
            CompletableFuture<Void> publishing =
                    run.publishInBackground(records, OUTAGE.plus(Duration.ofSeconds(30)));
            Thread.sleep(15_000);
            long down = System.nanoTime();
            elasticsearch.stop();
            Thread.sleep(OUTAGE.toMillis());
            long restarting = System.nanoTime();
            elasticsearch.start();
            System.out.printf(
                    "es-outage: Elasticsearch stopped for %d s (then %d s to start again)%n",
                    Duration.ofNanos(restarting - down).toSeconds(),
                    Duration.ofNanos(System.nanoTime() - restarting).toSeconds());
            publishing.get(5, TimeUnit.MINUTES);

            run.awaitConvergence(job, reference, Duration.ofMinutes(4));
            long restarts = JobMetrics.sum(METRICS, job.getJobID(), "numRestarts");
            long retries = JobMetrics.sum(METRICS, job.getJobID(), "retries");
            run.stopAndCheckNothingDuplicated(job, reference);
            assertEquals(List.of(), run.deadLetters(), "no input record is a dead letter");
            // the sink waits the outage out (elasticsearch.retry.outage-budget, 10 min by
            // default) instead of failing the task: the job never restarted
            assertEquals(0, restarts, "job restarts during a " + OUTAGE + " outage");
            assertTrue(retries > 0, "the sink re-sent writes during the outage");
            System.out.printf(
                    "es-outage: %d records, %d job restarts, %d writes re-sent, converged and"
                            + " checked %d s after the job started%n",
                    records.size(),
                    restarts,
                    retries,
                    Duration.ofNanos(System.nanoTime() - started).toSeconds());
        } finally {
            elasticsearch.stop();
        }
    }
}
