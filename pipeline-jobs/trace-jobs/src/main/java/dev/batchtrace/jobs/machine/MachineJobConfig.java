package dev.batchtrace.jobs.machine;

import static dev.batchtrace.jobs.ConfigValues.duration;
import static dev.batchtrace.jobs.ConfigValues.integer;
import static dev.batchtrace.jobs.ConfigValues.rejectUnknown;
import static dev.batchtrace.jobs.ConfigValues.requirePositive;

import dev.batchtrace.connectors.kafka.KafkaSettings;
import dev.batchtrace.connectors.registry.RegistrySettings;
import dev.batchtrace.jobs.lineage.LineageJobConfig;
import dev.batchtrace.schemas.EventTopics;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything the machine job needs to know, immutable. Built like the lineage job's config: a
 * properties file ({@code --config FILE}) and {@code --key value} overrides; Kafka ({@code
 * bootstrap.servers}, {@code group.id.prefix}, {@code kafka.client.*}) and registry ({@code
 * schema.registry.*}) keys are read by their connectors. Without {@code group.id.prefix} the job
 * uses {@value #DEFAULT_GROUP_ID_PREFIX}, so that it never shares consumer groups (and committed
 * offsets) with the lineage job, which reads mes.work-orders too. An unknown key under {@code
 * topic.}, {@code machine.}, {@code checkpoint.} or {@code state.} is rejected.
 */
public record MachineJobConfig(
        KafkaSettings kafka,
        RegistrySettings registry,
        Topics topics,
        Duration allowedLateness,
        Duration workOrderGrace,
        Duration outOfOrderness,
        Duration sourceIdleTimeout,
        Duration emitInterval,
        String transactionalIdPrefix,
        Duration checkpointInterval,
        int parallelism,
        int maxParallelism,
        String stateBackend,
        String jobName)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String TOPIC_MACHINE_EVENTS_KEY = "topic.machine-events";
    public static final String TOPIC_WORK_ORDERS_KEY = "topic.work-orders";
    public static final String TOPIC_MACHINE_SUMMARIES_KEY = "topic.machine-summaries";
    public static final String TOPIC_DEAD_LETTERS_KEY = "topic.dead-letters";
    public static final String ALLOWED_LATENESS_KEY = "machine.allowed-lateness";
    public static final String WORK_ORDER_GRACE_KEY = "machine.work-order-grace";
    public static final String OUT_OF_ORDERNESS_KEY = "machine.out-of-orderness";
    public static final String SOURCE_IDLE_TIMEOUT_KEY = "machine.source-idle-timeout";
    public static final String EMIT_INTERVAL_KEY = "machine.emit-interval";
    public static final String TRANSACTIONAL_ID_PREFIX_KEY = "machine.transactional-id-prefix";
    public static final String CHECKPOINT_INTERVAL_KEY = "checkpoint.interval";
    public static final String PARALLELISM_KEY = "machine.parallelism";
    public static final String MAX_PARALLELISM_KEY = "machine.max-parallelism";
    public static final String STATE_BACKEND_KEY = "state.backend";
    public static final String JOB_NAME_KEY = "machine.job-name";

    public static final String DEFAULT_MACHINE_SUMMARIES_TOPIC = "trace.machine-summaries";
    public static final String DEFAULT_GROUP_ID_PREFIX = "batchtrace-machine";
    public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.ofHours(1);
    public static final Duration DEFAULT_WORK_ORDER_GRACE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_OUT_OF_ORDERNESS = Duration.ofSeconds(5);
    public static final Duration DEFAULT_SOURCE_IDLE_TIMEOUT = Duration.ofMinutes(1);
    public static final Duration DEFAULT_EMIT_INTERVAL = Duration.ofSeconds(10);
    public static final String DEFAULT_TRANSACTIONAL_ID_PREFIX = "batchtrace-machine";
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(5);

    /** Fixed explicitly: changing it later makes savepoints unusable (key groups). */
    public static final int DEFAULT_MAX_PARALLELISM = 128;

    public static final String DEFAULT_STATE_BACKEND = "rocksdb";
    public static final String DEFAULT_JOB_NAME = "batchtrace machine attribution";

    public static final Set<String> KNOWN_KEYS =
            Set.of(
                    TOPIC_MACHINE_EVENTS_KEY,
                    TOPIC_WORK_ORDERS_KEY,
                    TOPIC_MACHINE_SUMMARIES_KEY,
                    TOPIC_DEAD_LETTERS_KEY,
                    ALLOWED_LATENESS_KEY,
                    WORK_ORDER_GRACE_KEY,
                    OUT_OF_ORDERNESS_KEY,
                    SOURCE_IDLE_TIMEOUT_KEY,
                    EMIT_INTERVAL_KEY,
                    TRANSACTIONAL_ID_PREFIX_KEY,
                    CHECKPOINT_INTERVAL_KEY,
                    PARALLELISM_KEY,
                    MAX_PARALLELISM_KEY,
                    STATE_BACKEND_KEY,
                    JOB_NAME_KEY);

    private static final List<String> OWN_PREFIXES =
            List.of("topic.", "machine.", "checkpoint.", "state.");

    /**
     * @param machineEvents input, MachineEvent
     * @param workOrders input, WorkOrderEvent (STARTED / COMPLETED place work orders on machines)
     * @param machineSummaries output, the summaries (exactly once, key MachineRunSummary.key())
     * @param deadLetters output, undecodable and too-late records
     */
    public record Topics(
            String machineEvents, String workOrders, String machineSummaries, String deadLetters)
            implements Serializable {

        private static final long serialVersionUID = 1L;

        public Topics {
            List<String> all =
                    java.util.Arrays.asList(
                            machineEvents, workOrders, machineSummaries, deadLetters);
            if (all.stream().anyMatch(t -> t == null || t.isBlank())) {
                throw new IllegalArgumentException("topic names must not be blank: " + all);
            }
            if (new TreeSet<>(all).size() != all.size()) {
                throw new IllegalArgumentException(
                        "every topic of the machine job must be a different topic: " + all);
            }
        }

        public static Topics defaults() {
            return new Topics(
                    EventTopics.MACHINE_EVENTS,
                    EventTopics.WORK_ORDERS,
                    DEFAULT_MACHINE_SUMMARIES_TOPIC,
                    EventTopics.DEAD_LETTERS);
        }

        public Topics withSuffix(String suffix) {
            return new Topics(
                    machineEvents + suffix,
                    workOrders + suffix,
                    machineSummaries + suffix,
                    deadLetters + suffix);
        }
    }

    public MachineJobConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(topics, "topics");
        if (allowedLateness == null || allowedLateness.isNegative()) {
            throw new IllegalArgumentException(ALLOWED_LATENESS_KEY + " must be >= 0");
        }
        if (workOrderGrace == null
                || workOrderGrace.isNegative()
                || workOrderGrace.compareTo(allowedLateness) > 0) {
            throw new IllegalArgumentException(
                    WORK_ORDER_GRACE_KEY
                            + " must be between 0 and "
                            + ALLOWED_LATENESS_KEY
                            + " ("
                            + allowedLateness
                            + "), was "
                            + workOrderGrace);
        }
        if (outOfOrderness == null || outOfOrderness.isNegative()) {
            throw new IllegalArgumentException(OUT_OF_ORDERNESS_KEY + " must be >= 0");
        }
        requirePositive(SOURCE_IDLE_TIMEOUT_KEY, sourceIdleTimeout);
        requirePositive(EMIT_INTERVAL_KEY, emitInterval);
        requirePositive(CHECKPOINT_INTERVAL_KEY, checkpointInterval);
        if (transactionalIdPrefix == null || transactionalIdPrefix.isBlank()) {
            throw new IllegalArgumentException(TRANSACTIONAL_ID_PREFIX_KEY + " must not be blank");
        }
        if (parallelism < 0) {
            throw new IllegalArgumentException(
                    PARALLELISM_KEY + " must be >= 0 (0 = the cluster default)");
        }
        if (maxParallelism < 1 || maxParallelism > 32768 || parallelism > maxParallelism) {
            throw new IllegalArgumentException(
                    MAX_PARALLELISM_KEY
                            + " must be in 1..32768 and at least "
                            + PARALLELISM_KEY
                            + ", was "
                            + maxParallelism);
        }
        if (!Set.of("rocksdb", "hashmap").contains(stateBackend)) {
            throw new IllegalArgumentException(
                    STATE_BACKEND_KEY + " must be rocksdb or hashmap, was '" + stateBackend + "'");
        }
        if (jobName == null || jobName.isBlank()) {
            throw new IllegalArgumentException(JOB_NAME_KEY + " must not be blank");
        }
    }

    /** {@code --config FILE} and {@code --key value} overrides, as for the lineage job. */
    public static MachineJobConfig fromArgs(String... args) throws IOException {
        return fromMap(LineageJobConfig.argsToMap(args));
    }

    public static MachineJobConfig fromMap(Map<String, String> config) {
        rejectUnknown(config, OWN_PREFIXES, KNOWN_KEYS);
        KafkaSettings kafka = KafkaSettings.fromMap(config);
        if (!config.containsKey(KafkaSettings.GROUP_ID_PREFIX)) {
            kafka = kafka.withGroupIdPrefix(DEFAULT_GROUP_ID_PREFIX);
        }
        Topics d = Topics.defaults();
        return new MachineJobConfig(
                kafka,
                RegistrySettings.fromMap(config),
                new Topics(
                        config.getOrDefault(TOPIC_MACHINE_EVENTS_KEY, d.machineEvents()),
                        config.getOrDefault(TOPIC_WORK_ORDERS_KEY, d.workOrders()),
                        config.getOrDefault(TOPIC_MACHINE_SUMMARIES_KEY, d.machineSummaries()),
                        config.getOrDefault(TOPIC_DEAD_LETTERS_KEY, d.deadLetters())),
                duration(config, ALLOWED_LATENESS_KEY, DEFAULT_ALLOWED_LATENESS),
                duration(config, WORK_ORDER_GRACE_KEY, DEFAULT_WORK_ORDER_GRACE),
                duration(config, OUT_OF_ORDERNESS_KEY, DEFAULT_OUT_OF_ORDERNESS),
                duration(config, SOURCE_IDLE_TIMEOUT_KEY, DEFAULT_SOURCE_IDLE_TIMEOUT),
                duration(config, EMIT_INTERVAL_KEY, DEFAULT_EMIT_INTERVAL),
                config.getOrDefault(TRANSACTIONAL_ID_PREFIX_KEY, DEFAULT_TRANSACTIONAL_ID_PREFIX),
                duration(config, CHECKPOINT_INTERVAL_KEY, DEFAULT_CHECKPOINT_INTERVAL),
                integer(config, PARALLELISM_KEY, 0),
                integer(config, MAX_PARALLELISM_KEY, DEFAULT_MAX_PARALLELISM),
                config.getOrDefault(STATE_BACKEND_KEY, DEFAULT_STATE_BACKEND).strip(),
                config.getOrDefault(JOB_NAME_KEY, DEFAULT_JOB_NAME));
    }

    public MachineJobConfig withTopics(Topics newTopics) {
        return new MachineJobConfig(
                kafka,
                registry,
                newTopics,
                allowedLateness,
                workOrderGrace,
                outOfOrderness,
                sourceIdleTimeout,
                emitInterval,
                transactionalIdPrefix,
                checkpointInterval,
                parallelism,
                maxParallelism,
                stateBackend,
                jobName);
    }

    /** Transactional id prefix of the exactly-once summaries sink. */
    public String summariesTransactionalIdPrefix() {
        return transactionalIdPrefix + ".summaries";
    }
}
