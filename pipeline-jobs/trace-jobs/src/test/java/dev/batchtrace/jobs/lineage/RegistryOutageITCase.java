package dev.batchtrace.jobs.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.connectors.kafka.DecodingDeserializationSchema;
import dev.batchtrace.lineage.reference.LineageReference;
import dev.batchtrace.stack.RestartableServer;
import dev.batchtrace.stack.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
 * Issue 13: the schema registry is down for 60 s (its process stopped, then started again on the
 * same port with the same storage) while events keep arriving, among them the first lot flags and
 * QC results, whose schema ids the job's sources have not cached yet. Nothing may be dropped or
 * dead-lettered: the records wait (the sources retry with backoff, counted in {@value
 * DecodingDeserializationSchema#RETRY_METRIC}), the job does not even restart, and once the
 * registry is back every document equals the batch reference, nothing duplicated. The outage
 * length: {@code -Dfaults.registry-outage-seconds} (60 by default; any length below the sources' 2
 * min retry budget takes the same path).
 */
class RegistryOutageITCase {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();
    private static final Duration OUTAGE =
            Duration.ofSeconds(Long.getLong("faults.registry-outage-seconds", 60));

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
    void registryDownWhileEventsArriveLosesNothingAndDeadLettersNothing() throws Exception {
        RestartableServer registry =
                TestServers.restartableSchemaRegistry(
                        "registry-outage-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            FaultRun run =
                    new FaultRun(
                            "registry-outage",
                            TestServers.kafkaBootstrapServers(),
                            registry.url(),
                            TestServers.elasticsearchUrl());
            List<SpecificRecordBase> events = FaultRun.history(7);
            List<ProducerRecord<byte[], byte[]>> records = run.serialize(events);
            // Before the outage: part of the receipts, work orders and dispatch notes (their ids
            // get cached). During it: the rest, and every lot flag and QC result (ids not cached).
            List<ProducerRecord<byte[], byte[]>> before = new ArrayList<>();
            List<ProducerRecord<byte[], byte[]>> during = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                ProducerRecord<byte[], byte[]> r = records.get(i);
                boolean uncachedKind =
                        r.topic().equals(run.topics.lotFlags())
                                || r.topic().equals(run.topics.qcResults());
                (i < records.size() * 2 / 5 && !uncachedKind ? before : during).add(r);
            }
            run.publishMachineSummaries(events);
            LineageReference.Result reference = LineageReference.withHolds(events);

            long started = System.nanoTime();
            JobClient job = run.start();
            run.publish(before, Duration.ofSeconds(5));
            awaitSomeDocuments(run);

            long down = System.nanoTime();
            registry.stop();
            run.publish(during, OUTAGE.multipliedBy(3).dividedBy(4));
            long left = OUTAGE.toNanos() - (System.nanoTime() - down);
            if (left > 0) {
                Thread.sleep(left / 1_000_000);
            }
            assertTrue(
                    run.deadLetters().isEmpty(),
                    "nothing dead-lettered while the registry is down");
            long restarting = System.nanoTime();
            registry.start();
            System.out.printf(
                    "registry-outage: registry stopped for %d s (then %d s to start again) while %d"
                            + " of %d records arrived%n",
                    Duration.ofNanos(restarting - down).toSeconds(),
                    Duration.ofNanos(System.nanoTime() - restarting).toSeconds(),
                    during.size(),
                    records.size());

            run.awaitConvergence(job, reference, Duration.ofMinutes(3));
            assertEquals(List.of(), run.deadLetters(), "no good record is a dead letter");
            long retries =
                    JobMetrics.sum(
                            METRICS, job.getJobID(), DecodingDeserializationSchema.RETRY_METRIC);
            assertTrue(retries > 0, "the sources met the outage and waited: " + retries);
            long restarts = JobMetrics.sum(METRICS, job.getJobID(), "numRestarts");
            assertEquals(0, restarts, "the records waited in place, the job did not restart");
            run.stopAndCheckNothingDuplicated(job, reference);
            System.out.printf(
                    "registry-outage: %d records, %d registry retries, %d restarts, converged and"
                            + " checked %d s after the job started%n",
                    records.size(),
                    retries,
                    restarts,
                    Duration.ofNanos(System.nanoTime() - started).toSeconds());
        } finally {
            registry.stop();
        }
    }

    private static void awaitSomeDocuments(FaultRun run) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (!TestStack.documents(run.esUrl).isEmpty()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no document within 2 min before the outage");
    }
}
