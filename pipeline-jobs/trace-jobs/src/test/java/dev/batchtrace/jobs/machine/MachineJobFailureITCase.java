package dev.batchtrace.jobs.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.jobs.faults.FailOnceSource;
import dev.batchtrace.machine.MachineReference;
import dev.batchtrace.machine.MachineRunSummary;
import dev.batchtrace.machine.MachineShiftGenerator;
import dev.batchtrace.stack.TestServers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 13: the machine job loses its task while it is attributing PLC events (half the shift read,
 * summaries committed, runs open in state; the machine-events reader fails, as a TaskManager lost
 * mid-flight) and the restored job reads the rest. The committed summaries, merged per key, equal
 * {@link MachineReference}, which is also what the run without a failure produces ({@link
 * MachineJobITCase}); nothing is a dead letter.
 */
class MachineJobFailureITCase {

    private static final int PARALLELISM = 2;
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(METRICS.addToConfiguration(rocksDb()))
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(PARALLELISM)
                            .build());

    private static Configuration rocksDb() {
        Configuration config = new Configuration();
        config.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        return config;
    }

    @Test
    void aTaskLostWhileAttributingPlcEventsEndsWithTheSummariesOfARunWithoutFailure()
            throws Exception {
        String bootstrap = TestServers.kafkaBootstrapServers();
        String registryUrl = TestServers.schemaRegistryUrl();
        String runId = "machine-fail-" + UUID.randomUUID().toString().substring(0, 8);
        MachineJobConfig config =
                MachineJobITCase.runConfig(
                        runId,
                        Map.of(
                                MachineJobConfig.ALLOWED_LATENESS_KEY,
                                "2m",
                                MachineJobConfig.OUT_OF_ORDERNESS_KEY,
                                "5s"));
        MachineJobConfig.Topics topics = config.topics();
        MachineShiftGenerator.Options options =
                new MachineShiftGenerator.Options(4, Duration.ofHours(3), 8);
        List<SpecificRecordBase> shift = MachineShiftGenerator.generate(42, options);
        Map<String, MachineRunSummary> expected = new TreeMap<>();
        MachineReference.summaries(shift).forEach(s -> expected.put(s.key(), s));
        List<SpecificRecordBase> arrival =
                MachineShiftGenerator.arrivalOrder(shift, Duration.ofMinutes(1), new Random(42));
        Instant closing = options.start().plus(options.shift()).plus(Duration.ofHours(2));
        int half = arrival.size() / 2;

        String failure = "machine-events-" + runId;
        MachineSources kafka = MachineSources.kafka(config);
        MachineSources failing =
                new MachineSources(
                        FailOnceSource.wrap(kafka.machineEvents(), failure), kafka.workOrders());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(rocksDb());
        MachineJob.configure(env, config);
        MachineJob.defineWorkflow(env, failing, MachineSinks.kafka(config), config);
        JobClient job = env.executeAsync("machine failure ITCase " + runId);
        try (KafkaProducer<String, SpecificRecordBase> producer =
                MachineJobITCase.producer(bootstrap, registryUrl)) {
            // the first half of the shift, without the closing clock: runs stay open in state
            for (SpecificRecordBase e : arrival.subList(0, half)) {
                if (e instanceof MachineEvent m) {
                    producer.send(
                            new ProducerRecord<>(topics.machineEvents(), m.getMachineId(), m));
                } else if (e instanceof WorkOrderEvent w) {
                    producer.send(new ProducerRecord<>(topics.workOrders(), w.getWorkOrderId(), w));
                }
            }
            producer.flush();
            int committedBefore = awaitSomeSummaries(bootstrap, topics, job);

            FailOnceSource.arm(failure); // the reader fails at its next poll or checkpoint
            MachineJobITCase.publish(
                    producer, topics, arrival.subList(half, arrival.size()), closing);

            Map<String, MachineRunSummary> actual =
                    awaitSummaries(bootstrap, topics, expected, job);
            assertTrue(FailOnceSource.failed(failure), "the injected failure happened");
            long restarts = numRestarts(job);
            assertTrue(restarts >= 1, "the job restarted from a checkpoint: " + restarts);
            assertEquals(expected.keySet(), actual.keySet());
            assertEquals(expected, actual);
            assertEquals(
                    List.of(),
                    MachineJobITCase.readCommitted(bootstrap, topics.deadLetters()),
                    "no machine event is a dead letter");
            System.out.printf(
                    "machine-failure: %d events, %d summary keys committed before the failure, %d"
                            + " at the end, %d restart(s)%n",
                    arrival.size(), committedBefore, actual.size(), restarts);
        } finally {
            job.cancel().get();
        }
    }

    /** Waits until the job has committed some summaries (so a checkpoint with state exists). */
    private static int awaitSomeSummaries(
            String bootstrap, MachineJobConfig.Topics topics, JobClient job) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                throw new AssertionError("the job ended: " + job.getJobStatus().get());
            }
            int committed = MachineJobITCase.merged(bootstrap, topics.machineSummaries()).size();
            if (committed > 0) {
                return committed;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no summary committed within " + TIMEOUT);
    }

    private static Map<String, MachineRunSummary> awaitSummaries(
            String bootstrap,
            MachineJobConfig.Topics topics,
            Map<String, MachineRunSummary> expected,
            JobClient job)
            throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Map<String, MachineRunSummary> actual = Map.of();
        while (System.nanoTime() < deadline) {
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                throw new AssertionError("the job ended: " + job.getJobStatus().get());
            }
            actual = MachineJobITCase.merged(bootstrap, topics.machineSummaries());
            if (actual.equals(expected)) {
                return actual;
            }
            Thread.sleep(1000);
        }
        return actual; // the caller's assertEquals shows the difference
    }

    /** Flink's {@code numRestarts} gauge of the job. */
    private static long numRestarts(JobClient job) {
        for (Map.Entry<MetricGroup, Map<String, Metric>> group :
                METRICS.getMetricsByGroup().entrySet()) {
            if (job.getJobID().toString().equals(group.getKey().getAllVariables().get("<job_id>"))
                    && group.getValue().get("numRestarts") instanceof Gauge<?> g
                    && g.getValue() instanceof Number n) {
                return n.longValue();
            }
        }
        throw new AssertionError("job " + job.getJobID() + " has no numRestarts metric");
    }
}
