package dev.batchtrace.deploy.kubernetes;

import dev.batchtrace.connectors.elasticsearch.ElasticsearchSettings;
import dev.batchtrace.connectors.kafka.KafkaSettings;
import dev.batchtrace.connectors.registry.RegistrySettings;
import dev.batchtrace.connectors.webhook.WebhookSettings;
import dev.batchtrace.jobs.lineage.AlertNotifier;
import dev.batchtrace.jobs.lineage.LineageJobConfig;
import dev.batchtrace.jobs.machine.MachineJobConfig;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.metrics.prometheus.PrometheusReporterFactory;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The keys the code knows, read from the code itself (constants, ConfigOptions, ConfigDefs). */
final class KnownKeys {

    /**
     * Keys of plugins and of the operator whose option classes are not on any served classpath: the
     * s3-fs-hadoop plugin (it forwards {@code s3.*} to S3A as {@code fs.s3a.*}) and the Flink
     * Kubernetes Operator's own options (flink-kubernetes-operator's
     * KubernetesOperatorConfigOptions).
     */
    static final Set<String> OUTSIDE_THE_CLASSPATH =
            Set.of(
                    "s3.endpoint",
                    "s3.path.style.access",
                    "kubernetes.operator.savepoint.history.max.count");

    private KnownKeys() {}

    /** Keys of the lineage job (its own, its connectors', the notifier's). */
    static Set<String> lineage() {
        Set<String> keys = new TreeSet<>(LineageJobConfig.KNOWN_KEYS);
        keys.add(AlertNotifier.LEDGER_TOPIC_KEY);
        keys.addAll(constants(RegistrySettings.class));
        keys.addAll(constants(ElasticsearchSettings.class));
        keys.addAll(constants(WebhookSettings.class));
        return keys;
    }

    static Set<String> machine() {
        Set<String> keys = new TreeSet<>(MachineJobConfig.KNOWN_KEYS);
        keys.addAll(constants(RegistrySettings.class));
        return keys;
    }

    /** Why a key is not known to a job with {@code ownKeys}, or empty when it is. */
    static Optional<String> unknownJobKey(String key, Set<String> ownKeys) {
        if (ownKeys.contains(key)
                || key.equals(KafkaSettings.BOOTSTRAP_SERVERS)
                || key.equals(KafkaSettings.GROUP_ID_PREFIX)) {
            return Optional.empty();
        }
        if (key.startsWith(WebhookSettings.HEADER_PREFIX)
                && ownKeys.contains(WebhookSettings.URLS)) {
            return Optional.empty();
        }
        // KafkaSettings passes these to the clients unchanged, and kafka.client.X as X
        String client =
                key.startsWith(KafkaSettings.CLIENT_PREFIX)
                        ? key.substring(KafkaSettings.CLIENT_PREFIX.length())
                        : key.equals("security.protocol")
                                        || key.startsWith("sasl.")
                                        || key.startsWith("ssl.")
                                ? key
                                : null;
        if (client != null) {
            return kafkaClientKeys().contains(client)
                    ? Optional.empty()
                    : Optional.of(key + ": not a Kafka client setting");
        }
        return Optional.of(key + ": no job or connector reads it");
    }

    static Set<String> kafkaClientKeys() {
        Set<String> keys = new HashSet<>(ProducerConfig.configNames());
        keys.addAll(ConsumerConfig.configNames());
        keys.addAll(AdminClientConfig.configNames());
        return keys;
    }

    /** Every key (and deprecated fallback key) of the Flink options the manifests may set. */
    static Set<String> flinkKeys() {
        Set<String> keys = new TreeSet<>();
        for (Class<?> options :
                new Class<?>[] {
                    CheckpointingOptions.class,
                    StateBackendOptions.class,
                    StateRecoveryOptions.class,
                    RestartStrategyOptions.class,
                    HighAvailabilityOptions.class,
                    TaskManagerOptions.class,
                    JobManagerOptions.class,
                    MetricOptions.class,
                    CoreOptions.class,
                    RocksDBOptions.class,
                    RocksDBConfigurableOptions.class
                }) {
            for (Field field : options.getFields()) {
                if (Modifier.isStatic(field.getModifiers())
                        && ConfigOption.class.isAssignableFrom(field.getType())) {
                    try {
                        ConfigOption<?> option = (ConfigOption<?>) field.get(null);
                        keys.add(option.key());
                        for (FallbackKey fallback : option.fallbackKeys()) {
                            keys.add(fallback.getKey());
                        }
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return keys;
    }

    /** Why a flinkConfiguration key is unknown, or empty when Flink (or a plugin) reads it. */
    static Optional<String> unknownFlinkKey(String key) {
        if (flinkKeys().contains(key) || OUTSIDE_THE_CLASSPATH.contains(key)) {
            return Optional.empty();
        }
        // metrics.reporter.<name>.<option>: the reporter options, or the Prometheus reporter's port
        String reporterPrefix = "metrics.reporter.";
        if (key.startsWith(reporterPrefix)) {
            String rest = key.substring(reporterPrefix.length());
            String option = rest.substring(rest.indexOf('.') + 1);
            if (option.equals(MetricOptions.REPORTER_FACTORY_CLASS.key())
                    || option.equals(MetricOptions.REPORTER_INTERVAL.key())
                    || option.equals(prometheusPortKey())) {
                return Optional.empty();
            }
        }
        return Optional.of(key + ": not a Flink option");
    }

    static String prometheusPortKey() {
        try {
            Field port = PrometheusReporterFactory.class.getDeclaredField("ARG_PORT");
            port.setAccessible(true);
            return (String) port.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public String constants of a settings class that are keys (contain a dot). */
    static Set<String> constants(Class<?> settings) {
        Set<String> keys = new TreeSet<>();
        for (Field field : settings.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    String value = (String) field.get(null);
                    if (value.contains(".") && !value.endsWith(".")) {
                        keys.add(value);
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return keys;
    }
}
