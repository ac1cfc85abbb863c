package dev.batchtrace.jobs.lineage;

import static dev.batchtrace.jobs.ConfigValues.duration;
import static dev.batchtrace.jobs.ConfigValues.integer;
import static dev.batchtrace.jobs.ConfigValues.rejectUnknown;
import static dev.batchtrace.jobs.ConfigValues.requirePositive;

import dev.batchtrace.connectors.elasticsearch.ElasticsearchSettings;
import dev.batchtrace.connectors.kafka.KafkaSettings;
import dev.batchtrace.connectors.registry.RegistrySettings;
import dev.batchtrace.jobs.ConfigFile;
import dev.batchtrace.jobs.lineage.inputwait.InputWait;
import dev.batchtrace.jobs.lineage.transactionwatch.TransactionWatch;
import dev.batchtrace.lineage.closure.NodeProtocol;
import dev.batchtrace.schemas.EventTopics;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything the lineage job needs to know, immutable. Built from a properties file ({@code
 * --config FILE}) and {@code --key value} overrides; the Kafka ({@code bootstrap.servers}, ...),
 * registry ({@code schema.registry.*}) and Elasticsearch ({@code elasticsearch.*}) keys are read by
 * their connectors' own parsers. The job's own keys are the {@code *_KEY} constants below (see the
 * module README for the table); an unknown key under {@code topic.}, {@code lineage.}, {@code
 * checkpoint.} or {@code state.} is rejected so that a typo never falls back to a default.
 */
public record LineageJobConfig(
        KafkaSettings kafka,
        RegistrySettings registry,
        ElasticsearchSettings elasticsearch,
        Topics topics,
        String transactionalIdPrefix,
        Duration checkpointInterval,
        int parallelism,
        int maxParallelism,
        String stateBackend,
        Duration coalesceDelay,
        int hubFanIn,
        Duration alertQuietPeriod,
        long inputWaitAbove,
        Duration transactionCheckInterval,
        String jobName)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String TOPIC_GOODS_RECEIPTS_KEY = "topic.goods-receipts";
    public static final String TOPIC_WORK_ORDERS_KEY = "topic.work-orders";
    public static final String TOPIC_DISPATCH_NOTES_KEY = "topic.dispatch-notes";
    public static final String TOPIC_DEAD_LETTERS_KEY = "topic.dead-letters";
    public static final String TOPIC_FEEDBACK_KEY = "topic.lineage-feedback";
    public static final String TOPIC_DOCUMENTS_KEY = "topic.documents";
    public static final String TOPIC_LOT_FLAGS_KEY = "topic.lot-flags";
    public static final String TOPIC_ALERTS_KEY = "topic.alerts";
    public static final String TOPIC_QC_RESULTS_KEY = "topic.qc-results";
    public static final String TOPIC_MACHINE_SUMMARIES_KEY = "topic.machine-summaries";
    public static final String TRANSACTIONAL_ID_PREFIX_KEY = "lineage.transactional-id-prefix";
    public static final String CHECKPOINT_INTERVAL_KEY = "checkpoint.interval";
    public static final String PARALLELISM_KEY = "lineage.parallelism";
    public static final String MAX_PARALLELISM_KEY = "lineage.max-parallelism";
    public static final String STATE_BACKEND_KEY = "state.backend";
    public static final String COALESCE_DELAY_KEY = "lineage.coalesce-delay";
    public static final String JOB_NAME_KEY = "lineage.job-name";

    /**
     * How long an AFFECTED_STOCK alert must stay open before it goes to trace.alerts (and its
     * document to trace-alerts): one that resolves sooner (a recompute, a consumption and its
     * reversal in flight together) is never sent. 0 sends at once.
     */
    public static final String ALERT_QUIET_PERIOD_KEY = "lineage.alert-quiet-period";

    public static final Duration DEFAULT_ALERT_QUIET_PERIOD = Duration.ofSeconds(5);

    /**
     * Lot parents from which a lot is a closure hub (silo, blend tank): its closure is indexed once
     * in trace-closures instead of in every descendant. Changing it on a running job re-shapes
     * documents as lots cross it; a new run id recomputes them all.
     */
    public static final String HUB_FAN_IN_KEY = "lineage.hub-fan-in";

    /**
     * Records of feedback not yet read above which the input sources wait (they go on below a
     * quarter of it; {@code inputwait.FeedbackBacklogRule}). 0 never waits.
     */
    public static final String INPUT_WAIT_ABOVE_KEY = "lineage.input-wait-above";

    public static final long DEFAULT_INPUT_WAIT_ABOVE = 0;

    /**
     * How often the job checks its transactional topics (feedback, documents, machine summaries)
     * for hanging transactions, which stop read_committed readers for good ({@code
     * transactionwatch.TransactionWatchFunction}). 0 turns the check off.
     */
    public static final String TRANSACTION_CHECK_INTERVAL_KEY =
            "lineage.hanging-transaction-check-interval";

    public static final Duration DEFAULT_TRANSACTION_CHECK_INTERVAL = Duration.ofSeconds(30);

    public static final String DEFAULT_FEEDBACK_TOPIC = "trace.lineage-feedback";
    public static final String DEFAULT_DOCUMENTS_TOPIC = "trace.documents";

    /** Written by the machine-attribution job (JSON MachineRunSummary, exactly once). */
    public static final String DEFAULT_MACHINE_SUMMARIES_TOPIC = "trace.machine-summaries";

    public static final String DEFAULT_TRANSACTIONAL_ID_PREFIX = "batchtrace-lineage";
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    /** Fixed explicitly: changing it later makes savepoints unusable (key groups). */
    public static final int DEFAULT_MAX_PARALLELISM = 128;

    public static final String DEFAULT_STATE_BACKEND = "rocksdb";
    public static final Duration DEFAULT_COALESCE_DELAY = Duration.ofMillis(200);
    public static final String DEFAULT_JOB_NAME = "batchtrace lineage";

    /** The job's own keys, for validation and the README. */
    public static final Set<String> KNOWN_KEYS =
            Set.of(
                    TOPIC_GOODS_RECEIPTS_KEY,
                    TOPIC_WORK_ORDERS_KEY,
                    TOPIC_DISPATCH_NOTES_KEY,
                    TOPIC_DEAD_LETTERS_KEY,
                    TOPIC_FEEDBACK_KEY,
                    TOPIC_DOCUMENTS_KEY,
                    TOPIC_LOT_FLAGS_KEY,
                    TOPIC_ALERTS_KEY,
                    TOPIC_QC_RESULTS_KEY,
                    TOPIC_MACHINE_SUMMARIES_KEY,
                    TRANSACTIONAL_ID_PREFIX_KEY,
                    CHECKPOINT_INTERVAL_KEY,
                    PARALLELISM_KEY,
                    MAX_PARALLELISM_KEY,
                    STATE_BACKEND_KEY,
                    COALESCE_DELAY_KEY,
                    HUB_FAN_IN_KEY,
                    ALERT_QUIET_PERIOD_KEY,
                    INPUT_WAIT_ABOVE_KEY,
                    TRANSACTION_CHECK_INTERVAL_KEY,
                    JOB_NAME_KEY);

    private static final List<String> OWN_PREFIXES =
            List.of("topic.", "lineage.", "checkpoint.", "state.");

    /**
     * The topics the job reads and writes.
     *
     * @param goodsReceipts input, GoodsReceipt
     * @param workOrders input, WorkOrderEvent
     * @param dispatchNotes input, DispatchNote
     * @param deadLetters output, undecodable input records
     * @param feedback the lineage messages between node keys (written exactly once, read
     *     read_committed)
     * @param documents trace documents on their way to Elasticsearch (written exactly once, read
     *     read_committed; key {@code index/id}, value JSON)
     * @param lotFlags input, LotFlag (quality holds and releases)
     * @param alerts output, TraceAlert (written exactly once, key alertId)
     * @param qcResults input, QcResult (quality checks of lots)
     * @param machineSummaries input, JSON MachineRunSummary from the machine-attribution job (read
     *     read_committed)
     */
    public record Topics(
            String goodsReceipts,
            String workOrders,
            String dispatchNotes,
            String deadLetters,
            String feedback,
            String documents,
            String lotFlags,
            String alerts,
            String qcResults,
            String machineSummaries)
            implements Serializable {

        private static final long serialVersionUID = 1L;

        public Topics {
            for (String topic :
                    Arrays.asList(
                            goodsReceipts,
                            workOrders,
                            dispatchNotes,
                            deadLetters,
                            feedback,
                            documents,
                            lotFlags,
                            alerts,
                            qcResults,
                            machineSummaries)) {
                if (topic == null || topic.isBlank()) {
                    throw new IllegalArgumentException("topic names must not be blank: " + this);
                }
            }
            if (new TreeSet<>(
                                    List.of(
                                            goodsReceipts,
                                            workOrders,
                                            dispatchNotes,
                                            deadLetters,
                                            feedback,
                                            documents,
                                            lotFlags,
                                            alerts,
                                            qcResults,
                                            machineSummaries))
                            .size()
                    != 10) {
                throw new IllegalArgumentException(
                        "every topic of the lineage job must be a different topic: " + this);
            }
        }

        public static Topics defaults() {
            return new Topics(
                    EventTopics.GOODS_RECEIPTS,
                    EventTopics.WORK_ORDERS,
                    EventTopics.DISPATCH_NOTES,
                    EventTopics.DEAD_LETTERS,
                    DEFAULT_FEEDBACK_TOPIC,
                    DEFAULT_DOCUMENTS_TOPIC,
                    EventTopics.LOT_FLAGS,
                    EventTopics.TRACE_ALERTS,
                    EventTopics.QC_RESULTS,
                    DEFAULT_MACHINE_SUMMARIES_TOPIC);
        }

        /** Every topic, e.g. to create them before a first run. */
        public List<String> all() {
            return List.of(
                    goodsReceipts,
                    workOrders,
                    dispatchNotes,
                    deadLetters,
                    feedback,
                    documents,
                    lotFlags,
                    alerts,
                    qcResults,
                    machineSummaries);
        }

        /** The same topics with {@code suffix} appended to each (tests isolate runs this way). */
        public Topics withSuffix(String suffix) {
            return new Topics(
                    goodsReceipts + suffix,
                    workOrders + suffix,
                    dispatchNotes + suffix,
                    deadLetters + suffix,
                    feedback + suffix,
                    documents + suffix,
                    lotFlags + suffix,
                    alerts + suffix,
                    qcResults + suffix,
                    machineSummaries + suffix);
        }
    }

    public LineageJobConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(elasticsearch, "elasticsearch");
        Objects.requireNonNull(topics, "topics");
        if (transactionalIdPrefix == null || transactionalIdPrefix.isBlank()) {
            throw new IllegalArgumentException(TRANSACTIONAL_ID_PREFIX_KEY + " must not be blank");
        }
        requirePositive(CHECKPOINT_INTERVAL_KEY, checkpointInterval);
        requirePositive(COALESCE_DELAY_KEY, coalesceDelay);
        Objects.requireNonNull(alertQuietPeriod, ALERT_QUIET_PERIOD_KEY);
        if (alertQuietPeriod.isNegative()) {
            throw new IllegalArgumentException(
                    ALERT_QUIET_PERIOD_KEY + " must not be negative, was " + alertQuietPeriod);
        }
        if (inputWaitAbove < 0) {
            throw new IllegalArgumentException(
                    INPUT_WAIT_ABOVE_KEY
                            + " must not be negative (0 = never), was "
                            + inputWaitAbove);
        }
        Objects.requireNonNull(transactionCheckInterval, TRANSACTION_CHECK_INTERVAL_KEY);
        if (transactionCheckInterval.isNegative()) {
            throw new IllegalArgumentException(
                    TRANSACTION_CHECK_INTERVAL_KEY
                            + " must not be negative (0 = never), was "
                            + transactionCheckInterval);
        }
        if (hubFanIn < 2) {
            throw new IllegalArgumentException(
                    HUB_FAN_IN_KEY + " must be at least 2, got " + hubFanIn);
        }
        if (parallelism < 0) {
            throw new IllegalArgumentException(
                    PARALLELISM_KEY
                            + " must be >= 0 (0 = the cluster default), was "
                            + parallelism);
        }
        if (maxParallelism < 1 || maxParallelism > 32768) {
            throw new IllegalArgumentException(
                    MAX_PARALLELISM_KEY + " must be in 1..32768, was " + maxParallelism);
        }
        if (parallelism > maxParallelism) {
            throw new IllegalArgumentException(
                    PARALLELISM_KEY
                            + " ("
                            + parallelism
                            + ") must not exceed "
                            + MAX_PARALLELISM_KEY
                            + " ("
                            + maxParallelism
                            + ")");
        }
        if (!Set.of("rocksdb", "hashmap").contains(stateBackend)) {
            throw new IllegalArgumentException(
                    STATE_BACKEND_KEY
                            + " must be rocksdb or hashmap (the genealogy outgrows the heap: use"
                            + " rocksdb in production), was '"
                            + stateBackend
                            + "'");
        }
        if (jobName == null || jobName.isBlank()) {
            throw new IllegalArgumentException(JOB_NAME_KEY + " must not be blank");
        }
    }

    /**
     * Parses program arguments: {@code --config FILE} (a properties file, optional) and any number
     * of {@code --key value} overrides, applied in order after the file.
     */
    public static LineageJobConfig fromArgs(String... args) throws IOException {
        return fromMap(argsToMap(args));
    }

    /** The merged key/value settings of {@code args} (file first, then the overrides). */
    public static Map<String, String> argsToMap(String... args) throws IOException {
        Map<String, String> overrides = new LinkedHashMap<>();
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException(
                        "expected --key value, got '"
                                + arg
                                + "' (usage: [--config FILE] [--key value]...)");
            }
            String key = arg.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq > 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("--" + key + " needs a value");
            }
            if (key.equals("config")) {
                file = Path.of(value);
            } else if (ConfigFile.isSecretKey(key)) {
                // Flink shows program arguments in its web UI and logs (application mode)
                throw new IllegalArgumentException(
                        "--"
                                + key
                                + " holds a secret: put it in the --config file (or reference it"
                                + " there as ${env:NAME} or ${file:/path}), not on the command"
                                + " line, where Flink's web UI and logs show it");
            } else {
                overrides.put(key, value);
            }
        }
        Map<String, String> merged = new TreeMap<>();
        if (file != null) {
            merged.putAll(ConfigFile.read(file));
        }
        merged.putAll(overrides);
        return merged;
    }

    public static LineageJobConfig fromProperties(Properties properties) {
        Map<String, String> map = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            map.put(name, properties.getProperty(name));
        }
        return fromMap(map);
    }

    public static LineageJobConfig fromMap(Map<String, String> config) {
        rejectUnknown(config, OWN_PREFIXES, KNOWN_KEYS);
        Topics defaults = Topics.defaults();
        Topics topics =
                new Topics(
                        config.getOrDefault(TOPIC_GOODS_RECEIPTS_KEY, defaults.goodsReceipts()),
                        config.getOrDefault(TOPIC_WORK_ORDERS_KEY, defaults.workOrders()),
                        config.getOrDefault(TOPIC_DISPATCH_NOTES_KEY, defaults.dispatchNotes()),
                        config.getOrDefault(TOPIC_DEAD_LETTERS_KEY, defaults.deadLetters()),
                        config.getOrDefault(TOPIC_FEEDBACK_KEY, defaults.feedback()),
                        config.getOrDefault(TOPIC_DOCUMENTS_KEY, defaults.documents()),
                        config.getOrDefault(TOPIC_LOT_FLAGS_KEY, defaults.lotFlags()),
                        config.getOrDefault(TOPIC_ALERTS_KEY, defaults.alerts()),
                        config.getOrDefault(TOPIC_QC_RESULTS_KEY, defaults.qcResults()),
                        config.getOrDefault(
                                TOPIC_MACHINE_SUMMARIES_KEY, defaults.machineSummaries()));
        return new LineageJobConfig(
                KafkaSettings.fromMap(config),
                RegistrySettings.fromMap(config),
                ElasticsearchSettings.fromMap(config),
                topics,
                config.getOrDefault(TRANSACTIONAL_ID_PREFIX_KEY, DEFAULT_TRANSACTIONAL_ID_PREFIX),
                duration(config, CHECKPOINT_INTERVAL_KEY, DEFAULT_CHECKPOINT_INTERVAL),
                integer(config, PARALLELISM_KEY, 0),
                integer(config, MAX_PARALLELISM_KEY, DEFAULT_MAX_PARALLELISM),
                config.getOrDefault(STATE_BACKEND_KEY, DEFAULT_STATE_BACKEND).strip(),
                duration(config, COALESCE_DELAY_KEY, DEFAULT_COALESCE_DELAY),
                integer(config, HUB_FAN_IN_KEY, NodeProtocol.DEFAULT_HUB_FAN_IN),
                duration(config, ALERT_QUIET_PERIOD_KEY, DEFAULT_ALERT_QUIET_PERIOD),
                Long.parseLong(
                        config.getOrDefault(
                                        INPUT_WAIT_ABOVE_KEY,
                                        Long.toString(DEFAULT_INPUT_WAIT_ABOVE))
                                .strip()),
                duration(
                        config, TRANSACTION_CHECK_INTERVAL_KEY, DEFAULT_TRANSACTION_CHECK_INTERVAL),
                config.getOrDefault(JOB_NAME_KEY, DEFAULT_JOB_NAME));
    }

    public LineageJobConfig withTopics(Topics newTopics) {
        return new LineageJobConfig(
                kafka,
                registry,
                elasticsearch,
                newTopics,
                transactionalIdPrefix,
                checkpointInterval,
                parallelism,
                maxParallelism,
                stateBackend,
                coalesceDelay,
                hubFanIn,
                alertQuietPeriod,
                inputWaitAbove,
                transactionCheckInterval,
                jobName);
    }

    public LineageJobConfig withTransactionalIdPrefix(String prefix) {
        return new LineageJobConfig(
                kafka,
                registry,
                elasticsearch,
                topics,
                prefix,
                checkpointInterval,
                parallelism,
                maxParallelism,
                stateBackend,
                coalesceDelay,
                hubFanIn,
                alertQuietPeriod,
                inputWaitAbove,
                transactionCheckInterval,
                jobName);
    }

    /** The input wait on the feedback's backlog ({@link #INPUT_WAIT_ABOVE_KEY}). */
    public InputWait inputWait() {
        return new InputWait(
                kafka,
                topics.feedback(),
                kafka.groupId(topics.feedback()),
                inputWaitAbove,
                inputWaitAbove / 4,
                Duration.ofMillis(250));
    }

    /**
     * The check for hanging transactions ({@link #TRANSACTION_CHECK_INTERVAL_KEY}) on the topics
     * the job reads read_committed: its feedback, its documents and the machine job's summaries.
     */
    public TransactionWatch transactionWatch() {
        return new TransactionWatch(
                kafka,
                List.of(topics.feedback(), topics.documents(), topics.machineSummaries()),
                transactionCheckInterval);
    }

    /** Transactional id prefix of the exactly-once feedback sink. */
    public String feedbackTransactionalIdPrefix() {
        return transactionalIdPrefix + ".feedback";
    }

    /** Transactional id prefix of the exactly-once documents sink. */
    public String documentsTransactionalIdPrefix() {
        return transactionalIdPrefix + ".documents";
    }
}
